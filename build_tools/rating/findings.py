"""Summary of findings for a claim: effect estimates grouped by outcome (for forest plots),
the evidence map, and who was studied. Pure data; the templates and the plot module present it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from build_tools.rating.effects import MD, SMD, Estimate, from_arms, from_effect, pool, weights
from build_tools.rating.rules import STRENGTHS, Ratings
from build_tools.records.model import Claim, KnowledgeBase, Study

# Columns of the evidence map, and which designs fall in each.
EVIDENCE_KINDS = {
    "reviews": ("systematic-review", "narrative-review"),
    "trials": ("rct", "crossover", "non-randomised-controlled", "pre-post"),
    "lab studies": ("cross-sectional",),
}


@dataclass(frozen=True)
class OutcomeGroup:
    """Comparable estimates of one outcome (same key, measure and unit) from a claim's studies,
    with our random-effects pool of the primary studies among them when there are two or more."""

    key: str
    outcome: str
    measure: str
    unit: str
    higher_is: str
    rows: tuple[Estimate, ...]
    pooled: Estimate | None = None

    @property
    def participants(self) -> int | None:
        ns = [r.study.population.n for r in self.rows if not r.is_pooled]
        return None if any(n is None for n in ns) else sum(ns)

    @property
    def null_value(self) -> float:
        return self.rows[0].null

    @property
    def plottable(self) -> bool:
        """Two or more studies on a comparable outcome get a forest plot; one gets a table row."""
        return len({r.study.id for r in self.rows}) >= 2


def _estimates(study: Study) -> list[Estimate]:
    """A study's reported estimates and, from its arms, mean differences (SMDs are added per
    outcome key below, only where the trials used different scales)."""
    return [from_effect(study, e) for e in study.effects] + [from_arms(study, a, MD) for a in study.arms]


def outcome_groups(claim: Claim, kb: KnowledgeBase) -> list[OutcomeGroup]:
    """Effect estimates from the cited studies (not 'related' ones), grouped by (key, measure, unit)."""
    studies = [kb.studies[link.study] for link in claim.evidence if link.direction != "related"]
    found = [e for s in studies for e in _estimates(s)]
    # Trials that measured one outcome on different scales are compared as Hedges' g instead.
    for key in {e.key for e in found if e.computed}:
        units = {e.unit.strip().lower() for e in found if e.computed and e.key == key}
        if len(units) > 1:
            found = [e for e in found if not (e.computed and e.key == key)]
            found += [from_arms(s, a, SMD) for s in studies for a in s.arms if a.key == key]
    groups: dict[tuple[str, str, str], list[Estimate]] = {}
    for e in found:
        groups.setdefault((e.key, e.measure, e.unit.strip().lower()), []).append(e)
    result = []
    for (key, measure, _), rows in sorted(groups.items()):
        primary = [r for r in rows if not r.is_pooled]
        pooled = None
        if len(primary) >= 2:
            pooled = pool(primary)
            shares = dict(zip((id(r) for r in primary), weights(primary), strict=True))
            rows = [r if r.is_pooled else _weighted(r, shares[id(r)]) for r in rows]
        result.append(OutcomeGroup(key, rows[0].outcome, measure, rows[0].unit, rows[0].higher_is, tuple(rows), pooled))
    return result


def _weighted(e: Estimate, share: float) -> Estimate:
    return replace(e, weight=share)


def studies_without_estimates(claim: Claim, kb: KnowledgeBase) -> list[Study]:
    """Cited studies that give no estimate with a CI (they appear in the evidence table)."""
    return [
        kb.studies[link.study]
        for link in claim.evidence
        if link.direction != "related" and not kb.studies[link.study].effects and not kb.studies[link.study].arms
    ]


@dataclass(frozen=True)
class MapCell:
    count: int
    best: str  # strongest strength among them, or "" when empty
    participants: int = 0  # people in the studies that report their size (a review: the people it pooled)
    unsized: int = 0  # studies that do not report their size


def study_size(study: Study) -> int | None:
    """People in a study; for a review, the people it pooled when shown."""
    inc = study.included_studies
    if inc and inc.participants:
        return inc.participants
    return study.population.n


def evidence_map(claim: Claim, kb: KnowledgeBase, ratings: Ratings) -> dict[str, MapCell]:
    """For one claim: how many studies of each kind it cites, and the best strength of each."""
    cells = {}
    for column, designs in EVIDENCE_KINDS.items():
        studies = [
            kb.studies[link.study]
            for link in claim.evidence
            if link.direction != "related" and kb.studies[link.study].design in designs
        ]
        ranks = [ratings.strengths[s.id].rank for s in studies]
        sizes = [study_size(s) for s in studies]
        cells[column] = MapCell(
            len(studies),
            STRENGTHS[max(ranks)] if ranks else "",
            sum(n for n in sizes if n is not None),
            sum(n is None for n in sizes),
        )
    return cells


def total_participants(studies: list[Study]) -> tuple[int, int]:
    """(participants across studies that report n, number of studies that do not report it)."""
    known = [s.population.n for s in studies if s.population.n is not None]
    return sum(known), len(studies) - len(known)
