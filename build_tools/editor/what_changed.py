"""Summarise how the knowledge base changed between two git revisions, for a reviewer.

For each new or changed claim it shows what a reviewer most needs: the verdict (and its
reason, once claims carry one), the strongest verdict the evidence allows, the certainty of
the evidence and the studies cited, all computed from the records at the new revision.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from build_tools.pages.text_escape import markdown_literal
from build_tools.pipeline import CheckResult, check
from build_tools.rating.verdict import REASONS
from build_tools.records.model import KINDS
from build_tools.records.problems import printable
from build_tools.records.screening_model import LIVING_TERMS_FILE
from build_tools.records.yaml_source import parse_yaml

# The claim field that says why the verdict is what it is, when the schema has one.
VERDICT_REASON_FIELDS = ("verdict_reason",)


class GitError(Exception):
    """git could not answer (unknown revision, not a repository)."""


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def files_at(root: Path, rev: str) -> dict[str, str]:
    """{'claims/x.yaml': text} for every record file at a revision."""
    out = {}
    for path in _git(root, "ls-tree", "-r", "--name-only", rev, "--", *KINDS).splitlines():
        kind, _, name = path.partition("/")
        if kind in KINDS and "/" not in name and name.endswith(".yaml"):
            out[path] = _git(root, "show", f"{rev}:{path}")
    return out


def records_at(root: Path, rev: str, files: dict[str, str] | None = None) -> dict[str, dict[str, dict]]:
    """{kind: {id: data}} for every record file at a revision (unreadable files map to {})."""
    out: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    for path, text in (files if files is not None else files_at(root, rev)).items():
        kind, _, name = path.partition("/")
        if kind == "screening" and name == LIVING_TERMS_FILE:
            continue  # the living review's terms, not a topic's log
        doc, _ = parse_yaml(text, path)
        out[kind][name.removesuffix(".yaml")] = doc.data if doc and isinstance(doc.data, dict) else {}
    return out


def checked_at(files: dict[str, str]) -> CheckResult:
    """The records of one revision, loaded, validated and rated as `check` does."""
    with tempfile.TemporaryDirectory(prefix="what-changed-") as tmp:
        for path, text in files.items():
            target = Path(tmp) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return check(Path(tmp), use_cache=False)


def _cited(claim: dict) -> set[str]:
    return {e.get("study") for e in claim.get("evidence", []) or [] if isinstance(e, dict)}


def _title(data: dict, rid: str) -> str:
    return _one_line(data.get("title") or rid)


def _one_line(text: object) -> str:
    """Record text on one line, with Markdown syntax escaped (the summary is rendered as Markdown)."""
    return markdown_literal(" ".join(str(text).split()).replace("<", "&lt;"))


def claim_facts(cid: str, data: dict, result: CheckResult) -> list[str]:
    """Verdict, its reason, ceiling, certainty and studies of one claim at the new revision."""
    lines = [f"verdict: **{data.get('verdict')}**"]
    reason = next((data[f] for f in VERDICT_REASON_FIELDS if data.get(f)), None)
    if reason in REASONS:
        lines.append(f"why: {REASONS[reason][1]} (`{reason}`)")
    elif reason:
        lines.append(f"why: {_one_line(reason)}")
    if cid in result.kb.claims and result.ratings is not None:
        ceiling = result.ratings.ceilings[cid]
        lines.append(f"strongest verdict the evidence allows: {ceiling.verdict} ({ceiling.reason})")
        lines.append(f"certainty of the evidence: {result.ratings.certainties[cid]}")
        for rating in result.ratings.outcomes[cid]:
            lines.append(f"outcome {_one_line(rating.outcome.name)} ({rating.outcome.importance}): {rating.label}")
    else:
        lines.append(f"not rated: claims/{cid}.yaml has errors at this revision (run check)")
    studies = []
    for entry in data.get("evidence", []) or []:
        if isinstance(entry, dict):
            sid = entry.get("study")
            strength = result.ratings.strengths.get(sid) if result.ratings is not None else None
            rated = f", {strength.level}" if strength is not None else ""
            studies.append(f"`{sid}` ({entry.get('direction')}, {entry.get('applies_to')} population{rated})")
    lines.append("studies: " + (", ".join(studies) or "none"))
    return lines


def _code(value: object) -> str:
    """A value as a Markdown code span (a backtick in it would end the span: it becomes a quote)."""
    return "`" + " ".join(str(value).split()).replace("`", "'") + "`"


def _candidates(log: dict) -> dict[str, dict]:
    found = log.get("candidates") if isinstance(log, dict) else None
    return {c["id"]: c for c in found or [] if isinstance(c, dict) and isinstance(c.get("id"), str)}


def _decision(c: dict) -> str:
    decision = str(c.get("decision"))
    if decision == "included":
        return f"included as {_code(c.get('study'))}"
    return f"excluded ({_code(c.get('reason'))})" if decision == "excluded" else _code(decision)


def screening_changes(before: dict[str, dict], after: dict[str, dict], result: CheckResult) -> list[str]:
    """Per log: searches added, candidates added and removed, decisions changed; and each new study
    that no log includes yet (the check refuses it)."""
    lines = []
    for topic in sorted(set(before) | set(after)):
        old, new = _candidates(before.get(topic, {})), _candidates(after.get(topic, {}))
        old_searches = {s.get("id") for s in before.get(topic, {}).get("searches") or [] if isinstance(s, dict)}
        searches = [
            s.get("id")
            for s in after.get(topic, {}).get("searches") or []
            if isinstance(s, dict) and s.get("id") not in old_searches
        ]
        if topic not in before:
            counts = {
                d: sum(str(c.get("decision")) == d for c in new.values()) for d in ("included", "excluded", "awaiting")
            }
            notes = [
                f"new log: {len(searches)} searches, {len(new)} candidates ("
                + ", ".join(f"{n} {d}" for d, n in counts.items())
                + ")"
            ]
            lines += [f"## Screening: {_code(f'screening/{topic}.yaml')}", f"- {notes[0]}", ""]
            continue
        notes = ["searches added: " + ", ".join(_code(s) for s in searches)] if searches else []
        notes += [f"candidate {_code(cid)} added: {_decision(new[cid])}" for cid in sorted(set(new) - set(old))]
        notes += [f"candidate {_code(cid)} removed" for cid in sorted(set(old) - set(new))]
        notes += [
            f"candidate {_code(cid)}: {_decision(old[cid])} -> **{_decision(new[cid])}**"
            for cid in sorted(set(old) & set(new))
            if _decision(old[cid]) != _decision(new[cid])
        ]
        if notes:
            lines.append(f"## Screening: {_code(f'screening/{topic}.yaml')}")
            lines += [f"- {n}" for n in notes] + [""]
    unscreened = sorted(
        p.path.removeprefix("studies/").removesuffix(".yaml")
        for p in result.problems
        if p.message.startswith("no screening log includes this study")
    )
    if unscreened:
        lines.append("## Studies no screening log includes (the check refuses them)")
        lines += [f"- {_code(sid)}" for sid in unscreened] + [""]
    return lines


def summarise(root: Path, old: str, new: str) -> str:
    """A Markdown summary of claims and studies added, removed and changed."""
    new_files = files_at(root, new)
    before, after = records_at(root, old), records_at(root, new, new_files)
    result = checked_at(new_files)
    lines = [f"# Knowledge base changes, {old} -> {new}", ""]
    for kind in ("claims", "studies", "sources", "screening"):
        added = sorted(set(after[kind]) - set(before[kind]))
        removed = sorted(set(before[kind]) - set(after[kind]))
        lines += [
            f"- {kind} added: " + (", ".join(f"`{i}`" for i in added) or "none"),
            f"- {kind} removed: " + (", ".join(f"`{i}`" for i in removed) or "none"),
        ]
    lines.append("")
    for cid in sorted(set(after["claims"]) - set(before["claims"])):
        lines.append(f"## New: {_title(after['claims'][cid], cid)} (`{cid}`)")
        lines += [f"- {n}" for n in claim_facts(cid, after["claims"][cid], result)] + [""]
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
            notes.append("new bottom line: " + _one_line(new_claim.get("bottom_line", "")))
        changed = sorted(k for k in set(old_claim) | set(new_claim) if old_claim.get(k) != new_claim.get(k))
        notes.append("fields changed: " + ", ".join(changed))
        facts = [f for f in claim_facts(cid, new_claim, result) if not f.startswith("verdict: ")]
        lines.append(f"## {_title(new_claim, cid)} (`{cid}`)")
        lines += [f"- {n}" for n in notes + facts] + [""]
    lines += screening_changes(before["screening"], after["screening"], result)
    for sid in sorted(set(before["studies"]) & set(after["studies"])):
        old_study, new_study = before["studies"][sid], after["studies"][sid]
        if old_study != new_study:
            changed = sorted(k for k in set(old_study) | set(new_study) if old_study.get(k) != new_study.get(k))
            lines.append(f"- study `{sid}`: fields changed: {', '.join(changed)}")
    # Each line holds values from records that were never checked (an old revision, a pull
    # request): printable, so none can send codes to a terminal or start a line of its own.
    return "\n".join(printable(line) for line in lines).rstrip() + "\n"
