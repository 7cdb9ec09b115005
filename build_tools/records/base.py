"""What every record kind shares: the kinds, verdicts, topics and designs, and where a record came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.records.yaml_source import Document

KINDS = ("sources", "studies", "claims", "screening")
# Ids a record may not have: the build already writes a file of that name where the record's
# own page or downloads go (claims/index.md, downloads/knowledge-base.json, ...). `summary`
# is SUMMARY.md on a file system that ignores case. A test checks this against what the build writes.
RESERVED_IDS = {
    "claims": frozenset({"index", "summary"}),
    "studies": frozenset({"index", "summary", "bibliography", "knowledge-base"}),
    "sources": frozenset({"index", "summary"}),
    "screening": frozenset({"index", "summary"}),  # screening/index.md is the methods page
}
# Effect measures that are ratios: 1 is no difference, and only a number above 0 is one.
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


def trimmed(value):
    """Data with white space trimmed from both ends of every text (a '|' block ends in a line
    break; a quoted value may start with spaces), so '**' around a title still means bold.
    The typed records are built from this; the open-data export keeps the data as written."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {k: trimmed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [trimmed(v) for v in value]
    return value
