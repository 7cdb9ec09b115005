"""The verdict checks, run after rating: no verdict is stronger than the ceiling its evidence
allows, and its reason is one the evidence fits."""

from __future__ import annotations

from build_tools.rating.rules import Ratings
from build_tools.rating.verdict import REASONS, reason_fits
from build_tools.records.model import VERDICTS, KnowledgeBase
from build_tools.records.problems import Problem, Severity, problem_at


def check_verdicts(kb: KnowledgeBase, ratings: Ratings) -> list[Problem]:
    """No verdict is stronger than the ceiling its evidence allows and each reason fits; a verdict
    that cannot be checked because a cited study did not load says so, rather than passing in silence."""
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
            continue
        wrong = reason_fits(claim, ratings.outcomes[claim.id], ceiling)
        if wrong:
            allowed = [r for r, (v, _) in REASONS.items() if v == claim.verdict]
            problems.append(
                problem_at(
                    claim.origin,
                    ("verdict_reason",),
                    wrong,
                    f"reasons for {claim.verdict}: {', '.join(allowed)}",
                )
            )
    return problems
