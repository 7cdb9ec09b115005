"""A cache of per-file results (parsed document and its own problems), keyed by content.

The key is a hash of the file's bytes, its path and the source code of the package and
its schemas, so an entry can never be stale: change the file, move it, or change any rule
and the key changes. Parsing and schema-checking are where loading spends its time; the
cross-record checks always run on every build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the whole build_tools package: its code is the version
CACHE_FILE = Path(".cache") / "build_tools" / "records.pickle"


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


class RecordCache:
    """Load once, look up many times, save once (only if something new was computed)."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_FILE
        self.entries: dict[str, object] = {}
        self.used: set[str] = set()
        self.dirty = False
        try:
            with self.path.open("rb") as handle:
                # The code version comes first: a cache written by other code is not unpickled.
                if pickle.load(handle) == code_version():
                    loaded = pickle.load(handle)
                    self.entries = loaded if isinstance(loaded, dict) else {}
        except Exception:  # noqa: BLE001 - a missing, unreadable or foreign cache is an empty one
            self.entries = {}

    def get(self, key: str):
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: object) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Keep only this run's entries; write atomically."""
        if not self.dirty and len(self.used) == len(self.entries):
            return
        kept = {k: v for k, v in self.entries.items() if k in self.used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(code_version(), handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout simply runs without a cache
