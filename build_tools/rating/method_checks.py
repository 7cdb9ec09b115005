"""GRADE judgements checked against the evidence they judge: risk of bias agrees with the
trials' appraisals, nothing is counted twice, conflicting trials get an inconsistency
judgement, small trials with large effects are judged for small-study effects, a body too
small for GRADE's optimal information size is imprecise, and upgrades go only where GRADE
allows them."""

from __future__ import annotations

from build_tools.rating.grade import DOWNGRADES, STEPS, UPGRADES, OutcomeRating
from build_tools.rating.rules import Ratings
from build_tools.rating.strength import is_controlled
from build_tools.records.model import Claim, KnowledgeBase, Study
from build_tools.records.problems import Problem, problem_at

OPTIMAL_INFORMATION_SIZE = 400  # GRADE's rule of thumb for a continuous outcome
SMALL_TRIAL = 100  # a trial with fewer participants than this is small (small-study effects)
LARGE_SMD = 0.8


def _n(study: Study) -> int | None:
    inc = study.included_studies
    if study.design == "systematic-review" and inc and inc.participants and inc.count:
        return inc.participants // inc.count  # average trial size in a review
    return study.population.n


def _judged(rating: OutcomeRating, domain: str) -> int:
    grade = rating.outcome.grade or {}
    return STEPS[grade[domain].judgement] if domain in grade else 0


def check_outcome(
    claim: Claim, index: int, rating: OutcomeRating, kb: KnowledgeBase, ratings: Ratings
) -> list[Problem]:
    """Every rule for one outcome that has results."""
    if rating.certainty is None:
        return []
    field = ("outcomes", index, "grade")
    at = lambda domain, message, hint="": problem_at(claim.origin, (*field, domain, "judgement"), message, hint)  # noqa: E731
    problems = []
    usable = [(link, kb.studies[link.study]) for link in rating.usable if link.study in kb.studies]
    studies = [s for _, s in usable]
    # Risk of bias: at least half the participants from low-risk trials, or the domain is serious.
    risks = {s.id: ratings.risks.get(s.id) for s in studies}
    appraised = [s for s in studies if risks[s.id] is not None]
    weight = {s.id: _n(s) or 1 for s in appraised}
    low = sum(weight[s.id] for s in appraised if risks[s.id] == "low")
    total = sum(weight.values())
    rob = _judged(rating, "risk-of-bias")
    concerns = [s for s in appraised if risks[s.id] != "low"]
    if appraised and low * 2 < total and rob == 0:
        named = ", ".join(f"{s.id} ({risks[s.id]})" for s in concerns)
        problems.append(
            at(
                "risk-of-bias",
                f"risk of bias is not serious, but most participants are in trials that are not at low risk: {named}",
                "judge it serious (or very serious), saying which trials and which items",
            )
        )
    unblinded = rating.outcome.self_reported and any(
        s.risk_of_bias and s.risk_of_bias.items and s.risk_of_bias.items["blind_participants"] != "yes"
        for s in appraised
    )
    if rob and appraised and not concerns and not unblinded:
        problems.append(
            at(
                "risk-of-bias",
                "risk of bias is judged serious, but every appraised trial is at low risk",
                "judge it not serious, or mark the outcome self_reported if unblinded participants rate it",
            )
        )
    if rob and not appraised and studies and not any(is_controlled(s) for s in studies):
        problems.append(
            at(
                "risk-of-bias",
                "these studies are not randomised, which already starts the certainty at low: a risk-of-bias "
                "downgrade for that would count it twice",
                "judge it not serious, or give the studies an appraisal (risk_of_bias) that shows another bias",
            )
        )
    # Conflicting results in the claim's population need an inconsistency judgement.
    directions = {
        d for link, d in rating.links if link.applies_to == "same" and d in ("supports", "contradicts", "no-effect")
    }
    if "supports" in directions and directions & {"contradicts", "no-effect"} and _judged(rating, "inconsistency") == 0:
        problems.append(
            at(
                "inconsistency",
                "studies in the claim's population point in opposite directions, but inconsistency is not serious",
                "judge inconsistency serious, or explain the difference by coding the studies' populations",
            )
        )
    # Indirect evidence only: indirectness cannot be 'not serious'.
    if usable and all(not link.direct for link, _ in usable) and _judged(rating, "indirectness") == 0:
        problems.append(
            at(
                "indirectness",
                "every study of this outcome was done in other people or with another exercise",
                "judge indirectness serious (or very serious)",
            )
        )
    # Imprecision: fewer participants than GRADE's optimal information size.
    if (rating.participants is None or rating.participants < OPTIMAL_INFORMATION_SIZE) and _judged(
        rating, "imprecision"
    ) == 0:
        counted = "an unknown number of" if rating.participants is None else str(rating.participants)
        problems.append(
            at(
                "imprecision",
                f"{counted} participants is below GRADE's optimal information size ({OPTIMAL_INFORMATION_SIZE})",
                "judge imprecision serious",
            )
        )
    # Small-study effects: all trials small and the effect large.
    sizes = [_n(s) for s in studies]
    large = (
        rating.estimate is not None
        and rating.estimate.measure == "standardised mean difference"
        and abs(rating.estimate.value) >= LARGE_SMD
    )
    if (
        large
        and sizes
        and all(n is not None and n < SMALL_TRIAL for n in sizes)
        and _judged(rating, "publication-bias") == 0
    ):
        problems.append(
            at(
                "publication-bias",
                f"every study is small (under {SMALL_TRIAL} people) and the effect is large "
                f"(SMD {rating.estimate.value:g}): small-study effects are likely",
                "judge publication bias suspected",
            )
        )
    # Upgrades: non-randomised evidence with no serious concern only.
    grade = rating.outcome.grade or {}
    for upgrade in UPGRADES:
        if upgrade not in grade:
            continue
        lowered = [d for d in DOWNGRADES if _judged(rating, d)]
        if rating.start == "high":
            problems.append(
                at(
                    upgrade,
                    f"{upgrade} raises non-randomised evidence; this outcome already starts at high",
                    "remove it",
                )
            )
        elif lowered:
            problems.append(
                at(
                    upgrade,
                    f"{upgrade} is allowed only without serious concerns, but {', '.join(lowered)} lowers it",
                    "remove the upgrade, or reconsider the downgrade",
                )
            )
    return problems


def check_method(kb: KnowledgeBase, ratings: Ratings) -> list[Problem]:
    """Every GRADE rule, on every outcome of every claim whose studies all loaded."""
    problems = []
    for claim in kb.claims.values():
        if any(link.study not in kb.studies for link in claim.evidence):
            continue  # its unknown-study errors say what to fix first
        for i, rating in enumerate(ratings.outcomes[claim.id]):
            problems += check_outcome(claim, i, rating, kb, ratings)
    return problems
