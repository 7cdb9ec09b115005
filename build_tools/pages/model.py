"""The site model: everything the templates see, computed once from rated records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from build_tools.pages.changelog import Entry
from build_tools.pages.citations import format_reference_html, to_bibtex
from build_tools.pages.history import corrections, history_by_record
from build_tools.pages.memo import RenderMemo, memoised
from build_tools.rating import rules as rating
from build_tools.rating.effects import Estimate, study_estimates
from build_tools.rating.findings import (
    MapCell,
    OutcomeGroup,
    evidence_map,
    outcome_groups,
    studies_without_estimates,
    total_participants,
)
from build_tools.records.model import DESIGN_LABELS, TOPICS, VERDICTS, Claim, ClaimedBy, KnowledgeBase, Study


@dataclass(frozen=True)
class SiteModel:
    """Everything the templates see, computed once."""

    kb: KnowledgeBase
    ratings: rating.Ratings
    references: dict[str, str]  # study id -> formatted HTML reference
    bibtex: dict[str, str]  # study id -> its BibTeX entry
    cited_by: dict[str, list[tuple[Claim, str]]]  # study id -> [(claim, direction)]
    changes: tuple[Entry, ...] = ()  # the editorial change log, newest first
    site_url: str = ""
    memo: RenderMemo | None = None
    repo_url: str = ""

    @cached_property
    def history(self) -> dict[str, list[Entry]]:
        return history_by_record(list(self.changes))

    def corrections(self) -> list[Entry]:
        return corrections(list(self.changes))

    def findings(self, claim: Claim) -> list[OutcomeGroup]:
        return outcome_groups(claim, self.kb)

    def without_estimates(self, claim: Claim) -> list[Study]:
        return studies_without_estimates(claim, self.kb)

    def evidence_map(self, claim: Claim) -> dict[str, MapCell]:
        return evidence_map(claim, self.kb, self.ratings)

    def tested_directly(self, claim: Claim) -> bool:
        """Whether a study in the claim's population, of its exercise, gave a result for one of its outcomes."""
        return any(link.direct for r in self.ratings.outcomes[claim.id] for link in r.usable)

    @staticmethod
    def estimates(study: Study) -> list[Estimate]:
        return study_estimates(study)

    def participants(self, studies: list[Study]) -> tuple[int, int]:
        return total_participants(studies)

    def page_url(self, kind: str, rid: str) -> str:
        """A record page's absolute address; without a site address, "./" (the page itself, as
        JSON-LD resolves a relative address against the page it is on)."""
        if not self.site_url:
            return "./"
        return f"{self.site_url.rstrip('/')}/kb/{kind}/{rid}/"

    def first_published(self, kind: str, rid: str) -> str:
        """The date a record first appeared, from the change log ('' outside git)."""
        dates = [e.revision.date for e in self.history.get(f"{kind}/{rid}", ())]
        return min(dates, default="")

    def last_changed(self, kind: str, rid: str) -> str:
        """The date of a record's latest change, from the change log ('' outside git)."""
        return max((e.revision.date for e in self.history.get(f"{kind}/{rid}", ())), default="")

    def newest_date(self) -> str:
        """The newest date the site knows: its latest change, or the newest review or reading."""
        dates = [c.last_reviewed for c in self.kb.claims.values()] + [s.read_on for s in self.kb.studies.values()]
        return max(([self.changes[0].revision.date] if self.changes else []) + dates, default="")

    @property
    def claims_by_source(self) -> dict[str, list[Claim]]:
        return {
            sid: sorted(
                (c for c in self.kb.claims.values() if any(s.source == sid for s in c.claimed_by)),
                key=lambda c: c.title,
            )
            for sid in self.kb.sources
        }

    @property
    def miscitations_by_source(self) -> dict[str, list[Claim]]:
        return {
            sid: [c for c in self.kb.claims.values() for s in c.claimed_by if s.source == sid and s.miscitation]
            for sid in self.kb.sources
        }

    def source_notes(self, source_id: str) -> list[tuple[Claim, ClaimedBy]]:
        """(claim, claimed_by entry) where this article mis-cites a study or gives an unconfirmed result."""
        return [
            (c, said)
            for c in sorted(self.kb.claims.values(), key=lambda c: c.title)
            for said in c.claimed_by
            if said.source == source_id and (said.miscitation or said.not_confirmed)
        ]

    def sources_sorted(self) -> list:
        return sorted(self.kb.sources.values(), key=lambda s: s.headline)

    @staticmethod
    def verdict_counts(claims: list[Claim]) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}

    def claims_by_verdict(self) -> dict[str, list[Claim]]:
        return {
            v: sorted((c for c in self.kb.claims.values() if c.verdict == v), key=lambda c: c.title) for v in VERDICTS
        }

    def claims_by_topic(self) -> dict[str, list[Claim]]:
        groups = {
            t: sorted((c for c in self.kb.claims.values() if c.topic == t), key=lambda c: c.title) for t in TOPICS
        }
        return {t: cs for t, cs in groups.items() if cs}

    def studies_by_design(self) -> dict[str, list[Study]]:
        groups = {
            d: sorted((s for s in self.kb.studies.values() if s.design == d), key=lambda s: (s.short_citation, s.id))
            for d in DESIGN_LABELS
        }
        return {d: ss for d, ss in groups.items() if ss}


def build_model(
    kb: KnowledgeBase,
    ratings: rating.Ratings,
    changes: list[Entry] | None = None,
    site_url: str = "",
    memo: RenderMemo | None = None,
    repo_url: str = "",
) -> SiteModel:
    """Format references once and compute back-links."""
    if memo is not None:
        memo.start()
    cited_by: dict[str, list[tuple[Claim, str]]] = {sid: [] for sid in kb.studies}
    for claim in sorted(kb.claims.values(), key=lambda c: c.title):
        for link in claim.evidence:
            cited_by[link.study].append((claim, link.direction))
    references = {
        sid: memoised(memo, ("ref", s.origin.digest), lambda s=s: format_reference_html(s))
        for sid, s in kb.studies.items()
    }
    bibtex = {
        sid: memoised(memo, ("bib", s.origin.digest), lambda s=s: to_bibtex([s])) for sid, s in kb.studies.items()
    }
    return SiteModel(kb, ratings, references, bibtex, cited_by, tuple(changes or ()), site_url, memo, repo_url)
