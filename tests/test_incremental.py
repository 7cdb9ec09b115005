"""`mkdocs serve` keeps unchanged files and pages between rebuilds; what it generates must be
exactly what a fresh build would generate, after any kind of edit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import CLAIM, SOURCE, STUDY, TODAY, write_kb

from build_tools.pages import memo as memo_module
from build_tools.pages.memo import RenderMemo
from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check, prepare
from build_tools.records.loading import LiveFiles

EDITS = {
    "claim-title": ("claims/knee-pain.yaml", CLAIM.replace("title: Knee pain", "title: Sore knees")),
    "claim-prose": ("claims/knee-pain.yaml", CLAIM.replace("One trial found less pain.", "Less pain, once.")),
    "study-size": ("studies/smith-2020-test.yaml", STUDY.replace("n: 60", "n: 12")),
    "source-headline": ("sources/test-article.yaml", SOURCE.replace("A test article", "A renamed article")),
    "study-removed-from-claim": (
        "claims/knee-pain.yaml",
        CLAIM.replace("study: smith-2020-test", "study: jones-2018-lab"),
    ),
}


def fresh_pages(root: Path) -> dict[str, str]:
    result = check(root, today=TODAY, use_cache=False)
    return render_pages(build_model(result.kb, result.ratings))


@pytest.mark.parametrize("edit", list(EDITS))
def test_live_rebuild_matches_a_fresh_build(tmp_path: Path, edit: str) -> None:
    root = write_kb(tmp_path)
    live, memo = LiveFiles(), RenderMemo()
    prepare(root, today=TODAY, live=live, memo=memo)
    rel, text = EDITS[edit]
    path = root / rel
    path.write_text(text)
    # Make sure the file's modification time moves even on a coarse-grained file system.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        _, live_pages = prepare(root, today=TODAY, live=live, memo=memo)
    except Exception as exc:  # an edit that breaks a verdict is reported, like a fresh build would
        pytest.fail(f"live rebuild failed: {exc}")
    fresh = fresh_pages(root)
    assert sorted(live_pages) == sorted(fresh)
    different = [name for name in fresh if fresh[name] != live_pages[name]]
    assert different == []


def test_a_changed_template_is_not_served_from_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The memo's keys describe records, not templates: a template edit (which `mkdocs serve`
    # watches, and Jinja reloads) must empty it.
    templates = tmp_path / "templates"
    shutil.copytree(memo_module.TEMPLATES, templates)
    monkeypatch.setattr(memo_module, "TEMPLATES", templates)
    root = write_kb(tmp_path / "kb")
    live, memo = LiveFiles(), RenderMemo()
    _, first = prepare(root, today=TODAY, live=live, memo=memo)
    _, same = prepare(root, today=TODAY, live=live, memo=memo)
    assert same["claims/knee-pain.md"] is first["claims/knee-pain.md"]  # served from the memo
    claim = templates / "claim.md.j2"
    stat = claim.stat()
    os.utime(claim, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    _, again = prepare(root, today=TODAY, live=live, memo=memo)
    assert again["claims/knee-pain.md"] is not first["claims/knee-pain.md"]  # rendered anew
    assert again["claims/knee-pain.md"] == first["claims/knee-pain.md"]
