"""Load step: read every record file into located documents, then into typed records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, display_path
from .records import BUILDERS, KINDS, KnowledgeBase, Located
from .schema_check import check_schema
from .text_rules import check_text
from .yaml_source import read_yaml_file

# A key only one kind of record has: how a file in the wrong folder is recognised.
TELLTALE_KEYS = {"claims": "verdict", "studies": "design", "sources": "headline"}


def _misfiled(kind: str, data: dict) -> str | None:
    """The kind this record looks like, when that is not the folder it is in."""
    looks_like = [k for k, key in TELLTALE_KEYS.items() if key in data]
    return looks_like[0] if len(looks_like) == 1 and looks_like[0] != kind else None


@dataclass(frozen=True)
class RawRecord:
    kind: str
    origin: Located


def record_files(root: Path, kind: str) -> list[Path]:
    """The record files of one kind, in a stable order."""
    folder = root / kind
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_documents(root: Path) -> tuple[list[RawRecord], list[Problem]]:
    """Parse every record file; each file yields a document or located problems."""
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    for kind in KINDS:
        folder = root / kind
        if folder.is_dir():
            for stray in sorted(folder.iterdir()):
                if stray.is_dir():
                    problems.append(
                        Problem(
                            display_path(stray, root),
                            1,
                            1,
                            "",
                            "records cannot sit in sub-folders",
                            f"move its files directly into {kind}/",
                        )
                    )
                elif stray.suffix != ".yaml":
                    problems.append(
                        Problem(
                            display_path(stray, root),
                            1,
                            1,
                            "",
                            "not a record file: records end in .yaml",
                            "rename it to <id>.yaml, or move it out of the folder",
                        )
                    )
        for path in record_files(root, kind):
            shown = display_path(path, root)
            doc, found = read_yaml_file(path, shown)
            problems.extend(found)
            if doc is None:
                continue
            if not isinstance(doc.data, dict):
                got = "a list" if isinstance(doc.data, list) else "a single value"
                problems.append(
                    Problem(
                        shown,
                        1,
                        1,
                        "",
                        f"a record must be a mapping of fields, not {got}",
                        "start from the template: one 'field: value' per line",
                    )
                )
                continue
            other = _misfiled(kind, doc.data)
            if other:
                problems.append(
                    Problem(
                        shown, 1, 1, "", f"this looks like a record for {other}/, not {kind}/", f"move it to {other}/"
                    )
                )
                continue
            raws.append(RawRecord(kind, Located(path, shown, doc)))
    return raws, problems


def build_records(raws: list[RawRecord]) -> tuple[KnowledgeBase, list[Problem]]:
    """Schema-check each document and build typed records from the valid ones."""
    kb = KnowledgeBase()
    problems: list[Problem] = []
    for raw in raws:
        found = check_schema(raw.kind, raw.origin.doc, raw.origin.shown)
        found += check_text(raw.origin.doc, raw.origin.shown)
        problems.extend(found)
        if found:
            continue
        record = BUILDERS[raw.kind](raw.origin.doc.data, raw.origin)
        getattr(kb, raw.kind)[record.id] = record
    return kb, problems


def load(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Load and schema-check the whole knowledge base under `root`."""
    raws, problems = load_documents(root)
    kb, schema_problems = build_records(raws)
    # A file that exists but did not become a record (unparseable, misfiled, invalid) has its
    # own problems already; references to it should not also be reported as unknown.
    for kind in KINDS:
        records = getattr(kb, kind)
        kb.invalid.update(f"{kind}/{path.stem}" for path in record_files(root, kind) if path.stem not in records)
    return kb, problems + schema_problems
