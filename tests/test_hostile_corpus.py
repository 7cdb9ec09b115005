"""The hostile corpus (tests/hostile/manifest.yaml): every case has the outcome the manifest
gives it. Refused inputs are refused with a located message; accepted ones are built into one
combined site, which is scanned file by file and opened page by page in Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import serve
from hostile_corpus import (
    CLASSES,
    SITE_MARKER,
    WORK_MARKER,
    Case,
    combined_project,
    expected_fragments,
    load_cases,
    special,
    write_case,
)
from hostile_corpus import run_check as check_project
from site_scan import scan_site

CASES = load_cases()
BY_OUTCOME = {kind: [c for c in CASES if c.expect == kind] for kind in ("refused", "accepted", "ignored", "error")}


def test_the_corpus_is_large_and_covers_every_class() -> None:
    assert len(CASES) >= 100
    assert {c.cls for c in CASES} == set(CLASSES)
    assert len({c.id for c in CASES}) == len(CASES)
    assert all(c.expect in BY_OUTCOME for c in CASES)
    assert all(c.problem for c in CASES if c.expect in ("refused", "error"))


def outcome_of(case: Case, tmp_path: Path):
    root = tmp_path / "project"
    if case.special:
        return special(root, case)
    write_case(root, case)
    return check_project(root)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect != "accepted"], ids=lambda c: f"{c.cls}:{c.id}")
def test_hostile_case_has_its_outcome(case: Case, tmp_path: Path) -> None:
    outcome = outcome_of(case, tmp_path)
    shown = "\n".join(outcome.lines)
    # Whatever the case, every message line is printable (no escape codes, no forged lines).
    assert all(line.isprintable() for line in outcome.lines), shown
    assert "Traceback" not in shown and "files in the project changed" not in shown, shown
    if case.expect == "ignored":
        assert outcome.ok, shown
        return
    assert not outcome.ok, shown
    fragments = expected_fragments(case)
    assert any(all(f in line for f in fragments) for line in outcome.lines), f"{fragments}\n{shown}"


@pytest.mark.parametrize("case", BY_OUTCOME["accepted"], ids=lambda c: f"{c.cls}:{c.id}")
def test_accepted_case_passes_the_check(case: Case, tmp_path: Path) -> None:
    outcome = outcome_of(case, tmp_path)
    assert outcome.ok, "\n".join(outcome.lines)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every accepted case in one project, built once, into a site folder an earlier build
    wrote (its stale file must go) beside the work folder of a killed build (it must go too)."""
    base = tmp_path_factory.mktemp("hostile")
    root = combined_project(base / "project", BY_OUTCOME["accepted"])
    site = base / "site"
    site.mkdir()
    (site / SITE_MARKER).write_text("an earlier build\n")
    (site / "stale.html").write_text("<p>from an earlier build</p>")
    leftover = base / ".site-build-killed"
    leftover.mkdir()
    (leftover / WORK_MARKER).write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(root), "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (site / "stale.html").exists() and not leftover.exists()
    return site


def test_the_hostile_site_holds_nothing_a_browser_could_run(hostile_site: Path) -> None:
    studies = len(list((hostile_site / "kb" / "studies").glob("*/index.html")))
    assert studies == 2 + sum(c.record == "studies" for c in BY_OUTCOME["accepted"])
    assert scan_site(hostile_site, studies) == {}


class _Content(HTMLParser):
    """The elements of a page's article, without their text."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.tags = 0, []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.depth or ("class", "md-content__inner md-typeset") in attrs:
            self.depth += 1
            self.tags.append((tag, dict(attrs).get("class", "")))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def content_structure(page: Path) -> list:
    parser = _Content()
    parser.feed(page.read_text(encoding="utf-8"))
    return [(tag, cls) for tag, cls in parser.tags if tag != "a" or "headerlink" not in cls]


def test_hostile_claim_pages_have_the_structure_of_a_plain_one(hostile_site: Path) -> None:
    # A claim page's elements are the template's: no heading, admonition, list or table of a record's making.
    plain = content_structure(hostile_site / "kb" / "claims" / "knee-pain" / "index.html")
    claims = [c for c in BY_OUTCOME["accepted"] if c.record == "claims"]
    different = [c.id for c in claims if content_structure(hostile_site / "kb/claims" / c.rid / "index.html") != plain]
    assert claims and different == []


def test_every_page_of_the_hostile_site_opens_in_chromium_without_a_dialog(hostile_site: Path, chromium) -> None:
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("index.html"))
    kinds = {re.sub(r"kb/(claims|studies)/[^/]+/", r"kb/\1/<id>/", p) for p in pages}
    assert {"index.html", "kb/claims/<id>/index.html", "kb/studies/<id>/index.html", "kb/claims/index.html"} <= kinds
    server, base = serve(hostile_site)
    dialogs, outside, errors = [], [], []
    page = chromium.new_page()
    try:
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type} {d.message}"), d.dismiss()))
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))

        def route(r) -> None:
            if r.request.url.startswith(base):
                r.continue_()
            else:
                outside.append(f"{page.url} asked for {r.request.url}")
                r.abort()

        page.route("**/*", route)
        for rel in pages:
            page.goto(base + rel.removesuffix("index.html"), wait_until="load")
    finally:
        page.close()
        server.shutdown()
    assert len(pages) > 40
    assert dialogs == [] and outside == [] and errors == []
