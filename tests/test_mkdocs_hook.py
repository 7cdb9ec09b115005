"""The thin MkDocs hook: renders before each build and watches the record folders."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import CLAIM, ROOT, write_kb
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from build_tools.site import mkdocs_hook


def config_for(root: Path):
    text = (ROOT / "mkdocs.yml").read_text().replace("build_tools/", f"{ROOT}/build_tools/")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT}/overrides")
    (root / "mkdocs.yml").write_text(text)
    (root / "docs").mkdir(exist_ok=True)
    return load_config(str(root / "mkdocs.yml"))


def test_serve_watches_every_record_folder(kb_root: Path) -> None:
    config = mkdocs_hook.on_config(config_for(kb_root))
    for kind in ("claims", "studies", "sources", "screening"):
        assert str(kb_root / kind) in config.watch


def test_pages_reach_mkdocs_from_memory_and_stale_files_on_disk_do_not(kb_root: Path) -> None:
    config = config_for(kb_root)
    # A page left on disk by an earlier `render`, for a record that no longer exists.
    stale = kb_root / "docs" / "kb" / "claims" / "deleted-claim.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("# Deleted claim\n")
    # As MkDocs calls them (through the plugin collection, which names the generating plugin).
    config.plugins.on_pre_build(config=config)
    files = config.plugins.on_files(get_files(config), config=config)
    page = files.get_file_from_path("kb/claims/knee-pain.md")
    assert page.generated_by is not None and page.content_string.count("\n# Knee pain\n") == 1
    assert files.get_file_from_path("kb/claims/deleted-claim.md") is None
    assert files.get_file_from_path("kb/claims/SUMMARY.md").inclusion.is_excluded()
    assert files.get_file_from_path("kb/downloads/smith-2020-test.bib").content_string.startswith("@article{")
    # Only what hand-written pages include is written to disk (the snippets extension reads it there).
    written = sorted(p.relative_to(kb_root / "docs" / "kb").as_posix() for p in (kb_root / "docs" / "kb").rglob("*.md"))
    assert written == [
        "_includes/claims-by-verdict.md",
        "_includes/contact-links.md",
        "_includes/corrections-log.md",
        "_includes/method-grade.md",
        "_includes/method-reasons.md",
        "_includes/method-risk.md",
        "_includes/method-version.md",
        "_includes/rubric.md",
        "claims/deleted-claim.md",
    ]


def test_pre_build_stops_the_build_with_the_problems(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("topic: knee", "topic: knees")})
    with pytest.raises(PluginError, match=r"claims/knee-pain.yaml:4:8: topic: 'knees' is not an allowed value"):
        mkdocs_hook.on_pre_build(config_for(root))


def test_only_a_server_keeps_what_survives_a_build_out_of_later_collections(
    kb_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_for(kb_root)
    monkeypatch.setenv("BUILD_TOOLS_VERIFIES", "1")  # no site to verify here
    gc.unfreeze()
    try:
        mkdocs_hook.on_startup(command="build", dirty=False)
        mkdocs_hook.on_post_build(config)
        assert gc.get_freeze_count() == 0
        mkdocs_hook.on_startup(command="serve", dirty=False)
        mkdocs_hook.on_post_build(config)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        mkdocs_hook.on_startup(command="build", dirty=False)
