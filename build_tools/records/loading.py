"""Load step: read every record file, have each examined on its own, and build typed records
from the ones that pass. Which rules a file must pass is the caller's (see checks.files)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from build_tools.records.cache import RecordCache, content_key
from build_tools.records.model import BUILDERS, KINDS, KnowledgeBase, Located
from build_tools.records.problems import Problem, display_path
from build_tools.records.screening_model import LIVING_TERMS_FILE
from build_tools.records.yaml_source import Document


@dataclass(frozen=True)
class FileResult:
    """Everything one file yields on its own: a document fit to become a record, or its problems."""

    doc: Document | None
    problems: tuple[Problem, ...]


# (kind, file bytes, path as shown) -> what the file yields on its own.
Examiner = Callable[[str, bytes, str], FileResult]


def scan_folder(root: Path, kind: str) -> tuple[list[str], list[Problem], dict[str, Path]]:
    """The record file names of one kind, sorted as text, a problem for anything else in the
    folder (sub-folders, files not ending in .yaml), and those stray files by their stem:
    one directory scan for all three."""
    folder = root / kind
    if not folder.is_dir():
        return [], [], {}
    names, problems, strays = [], [], {}
    for entry in os.scandir(folder):
        if kind == "screening" and entry.name == LIVING_TERMS_FILE:
            continue  # the living review's terms: loaded on their own (load_living_terms)
        if entry.name.endswith(".yaml") and entry.is_file():
            names.append(entry.name)
            continue
        if entry.is_dir():
            message, hint = "records cannot sit in sub-folders", f"move its files directly into {kind}/"
        else:
            stem = entry.name.rsplit(".", 1)[0] if "." in entry.name else entry.name
            strays[stem] = Path(entry.path)
            message, hint = (
                "not a record file: records end in .yaml",
                f"rename it to {stem}.yaml"
                if entry.name.endswith(".yml")
                else "rename it to <id>.yaml, or move it out of the folder",
            )
        problems.append(Problem(display_path(Path(entry.path), root), 1, 1, "", message, hint))
    return sorted(names), sorted(problems, key=lambda p: p.path), strays


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
    root: Path, examine: Examiner, cache: RecordCache | None = None, live: LiveFiles | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load every record file under `root`, examine each on its own, and build the records."""
    kb = KnowledgeBase()
    problems: list[Problem] = []
    for kind in KINDS:
        names, strays, stray_files = scan_folder(root, kind)
        problems += strays
        kb.unloaded.update({f"{kind}/{stem}": path for stem, path in stray_files.items()})
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
                    result = examine(kind, raw, shown)
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
                kb.unloaded[f"{kind}/{name.removesuffix('.yaml')}"] = root / kind / name
                continue
            getattr(kb, kind)[record.id] = record
    problems += load_living_terms(root, examine, kb)
    if cache:
        cache.save()
    return kb, problems


def load_living_terms(root: Path, examine: Examiner, kb: KnowledgeBase) -> list[Problem]:
    """Read screening/living-terms.yaml, when it exists, into kb.living_terms; its problems."""
    path = root / "screening" / LIVING_TERMS_FILE
    if not path.is_file():
        return []
    shown = display_path(path, root)
    raw = path.read_bytes()
    result = examine("living-terms", raw, shown)
    if result.doc is not None:
        located = Located(path, shown, result.doc, content_key("living-terms", shown, raw))
        kb.living_terms = BUILDERS["living-terms"](result.doc.data, located)
    return list(result.problems)
