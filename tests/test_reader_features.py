"""Reader-facing extras: summary of findings, forest plots, ClaimReview, exports, feed, map."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import records_builder
import rispy
import yaml
from conftest import CLAIM, STUDY, TODAY, write_kb

from build_tools.pages.changelog import Entry, change_log
from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check

EFFECT = """effects:
  - key: knee-pain
    outcome: pain
    comparison: backward walking vs control
    measure: mean difference
    value: {v}
    ci_low: {lo}
    ci_high: {hi}
    unit: points on a 0-10 scale
    higher_is: worse
"""
SECOND = STUDY.replace("smith-2020-test", "smith-2021-second").replace("10.1234/test.2020.1", "10.1234/second")
WITH_KEYS = CLAIM.replace("    change: reduces\n", "    change: reduces\n    effect_keys: [knee-pain]\n")
TWO_STUDY_CLAIM = WITH_KEYS.replace(
    "verdict: plausible",
    "  - study: smith-2021-second\n    direction: supports\n    applies_to: same\n"
    "    outcomes: {pain: supports}\n    note: Also less pain.\n"
    "verdict: plausible",
)
MINUS = "\u2212"


def model_for(root: Path, changes: list[Entry] | None = None):
    result = check(root, today=TODAY)
    assert result.ok, [p.format() for p in result.problems]
    return build_model(result.kb, result.ratings, changes, "https://example.org/site/")


def two_study_root(tmp_path: Path) -> Path:
    return write_kb(
        tmp_path,
        {
            "studies/smith-2020-test.yaml": STUDY + EFFECT.format(v=-1.2, lo=-1.8, hi=-0.6),
            "studies/smith-2021-second.yaml": SECOND + EFFECT.format(v=-0.5, lo=-1.1, hi=0.1),
            "claims/knee-pain.yaml": TWO_STUDY_CLAIM,
        },
    )


def test_two_comparable_estimates_give_a_forest_plot_with_a_text_alternative(tmp_path: Path) -> None:
    pages = render_pages(model_for(two_study_root(tmp_path)))
    svg = pages["plots/knee-pain-1.svg"]
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.find("s:title", ns).text == "Forest plot: pain: MD, points on a 0-10 scale"
    desc = root.find("s:desc", ns).text
    assert f"Smith and Doe 2020: {MINUS}1.2 [{MINUS}1.8, {MINUS}0.6]" in desc
    assert f"Smith and Doe 2020: {MINUS}0.5 [{MINUS}1.1, 0.1]" in desc
    assert "left favours backward walking" in desc  # lower pain is better
    assert len(root.findall("s:rect", ns)) == 2  # one square per study, sized by weight
    assert len(root.findall("s:polygon", ns)) == 1  # the pooled diamond
    assert "our random-effects pool of 2 studies" in desc
    page = pages["claims/knee-pain.md"]
    assert '<figure class="forest"><svg' in page and "Forest plot: pain" in page
    assert '<a href="../plots/knee-pain-1.svg">Download the plot (SVG)</a>' in page


def test_one_estimate_gives_a_table_row_and_no_plot(tmp_path: Path) -> None:
    root = write_kb(
        tmp_path,
        {
            "studies/smith-2020-test.yaml": STUDY + EFFECT.format(v=-1.2, lo=-1.8, hi=-0.6),
            "claims/knee-pain.yaml": WITH_KEYS,
        },
    )
    pages = render_pages(model_for(root))
    assert not [name for name in pages if name.startswith("plots/")]
    page = pages["claims/knee-pain.md"]
    row = (
        "| Knee pain (critical) | 1.2 points on a 0-10 scale lower with backward walking \\(better\\). "
        f"MD {MINUS}1.2 \\(95% CI {MINUS}1.8 to {MINUS}0.6\\) points on a 0-10 scale (Smith and Doe 2020) | "
        "60 \\(1 study\\) | ●●●○ moderate [^pain-imprecision] | "
        "Backward walking probably reduces knee pain. |"
    )
    assert row in page
    assert "No forest plot" not in page  # no note for readers when there is nothing to plot


def test_claim_page_head_carries_a_valid_claimreview(tmp_path: Path) -> None:
    page = render_pages(model_for(write_kb(tmp_path)))["claims/knee-pain.md"]
    meta = yaml.safe_load(page.split("---\n")[1])
    review = json.loads(meta["claimreview"])
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "https://example.org/site/kb/claims/knee-pain/"
    assert review["claimReviewed"] == "Walking backwards eases knee pain in knee osteoarthritis."
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 3,
        "worstRating": 1,
        "name": "Plausible",
        "alternateName": "Plausible: early or low-certainty evidence",
    }
    assert review["itemReviewed"]["appearance"][0]["headline"] == "A test article"
    # The claim's author (the outlet that made it), our organisation with its address, and dates.
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Test Outlet"}
    assert review["author"] == {
        "@type": "Organization",
        "name": "Walking Backwards, Checked",
        "url": "https://example.org/site/",
    }
    assert review["datePublished"] == review["dateModified"] == "2026-11-01"  # outside git: the review date
    assert meta["tags"] == ["Plausible", "Knees"]


def test_exports_parse_back(tmp_path: Path) -> None:
    pages = render_pages(model_for(write_kb(tmp_path)))
    data = json.loads(pages["downloads/knowledge-base.json"])
    # Put together from per-record pieces, it is the same text as encoding it in one go.
    one_go = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert pages["downloads/knowledge-base.json"] == one_go
    assert [c["record"]["id"] for c in data["claims"]] == ["knee-pain"]
    assert data["studies"][1]["computed"]["strength"] == "moderate"
    rows = list(csv.DictReader(io.StringIO(pages["downloads/claims.csv"])))
    assert rows[0]["verdict"] == "plausible" and rows[0]["studies"] == "smith-2020-test"
    ris = rispy.loads(pages["downloads/smith-2020-test.ris"])[0]
    assert ris["authors"] == ["Smith, Jane", "Doe, John"] and ris["doi"] == "10.1234/test.2020.1"
    csl = json.loads(pages["downloads/smith-2020-test.json"])[0]
    assert csl["author"][0] == {"family": "Smith", "given": "Jane"} and csl["issued"] == {"date-parts": [[2020]]}
    assert "@article{smith-2020-test," in pages["downloads/smith-2020-test.bib"]
    assert json.loads(pages["schemas/knowledge-base.schema.json"])["required"] == ["claims", "studies", "sources"]


def commit(root: Path, message: str, when: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_history_and_feed_say_what_changed_for_a_reader(tmp_path: Path) -> None:
    """The change log compares the records at each revision; commit messages never reach readers."""
    root = write_kb(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    commit(root, "first message", "2026-11-01T09:00:00+00:00")
    lowered = CLAIM.replace("verdict: plausible", "verdict: overstated").replace(
        "verdict_reason: low-certainty", "verdict_reason: beyond-findings"
    )
    with_second = lowered.replace(
        "verdict: overstated",
        "  - study: jones-2018-lab\n    direction: related\n    applies_to: different\n"
        "    note: The closest lab study.\nverdict: overstated",
    )
    write_kb(root, {"claims/knee-pain.yaml": with_second})
    commit(root, "SECRET commit subject", "2026-11-20T15:30:00+00:00")
    entries = change_log(root)
    pages = render_pages(model_for(root, entries))
    page = pages["claims/knee-pain.md"]
    assert "SECRET" not in page and "SECRET" not in pages["feed.xml"]
    changed = "Verdict changed from Plausible \\(early or low-certainty evidence\\) to Overstated"
    assert f"**20 November 2026:** {changed}" in page
    assert "Studies added: Smith and Doe 2020" not in page  # the first study was there from the start
    assert "Studies added: Jones 2018 \\(related only\\)." in page
    assert "**1 November 2026:** First published with the verdict Plausible" in page
    feed = ET.fromstring(pages["feed.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries_xml = feed.findall("a:entry", ns)
    claim_entries = [e for e in entries_xml if "/claims/" in e.find("a:link", ns).get("href")]
    assert claim_entries[0].find("a:summary", ns).text.startswith("Verdict changed from Plausible")
    assert claim_entries[0].find("a:updated", ns).text == "2026-11-20T15:30:00+00:00"
    assert claim_entries[0].find("a:link", ns).get("href") == "https://example.org/site/kb/claims/knee-pain/"
    assert feed.find("a:link[@rel='self']", ns).get("href") == "https://example.org/site/kb/feed.xml"
    # The log is cached by revision: a second run reads it back and gives the same entries.
    assert change_log(root) == entries


def test_feed_links_resolve_without_a_site_address(tmp_path: Path) -> None:
    """Without site_url the feed's links are relative to the feed (kb/feed.xml), not to the site root."""
    from build_tools.pages.history import atom_feed

    root = write_kb(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    commit(root, "first", "2026-11-01T09:00:00+00:00")
    result = check(root, today=TODAY)
    feed = ET.fromstring(atom_feed(change_log(root), result.kb))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    hrefs = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    assert "claims/knee-pain/" in hrefs and not any(h.startswith("kb/") for h in hrefs)
    assert feed.find("a:link[@rel='self']", ns).get("href") == "feed.xml"


def test_outside_git_the_feed_is_dated_by_the_newest_review(tmp_path: Path) -> None:
    pages = render_pages(model_for(write_kb(tmp_path)))
    assert "<updated>2026-11-01T00:00:00Z</updated>" in pages["feed.xml"]
    assert "built without its history" in pages["claims/knee-pain.md"]


def test_evidence_map_counts_kinds_and_flags_untested_claims(tmp_path: Path) -> None:
    related = records_builder.claim(
        [records_builder.link("smith-2020-test", "related")], [records_builder.outcome()], "overstated", "untested"
    )
    pages = render_pages(model_for(write_kb(tmp_path, {"claims/knee-pain.yaml": related})))
    assert "| – | – | – | **no: untested** |" in pages["evidence-map.md"]
    pages = render_pages(model_for(write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM})))
    row = next(line for line in pages["evidence-map.md"].splitlines() if line.startswith("| [Knee pain]"))
    # One trial of 60 people: a disc whose area grows with the people studied, the count and the best rating.
    assert '<span class="map-disc" style="width: 13px; height: 13px"' in row
    assert "1 study<br>60 people<br>best: moderate</span></span> | – | yes |" in row


def test_every_verdict_has_a_published_rating_value() -> None:
    from build_tools.pages.structured_data import RATING_SCALE
    from build_tools.records.model import VERDICTS

    assert list(RATING_SCALE) == list(VERDICTS)
    assert sorted(RATING_SCALE.values(), reverse=True) == list(RATING_SCALE.values())
