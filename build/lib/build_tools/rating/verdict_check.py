"""The check that no verdict is stronger than the ceiling its evidence allows (run after rating)."""

from __future__ import annotations

from build_tools.rating.rules import Ratings
from build_tools.records.model import VERDICTS, KnowledgeBase
from build_tools.records.problems import Problem, problem_at


def check_verdicts(kb: KnowledgeBase, ratings: Ratings) -> list[Problem]:
    """No verdict is stronger than the ceiling its evidence allows."""
    problems = []
    for claim in kb.claims.values():
        if any(link.study not in kb.studies for link in claim.evidence):
            continue  # its unknown-study errors say what to fix first
        ceiling = ratings.ceilings[claim.id]
        if VERDICTS.index(claim.verdict) < VERDICTS.index(ceiling.verdict):
            problems.append(
                problem_at(
                    claim.origin,
                    ("verdict",),
                    f"verdict '{claim.verdict}' is stronger than the evidence allows ('{ceiling.verdict}')",
                    f"{ceiling.reason}; cite such evidence or lower the verdict",
                )
            )
    return problems
