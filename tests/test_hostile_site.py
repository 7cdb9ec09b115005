"""If hostile text ever got past the check, the rendered site would still show it as text.

The records below skip validation on purpose (typed records are built directly), then go
through the real render step and a real MkDocs build; the HTML is parsed for anything a
browser could run that came from the records. Identifiers (DOI, PMID, URL) carry the payloads
too: the stored script of issue 12 came through the DOI. Every payload is in one site, built once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import CLAIM, LAB_STUDY, ROOT, SOURCE, STUDY
from site_scan import scan_site

from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pages.sync import sync_pages
from build_tools.rating.rules import rate
from build_tools.records.model import (
    KnowledgeBase,
    Located,
    claim_from_dict,
    screening_from_dict,
    source_from_dict,
    study_from_dict,
)
from build_tools.records.yaml_source import Document

MARK = "pwned1337"
# A screening log: every text in it (titles, notes, queries, authors) becomes the payload too.
SCREENING = """\
topic: knee
title: Knee
claims: [knee-pain]
searches:
  - {id: knee-01, date: 2026-10-01, where: stored-pages, query: "backward walking", hits: 3}
candidates:
  - {id: smith-2020-test, first_author: Smith, year: 2020, title: "A trial", doi: "10.1234/test.2020.1",
     found_by: [knee-01], design: rct, decision: included, study: smith-2020-test, note: "Read."}
  - {id: jones-2018-lab, first_author: Jones, year: 2018, title: "A lab study", pmid: "12345678",
     found_by: [knee-01], design: cross-sectional, decision: included, study: jones-2018-lab}
  - {id: a-2019-x, first_author: A, year: null, title: "Other", url: "https://example.org/a",
     found_by: [knee-01], design: rct, decision: excluded, reason: no-claim-outcome, note: "No outcome."}
"""
PAYLOADS = [
    f"<script>alert('{MARK}')</script>",
    f"<img src=x onerror=\"alert('{MARK}')\">",
    f"[click](javascript:alert('{MARK}'))",
    f"Pain fell. {{: onclick=\"alert('{MARK}')\" }}",
    f"<a href=\"javascript:alert('{MARK}')\">x</a>",
    f"</title><script>alert('{MARK}')</script>",
]


def hostile(data: object, payload: str) -> object:
    """Replace every text value (but ids and enum values) with the payload."""
    keep = {
        "id",
        "study",
        "source",
        "direction",
        "applies_to",
        "verdict",
        "topic",
        "design",
        "domain",
        "severity",
        "read_on",
        "last_reviewed",
        "measure",
        "stance",
        "importance",
        "change",
        "judgement",
        "verdict_reason",
        "exercise",
        "key",
        "higher_is",
        "items",
        "effect_keys",
        "date",
        "where",
        "decision",
        "reason",
        "found_by",
        "claims",
        "of_study",
    }
    if isinstance(data, dict):
        return {
            # An evidence link's outcomes map outcome ids to directions: both are identifiers.
            k: (v if k in keep or (k == "outcomes" and isinstance(v, dict)) else hostile(v, payload))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [hostile(v, payload) for v in data]
    return payload if isinstance(data, str) else data


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.in_script = False
        self.json_ld: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.in_script = tag == "script" and ("type", "application/ld+json") not in attrs
        if tag == "script" and ("type", "application/ld+json") in attrs:
            self.json_ld.append("")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.bad.append(f"<{tag} {name}=...>")
            if name in ("href", "src") and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.bad.append(f"<{tag} {name}={value[:40]}>")

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and MARK in data:
            self.bad.append("script containing the payload")
        elif self.lasttag == "script" and self.json_ld and not self.json_ld[-1]:
            self.json_ld[-1] = data


PAYLOADS.append(f"10.5555/x\"<img/src/onerror=alert('{MARK}')>")  # the DOI that ran on every claim page


def test_hostile_text_is_inert_in_the_built_site(tmp_path: Path) -> None:
    kb = KnowledgeBase()
    for n, payload in enumerate(PAYLOADS):
        for text, builder, table in (
            (SOURCE, source_from_dict, kb.sources),
            (STUDY, study_from_dict, kb.studies),
            (LAB_STUDY, study_from_dict, kb.studies),
            (CLAIM, claim_from_dict, kb.claims),
            (SCREENING, screening_from_dict, kb.screening),
        ):
            data = hostile(yaml.safe_load(text), payload)
            for key in ("read_on", "last_reviewed"):
                if key in data:
                    data[key] = str(data[key])
            # One copy of every record per payload, each with its own ids.
            if builder is screening_from_dict:
                data["topic"] = f"{data['topic']}-p{n}"
                data["claims"] = [f"{c}-p{n}" for c in data["claims"]]
                for search in data["searches"]:
                    search["id"] = f"{search['id']}-p{n}"
                    search["date"] = str(search["date"])
                for c in data["candidates"]:
                    c["id"] = f"{c['id']}-p{n}"
                    c["found_by"] = [f"{s}-p{n}" for s in c["found_by"]]
                    if "study" in c:
                        c["study"] = f"{c['study']}-p{n}"
            else:
                data["id"] = f"{data['id']}-p{n}"
            for link in data.get("evidence", []):
                link["study"] = f"{link['study']}-p{n}"
            for said in data.get("claimed_by", []):
                said["source"] = f"{said['source']}-p{n}"
            for statement in data.get("statements", []):
                if "claim" in statement:
                    statement["claim"] = f"{statement['claim']}-p{n}"
            record = builder(data, Located(tmp_path / "x.yaml", "x.yaml", Document(data)))
            table[record.id] = record
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("kb"))
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    shutil.copy(ROOT / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    sync_pages(render_pages(build_model(kb, rate(kb))), tmp_path / "docs" / "kb")
    # The hand-written safety page links to real study pages; keep only the generated site's own links.
    (tmp_path / "docs" / "try-it-safely.md").write_text("# How to try it safely\n")
    config = (ROOT / "mkdocs.yml").read_text().replace("hooks:\n  - build_tools/site/mkdocs_hook.py\n", "")
    config = config.replace("  - build_tools/pages/templates\n", "  - docs\n")
    (tmp_path / "mkdocs.yml").write_text(config)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    bad, seen = [], 0
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        seen += MARK in html
        collector = Collector()
        collector.feed(html)
        bad += [f"{page.relative_to(tmp_path)}: {b}" for b in collector.bad]
        for block in collector.json_ld:  # data, not code: it must stay one valid JSON value
            json.loads(block)
    assert seen, "the payload should appear, as text"
    assert bad == []
    assert scan_site(tmp_path / "site", len(kb.studies)) == {}
    # The screening pages and the claims' settle blocks show it too, as text.
    for n in range(len(PAYLOADS)):
        page = tmp_path / "site" / "kb" / "screening" / f"knee-p{n}" / "index.html"
        assert MARK in page.read_text(encoding="utf-8")
    assert MARK in (tmp_path / "site" / "kb" / "gaps" / "index.html").read_text(encoding="utf-8")
