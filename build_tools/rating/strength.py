"""Study strength: how much weight one study's own result can carry (our rule, not GRADE's:
GRADE rates bodies of evidence, and this ladder only feeds the verdict ceiling)."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.records.model import Study

STRENGTHS = ("very limited", "limited", "moderate", "strong")  # weakest first

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


def appraisal_share(study: Study) -> float | None:
    """The appraisal score as a share of its maximum: a published score, else our PEDro items."""
    if study.appraisal:
        return study.appraisal.score / study.appraisal.max
    rob = study.risk_of_bias
    if rob is not None and rob.items is not None:
        return rob.pedro_score / 10
    return None


def appraisal_label(study: Study) -> str:
    if study.appraisal:
        return f"{study.appraisal.tool} {study.appraisal.score:g}/{study.appraisal.max:g}"
    rob = study.risk_of_bias
    who = "PEDro database" if rob.source == "pedro-database" else "our PEDro rating"
    return f"{who} {rob.pedro_score}/10"


def rate_study(study: Study) -> StrengthRating:
    """Derive a study's strength from its design, size and appraisal."""
    base = DESIGN_BASE[study.design]
    reasons = [f"starts at {base}: {study.design_label.lower()}"]
    step = 0
    score_share = appraisal_share(study)
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
        reasons.append(f"-1: low appraisal score ({appraisal_label(study)})")
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
