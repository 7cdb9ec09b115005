"""The check that no verdict is stronger than the ceiling its evidence allows (run after rating)."""

from __future__ import annotations

from build_tools.rating.rules import Ratings
from build_tools.records.model import VERDICTS, KnowledgeBase
from build_tools.records.problems import Problem, Severity, problem_at


def check_verdicts(kb: KnowledgeBase, ratings: Ratings) -> list[Problem]:
    """No verdict is stronger than the ceiling its evidence allows; a verdict that cannot be
    checked because a cited study did not load says so, rather than passing in silence."""
    problems = []
    for claim in kb.claims.values():
        missing = [link.study for link in claim.evidence if link.study not in kb.studies]
        if missing:
            broken = [f for f in (kb.broken_file("studies", sid) for sid in missing) if f]
            if broken:
                problems.append(
                    problem_at(
                        claim.origin,
                        ("verdict",),
                        f"not checked against the evidence: {', '.join(broken)} has errors",
                        "fix that study first; the verdict is checked once it loads",
                        severity=Severity.WARNING,
                    )
                )
            continue  # an unknown study's error says what to fix first
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
