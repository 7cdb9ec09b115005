"""The site folder: never the project's own folders, only a folder a build wrote is replaced,
one build at a time, leftovers of killed builds removed, and no moment without a site."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, write_kb

from build_tools.pipeline import check
from build_tools.site import build as build_module
from build_tools.site.build import build_site
from build_tools.site.site_dir import MARKER, WORK_MARKER, exchange


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def with_site_sources(root: Path) -> Path:
    """The project's mkdocs.yml, docs and theme overrides beside the records, so a real build runs."""
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("kb"))
    shutil.copy(ROOT / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    (root / "docs" / "try-it-safely.md").write_text("# How to try it safely\n")
    config = (ROOT / "mkdocs.yml").read_text().replace("build_tools/", f"{ROOT}/build_tools/")
    (root / "mkdocs.yml").write_text(config)
    return root


def test_build_into_the_claims_folder_is_refused_and_deletes_nothing(kb_root: Path) -> None:
    with_site_sources(kb_root)
    before = snapshot(kb_root)
    proc = subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(kb_root), "build", "--site-dir", str(kb_root / "claims")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "lies in the project's claims/ folder" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(kb_root) == before


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch):
    """The build without MkDocs: each 'build' writes a one-page site saying which build it was."""
    count = []

    def run_mkdocs_build(root: Path, out: Path) -> int:
        count.append(1)
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text(f"build {len(count)}")
        return 0

    monkeypatch.setattr(build_module, "run_mkdocs_build", run_mkdocs_build)
    monkeypatch.setattr(build_module, "verify_site", lambda site, kb: [])
    return count


def built(root: Path, site_dir: Path) -> int:
    return build_site(root, site_dir, check(root, today=TODAY).kb)


@pytest.mark.parametrize(
    "where", ["claims", "studies", "sources", "docs", "docs/kb", "build_tools", "claims/new", ".", "..", "/", ".git"]
)
def test_the_project_and_its_source_folders_are_refused(kb_root: Path, fake_engine, where: str, capsys) -> None:
    (kb_root / "docs").mkdir()
    (kb_root / "docs" / "index.md").write_text("# Home\n")
    kb = check(kb_root, today=TODAY).kb
    before = snapshot(kb_root)
    assert build_site(kb_root, kb_root / where, kb) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert snapshot(kb_root) == before and fake_engine == []


def test_an_existing_folder_without_the_marker_is_not_replaced(kb_root: Path, fake_engine, capsys) -> None:
    other = kb_root / "my-notes"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert built(kb_root, other) == 1
    assert f"has no {MARKER} marker" in capsys.readouterr().err
    assert snapshot(other) == {"notes.txt": b"mine"}


def test_a_folder_an_earlier_build_wrote_is_replaced(kb_root: Path, fake_engine) -> None:
    site = kb_root / "site"
    assert built(kb_root, site) == 0
    assert (site / MARKER).is_file() and (site / "index.html").read_text() == "build 1"
    assert built(kb_root, site) == 0
    assert (site / "index.html").read_text() == "build 2"
    assert not list(kb_root.glob(".site-build-*"))


@pytest.mark.parametrize("odd", ["file", "symlink", "under-a-file"])
def test_an_odd_site_folder_gets_a_message_not_a_traceback(kb_root: Path, fake_engine, odd: str, capsys) -> None:
    target = kb_root / "target"
    if odd == "file":
        target.write_text("a file")
        site = target
    elif odd == "symlink":
        target.mkdir()
        site = kb_root / "link"
        site.symlink_to(target)
    else:
        target.write_text("a file")
        site = target / "site"
    assert built(kb_root, site) == 1
    assert capsys.readouterr().err.startswith("build: ")


def test_an_unwritable_place_gets_a_message(kb_root: Path, fake_engine, monkeypatch, capsys) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    assert built(kb_root, kb_root / "site") == 1
    assert "cannot write the site into" in capsys.readouterr().err


def test_the_work_folders_of_killed_builds_are_removed(kb_root: Path, fake_engine) -> None:
    leftover = kb_root / ".site-build-killed1"
    leftover.mkdir()
    (leftover / WORK_MARKER).write_text("")
    (leftover / "site").mkdir()
    unrelated = kb_root / ".site-build-not-ours"
    unrelated.mkdir()
    assert built(kb_root, kb_root / "site") == 0
    assert not leftover.exists() and unrelated.exists()


def test_a_second_build_of_the_same_folder_waits_its_turn(kb_root: Path, fake_engine, capsys) -> None:
    with open(kb_root / ".site.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert built(kb_root, kb_root / "site") == 1
    assert "another build is writing this site folder" in capsys.readouterr().err
    assert fake_engine == [] and not (kb_root / "site").exists()


def test_there_is_no_moment_without_a_site(kb_root: Path, fake_engine, monkeypatch) -> None:
    site = kb_root / "site"
    assert built(kb_root, site) == 0
    gaps = []
    for name in ("rename", "replace"):
        original = getattr(os, name)

        def watched(*args, _original=original, **kwargs):
            result = _original(*args, **kwargs)
            if not (site / "index.html").is_file():
                gaps.append(args)
            return result

        monkeypatch.setattr(os, name, watched)
    original_rmtree = shutil.rmtree

    def watched_rmtree(path, *args, **kwargs):
        original_rmtree(path, *args, **kwargs)
        if not (site / "index.html").is_file():
            gaps.append(path)

    monkeypatch.setattr(shutil, "rmtree", watched_rmtree)
    assert built(kb_root, site) == 0
    assert (site / "index.html").read_text() == "build 2"
    assert gaps == []


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    assert exchange(a, b)  # Linux has renameat2(RENAME_EXCHANGE)
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_a_site_dir_outside_the_project_works(tmp_path: Path, fake_engine) -> None:
    root = write_kb(tmp_path / "project")
    assert built(root, tmp_path / "elsewhere" / "site") == 0
