"""Summarise how the knowledge base changed between two git revisions, for a reviewer."""

from __future__ import annotations

import subprocess
from pathlib import Path

from build_tools.records.model import KINDS
from build_tools.records.problems import printable
from build_tools.records.yaml_source import parse_yaml


class GitError(Exception):
    """git could not answer (unknown revision, not a repository)."""


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def records_at(root: Path, rev: str) -> dict[str, dict[str, dict]]:
    """{kind: {id: data}} for every record file at a revision (unreadable files map to {})."""
    out: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    for path in _git(root, "ls-tree", "-r", "--name-only", rev, "--", *KINDS).splitlines():
        kind, _, name = path.partition("/")
        if kind not in out or "/" in name or not name.endswith(".yaml"):
            continue
        doc, _ = parse_yaml(_git(root, "show", f"{rev}:{path}"), path)
        out[kind][name.removesuffix(".yaml")] = doc.data if doc and isinstance(doc.data, dict) else {}
    return out


def _cited(claim: dict) -> set[str]:
    return {e.get("study") for e in claim.get("evidence", []) or [] if isinstance(e, dict)}


def _title(data: dict, rid: str) -> str:
    return str(data.get("title") or rid)


def summarise(root: Path, old: str, new: str) -> str:
    """A Markdown summary of claims and studies added, removed and changed."""
    before, after = records_at(root, old), records_at(root, new)
    lines = [f"# Knowledge base changes, {old} -> {new}", ""]
    for kind in ("claims", "studies", "sources"):
        added = sorted(set(after[kind]) - set(before[kind]))
        removed = sorted(set(before[kind]) - set(after[kind]))
        lines += [
            f"- {kind} added: " + (", ".join(f"`{i}`" for i in added) or "none"),
            f"- {kind} removed: " + (", ".join(f"`{i}`" for i in removed) or "none"),
        ]
    lines.append("")
    for cid in sorted(set(before["claims"]) & set(after["claims"])):
        old_claim, new_claim = before["claims"][cid], after["claims"][cid]
        if old_claim == new_claim:
            continue
        notes = []
        if old_claim.get("verdict") != new_claim.get("verdict"):
            notes.append(f"verdict {old_claim.get('verdict')} -> **{new_claim.get('verdict')}**")
        gained, lost = _cited(new_claim) - _cited(old_claim), _cited(old_claim) - _cited(new_claim)
        if gained:
            notes.append("now cites " + ", ".join(f"`{s}`" for s in sorted(gained)))
        if lost:
            notes.append("no longer cites " + ", ".join(f"`{s}`" for s in sorted(lost)))
        if old_claim.get("bottom_line") != new_claim.get("bottom_line"):
            notes.append("new bottom line: " + " ".join(str(new_claim.get("bottom_line", "")).split()))
        changed = sorted(k for k in set(old_claim) | set(new_claim) if old_claim.get(k) != new_claim.get(k))
        notes.append("fields changed: " + ", ".join(changed))
        lines.append(f"## {_title(new_claim, cid)} (`{cid}`)")
        lines += [f"- {n}" for n in notes] + [""]
    for sid in sorted(set(before["studies"]) & set(after["studies"])):
        old_study, new_study = before["studies"][sid], after["studies"][sid]
        if old_study != new_study:
            changed = sorted(k for k in set(old_study) | set(new_study) if old_study.get(k) != new_study.get(k))
            lines.append(f"- study `{sid}`: fields changed: {', '.join(changed)}")
    # Each line holds values from records that were never checked (an old revision, a pull
    # request): printable, so none can send codes to a terminal or start a line of its own.
    return "\n".join(printable(line) for line in lines).rstrip() + "\n"
