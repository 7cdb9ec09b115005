"""GRADE certainty, per outcome: the start level from the studies that measured the outcome,
the five downgrade domains and the three upgrades as judged on the claim, participants counted
once, the effect to show, and the plain-language statement.

A claim's certainty follows GRADE's rule: the lowest certainty among its critical outcomes.
An outcome no cited study measured has no certainty: it is "no studies", everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.rating.effects import MD, Estimate, pool, study_estimates
from build_tools.rating.strength import is_controlled
from build_tools.rating.wording import effect_size, statement
from build_tools.records.model import Claim, ClaimOutcome, EvidenceLink, Study

CERTAINTIES = ("very low", "low", "moderate", "high")  # lowest first
DOWNGRADES = ("risk-of-bias", "inconsistency", "indirectness", "imprecision", "publication-bias")
UPGRADES = ("large-effect", "dose-response", "plausible-confounding")
STEPS = {
    "not-serious": 0,
    "serious": 1,
    "very-serious": 2,
    "not-suspected": 0,
    "suspected": 1,
    "strongly-suspected": 2,
    "large": 1,
    "very-large": 2,
    "present": 1,
}
TESTED = ("supports", "contradicts", "no-effect", "mixed")  # a usable result for the outcome
NO_STUDIES = "no studies"


@dataclass(frozen=True)
class OutcomeRating:
    outcome: ClaimOutcome
    links: tuple[tuple[EvidenceLink, str], ...]  # every link that measured the outcome, with its direction
    start: str | None
    certainty: str | None  # None: no study gave a usable result
    lowered: int
    raised: int
    participants: int | None  # counted once (None: not every study reported its size)
    studies_counted: int
    not_added: tuple[str, ...]  # studies whose participants may already be inside a cited review
    estimate: Estimate | None
    size: str | None
    statement: str

    @property
    def usable(self) -> tuple[EvidenceLink, ...]:
        return tuple(link for link, direction in self.links if direction in TESTED)

    @property
    def label(self) -> str:
        return self.certainty or NO_STUDIES

    @property
    def signature(self) -> tuple:
        """What pages and exports show of this rating, as a hashable key for the render memo."""
        e = self.estimate
        shown = None if e is None else (e.measure, e.value, e.ci_low, e.ci_high, e.unit, e.pooled_studies, e.i2)
        return (self.outcome.id, self.certainty, self.statement, self.participants, self.studies_counted, shown)


def measuring_links(claim: Claim, outcome_id: str) -> tuple[tuple[EvidenceLink, str], ...]:
    return tuple(
        (link, link.direction_for(outcome_id)) for link in claim.evidence if link.direction_for(outcome_id) is not None
    )


def count_participants(studies: list[Study]) -> tuple[int | None, int, tuple[str, ...]]:
    """(participants, studies, ids not added): the most recent review counts (it is the likeliest to
    hold the others' trials), with the trials published after it or not on its list of included
    studies; older reviews and trials that may be inside it are not added again."""
    reviews = [s for s in studies if s.design == "systematic-review"]
    primary = [s for s in studies if s.design != "systematic-review"]
    if not reviews:
        ns = [s.population.n for s in primary]
        return (None if None in ns else sum(ns)), len(primary), ()

    def size(review: Study) -> int:
        inc = review.included_studies
        return (inc.participants if inc and inc.participants else review.population.n) or 0

    anchor = max(reviews, key=lambda r: (r.year, size(r)))
    inside = [s for s in primary if (s.id in anchor.includes if anchor.includes else s.year <= anchor.year)]
    added = [s for s in primary if s not in inside]
    base = size(anchor) or None
    ns = [s.population.n for s in added]
    total = None if base is None or None in ns else base + sum(ns)
    count = (anchor.included_studies.count if anchor.included_studies else 1) + len(added)
    skipped = tuple(s.id for s in inside) + tuple(r.id for r in reviews if r is not anchor)
    return total, count, skipped


def best_estimate(outcome: ClaimOutcome, studies: list[Study]) -> Estimate | None:
    """The effect to show: a cited review's pooled estimate, else our pool of two or more
    comparable trials, else the largest trial's estimate; natural units before SMDs."""
    found = [e for s in studies for e in study_estimates(s) if e.key in outcome.effect_keys]
    if not found:
        return None
    pooled = [e for e in found if e.is_pooled]
    if pooled:
        return max(pooled, key=lambda e: (e.pooled_participants or 0, e.pooled_studies or 0, e.measure == MD))
    groups: dict[tuple[str, str, str], dict[str, Estimate]] = {}
    for e in found:
        groups.setdefault((e.key, e.measure, e.unit.strip().lower()), {}).setdefault(e.study.id, e)
    best = max(groups.values(), key=lambda g: (len(g), next(iter(g.values())).measure == MD))
    if len(best) >= 2:
        return pool(list(best.values()))
    return max(found, key=lambda e: (e.study.population.n or 0, e.measure == MD))


def rate_outcome(claim: Claim, outcome: ClaimOutcome, studies: dict[str, Study]) -> OutcomeRating:
    links = measuring_links(claim, outcome.id)
    usable = [studies[link.study] for link, direction in links if direction in TESTED and link.study in studies]
    measured = [studies[link.study] for link, _ in links if link.study in studies]
    participants, counted, skipped = count_participants(measured)
    estimate = best_estimate(outcome, usable)
    size = effect_size(estimate, outcome) if estimate else None
    if not usable:
        text = statement(claim.pico.intervention, outcome, None, None, None, len(measured))
        return OutcomeRating(outcome, links, None, None, 0, 0, participants, counted, skipped, None, None, text)
    start = "high" if any(is_controlled(s) for s in usable) else "low"
    grade = outcome.grade or {}
    lowered = sum(STEPS[grade[d].judgement] for d in DOWNGRADES if d in grade)
    raised = sum(STEPS[grade[u].judgement] for u in UPGRADES if u in grade)
    index = max(0, min(len(CERTAINTIES) - 1, CERTAINTIES.index(start) - lowered + raised))
    certainty = CERTAINTIES[index]
    text = statement(claim.pico.intervention, outcome, certainty, estimate, size, len(usable))
    return OutcomeRating(
        outcome, links, start, certainty, lowered, raised, participants, counted, skipped, estimate, size, text
    )


def claim_certainty(ratings: list[OutcomeRating]) -> str | None:
    """GRADE's rule: the lowest certainty among the critical outcomes that have one."""
    levels = [r.certainty for r in ratings if r.outcome.importance == "critical" and r.certainty]
    return min(levels, key=CERTAINTIES.index) if levels else None
