"""Typed claim records: who made the claim and how, its outcomes, the evidence, the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

from build_tools.records.base import TOPICS, Located, trimmed

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
class ForYou:
    """'What this means for you': who might try it and who should ask first (plain words, not advice)."""

    might_try: str
    ask_first: str


@dataclass(frozen=True)
class Settle:
    """The study that would change the verdict: who, compared with what, measuring what."""

    who: str
    compared_with: str
    measuring: str
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
    settle: Settle
    origin: Located = field(repr=False, compare=False)
    takeaway: str = ""
    for_you: ForYou | None = None

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
    data = trimmed(data)
    data["claimed_by"] = tuple(ClaimedBy(**{**c, "credits": tuple(c.get("credits", ()))}) for c in data["claimed_by"])
    data["pico"] = Pico(**data["pico"])
    if "for_you" in data:
        data["for_you"] = ForYou(**data["for_you"])
    data["settle"] = Settle(**data["settle"])
    data["outcomes"] = tuple(_outcome(o) for o in data["outcomes"])
    data["evidence"] = tuple(
        EvidenceLink(**{**e, "outcomes": tuple((e.get("outcomes") or {}).items())}) for e in data["evidence"]
    )
    return Claim(origin=origin, **data)
