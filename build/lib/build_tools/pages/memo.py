"""Rendered text kept between builds of a long-running process (mkdocs serve), keyed by content."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"


class RenderMemo:
    """Rendered text kept between builds of a long-running process (mkdocs serve).

    Each entry's key is made of the content digests of every record the text depends on,
    the computed ratings it shows, and its history, so an entry is reused only when its
    inputs are unchanged. Entries no build used are dropped once they outnumber the used ones.
    """

    def __init__(self) -> None:
        # key -> [value, the build that last used it]: one hash per lookup, at tens of
        # thousands of lookups per rebuild.
        self.entries: dict[tuple, list] = {}
        self.build = 0
        self.used = 0
        self.templates_stamp: list = []
        self.written: dict[str, str] = {}  # what sync_pages wrote last time, and where
        self.written_to: Path | None = None

    def start(self) -> None:
        """Forget everything when a template changed (`mkdocs serve` watches them): the keys
        describe the records a text shows, not how it is shown."""
        stamp = sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES.iterdir())
        if stamp != self.templates_stamp:
            self.entries.clear()
            self.templates_stamp = stamp

    def get(self, key: tuple, make):
        self.used += 1
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = [make(), self.build]
        else:
            entry[1] = self.build
        return entry[0]

    def prune(self) -> None:
        # Rebuilding the table costs time at thousands of entries: only once it has doubled.
        if len(self.entries) > 2 * self.used:
            self.entries = {k: e for k, e in self.entries.items() if e[1] == self.build}
        self.build += 1
        self.used = 0


def memoised(memo: RenderMemo | None, key: tuple, make):
    # Records built without a digest (tests build some by hand) are never memoised.
    return memo.get(key, make) if memo is not None and key[1] else make()
