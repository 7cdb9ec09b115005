"""Typed records, built only from documents that passed their JSON Schema; this module gathers
them (studies, claims and screening logs have modules of their own) with the source record and the
knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.records.base import (
    DESIGN_LABELS,
    KINDS,
    RATIO_MEASURES,
    RESERVED_IDS,
    TOPICS,
    VERDICTS,
    Located,
    trimmed,
)
from build_tools.records.claim_model import (
    APPEARS,
    STANCES,
    Claim,
    ClaimedBy,
    ClaimOutcome,
    EvidenceLink,
    Judgement,
    Mid,
    Pico,
    Settle,
    claim_from_dict,
)
from build_tools.records.screening_model import (
    DECISIONS,
    EXCLUSION_REASONS,
    WHERE,
    Candidate,
    LivingTerms,
    ScreeningLog,
    Search,
    living_terms_from_dict,
    screening_from_dict,
)
from build_tools.records.study_model import (
    PEDRO_ITEMS,
    Appraisal,
    Arms,
    Effect,
    Group,
    IdentifierPage,
    IncludedStudies,
    Outcome,
    Pooled,
    Population,
    RiskOfBias,
    Study,
    study_from_dict,
)

__all__ = [
    "APPEARS", "BUILDERS", "DECISIONS", "DESIGN_LABELS", "EXCLUSION_REASONS", "KINDS", "PEDRO_ITEMS",
    "RATIO_MEASURES", "RESERVED_IDS", "STANCES", "TOPICS", "VERDICTS", "WHERE",
    "Appraisal", "Arms", "Candidate", "Claim", "ClaimOutcome", "ClaimedBy", "Effect", "EvidenceLink", "Group",
    "IdentifierPage", "IncludedStudies", "Judgement", "KnowledgeBase", "LivingTerms", "Located", "Mid", "Outcome",
    "Pico", "Pooled", "Population", "RiskOfBias", "ScreeningLog", "Search", "Settle", "Source", "Statement", "Study",
    "claim_from_dict", "living_terms_from_dict", "screening_from_dict", "source_from_dict", "study_from_dict",
]  # fmt: skip


@dataclass(frozen=True)
class Statement:
    """One claim sentence of an article, in our words, and the claim record that rates it."""

    says: str
    claim: str = ""
    not_rated: str = ""  # why no claim record rates it, instead of claim
    stance: str = "makes"


@dataclass(frozen=True)
class Source:
    id: str
    headline: str
    outlet: str
    byline: str
    summary: str
    origin: Located = field(repr=False, compare=False)
    statements: tuple[Statement, ...] = ()
    url: str = ""
    published: str = ""
    seed_file: str = ""
    page_status: str = ""  # found | not-found: a stored copy of the article's own page
    page_url: str = ""
    page_read_on: str = ""


@dataclass
class KnowledgeBase:
    """Every valid record, by id."""

    sources: dict[str, Source] = field(default_factory=dict)
    studies: dict[str, Study] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    screening: dict[str, ScreeningLog] = field(default_factory=dict)  # topic -> its screening log
    living_terms: LivingTerms | None = None  # screening/living-terms.yaml, when it exists and is valid
    # File stems of records that exist but failed their schema: references to them are
    # not "unknown", and their own problems already fail the check.
    invalid: set[str] = field(default_factory=set)
    # Every file in a record folder that did not become a record ("kind/stem" -> path): the
    # invalid ones and files with the wrong ending (x.yml), so a reference to one can say
    # "fix that file first" and checks that need it can say they were skipped.
    unloaded: dict[str, Path] = field(default_factory=dict)

    def broken_file(self, kind: str, ref: str) -> str | None:
        """The file `ref` names when it exists but did not load as that record (it has errors,
        the wrong ending, or another id inside it), as shown in messages; else None."""
        path = self.unloaded.get(f"{kind}/{ref}")
        if path is not None:
            return f"{kind}/{path.name}"
        misnamed = (r for r in getattr(self, kind).values() if r.origin.path.stem == ref and r.id != ref)
        record = next(misnamed, None)
        return record.origin.shown if record is not None else None


def source_from_dict(data: dict, origin: Located) -> Source:
    """Build a Source from schema-valid data."""
    data = trimmed(data)
    data["statements"] = tuple(Statement(**st) for st in data.get("statements", ()))
    return Source(origin=origin, **data)


BUILDERS = {
    "sources": source_from_dict,
    "studies": study_from_dict,
    "claims": claim_from_dict,
    "screening": screening_from_dict,
    "living-terms": living_terms_from_dict,
}
