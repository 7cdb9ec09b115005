"""The editorial change log: what changed for a reader in each claim, and why, at every revision
git holds, worked out from the records themselves (never from commit messages).

Each revision that touched a record is loaded and rated as the build rates today's records; its
reader-facing facts (verdict and its reason, certainty per outcome and the GRADE judgements
behind it, the studies cited and their direction, which prose was reworded) are compared with
the previous revision's. A revision the current rules cannot rate (records from before the rules
changed) still gives its verdict and studies; its certainty is left unsaid rather than guessed.

The facts of a revision never change, so they are kept in .cache/ keyed by the revision's
record files and this package's code: a build computes only the revisions it has not seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from build_tools.checks.files import load_checked
from build_tools.checks.validation import validate
from build_tools.rating.grade import DOWNGRADES, NO_STUDIES, UPGRADES
from build_tools.rating.method_checks import check_method
from build_tools.rating.rules import RULES_VERSION, rate
from build_tools.rating.verdict import REASONS
from build_tools.rating.verdict_check import check_verdicts
from build_tools.records.cache import code_version
from build_tools.records.model import KINDS
from build_tools.records.problems import errors
from build_tools.records.yaml_source import parse_yaml

CACHE_FILE = Path(".cache") / "build_tools" / "changelog.json"
RECORDS = ("claims", "studies")  # the folders whose changes readers are told about
# Claim prose a reader sees, in the words the log uses for it.
PROSE = {
    "title": "the title",
    "claim": "the wording of the claim",
    "takeaway": "the takeaway",
    "bottom_line": "the bottom line",
    "what_is_true": "what is true",
    "what_is_overstated": "what is overstated",
    "population_caveat": "who the claim is for",
    "for_you": "what this means for you",
}
DIRECTIONS = {
    "supports": "supports",
    "mixed": "mixed",
    "contradicts": "contradicts",
    "no-effect": "no effect",
    "unclear": "result not shown",
    "related": "related only",
}
LABELS = {"supported": "Supported", "plausible": "Plausible", "overstated": "Overstated"}


@dataclass(frozen=True)
class Revision:
    commit: str  # full hash
    short: str
    date: str  # YYYY-MM-DD
    timestamp: str  # ISO 8601 with time zone, for the feed


@dataclass(frozen=True)
class Entry:
    """One change a reader can see, in one record, at one revision."""

    revision: Revision
    kind: str  # "claims" or "studies"
    rid: str
    title: str
    notes: tuple[str, ...]  # plain sentences
    first: bool = False  # the record's first appearance


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "-C", str(root), *args], input=stdin, capture_output=True, check=True, env=_git_env()
    ).stdout


def _git_env() -> dict[str, str]:
    # Dates and names exactly as recorded: no user configuration, pager or locale changes them.
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat", "LC_ALL": "C"}


def revisions(root: Path) -> list[Revision]:
    """Every commit that touched a claim or study record, oldest first (none outside git).

    First parents only: a merged branch counts as one change, at its merge, so the log never
    flips between a branch's records and main's."""
    try:
        out = _git(root, "log", "--first-parent", "--reverse", "--format=%H %h %ad %aI", "--date=short", "--", *RECORDS)
    except (OSError, subprocess.CalledProcessError):
        return []
    return [Revision(*line.split(" ", 3)) for line in out.decode().splitlines() if line.strip()]


def _trees(root: Path, commits: list[str]) -> dict[str, dict[str, str]]:
    """{commit: {path: blob id}} of the record files at each commit."""
    trees = {}
    for commit in commits:
        out = _git(root, "ls-tree", "-r", commit, "--", *KINDS).decode()
        files = {}
        for line in out.splitlines():
            meta, _, path = line.partition("\t")
            kind, _, name = path.partition("/")
            if kind in KINDS and "/" not in name and name.endswith(".yaml"):
                files[path] = meta.split()[2]
        trees[commit] = files
    return trees


def _blobs(root: Path, ids: set[str]) -> dict[str, bytes]:
    """The content of many blobs, read by one git process."""
    if not ids:
        return {}
    order = sorted(ids)
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in order).encode())
    found, pos = {}, 0
    for _ in order:
        header_end = out.index(b"\n", pos)
        blob, _, size = out[pos:header_end].decode().split(" ")
        start = header_end + 1
        found[blob] = out[start : start + int(size)]
        pos = start + int(size) + 1
    return found


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _raw(files: dict[str, bytes]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    for path, data in files.items():
        kind, _, name = path.partition("/")
        doc, _ = parse_yaml(data.decode("utf-8", "replace"), path)
        if doc is not None and isinstance(doc.data, dict):
            out[kind][name.removesuffix(".yaml")] = doc.data
    return out


def facts_at(files: dict[str, bytes]) -> dict:
    """The reader-facing facts of every claim and study at one revision."""
    raw = _raw(files)
    with tempfile.TemporaryDirectory(prefix="changelog-") as tmp:
        for path, data in files.items():
            target = Path(tmp) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        kb, problems = load_checked(Path(tmp), None, None)
    problems += validate(kb)
    ratings = rate(kb)
    problems += check_method(kb, ratings) + check_verdicts(kb, ratings)
    rated = not errors(problems)
    claims = {}
    for cid, data in raw["claims"].items():
        evidence = [e for e in data.get("evidence") or [] if isinstance(e, dict)]
        facts = {
            "title": " ".join(str(data.get("title") or cid).split()),
            "verdict": data.get("verdict"),
            "reason": data.get("verdict_reason"),
            "studies": {str(e.get("study")): e.get("direction") for e in evidence},
            "text": {field: _digest(data.get(field)) for field in PROSE if data.get(field) is not None},
            "certainty": None,
            "outcomes": {},
            "grade": {},
        }
        if rated and cid in kb.claims:
            facts["certainty"] = ratings.certainties[cid]
            for r in ratings.outcomes[cid]:
                facts["outcomes"][r.outcome.name] = r.label
                for domain, j in (r.outcome.grade or {}).items():
                    facts["grade"][f"{r.outcome.name}\x1f{domain}"] = [j.judgement, j.reason]
        claims[cid] = facts
    studies = {
        sid: {
            "citation": kb.studies[sid].short_citation if sid in kb.studies else sid,
            "fields": {k: _digest(v) for k, v in data.items()},
        }
        for sid, data in raw["studies"].items()
    }
    return {"claims": claims, "studies": studies}


def _load_cache(root: Path) -> dict:
    try:
        data = json.loads((root / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_cache(root: Path, cache: dict) -> None:
    path = root / CACHE_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(cache, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout builds the same log, only slower next time


def history_facts(root: Path) -> list[tuple[Revision, dict]]:
    """(revision, facts) for every revision that touched a record, oldest first."""
    revs = revisions(root)
    if not revs:
        return []
    try:
        trees = _trees(root, [r.commit for r in revs])
    except (OSError, subprocess.CalledProcessError):
        return []
    cache, version, dirty = _load_cache(root), code_version(), False
    keys = {r.commit: _digest([version, sorted(trees[r.commit].items())]) for r in revs}
    wanted = {blob for r in revs if keys[r.commit] not in cache for blob in trees[r.commit].values()}
    blobs = _blobs(root, wanted)
    out = []
    for r in revs:
        key = keys[r.commit]
        if key not in cache:
            cache[key] = facts_at({path: blobs[blob] for path, blob in trees[r.commit].items()})
            dirty = True
        out.append((r, cache[key]))
    if dirty:
        _save_cache(root, {keys[r.commit]: cache[keys[r.commit]] for r in revs})
    return out


def _verdict(facts: dict) -> str:
    label = LABELS.get(facts["verdict"], str(facts["verdict"]))
    reason = REASONS.get(facts["reason"] or "")
    return f"{label} ({reason[1]})" if reason else label


def _certainty(level: str) -> str:
    if level == NO_STUDIES:
        return "no cited study gave a usable result, so there is no certainty to rate"
    return f"certainty of the evidence {level}"


def _cite(sid: str, studies: dict) -> str:
    return studies.get(sid, {}).get("citation", sid)


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def first_notes(facts: dict, studies: dict) -> list[str]:
    """What a claim said when it was first published."""
    notes = [f"First published with the verdict {_verdict(facts)}."]
    if facts["certainty"]:
        notes.append(_certainty(facts["certainty"]).capitalize() + ".")
    n = len(facts["studies"])
    notes.append(f"It cited {n} stud{'y' if n == 1 else 'ies'}.")
    return notes


def claim_notes(old: dict, new: dict, studies: dict) -> list[str]:
    """What changed for a reader between two revisions of one claim, and why."""
    notes = []
    if old["verdict"] != new["verdict"]:
        notes.append(f"Verdict changed from {_verdict(old)} to {_verdict(new)}.")
    elif old["reason"] != new["reason"] and new["reason"] in REASONS:
        notes.append(f"The verdict's reason is now: {REASONS[new['reason']][1]}.")
    if new["certainty"] and not old["certainty"]:
        notes.append(
            f"{_certainty(new['certainty']).capitalize()} (the first revision the current rules, "
            f"version {RULES_VERSION}, can rate)."
        )
    elif new["certainty"] and old["certainty"] != new["certainty"]:
        notes.append(f"Certainty of the evidence changed from {old['certainty']} to {new['certainty']}.")
    if old["certainty"] and new["certainty"]:
        for name, label in new["outcomes"].items():
            before = old["outcomes"].get(name)
            if before is None:
                notes.append(f"New outcome rated: {name} ({label}).")
            elif before != label:
                notes.append(f"Certainty for {name} changed from {before} to {label}.")
        notes += _grade_notes(old["grade"], new["grade"])
    added = [s for s in new["studies"] if s not in old["studies"]]
    removed = [s for s in old["studies"] if s not in new["studies"]]
    if added:
        cited = [f"{_cite(s, studies)} ({DIRECTIONS.get(new['studies'][s], new['studies'][s])})" for s in added]
        notes.append(f"Studies added: {_list(cited)}.")
    if removed:
        notes.append(f"No longer cited: {_list([_cite(s, studies) for s in removed])}.")
    for sid, direction in new["studies"].items():
        before = old["studies"].get(sid)
        if before and before != direction:
            notes.append(
                f"{_cite(sid, studies)} now counts as {DIRECTIONS.get(direction, direction)} "
                f"(was {DIRECTIONS.get(before, before)})."
            )
    reworded = [PROSE[f] for f in PROSE if old["text"].get(f) != new["text"].get(f) and f in new["text"]]
    if reworded:
        notes.append(f"Reworded: {_list(reworded)}.")
    return notes


def _grade_notes(old: dict, new: dict) -> list[str]:
    """Each GRADE judgement that moved, with the reason now given (the 'why' of a certainty change)."""
    notes = []
    order = {d: i for i, d in enumerate(DOWNGRADES + UPGRADES)}
    for key in sorted(new, key=lambda k: (k.split("\x1f")[0], order.get(k.split("\x1f")[1], 99))):
        judgement, reason = new[key]
        before = old.get(key, [None, ""])[0]
        if before is not None and before != judgement:
            name, domain = key.split("\x1f")
            why = f": {' '.join(str(reason).split())}" if reason else ""
            notes.append(
                f"{name.capitalize()}, {domain.replace('-', ' ')}: now {judgement.replace('-', ' ')} "
                f"(was {before.replace('-', ' ')}){why}"
            )
    return [n if n.endswith(".") else n + "." for n in notes]


STUDY_FIELDS = {
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "url": "the address we read it at",
    "read_on": "the date we read it",
    "population": "who took part",
    "outcomes": "the findings",
    "effects": "the effect estimates",
    "arms": "the group results",
    "risk_of_bias": "the risk-of-bias appraisal",
    "appraisal": "the quality appraisal",
    "not_measured": "what it did not measure",
    "missing_fields": "what the page did not show",
    "third_party_copy": "why a copy on another site was read",
    "included_studies": "the studies in the review",
    "includes": "the trials in the review",
}


def study_notes(old: dict, new: dict) -> list[str]:
    """Which parts of a study's record were corrected."""
    changed = sorted(k for k in set(old["fields"]) | set(new["fields"]) if old["fields"].get(k) != new["fields"].get(k))
    if not changed:
        return []
    return [f"Record corrected: {_list([STUDY_FIELDS.get(k, k.replace('_', ' ')) for k in changed])}."]


def change_log(root: Path) -> list[Entry]:
    """Every reader-facing change to a claim or study, newest first."""
    entries: list[Entry] = []
    before: dict = {"claims": {}, "studies": {}}
    for revision, facts in history_facts(root):
        for cid, new in facts["claims"].items():
            old = before["claims"].get(cid)
            if old is None:
                notes, first = first_notes(new, facts["studies"]), True
            else:
                notes, first = claim_notes(old, new, facts["studies"]), False
            if notes:
                entries.append(Entry(revision, "claims", cid, new["title"], tuple(notes), first))
        for sid, new in facts["studies"].items():
            old = before["studies"].get(sid)
            notes = ["Added to the knowledge base."] if old is None else study_notes(old, new)
            if notes:
                entries.append(Entry(revision, "studies", sid, new["citation"], tuple(notes), old is None))
        before = facts
    return sorted(entries, key=lambda e: (e.revision.timestamp, e.kind, e.rid), reverse=True)


def latest_date(entries: list[Entry], fallback: str = "") -> str:
    """The date of the newest change, or `fallback` (e.g. the newest review date) outside git."""
    return entries[0].revision.date if entries else (fallback or dt.date.today().isoformat())
