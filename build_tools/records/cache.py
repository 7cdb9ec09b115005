"""A cache of per-file results (parsed document and its own problems), keyed by content.

The key is a hash of the file's bytes, its path and the source code of the package and
its schemas, so an entry can never be stale: change the file, move it, or change any rule
and the key changes. Parsing and schema-checking are where loading spends its time; the
cross-record checks always run on every build.

The cache is data only (JSON: text, numbers, lists, mappings), read with checks on every
value's type, so a file in the work tree can never run code the way a pickle would. It is
also something a pull request could plant to show other data than its records say, so a
cache that git tracks is not read (and not written), whatever it holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from build_tools.records.problems import Problem, Severity
from build_tools.records.yaml_source import Document

PACKAGE = Path(__file__).resolve().parent.parent  # the whole build_tools package: its code is the version
CACHE_DIR = Path(".cache") / "build_tools"
CACHE_FILE = CACHE_DIR / "records.json"
FORMAT = "walkback-record-cache/1"
SEVERITIES = {s.value: s for s in Severity}

# What a file yields on its own: the document fit to become a record (or None), and its problems.
Result = tuple[Document | None, tuple[Problem, ...]]


@cache
def code_version() -> str:
    """A hash of every Python module, schema and template the results depend on."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".json", ".j2") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(kind: str, shown: str, raw: bytes) -> str:
    return hashlib.sha256(b"\0".join([code_version().encode(), kind.encode(), shown.encode(), raw])).hexdigest()


def tracked_by_git(root: Path, folder: Path) -> bool:
    """Whether git tracks any file under `folder` of the checkout at `root` (False outside git)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--", folder.as_posix()],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def _encode(result: Result) -> list:
    doc, problems = result
    shown_doc = None if doc is None else {"data": doc.data, "text": doc.text}
    rows = [[p.path, p.line, p.col, p.field, p.message, p.hint, p.severity.value] for p in problems]
    return [shown_doc, rows]


def _problem(row: object) -> Problem | None:
    if not isinstance(row, list) or len(row) != 7:
        return None
    path, line, col, field, message, hint, severity = row
    texts_ok = all(isinstance(v, str) for v in (path, field, message, hint))
    numbers_ok = all(type(v) is int for v in (line, col))
    if not (texts_ok and numbers_ok and severity in SEVERITIES):
        return None
    return Problem(path, line, col, field, message, hint, SEVERITIES[severity])


def _decode(entry: object) -> Result | None:
    """An entry read back, or None if any part of it is not what this code writes."""
    if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[1], list):
        return None
    shown_doc, rows = entry
    doc = None
    if shown_doc is not None:
        if not isinstance(shown_doc, dict) or set(shown_doc) != {"data", "text"}:
            return None
        if not isinstance(shown_doc["data"], dict) or not isinstance(shown_doc["text"], str):
            return None
        doc = Document(shown_doc["data"], text=shown_doc["text"])
    problems = [_problem(row) for row in rows]
    if any(p is None for p in problems):
        return None
    return doc, tuple(problems)


def _dumps(entries: dict) -> str:
    return json.dumps({"format": FORMAT, "code": code_version(), "entries": entries}, allow_nan=False)


def _fits_json(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except ValueError:
        return False
    return True


class RecordCache:
    """Load once, look up many times, save once (only if something new was computed)."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_FILE
        self.entries: dict[str, object] = {}
        self.used: set[str] = set()
        self.dirty = False
        # Only a file this machine wrote is read: git tracking it means someone else did.
        self.refused = self.path.exists() and tracked_by_git(root, CACHE_DIR)
        if self.refused:
            return
        try:
            if not self.path.is_file() or self.path.is_symlink():
                return
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a missing, unreadable or corrupt cache is an empty one
        if isinstance(loaded, dict) and loaded.get("format") == FORMAT and loaded.get("code") == code_version():
            entries = loaded.get("entries")
            self.entries = entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> Result | None:
        value = _decode(self.entries.get(key))
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: Result) -> None:
        self.entries[key] = _encode(value)
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Keep only this run's entries; write atomically."""
        if self.refused or (not self.dirty and len(self.used) == len(self.entries)):
            return
        kept = {k: v for k, v in self.entries.items() if k in self.used}
        try:
            text = _dumps(kept)
        except ValueError:  # a value JSON cannot hold exactly (the check refuses it anyway): not cached
            text = _dumps({k: v for k, v in kept.items() if _fits_json(v)})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout simply runs without a cache
