"""Rating rules, in one place: study strength, trials' risk of bias, GRADE certainty per
outcome, the verdict ceiling and the verdict reasons.

The methodology page is rendered from the constants these modules publish, and tests break
each rule, so the published rules and the code that applies them cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.rating.appraisal import HIGH_RISK_NO_ITEMS, KEY_ITEMS, RISK_RULES, trial_risk
from build_tools.rating.grade import (
    CERTAINTIES,
    DOWNGRADES,
    NO_STUDIES,
    UPGRADES,
    OutcomeRating,
    claim_certainty,
    rate_outcome,
)
from build_tools.rating.strength import (
    CONTROLLED_DESIGNS,
    DESIGN_BASE,
    STRENGTH_RULES,
    STRENGTHS,
    StrengthRating,
    is_controlled,
    rate_study,
)
from build_tools.rating.verdict import REASON_RULES, REASONS, SUPPORTED_MIN_CERTAINTY, Ceiling, verdict_ceiling
from build_tools.records.model import KnowledgeBase

# The rules' version: each claim page shows the version it was rated under, and the
# methodology page keeps every earlier version published.
RULES_VERSION = "2"
RULES_DATE = "2026-12-01"
PAST_VERSIONS = (("1", "2026-11-22", "methodology-archive/v1.md"),)

__all__ = [
    "CERTAINTIES",
    "CONTROLLED_DESIGNS",
    "DESIGN_BASE",
    "DOWNGRADES",
    "HIGH_RISK_NO_ITEMS",
    "KEY_ITEMS",
    "NO_STUDIES",
    "REASONS",
    "REASON_RULES",
    "RISK_RULES",
    "STRENGTHS",
    "STRENGTH_RULES",
    "SUPPORTED_MIN_CERTAINTY",
    "UPGRADES",
    "Ceiling",
    "OutcomeRating",
    "Ratings",
    "StrengthRating",
    "is_controlled",
    "rate",
    "rate_study",
    "trial_risk",
]


@dataclass(frozen=True)
class Ratings:
    """Everything computed from the records; never typed by hand."""

    strengths: dict[str, StrengthRating]
    risks: dict[str, str | None]  # study id -> low / some-concerns / high (None: no appraisal)
    outcomes: dict[str, tuple[OutcomeRating, ...]]  # claim id -> one rating per outcome, in record order
    certainties: dict[str, str]  # claim id -> certainty of its critical outcomes, or "no studies"
    ceilings: dict[str, Ceiling]

    def outcome(self, claim_id: str, outcome_id: str) -> OutcomeRating:
        return next(r for r in self.outcomes[claim_id] if r.outcome.id == outcome_id)


def rate(kb: KnowledgeBase) -> Ratings:
    """Rate every study and claim in the knowledge base."""
    strengths = {sid: rate_study(s) for sid, s in kb.studies.items()}
    risks = {sid: trial_risk(s) for sid, s in kb.studies.items()}
    outcomes = {cid: tuple(rate_outcome(c, o, kb.studies) for o in c.outcomes) for cid, c in kb.claims.items()}
    levels = {cid: claim_certainty(list(outcomes[cid])) for cid in kb.claims}
    ceilings = {
        cid: verdict_ceiling(c, kb.studies, strengths, levels[cid], outcomes[cid]) for cid, c in kb.claims.items()
    }
    certainties = {cid: level or NO_STUDIES for cid, level in levels.items()}
    return Ratings(strengths, risks, outcomes, certainties, ceilings)
