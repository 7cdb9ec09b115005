"""Change history from git: what changed in each record, when, and an Atom feed of updates.

Everything here is read from git, so two builds of one commit write the same history.
Outside a git checkout there is simply no history to show.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from build_tools.records.grammar import UNSAFE_CHARACTER
from build_tools.records.model import KnowledgeBase

FEED_ENTRIES = 40


@dataclass(frozen=True)
class Change:
    date: str  # YYYY-MM-DD
    commit: str  # short hash
    subject: str
    path: str  # e.g. claims/balance.yaml


def record_changes(root: Path) -> list[Change]:
    """Every commit touching a record file, newest first (empty outside a git checkout)."""
    command = [
        "git",
        "-C",
        str(root),
        "log",
        "--date=short",
        "--format=\x1e%h\x1f%ad\x1f%s",
        "--name-only",
        "--",
        "claims",
        "studies",
    ]
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    changes = []
    for block in out.split("\x1e")[1:]:
        header, *paths = block.strip("\n").split("\n")
        commit, date, subject = header.split("\x1f", 2)
        changes += [Change(date, commit, subject, p) for p in paths if p.endswith(".yaml")]
    return changes


def escape(text: str) -> str:
    """Text for the feed's XML, on one line: control characters (which XML forbids, and which a
    commit subject may hold) removed, then escaped."""
    return xml_escape(" ".join(UNSAFE_CHARACTER.sub(" ", text).split()))


def history_by_record(changes: list[Change]) -> dict[str, list[Change]]:
    """Changes grouped by record path."""
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        grouped.setdefault(change.path, []).append(change)
    return grouped


def atom_feed(changes: list[Change], kb: KnowledgeBase, site_url: str = "") -> str:
    """An Atom feed of the latest changes to claims and studies."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = []
    for change in changes[:FEED_ENTRIES]:
        kind, _, name = change.path.partition("/")
        rid = name.removesuffix(".yaml")
        record = (kb.claims if kind == "claims" else kb.studies).get(rid)
        if record is None:
            continue  # a record since removed
        label = record.title if kind == "claims" else f"{record.short_citation}: {record.title}"
        link = f"{base}kb/{kind}/{rid}/"
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(label)}</title>\n"
            f"    <link href={quoteattr(link)}/>\n"
            f"    <id>tag:backwards-walking-evidence,{change.date}:{change.commit}/{escape(change.path)}</id>\n"
            f"    <updated>{change.date}T00:00:00Z</updated>\n"
            f"    <summary>{escape(change.subject)}</summary>\n"
            "  </entry>\n"
        )
    updated = changes[0].date if changes else "1970-01-01"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <title>Walking Backwards, Checked: updates</title>\n"
        f'  <link href={quoteattr(base + "kb/feed.xml")} rel="self"/>\n'
        "  <id>tag:backwards-walking-evidence,2026:feed</id>\n"
        f"  <updated>{updated}T00:00:00Z</updated>\n"
        "  <author><name>Walking Backwards, Checked</name></author>\n" + "".join(entries) + "</feed>\n"
    )
