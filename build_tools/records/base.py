"""What every record kind shares: the kinds, verdicts, topics and designs, and where a record came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.records.yaml_source import Document

KINDS = ("sources", "studies", "claims", "screening")
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
