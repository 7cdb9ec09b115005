"""Typed study records: the citation, who took part, what was measured and found, the appraisal."""

from __future__ import annotations

from dataclasses import dataclass, field

from build_tools.records.base import DESIGN_LABELS, Located, trimmed


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
class IdentifierPage:
    """The page that printed a PMID or PMCID, when the page in url did not."""

    url: str
    read_on: str
    printed_as: str


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
    identifier_pages: tuple[tuple[str, IdentifierPage], ...] = ()  # (pmid | pmcid, page), as written
    comparator: str = ""
    duration: str = ""
    included_studies: IncludedStudies | None = None
    effects: tuple[Effect, ...] = ()
    arms: tuple[Arms, ...] = ()
    risk_of_bias: RiskOfBias | None = None
    appraisal: Appraisal | None = None
    includes: tuple[str, ...] = ()
    missing_fields: str = ""
    third_party_copy: str = ""  # why the page read is a copy on another site (see checks.reading)

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


def _tuple_of(cls, items: list[dict] | None) -> tuple:
    return tuple(cls(**item) for item in items or ())


def study_from_dict(data: dict, origin: Located) -> Study:
    """Build a Study from schema-valid data."""
    data = trimmed(data)
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
    data["identifier_pages"] = tuple((k, IdentifierPage(**v)) for k, v in data.get("identifier_pages", {}).items())
    data["limitations"] = tuple(data["limitations"])
    data["not_measured"] = tuple(data["not_measured"])
    if "included_studies" in data:
        data["included_studies"] = IncludedStudies(**data["included_studies"])
    if "appraisal" in data:
        data["appraisal"] = Appraisal(**data["appraisal"])
    return Study(origin=origin, **data)
