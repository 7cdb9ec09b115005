"""Rating rules: study strength, verdict ceiling and GRADE certainty.

These are the only place the rules live. The methodology page is rendered from the
constants below, and tests break each rule, so the published rubric and the code that
applies it cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.records.model import Claim, KnowledgeBase, Study

STRENGTHS = ("very limited", "limited", "moderate", "strong")  # weakest first
CERTAINTIES = ("very low", "low", "moderate", "high")  # lowest first

# Starting strength for each design, before adjustments.
DESIGN_BASE = {
    "systematic-review": "strong",
    "rct": "moderate",
    "crossover": "moderate",
    "non-randomised-controlled": "limited",
    "cross-sectional": "limited",
    "pre-post": "very limited",
    "narrative-review": "very limited",
}
SMALL_N = 20  # fewer analysed participants than this: one step down
SMALL_N_CROSSOVER = 10  # each person is their own control, so fewer people give the same precision
LARGE_TRIAL_N = 100  # a trial this large with a good appraisal: one step up
GOOD_APPRAISAL = 0.6  # share of the appraisal tool's maximum (PEDro 6/10)
POOR_APPRAISAL = 0.5  # below half the maximum: one step down
MIN_REVIEW_STUDIES = 3  # a review of fewer studies: one step down
CONTROLLED_DESIGNS = ("rct", "crossover")

# Published with the rubric: each rule as (applies to, effect, condition).
STRENGTH_RULES = (
    (
        "randomised trial",
        "+1",
        f"at least {LARGE_TRIAL_N} participants and an appraisal score of at least "
        f"{int(GOOD_APPRAISAL * 100)}% of the tool's maximum (PEDro 6/10)",
    ),
    (
        "any design but a review",
        "-1",
        f"fewer than {SMALL_N} participants analysed ({SMALL_N_CROSSOVER} for a "
        "crossover study), or the number not reported",
    ),
    (
        "any design",
        "-1",
        f"an appraisal score below {int(POOR_APPRAISAL * 100)}% of the tool's maximum (PEDro 4/10 or less)",
    ),
    ("systematic review", "-1", f"fewer than {MIN_REVIEW_STUDIES} included studies"),
    ("systematic review", "-1", "fewer than half of the included studies are randomised trials"),
)


@dataclass(frozen=True)
class StrengthRating:
    level: str
    reasons: tuple[str, ...]

    @property
    def rank(self) -> int:
        return STRENGTHS.index(self.level)


def rate_study(study: Study) -> StrengthRating:
    """Derive a study's strength from its design, size and appraisal."""
    base = DESIGN_BASE[study.design]
    reasons = [f"starts at {base}: {study.design_label.lower()}"]
    step = 0
    score_share = study.appraisal.score / study.appraisal.max if study.appraisal else None
    n = study.population.n
    if (
        study.design == "rct"
        and n is not None
        and n >= LARGE_TRIAL_N
        and score_share is not None
        and score_share >= GOOD_APPRAISAL
    ):
        step += 1
        reasons.append(f"+1: large trial (n = {n}) with a good appraisal")
    if study.design == "systematic-review":
        pass  # a review's size is judged by its included studies, below
    elif n is None:
        step -= 1
        reasons.append("-1: number of participants not reported")
    elif n < (SMALL_N_CROSSOVER if study.design == "crossover" else SMALL_N):
        step -= 1
        reasons.append(f"-1: small (n = {n})")
    if score_share is not None and score_share < POOR_APPRAISAL:
        step -= 1
        reasons.append(
            f"-1: low appraisal score ({study.appraisal.tool} {study.appraisal.score:g}/{study.appraisal.max:g})"
        )
    if study.design == "systematic-review" and study.included_studies:
        included = study.included_studies
        if included.count < MIN_REVIEW_STUDIES:
            step -= 1
            reasons.append(f"-1: only {included.count} included studies")
        if included.rcts is not None and included.rcts * 2 < included.count:
            step -= 1
            reasons.append(f"-1: only {included.rcts} of {included.count} included studies are randomised")
    index = max(0, min(len(STRENGTHS) - 1, STRENGTHS.index(base) + step))
    return StrengthRating(STRENGTHS[index], tuple(reasons))


