"""Per-file checks: parse one record file and apply every rule that needs only that file
(the record's kind, its JSON Schema, the text rules, notes left for editors), so each file's result can be cached."""

from __future__ import annotations

from pathlib import Path

from build_tools.checks.editor_notes import check_editor_notes
from build_tools.checks.placeholders import check_placeholders
from build_tools.checks.schema import check_schema
from build_tools.checks.text_rules import check_text
from build_tools.checks.yaml_traps import check_yaml_traps
from build_tools.records.cache import RecordCache
from build_tools.records.loading import FileResult, LiveFiles, load
from build_tools.records.model import KnowledgeBase
from build_tools.records.problems import Problem, errors
from build_tools.records.yaml_source import parse_bytes

# A key only one kind of record has: how a file in the wrong folder is recognised.
TELLTALE_KEYS = {
    "claims": "verdict",
    "studies": "design",
    "sources": "headline",
    "screening": "candidates",
}


def _misfiled(kind: str, data: dict) -> str | None:
    """The kind this record looks like, when that is not the folder it is in."""
    looks_like = [k for k, key in TELLTALE_KEYS.items() if key in data]
    return looks_like[0] if len(looks_like) == 1 and looks_like[0] != kind else None


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
    found += check_placeholders(kind, doc, shown) + check_schema(kind, doc, shown)
    found += check_text(doc, shown, kind) + check_editor_notes(doc, shown) + check_yaml_traps(kind, doc, shown)
    # Warnings are shown, but the record is still built.
    return FileResult(None if errors(found) else doc, tuple(found))


def load_checked(
    root: Path, cache: RecordCache | None = None, live: LiveFiles | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load every record under `root`, each file examined by the rules above."""
    return load(root, examine_file, cache, live)
