"""The site step: complete or nothing, verified against the records, byte-identical twice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY

from build_tools.pages import render
from build_tools.pipeline import check
from build_tools.site.build import run_mkdocs_build, verify_site


def fake_site(
    root: Path,
    claims: list[str],
    studies: list[str],
    indexed: list[str],
    screening: tuple[str, ...] = ("tests",),
    sources: tuple[str, ...] = (),
) -> Path:
    site = root / "site"
    indexed = indexed + [f"kb/screening/{topic}/" for topic in screening]
    for kind, ids in (("claims", claims), ("studies", studies), ("screening", screening), ("sources", sources)):
        for rid in ids:
            (site / "kb" / kind / rid).mkdir(parents=True)
            (site / "kb" / kind / rid / "index.html").write_text("<html></html>")
    (site / "search").mkdir(parents=True)
    docs = [{"location": loc, "title": "", "text": ""} for loc in indexed]
    (site / "search" / "search_index.json").write_text(json.dumps({"docs": docs}))
    return site


def test_verify_site_accepts_a_complete_site(kb_root: Path) -> None:
    kb = check(kb_root, today=TODAY).kb
    site = fake_site(
        kb_root,
        ["knee-pain"],
        ["smith-2020-test", "jones-2018-lab"],
        ["kb/claims/knee-pain/", "kb/studies/smith-2020-test/", "kb/studies/jones-2018-lab/#who"]
        + ["kb/sources/test-article/"],
        sources=("test-article",),
    )
    assert verify_site(site, kb) == []


def test_verify_site_names_missing_and_extra_pages_and_search_entries(kb_root: Path) -> None:
    kb = check(kb_root, today=TODAY).kb
    site = fake_site(
        kb_root, ["knee-pain", "ghost"], ["smith-2020-test"], ["kb/claims/knee-pain/", "kb/studies/smith-2020-test/"]
    )
    assert verify_site(site, kb) == [
        "the built site has a page kb/claims/ghost/ with no record",
        "studies/jones-2018-lab.yaml has no page in the built site",
        "studies/jones-2018-lab.yaml is missing from the search index",
        # A source (a popular article) has its page too.
        "sources/test-article.yaml has no page in the built site",
        "sources/test-article.yaml is missing from the search index",
    ]


def test_verify_site_names_a_screening_log_without_its_page(kb_root: Path) -> None:
    kb = check(kb_root, today=TODAY).kb
    studies = ["smith-2020-test", "jones-2018-lab"]
    indexed = ["kb/claims/knee-pain/", "kb/studies/smith-2020-test/", "kb/studies/jones-2018-lab/"]
    indexed += ["kb/sources/test-article/"]
    site = fake_site(kb_root, ["knee-pain"], studies, indexed, screening=(), sources=("test-article",))
    assert verify_site(site, kb) == [
        "screening/tests.yaml has no page in the built site",
        "screening/tests.yaml is missing from the search index",
    ]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its real records, to build sites in."""
    root = tmp_path_factory.mktemp("project")
    for name in (
        "mkdocs.yml",
        "CONTRIBUTING.md",
        "build_tools",
        "docs",
        "overrides",
        "claims",
        "studies",
        "sources",
        "screening",
    ):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("kb", "__pycache__"))
        else:
            shutil.copy(src, root / name)
    return root


def build(root: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(root), "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        check=False,
        env={"SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"},
    )


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(project, first).returncode == 0
    assert build(project, second).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


def test_a_failed_build_leaves_the_previous_site_untouched(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(project, site).returncode == 0
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    broken = project / "docs" / "methodology.md"
    good = broken.read_text()
    broken.write_text(good + "\n[a broken link](nowhere.md)\n")
    try:
        proc = build(project, site)
    finally:
        broken.write_text(good)
    assert proc.returncode != 0
    assert "the existing site was left as it was" in proc.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert not list(tmp_path.glob(".site-build-*"))


def primary_nav(site: Path, study: str) -> str:
    page = (site / "kb" / "studies" / study / "index.html").read_text()
    start = page.index('<nav class="md-nav md-nav--primary"')
    return page[start : page.index('class="md-content"', start)]  # the side bar, up to the content


def test_past_the_nav_limit_record_pages_leave_the_nav_but_not_the_site(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = "alghadir-2019-retro-walking-knee-oa"  # a randomised trial, like Gondhalekar and Deo 2013
    assert run_mkdocs_build(project, tmp_path / "listed") == 0
    assert "gondhalekar-2013" in primary_nav(tmp_path / "listed", study)
    # In this process, so the lowered limit reaches the hook: 24 claims and 32 studies are "many".
    monkeypatch.setattr(render, "NAV_LIMIT", 5)
    site = tmp_path / "site"
    assert run_mkdocs_build(project, site) == 0  # strict: pages outside the nav are not a warning
    assert verify_site(site, check(project, today=TODAY).kb) == []
    nav = primary_nav(site, study)
    assert "Studies" in nav and "gondhalekar-2013" not in nav
