"""Typed records. Built only from documents that passed their JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.records.yaml_source import Document

KINDS = ("sources", "studies", "claims")
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
class Pooled:
    studies: int | None = None
    participants: int | None = None
    i2: float | None = None


@dataclass(frozen=True)
class Effect:
    key: str
    outcome: str
    comparison: str
    measure: str
    value: float
    ci_low: float
    ci_high: float
    unit: str
    higher_is: str = ""
    pooled: Pooled | None = None


@dataclass(frozen=True)
class Group:
    label: str
    n: int
    mean: float
    sd: float


@dataclass(frozen=True)
class Arms:
    """Arm-level results of one outcome: the build computes the effect from them."""

    key: str
    outcome: str
    unit: str
    kind: str
    higher_is: str
    backward: Group
    comparison: Group
    timepoint: str = ""


PEDRO_ITEMS = (
    "random_allocation",
    "concealed_allocation",
    "baseline_similar",
    "blind_participants",
    "blind_therapists",
    "blind_assessors",
    "adequate_follow_up",
    "intention_to_treat",
    "between_group_comparison",
    "point_estimates_variability",
)


@dataclass(frozen=True)
class RiskOfBias:
    source: str
    basis: str
    items: dict[str, str] | None = None
    judgement: str = ""
    url: str = ""
    pedro_total: int | None = None

    @property
    def pedro_score(self) -> int | None:
        """PEDro items met (a PEDro-style score out of 10; 'unclear' counts as not met)."""
        return None if self.items is None else sum(self.items[i] == "yes" for i in PEDRO_ITEMS)


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
    arms: tuple[Arms, ...] = ()
    risk_of_bias: RiskOfBias | None = None
    appraisal: Appraisal | None = None
    includes: tuple[str, ...] = ()
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


STANCES = ("makes", "repeats", "doubts", "disputes")
APPEARS = ("makes", "repeats")  # stances that count as an appearance of the claim


@dataclass(frozen=True)
class ClaimedBy:
    source: str
    stance: str
    said: str
    credits: tuple[str, ...] = ()
    miscitation: str = ""
    not_confirmed: str = ""

    @property
    def appears(self) -> bool:
        """The article makes or repeats the claim (rather than doubting or disputing it)."""
        return self.stance in APPEARS


@dataclass(frozen=True)
class EvidenceLink:
    study: str
    direction: str
    applies_to: str
    note: str
    exercise: str = "same"
    outcomes: tuple[tuple[str, str], ...] = ()  # (outcome id, direction), in the record's order

    @property
    def direct(self) -> bool:
        """Done in the claim's population, with the exercise the claim names."""
        return self.applies_to == "same" and self.exercise == "same"

    def direction_for(self, outcome: str) -> str | None:
        return dict(self.outcomes).get(outcome)


@dataclass(frozen=True)
class Judgement:
    judgement: str
    reason: str = ""


@dataclass(frozen=True)
class Mid:
    value: float
    unit: str
    source: str


@dataclass(frozen=True)
class ClaimOutcome:
    id: str
    name: str
    importance: str
    change: str
    effect_keys: tuple[str, ...] = ()
    self_reported: bool = False
    mid: Mid | None = None
    grade: dict[str, Judgement] | None = None  # GRADE domain -> judgement
    note: str = ""


@dataclass(frozen=True)
class Pico:
    population: str
    intervention: str
    comparison: str
    setting: str = ""


@dataclass(frozen=True)
class Claim:
    id: str
    title: str
    claim: str
    topic: str
    pico: Pico
    claimed_by: tuple[ClaimedBy, ...]
    outcomes: tuple[ClaimOutcome, ...]
    evidence: tuple[EvidenceLink, ...]
    verdict: str
    verdict_reason: str
    bottom_line: str
    what_is_true: str
    what_is_overstated: str
    population_caveat: str
    last_reviewed: str
    origin: Located = field(repr=False, compare=False)
    takeaway: str = ""

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.outcomes)

    @property
    def key_sentence(self) -> str:
        """The one-sentence takeaway: given, or the bottom line's first sentence."""
        if self.takeaway:
            return self.takeaway
        text = " ".join(self.bottom_line.split())
        end = text.find(". ")
        return text if end < 0 else text[: end + 1]

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


def study_from_dict(data: dict, origin: Located) -> Study:
    """Build a Study from schema-valid data."""
    data = dict(data)
    data["authors"] = tuple(data["authors"])
    data["population"] = Population(**data["population"])
    data["outcomes"] = _tuple_of(Outcome, data["outcomes"])
    data["effects"] = tuple(
        Effect(**{**e, "pooled": Pooled(**e["pooled"]) if "pooled" in e else None}) for e in data.get("effects", ())
    )
    data["arms"] = tuple(
        Arms(**{**a, "backward": Group(**a["backward"]), "comparison": Group(**a["comparison"])})
        for a in data.get("arms", ())
    )
    if "risk_of_bias" in data:
        data["risk_of_bias"] = RiskOfBias(**data["risk_of_bias"])
    data["includes"] = tuple(data.get("includes", ()))
    data["limitations"] = tuple(data["limitations"])
    data["not_measured"] = tuple(data["not_measured"])
    if "included_studies" in data:
        data["included_studies"] = IncludedStudies(**data["included_studies"])
    if "appraisal" in data:
        data["appraisal"] = Appraisal(**data["appraisal"])
    return Study(origin=origin, **data)


def _outcome(data: dict) -> ClaimOutcome:
    data = dict(data)
    data["effect_keys"] = tuple(data.get("effect_keys", ()))
    if "mid" in data:
        data["mid"] = Mid(**data["mid"])
    if "grade" in data:
        data["grade"] = {domain: Judgement(**j) for domain, j in data["grade"].items()}
    return ClaimOutcome(**data)


def claim_from_dict(data: dict, origin: Located) -> Claim:
    """Build a Claim from schema-valid data."""
    data = dict(data)
    data["claimed_by"] = tuple(ClaimedBy(**{**c, "credits": tuple(c.get("credits", ()))}) for c in data["claimed_by"])
    data["pico"] = Pico(**data["pico"])
    data["outcomes"] = tuple(_outcome(o) for o in data["outcomes"])
    data["evidence"] = tuple(
        EvidenceLink(**{**e, "outcomes": tuple((e.get("outcomes") or {}).items())}) for e in data["evidence"]
    )
    return Claim(origin=origin, **data)


def source_from_dict(data: dict, origin: Located) -> Source:
    """Build a Source from schema-valid data."""
    return Source(origin=origin, **data)


BUILDERS = {"sources": source_from_dict, "studies": study_from_dict, "claims": claim_from_dict}
