"""After `new-study`: what to write in a screening log so the new study passes the check (every
study record needs an included candidate), and where."""

from __future__ import annotations

from pathlib import Path

from build_tools.checks.files import load_checked
from build_tools.checks.screened_studies import entry_block, existing_entry_fix, make_entry, same_candidate
from build_tools.records.model import ScreeningLog
from build_tools.records.yaml_source import parse_yaml


def candidate_indent(log: ScreeningLog | None) -> str:
    """The spaces before each `- id:` under the log's candidates (its own style; two by default)."""
    if log is None or not log.candidates:
        return "  "
    column = log.origin.where("candidates", 0, "id", key=True)[1]  # 1-based column of `id`
    return " " * max(0, column - 3)


def screening_step(study_id: str, root: Path) -> str:
    """The message new-study prints once it has written studies/<id>.yaml."""
    doc, _ = parse_yaml((root / "studies" / f"{study_id}.yaml").read_text(encoding="utf-8"), "")
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    kb, _ = load_checked(root)
    found = same_candidate(kb, study_id, str(data.get("doi") or ""), str(data.get("pmid") or ""))
    if found is not None:
        where, fix = existing_entry_fix(study_id, found)
        return f"screening: {where}: {fix.removeprefix('in ')}."
    entry = make_entry(
        study_id,
        data.get("authors") or [],
        data.get("year"),
        str(data.get("title") or ""),
        "TODO",
        doi=str(data.get("doi") or ""),
        pmid=str(data.get("pmid") or ""),
    )
    first = min(kb.screening.values(), key=lambda g: g.origin.shown, default=None)
    logs = sorted(g.origin.shown for g in kb.screening.values())
    where = (
        "in the log of the topic whose search found it (" + ", ".join(logs) + ")"
        if logs
        else "in a new screening/<topic>.yaml (see CONTRIBUTING.md, 'The screening log')"
    )
    return (
        f"screening: every study needs an included candidate. Add this under `candidates:` {where}, with "
        "found_by naming that search (record the search under `searches:` if it is not there yet) and the "
        "design you choose for the study:\n\n" + entry_block(entry, candidate_indent(first))
    )
