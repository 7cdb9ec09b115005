"""Change history for readers: each record's editorial change log, and the Atom feed of updates.

The entries come from pages.changelog, which works out what changed from the records at each
revision, so two builds of one commit write the same history. Outside a git checkout there is
no history to show, and the feed's date falls back to the newest review date.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from build_tools.pages.changelog import Entry, latest_date
from build_tools.records.grammar import UNSAFE_CHARACTER
from build_tools.records.model import KnowledgeBase

FEED_ENTRIES = 40
FEED_PATH = "kb/feed.xml"


def escape(text: str) -> str:
    """Text for the feed's XML, on one line: control characters (which XML forbids, and which
    record text may hold) removed, then escaped."""
    return xml_escape(" ".join(UNSAFE_CHARACTER.sub(" ", text).split()))


def history_by_record(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Entries grouped by record ('claims/<id>', 'studies/<id>'), newest first."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        grouped.setdefault(f"{entry.kind}/{entry.rid}", []).append(entry)
    return grouped


def corrections(entries: list[Entry]) -> list[Entry]:
    """The entries the corrections log shows: every claim change, and every correction of a
    study's record (a study's first appearance is told by the claim that cites it)."""
    return [e for e in entries if e.kind == "claims" or not e.first]


def feed_title(entry: Entry) -> str:
    if entry.kind == "studies":
        return f"Study {entry.title}: {'added' if entry.first else 'record corrected'}"
    return f"{entry.title}: {'first published' if entry.first else 'updated'}"


def atom_feed(entries: list[Entry], kb: KnowledgeBase, site_url: str = "") -> str:
    """An Atom feed of the latest editorial changes, each saying what changed for a reader.

    Links are absolute when the site's address is known; otherwise relative to the feed itself
    (kb/feed.xml), so a feed reader resolves them to the right pages either way."""
    base = site_url.rstrip("/") + "/kb/" if site_url else ""
    shown = [e for e in entries if (kb.claims if e.kind == "claims" else kb.studies).get(e.rid) is not None]
    items = []
    for entry in shown[:FEED_ENTRIES]:
        link = f"{base}{entry.kind}/{entry.rid}/"
        items.append(
            "  <entry>\n"
            f"    <title>{escape(feed_title(entry))}</title>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>\n'
            f"    <id>tag:backwards-walking-evidence,{entry.revision.date}:{entry.revision.short}/"
            f"{escape(entry.kind)}/{escape(entry.rid)}</id>\n"
            f"    <updated>{entry.revision.timestamp}</updated>\n"
            f"    <summary>{escape(' '.join(entry.notes))}</summary>\n"
            "  </entry>\n"
        )
    fallback = max((c.last_reviewed for c in kb.claims.values()), default="")
    updated = shown[0].revision.timestamp if shown else f"{latest_date([], fallback)}T00:00:00Z"
    self_link = f"{base}feed.xml" if base else "feed.xml"
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "  <title>Walking Backwards, Checked: updates</title>\n"
        "  <subtitle>What changed in each claim's verdict, certainty and evidence, and why.</subtitle>\n"
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_link)}/>\n'
        "  <id>tag:backwards-walking-evidence,2026:feed</id>\n"
        f"  <updated>{updated}</updated>\n"
        "  <author><name>Walking Backwards, Checked</name></author>\n" + "".join(items) + "</feed>\n"
    )
