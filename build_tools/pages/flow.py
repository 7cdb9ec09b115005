"""The PRISMA 2020 flow of the screening logs, per topic and overall, and each claim's coverage:
every number counted from the logs and the records, none typed by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from build_tools.records.model import EXCLUSION_REASONS, Candidate, Claim, KnowledgeBase, ScreeningLog
from build_tools.records.screening_model import NOT_RETRIEVED, TRIAL_DESIGNS

# Reasons that leave a report assessed for eligibility (the rest were not retrieved).
ELIGIBILITY_REASONS = tuple(r for r in EXCLUSION_REASONS if r not in NOT_RETRIEVED)


@dataclass(frozen=True)
class Flow:
    """One PRISMA 2020 flow."""

    searches: int
    results: int  # results the searches returned (sum of hits)
    identified: int  # (search, candidate) pairs: each time a search found a candidate
    screened: int  # distinct candidates
    not_retrieved: dict[str, int]  # by reason (NOT_RETRIEVED)
    excluded: dict[str, int]  # by reason (ELIGIBILITY_REASONS), after assessment
    awaiting: int
    included: int
    included_trials: int  # of the included, randomised or crossover trials (by their study records)

    @property
    def duplicates(self) -> int:
        return self.identified - self.screened

    @property
    def not_retrieved_total(self) -> int:
        return sum(self.not_retrieved.values())

    @property
    def assessed(self) -> int:
        return self.screened - self.not_retrieved_total

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    def stages(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for every number in the flow, in the diagram's order."""
        rows = [
            ("searches", "Searches run", self.searches),
            ("results", "Results the searches returned", self.results),
            ("identified", "Records identified (a search finding a candidate)", self.identified),
            ("duplicates", "Duplicates removed (found by more than one search)", self.duplicates),
            ("screened", "Records screened", self.screened),
            ("not-retrieved", "Reports not retrieved", self.not_retrieved_total),
        ]
        rows += [(f"reason-{r}", f"Not retrieved: {r}", n) for r, n in self.not_retrieved.items()]
        rows += [
            ("assessed", "Reports assessed for eligibility", self.assessed),
            ("excluded", "Reports excluded, with reasons", self.excluded_total),
        ]
        rows += [(f"reason-{r}", f"Excluded: {r}", n) for r, n in self.excluded.items()]
        rows += [
            ("awaiting", "Awaiting reading", self.awaiting),
            ("included", "Studies included", self.included),
            ("included-trials", "Of which randomised or crossover trials", self.included_trials),
        ]
        return rows


def distinct_candidates(logs: Iterable[ScreeningLog]) -> dict[str, Candidate]:
    """Candidates by id across logs (the same id in two logs is one study; the first entry stands)."""
    found: dict[str, Candidate] = {}
    for log in sorted(logs, key=lambda g: g.topic):
        for c in log.candidates:
            found.setdefault(c.id, c)
    return found


def count_flow(logs: list[ScreeningLog], kb: KnowledgeBase) -> Flow:
    """The flow of these logs: one topic's, or every log's for the overall flow."""
    searches = {s.id: s for log in logs for s in log.searches}
    pairs = {(sid, c.id) for log in logs for c in log.candidates for sid in c.found_by}
    candidates = distinct_candidates(logs).values()
    reasons = {r: sum(c.decision == "excluded" and c.reason == r for c in candidates) for r in EXCLUSION_REASONS}
    included = [c for c in candidates if c.decision == "included"]
    trials = [c for c in included if c.study in kb.studies and kb.studies[c.study].design in TRIAL_DESIGNS]
    return Flow(
        searches=len(searches),
        results=sum(s.hits for s in searches.values()),
        identified=len(pairs),
        screened=len(candidates),
        not_retrieved={r: reasons[r] for r in NOT_RETRIEVED},
        excluded={r: reasons[r] for r in ELIGIBILITY_REASONS},
        awaiting=sum(c.decision == "awaiting" for c in candidates),
        included=len(included),
        included_trials=len(trials),
    )


@dataclass(frozen=True)
class Coverage:
    """How completely one claim's evidence has been screened, read and extracted."""

    claim: Claim
    topics: tuple[str, ...]  # the logs that list the claim
    included: int  # studies the claim cites
    excluded: int  # candidates excluded in those logs
    awaiting: int  # candidates awaiting reading in those logs
    trials: int  # cited randomised or crossover trials
    with_effects: int  # of them, with effects or arm-level results
    with_appraisal: int  # of them, with an item-level risk-of-bias appraisal

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def effects_share(self) -> float | None:
        return self._share(self.with_effects, self.trials)

    @property
    def appraisal_share(self) -> float | None:
        return self._share(self.with_appraisal, self.trials)

    @property
    def weakness(self) -> tuple:
        """Sort key, weakest first: lowest shares (no trials counts as none), then fewest included."""
        shares = (self.effects_share or 0.0) + (self.appraisal_share or 0.0)
        return (shares, self.included, -self.awaiting, self.claim.title)


def claim_coverage(claim: Claim, kb: KnowledgeBase) -> Coverage:
    """One claim's coverage, from its citations and the logs that list it."""
    logs = [g for g in kb.screening.values() if claim.id in g.claims]
    candidates = distinct_candidates(logs).values()
    cited = [kb.studies[link.study] for link in claim.evidence if link.study in kb.studies]
    trials = [s for s in cited if s.design in TRIAL_DESIGNS]
    return Coverage(
        claim=claim,
        topics=tuple(sorted(g.topic for g in logs)),
        included=len(claim.evidence),
        excluded=sum(c.decision == "excluded" for c in candidates),
        awaiting=sum(c.decision == "awaiting" for c in candidates),
        trials=len(trials),
        with_effects=sum(bool(s.effects or s.arms) for s in trials),
        with_appraisal=sum(s.risk_of_bias is not None and s.risk_of_bias.items is not None for s in trials),
    )


def coverage_table(kb: KnowledgeBase) -> list[Coverage]:
    """Every claim's coverage, weakest first: the next editing targets."""
    return sorted((claim_coverage(c, kb) for c in kb.claims.values()), key=lambda cov: cov.weakness)
