"""Summary of findings for a claim: effect estimates grouped by outcome, the evidence map,
and who was studied. Pure data; the templates and the plot module present it."""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.rating.rules import STRENGTHS, Ratings
from build_tools.records.model import RATIO_MEASURES, Claim, Effect, KnowledgeBase, Study

# Columns of the evidence map, and which designs fall in each.
EVIDENCE_KINDS = {
    "reviews": ("systematic-review", "narrative-review"),
    "trials": ("rct", "crossover", "non-randomised-controlled", "pre-post"),
    "lab studies": ("cross-sectional",),
}


@dataclass(frozen=True)
class EstimateRow:
    study: Study
    effect: Effect


@dataclass(frozen=True)
class OutcomeGroup:
    """Estimates of one outcome, on one measure, from the studies a claim cites."""

    outcome: str
    measure: str
    unit: str
    rows: tuple[EstimateRow, ...]

    @property
    def participants(self) -> int | None:
        ns = [r.study.population.n for r in self.rows]
        return None if any(n is None for n in ns) else sum(ns)

    @property
    def null_value(self) -> float:
        return 1.0 if self.measure in RATIO_MEASURES else 0.0

    @property
    def plottable(self) -> bool:
        """Two or more studies on a comparable outcome get a forest plot; one gets a table row."""
        return len({r.study.id for r in self.rows}) >= 2


def outcome_groups(claim: Claim, kb: KnowledgeBase) -> list[OutcomeGroup]:
    """Effect estimates from the cited studies, grouped by (outcome, measure, unit)."""
    groups: dict[tuple[str, str, str], list[EstimateRow]] = {}
    for link in claim.evidence:
        study = kb.studies[link.study]
        if link.direction == "related":
            continue
        for effect in study.effects:
            key = (effect.outcome.strip().lower(), effect.measure, effect.unit.strip().lower())
            groups.setdefault(key, []).append(EstimateRow(study, effect))
    return [
        OutcomeGroup(rows[0].effect.outcome, key[1], rows[0].effect.unit, tuple(rows))
        for key, rows in sorted(groups.items())
    ]


def studies_without_estimates(claim: Claim, kb: KnowledgeBase) -> list[Study]:
    """Cited studies that report no effect estimate with a CI (they appear in the evidence table)."""
    return [
        kb.studies[link.study]
        for link in claim.evidence
        if link.direction != "related" and not kb.studies[link.study].effects
    ]


@dataclass(frozen=True)
class MapCell:
    count: int
    best: str  # strongest strength among them, or "" when empty


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
        cells[column] = MapCell(len(studies), STRENGTHS[max(ranks)] if ranks else "")
    return cells


def total_participants(studies: list[Study]) -> tuple[int, int]:
    """(participants across studies that report n, number of studies that do not report it)."""
    known = [s.population.n for s in studies if s.population.n is not None]
    return sum(known), len(studies) - len(known)
