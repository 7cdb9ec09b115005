"""Typed records. Built only from documents that passed their JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.records.yaml_source import Document

KINDS = ("sources", "studies", "claims")
# Ids a record may not have: the build already writes a file of that name where the record's
# own page or downloads go (claims/index.md, downloads/knowledge-base.json, ...). `summary`
# is SUMMARY.md on a file system that ignores case. A test checks this against what the build writes.
RESERVED_IDS = {
    "claims": frozenset({"index", "summary"}),
    "studies": frozenset({"index", "summary", "bibliography", "knowledge-base"}),
    "sources": frozenset({"index", "summary"}),
}
# Effect measures that are ratios: 1 is no difference, and only a positive number is one.
RATIO_MEASURES = ("risk ratio", "odds ratio")
VERDICTS = ("supported", "plausible", "overstated")  # strongest first
TOPICS = {
    "knee": "Knees",
    "muscles": "Muscles",
    "balance": "Balance",
    "gait": "Walking and gait",
    "cardio": "Heart, lungs and energy",
    "back": "Back",
    "brain": "Brain",
    "mental-health": "Mental health",
    "performance": "Sport performance",
    "safety": "Safety",
}
DESIGN_LABELS = {
    "systematic-review": "Systematic review / meta-analysis",
    "rct": "Randomised controlled trial",
    "crossover": "Randomised crossover study",
    "non-randomised-controlled": "Non-randomised controlled trial",
    "pre-post": "Pre-post study / case series",
    "cross-sectional": "Cross-sectional or lab study",
    "narrative-review": "Narrative review",
}


@dataclass(frozen=True)
class Located:
    """Where a record came from, so every later check can point at a line."""

    path: Path
    shown: str  # path as printed in messages
    doc: Document
    digest: str = ""  # content key of the file (bytes, path and code version)

    def where(self, *field_path: str | int, key: bool = False) -> tuple[int, int]:
        return self.doc.where(tuple(field_path), key=key)


@dataclass(frozen=True)
class Population:
    description: str
    condition: str
    n: int | None = None
    age: str = ""
    setting: str = ""


@dataclass(frozen=True)
class IncludedStudies:
    count: int
    rcts: int | None = None
    participants: int | None = None


@dataclass(frozen=True)
class Outcome:
    measure: str
    finding: str


@dataclass(frozen=True)
class Effect:
    outcome: str
    comparison: str
    measure: str
    value: float
    ci_low: float
    ci_high: float
    unit: str


@dataclass(frozen=True)
class Appraisal:
    tool: str
    score: float
    max: float
    basis: str


@dataclass(frozen=True)
class Study:
    id: str
    title: str
    authors: tuple[str, ...]
    year: int
    url: str
    read_on: str
    design: str
    population: Population
    intervention: str
    outcomes: tuple[Outcome, ...]
    limitations: tuple[str, ...]
    not_measured: tuple[str, ...]
    origin: Located = field(repr=False, compare=False)
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    comparator: str = ""
    duration: str = ""
    included_studies: IncludedStudies | None = None
    effects: tuple[Effect, ...] = ()
    appraisal: Appraisal | None = None
    missing_fields: str = ""

    @property
    def design_label(self) -> str:
        return DESIGN_LABELS[self.design]

    @property
    def short_citation(self) -> str:
        """'Alghadir et al. 2019' style label."""
        family = self.authors[0].split(",")[0]
        if len(self.authors) == 1:
            return f"{family} {self.year}"
        if len(self.authors) == 2 and self.authors[1] != "others":
            return f"{family} and {self.authors[1].split(',')[0]} {self.year}"
        return f"{family} et al. {self.year}"


@dataclass(frozen=True)
class ClaimedBy:
    source: str
    said: str
    credits: tuple[str, ...] = ()
    miscitation: str = ""


@dataclass(frozen=True)
class EvidenceLink:
    study: str
    direction: str
    applies_to: str
    note: str


@dataclass(frozen=True)
class Downgrade:
    domain: str
    severity: str
    reason: str


@dataclass(frozen=True)
class Claim:
    id: str
    title: str
    claim: str
    topic: str
    claimed_by: tuple[ClaimedBy, ...]
    evidence: tuple[EvidenceLink, ...]
    verdict: str
    bottom_line: str
    what_is_true: str
    what_is_overstated: str
    population_caveat: str
    last_reviewed: str
    origin: Located = field(repr=False, compare=False)
    downgrades: tuple[Downgrade, ...] = ()

    @property
    def topic_label(self) -> str:
        return TOPICS[self.topic]


@dataclass(frozen=True)
class Source:
    id: str
    headline: str
    outlet: str
    byline: str
    summary: str
    origin: Located = field(repr=False, compare=False)
    seed_file: str = ""


@dataclass
class KnowledgeBase:
    """Every valid record, by id."""

    sources: dict[str, Source] = field(default_factory=dict)
    studies: dict[str, Study] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    # File stems of records that exist but failed their schema: references to them are
    # not "unknown", and their own problems already fail the check.
    invalid: set[str] = field(default_factory=set)


def _tuple_of(cls, items: list[dict] | None) -> tuple:
    return tuple(cls(**item) for item in items or ())


def _trimmed(value):
    """Data with white space trimmed from both ends of every text (a '|' block ends in a line
    break; a quoted value may start with spaces), so '**' around a title still means bold."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: _trimmed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_trimmed(v) for v in value]
    return value


def study_from_dict(data: dict, origin: Located) -> Study:
    """Build a Study from schema-valid data."""
    data = _trimmed(data)
    data["authors"] = tuple(data["authors"])
    data["population"] = Population(**data["population"])
    data["outcomes"] = _tuple_of(Outcome, data["outcomes"])
    data["effects"] = _tuple_of(Effect, data.get("effects"))
    data["limitations"] = tuple(data["limitations"])
    data["not_measured"] = tuple(data["not_measured"])
    if "included_studies" in data:
        data["included_studies"] = IncludedStudies(**data["included_studies"])
    if "appraisal" in data:
        data["appraisal"] = Appraisal(**data["appraisal"])
    return Study(origin=origin, **data)


def claim_from_dict(data: dict, origin: Located) -> Claim:
    """Build a Claim from schema-valid data."""
    data = _trimmed(data)
    data["claimed_by"] = tuple(ClaimedBy(**{**c, "credits": tuple(c.get("credits", ()))}) for c in data["claimed_by"])
    data["evidence"] = _tuple_of(EvidenceLink, data["evidence"])
    data["downgrades"] = _tuple_of(Downgrade, data.get("downgrades"))
    return Claim(origin=origin, **data)


def source_from_dict(data: dict, origin: Located) -> Source:
    """Build a Source from schema-valid data."""
    return Source(origin=origin, **_trimmed(data))


BUILDERS = {"sources": source_from_dict, "studies": study_from_dict, "claims": claim_from_dict}
