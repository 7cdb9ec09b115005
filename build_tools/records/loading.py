"""Load step: read every record file, have each examined on its own, and build typed records
from the ones that pass. Which rules a file must pass is the caller's (see checks.files)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from build_tools.records.cache import CACHE_DIR, RecordCache, content_key
from build_tools.records.model import BUILDERS, KINDS, KnowledgeBase, Located
from build_tools.records.problems import Problem, Severity, display_path
from build_tools.records.record_files import check_folder, read_record, scan_folder
from build_tools.records.screening_model import LIVING_TERMS_FILE
from build_tools.records.yaml_source import Document


@dataclass(frozen=True)
class FileResult:
    """Everything one file yields on its own: a document fit to become a record, or its problems."""

    doc: Document | None
    problems: tuple[Problem, ...]


# (kind, file bytes, path as shown) -> what the file yields on its own.
Examiner = Callable[[str, bytes, str], FileResult]


class LiveFiles:
    """For a long-running process (mkdocs serve): a file whose bytes are the same as at the last
    load is not examined again, and its record is reused. Compared by content, not by
    modification time and size: an edit in the same clock tick, or by a tool that keeps the
    time, would otherwise be missed."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[bytes, str, FileResult, object]] = {}

    def lookup(self, path: str, raw: bytes) -> tuple[str, FileResult, object] | None:
        entry = self.seen.get(path)
        if entry and entry[0] == raw:
            return entry[1], entry[2], entry[3]
        return None

    def remember(self, path: str, raw: bytes, digest: str, result: FileResult, record: object) -> None:
        self.seen[path] = (raw, digest, result, record)


def load(
    root: Path, examine: Examiner, cache: RecordCache | None = None, live: LiveFiles | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load every record file under `root`, examine each on its own, and build the records."""
    kb = KnowledgeBase()
    problems: list[Problem] = []
    try:
        present = os.listdir(root)
    except OSError as exc:
        return kb, [Problem(display_path(root, root), 1, 1, "", f"cannot read the project folder: {exc.strerror}")]
    for kind in KINDS:
        wrong = check_folder(root, kind, present)
        if wrong:
            problems.append(wrong)
            continue
        files, strays, stray_files = scan_folder(root, kind)
        if kind == "screening":  # the living review's terms sit beside the logs: read on their own
            files = [f for f in files if f.name != LIVING_TERMS_FILE]
        problems += strays
        kb.unloaded.update({f"{kind}/{stem}": path for stem, path in stray_files.items()})
        # Resolved once per folder, not once per file: at thousands of files it shows.
        folder_shown = display_path(root / kind, root)
        for found in files:
            name = found.name
            shown = f"{folder_shown}/{name}"
            raw, unreadable = read_record(found.path, shown)
            if unreadable:
                problems.append(unreadable)
                kb.invalid.add(f"{kind}/{name.removesuffix('.yaml')}")
                kb.unloaded[f"{kind}/{name.removesuffix('.yaml')}"] = root / kind / name
                continue
            known = live.lookup(found.path, raw) if live else None
            if known:
                digest, result, record = known
            else:
                digest = content_key(kind, shown, raw)
                known_result = cache.get(digest) if cache else None
                if known_result is not None:
                    result = FileResult(*known_result)
                else:
                    result = examine(kind, raw, shown)
                    if cache:
                        cache.put(digest, (result.doc, result.problems))
                record = None
                if result.doc is not None:
                    path = root / kind / name
                    record = BUILDERS[kind](result.doc.data, Located(path, shown, result.doc, digest))
                if live:
                    live.remember(found.path, raw, digest, result, record)
            problems += result.problems
            if record is None:
                # The file has its own problems; references to it are not "unknown" as well.
                kb.invalid.add(f"{kind}/{name.removesuffix('.yaml')}")
                kb.unloaded[f"{kind}/{name.removesuffix('.yaml')}"] = root / kind / name
                continue
            getattr(kb, kind)[record.id] = record
    problems += load_living_terms(root, examine, kb)
    if cache:
        if cache.refused:
            message = "the parse cache is tracked by git, so it is ignored (a committed cache could show other data)"
            hint = f"remove it from git: git rm -r --cached {CACHE_DIR.as_posix()}"
            problems.append(Problem(CACHE_DIR.as_posix(), 1, 1, "", message, hint, Severity.WARNING))
        cache.save()
    return kb, problems


def load_living_terms(root: Path, examine: Examiner, kb: KnowledgeBase) -> list[Problem]:
    """Read screening/living-terms.yaml, when it exists, into kb.living_terms; its problems."""
    path = root / "screening" / LIVING_TERMS_FILE
    if not path.is_file():
        return []
    shown = display_path(path, root)
    raw, unreadable = read_record(str(path), shown)
    if unreadable:
        return [unreadable]
    result = examine("living-terms", raw, shown)
    if result.doc is not None:
        located = Located(path, shown, result.doc, content_key("living-terms", shown, raw))
        kb.living_terms = BUILDERS["living-terms"](result.doc.data, located)
    return list(result.problems)
