"""Writing pages to disk: only changed pages are rewritten, stale ones removed.

`mkdocs serve` watches docs/, and rewriting unchanged files would make it rebuild for ever."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from build_tools.pages.memo import RenderMemo


def sync_pages(pages: dict[str, str], out_dir: Path, memo: RenderMemo | None = None) -> tuple[int, int]:
    """Write changed pages and remove stale ones; return (written, removed).

    With a memo from the previous build of the same process, pages are compared with what
    was written last time instead of being read back from disk."""
    written = removed = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = memo.written if memo is not None and memo.written_to == out_dir else None
    folders_made: set[Path] = set()
    for rel, text in sorted(pages.items()):
        if previous is not None and previous.get(rel) == text:
            continue  # checked without touching the disk: this is the fast path of `serve`
        target = out_dir / rel
        if previous is None and target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        if target.parent not in folders_made:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders_made.add(target.parent)
        # Write beside the target, then rename: a reader of the folder never sees half a page.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
        written += 1
    if previous is not None:
        stale = [out_dir / rel for rel in previous if rel not in pages]
    else:
        wanted = {str(out_dir / rel) for rel in pages}
        stale = [p for p in out_dir.rglob("*") if p.is_file() and str(p) not in wanted]
    for path in stale:
        path.unlink(missing_ok=True)
        removed += 1
    if stale or previous is None:
        for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    if memo is not None:
        memo.written, memo.written_to = dict(pages), out_dir
    return written, removed
