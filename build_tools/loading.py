"""Load step: read every record file into located documents, then into typed records."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, display_path
from .record_cache import RecordCache, content_key
from .records import BUILDERS, KINDS, KnowledgeBase, Located
from .schema_check import check_schema
from .text_rules import check_text
from .yaml_source import Document, parse_bytes

# A key only one kind of record has: how a file in the wrong folder is recognised.
TELLTALE_KEYS = {"claims": "verdict", "studies": "design", "sources": "headline"}


def _misfiled(kind: str, data: dict) -> str | None:
    """The kind this record looks like, when that is not the folder it is in."""
    looks_like = [k for k, key in TELLTALE_KEYS.items() if key in data]
    return looks_like[0] if len(looks_like) == 1 and looks_like[0] != kind else None


@dataclass(frozen=True)
class FileResult:
    """Everything one file yields on its own: a document fit to become a record, or its problems."""

    doc: Document | None
    problems: tuple[Problem, ...]


def examine_file(kind: str, raw: bytes, shown: str) -> FileResult:
    """Parse one record file and apply every rule that needs only that file."""
    doc, found = parse_bytes(raw, shown)
    if doc is None:
        return FileResult(None, tuple(found))
    if not isinstance(doc.data, dict):
        got = "a list" if isinstance(doc.data, list) else "a single value"
        message = f"a record must be a mapping of fields, not {got}"
        found.append(Problem(shown, 1, 1, "", message, "start from the template: one 'field: value' per line"))
        return FileResult(None, tuple(found))
    other = _misfiled(kind, doc.data)
    if other:
        found.append(
            Problem(shown, 1, 1, "", f"this looks like a record for {other}/, not {kind}/", f"move it to {other}/")
        )
        return FileResult(None, tuple(found))
    found += check_schema(kind, doc, shown) + check_text(doc, shown)
    return FileResult(None if found else doc, tuple(found))


def scan_folder(root: Path, kind: str) -> tuple[list[str], list[Problem]]:
    """The record file names of one kind, sorted as text, and a problem for anything else
    in the folder (sub-folders, files not ending in .yaml): one directory scan for both."""
    folder = root / kind
    if not folder.is_dir():
        return [], []
    names, problems = [], []
    for entry in os.scandir(folder):
        if entry.name.endswith(".yaml") and entry.is_file():
            names.append(entry.name)
            continue
        if entry.is_dir():
            message, hint = "records cannot sit in sub-folders", f"move its files directly into {kind}/"
        else:
            message, hint = (
                "not a record file: records end in .yaml",
                "rename it to <id>.yaml, or move it out of the folder",
            )
        problems.append(Problem(display_path(Path(entry.path), root), 1, 1, "", message, hint))
    return sorted(names), sorted(problems, key=lambda p: p.path)


class LiveFiles:
    """For a long-running process (mkdocs serve): files whose size and modification time are
    unchanged since the last load are not read again, and their records are reused."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[tuple[int, int], str, FileResult, object]] = {}

    def lookup(self, path: str) -> tuple[str, FileResult, object] | None:
        stat = os.stat(path)
        entry = self.seen.get(path)
        if entry and entry[0] == (stat.st_mtime_ns, stat.st_size):
            return entry[1], entry[2], entry[3]
        return None

    def remember(self, path: str, digest: str, result: FileResult, record: object) -> None:
        stat = os.stat(path)
        self.seen[path] = ((stat.st_mtime_ns, stat.st_size), digest, result, record)


def load(
    root: Path, cache: RecordCache | None = None, live: LiveFiles | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load and check every record file under `root` (each file on its own), and build the records."""
    kb = KnowledgeBase()
    problems: list[Problem] = []
    for kind in KINDS:
        names, strays = scan_folder(root, kind)
        problems += strays
        # Resolved once per folder, not once per file: at thousands of files it shows.
        folder_shown = display_path(root / kind, root)
        folder = f"{root / kind}/"
        for name in names:
            # Plain strings until a file has to be read: at thousands of files, Path objects show.
            known = live.lookup(folder + name) if live else None
            if known:
                digest, result, record = known
            else:
                path = root / kind / name
                shown = f"{folder_shown}/{name}"
                raw = path.read_bytes()
                digest = content_key(kind, shown, raw)
                result = cache.get(digest) if cache else None
                if result is None:
                    result = examine_file(kind, raw, shown)
                    if cache:
                        cache.put(digest, result)
                record = None
                if result.doc is not None:
                    record = BUILDERS[kind](result.doc.data, Located(path, shown, result.doc, digest))
                if live:
                    live.remember(folder + name, digest, result, record)
            problems += result.problems
            if record is None:
                # The file has its own problems; references to it are not "unknown" as well.
                kb.invalid.add(f"{kind}/{name.removesuffix('.yaml')}")
                continue
            getattr(kb, kind)[record.id] = record
    if cache:
        cache.save()
    return kb, problems