def is_controlled(study: Study) -> bool:
    """A randomised trial or crossover, or a review in which at least half the studies are known to be randomised."""
    if study.design in CONTROLLED_DESIGNS:
        return True
    if study.design == "systematic-review" and study.included_studies:
        inc = study.included_studies
        return inc.rcts is not None and inc.count > 0 and inc.rcts * 2 >= inc.count
    return False


@dataclass(frozen=True)
class Ceiling:
    verdict: str
    reason: str


SUPPORTED_MIN_CERTAINTY = "moderate"


def verdict_ceiling(
    claim: Claim, studies: dict[str, Study], strengths: dict[str, StrengthRating], certainty_level: str
) -> Ceiling:
    """The strongest verdict the cited evidence allows (see the methodology page)."""
    links = [(link, studies[link.study]) for link in claim.evidence if link.study in studies]
    against = [
        strengths[s.id].rank
        for link, s in links
        if link.direction in ("contradicts", "no-effect") and link.applies_to == "same"
    ]
    best_against = max(against, default=-1)
    pointing = [strengths[s.id].rank for link, s in links if link.direction in ("supports", "mixed")]
    qualifying = [
        strengths[s.id].rank
        for link, s in links
        if link.direction == "supports"
        and link.applies_to == "same"
        and is_controlled(s)
        and strengths[s.id].rank >= STRENGTHS.index("moderate")
    ]
    best_for = max(qualifying, default=-1)
    certain_enough = CERTAINTIES.index(certainty_level) >= CERTAINTIES.index(SUPPORTED_MIN_CERTAINTY)
    if best_for >= 0 and best_against < best_for and certain_enough:
        return Ceiling("supported", f"a {STRENGTHS[best_for]} controlled study in the claim's population supports it")
    if not pointing:
        return Ceiling("overstated", "no cited study points the claim's way")
    if best_against > max(pointing):
        return Ceiling("overstated", f"{STRENGTHS[best_against]} evidence in the claim's population points against it")
    if best_for >= 0 and best_against >= best_for:
        why = "evidence against it in the claim's population is as strong as the best evidence for it"
    elif best_for >= 0:
        why = (
            f"controlled evidence supports it, but the certainty of the evidence is {certainty_level}; "
            f"supported needs at least {SUPPORTED_MIN_CERTAINTY}"
        )
    else:
        why = (
            "supported needs a randomised trial (or a review of trials) of at least moderate strength that "
            "supports the claim in the population it is about; none of the cited studies is one"
        )
    return Ceiling("plausible", why)


def certainty(claim: Claim, studies: dict[str, Study]) -> tuple[str, str]:
    """GRADE-style certainty: start high for randomised evidence, low otherwise; lower per downgrade."""
    controlled = any(is_controlled(studies[link.study]) for link in claim.evidence if link.study in studies)
    start = "high" if controlled else "low"
    steps = sum(2 if d.severity == "very-serious" else 1 for d in claim.downgrades)
    index = max(0, CERTAINTIES.index(start) - steps)
    return CERTAINTIES[index], start


@dataclass(frozen=True)
class Ratings:
    """Everything computed from the records; never typed by hand."""

    strengths: dict[str, StrengthRating]
    ceilings: dict[str, Ceiling]
    certainties: dict[str, str]
    certainty_starts: dict[str, str]


def rate(kb: KnowledgeBase) -> Ratings:
    """Rate every study and claim in the knowledge base."""
    strengths = {sid: rate_study(s) for sid, s in kb.studies.items()}
    certs = {cid: certainty(c, kb.studies) for cid, c in kb.claims.items()}
    ceilings = {cid: verdict_ceiling(c, kb.studies, strengths, certs[cid][0]) for cid, c in kb.claims.items()}
    return Ratings(
        strengths,
        ceilings,
        {cid: c[0] for cid, c in certs.items()},
        {cid: c[1] for cid, c in certs.items()},
    )
