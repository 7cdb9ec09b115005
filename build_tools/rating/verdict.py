"""The verdict ceiling (the strongest verdict the cited evidence allows) and the published
list of verdict reasons, each with the evidence it needs."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.rating.grade import CERTAINTIES, TESTED, OutcomeRating
from build_tools.rating.strength import STRENGTHS, StrengthRating, is_controlled
from build_tools.rating.wording import small
from build_tools.records.model import Claim, Study

SUPPORTED_MIN_CERTAINTY = "moderate"
POINTING = ("supports", "mixed")  # a link that points the claim's way
AGAINST = ("contradicts", "no-effect")

# reason -> (the verdict it goes with, its label as published and shown).
REASONS = {
    "shown-in-trials": ("supported", "shown in trials, with at least moderate certainty"),
    "low-certainty": ("plausible", "early or low-certainty evidence"),
    "other-groups": ("plausible", "shown in other groups or settings"),
    "untested": ("overstated", "untested"),
    "no-effect": ("overstated", "tested, no effect found"),
    "contradicted": ("overstated", "contradicted"),
    "beyond-findings": ("overstated", "goes beyond what was found"),
}
# What each reason needs of the evidence, as published.
REASON_RULES = {
    "shown-in-trials": "a ceiling of supported",
    "low-certainty": "a study in the claim's population, of the exercise it names, that points the claim's way",
    "other-groups": "a study in other people, or of another exercise, that points the claim's way",
    "untested": "no study in the claim's population, of the exercise it names, with a result for a critical outcome",
    "no-effect": "studies in the claim's population, of the exercise it names, with results for a critical outcome, "
    "none of them pointing the claim's way",
    "contradicted": "a study in the claim's population, of the exercise it names, that points against it",
    "beyond-findings": "a cited study that points the claim's way (the claim's wording goes further than it)",
}


@dataclass(frozen=True)
class Ceiling:
    verdict: str
    reason: str


def reason_label(claim: Claim) -> str:
    """'Overstated: untested' style."""
    return f"{claim.verdict.capitalize()}: {REASONS[claim.verdict_reason][1]}"


def verdict_ceiling(
    claim: Claim,
    studies: dict[str, Study],
    strengths: dict[str, StrengthRating],
    certainty: str | None,
    outcomes: tuple[OutcomeRating, ...],
) -> Ceiling:
    """The strongest verdict the cited evidence allows (see the methodology page)."""
    links = [(link, studies[link.study]) for link in claim.evidence if link.study in studies]
    against = [strengths[s.id].rank for link, s in links if link.direction in AGAINST and link.direct]
    best_against = max(against, default=-1)
    pointing = [strengths[s.id].rank for link, s in links if link.direction in POINTING]
    qualifying = [
        strengths[s.id].rank
        for link, s in links
        if link.direction == "supports"
        and link.direct
        and is_controlled(s)
        and strengths[s.id].rank >= STRENGTHS.index("moderate")
    ]
    best_for = max(qualifying, default=-1)
    critical = [r for r in outcomes if r.outcome.importance == "critical"]
    untested_critical = [r.outcome.name for r in critical if r.certainty is None]
    trivial = [
        r.outcome.name for r in critical if r.estimate is not None and (small(r.size) or not r.estimate.excludes_null)
    ]
    certain_enough = certainty is not None and CERTAINTIES.index(certainty) >= CERTAINTIES.index(
        SUPPORTED_MIN_CERTAINTY
    )
    if best_for >= 0 and best_against < best_for and certain_enough and not untested_critical and not trivial:
        return Ceiling("supported", f"a {STRENGTHS[best_for]} controlled study in the claim's population supports it")
    if not pointing:
        return Ceiling("overstated", "no cited study points the claim's way")
    if best_against > max(pointing):
        return Ceiling("overstated", f"{STRENGTHS[best_against]} evidence in the claim's population points against it")
    if best_for >= 0 and best_against >= best_for:
        why = "evidence against it in the claim's population is as strong as the best evidence for it"
    elif best_for >= 0 and untested_critical:
        why = f"no study gave a result for {', '.join(untested_critical)}, which the claim is also about"
    elif best_for >= 0 and trivial:
        why = f"the effect on {', '.join(trivial)} is small, or its confidence interval includes no effect"
    elif best_for >= 0:
        why = (
            f"controlled evidence supports it, but the certainty of the evidence is {certainty or 'not rated'}; "
            f"supported needs at least {SUPPORTED_MIN_CERTAINTY}"
        )
    else:
        why = (
            "supported needs a randomised trial (or a review of trials) of at least moderate strength that "
            "supports the claim in the people it is about and with the exercise it names; "
            "none of the cited studies is one"
        )
    return Ceiling("plausible", why)


def reason_fits(claim: Claim, outcomes: tuple[OutcomeRating, ...], ceiling: Ceiling) -> str | None:
    """None when the verdict reason fits the evidence; otherwise what is wrong, in words."""
    verdict, label = REASONS[claim.verdict_reason]
    if verdict != claim.verdict:
        allowed = [r for r, (v, _) in REASONS.items() if v == claim.verdict]
        return (
            f"'{claim.verdict_reason}' is a reason for {verdict}, not {claim.verdict} "
            f"(use one of: {', '.join(allowed)})"
        )
    critical = {r.outcome.id for r in outcomes if r.outcome.importance == "critical"}
    direct_results = [
        direction
        for link in claim.evidence
        if link.direct
        for outcome_id, direction in link.outcomes
        if outcome_id in critical and direction in TESTED
    ]
    direct_pointing = any(link.direct and link.direction in POINTING for link in claim.evidence)
    indirect_pointing = any(not link.direct and link.direction in POINTING for link in claim.evidence)
    contradicted = any(
        link.direct and "contradicts" in (link.direction, *dict(link.outcomes).values()) for link in claim.evidence
    )
    needs = {
        "shown-in-trials": ceiling.verdict == "supported",
        "low-certainty": direct_pointing,
        "other-groups": indirect_pointing,
        "untested": not direct_results,
        "no-effect": bool(direct_results) and not any(d in POINTING for d in direct_results),
        "contradicted": contradicted,
        "beyond-findings": direct_pointing or indirect_pointing,
    }
    if needs[claim.verdict_reason]:
        return None
    return f"'{claim.verdict}: {label}' needs {REASON_RULES[claim.verdict_reason]}"
