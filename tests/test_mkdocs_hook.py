"""The thin MkDocs hook: renders before each build and watches the record folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIM, ROOT, write_kb
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from build_tools import mkdocs_hook


def config_for(root: Path):
    text = (ROOT / "mkdocs.yml").read_text().replace("build_tools/", f"{ROOT}/build_tools/")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT}/overrides")
    (root / "mkdocs.yml").write_text(text)
    (root / "docs").mkdir(exist_ok=True)
    return load_config(str(root / "mkdocs.yml"))


def test_serve_watches_every_record_folder(kb_root: Path) -> None:
    config = mkdocs_hook.on_config(config_for(kb_root))
    for kind in ("claims", "studies", "sources"):
        assert str(kb_root / kind) in config.watch


def test_pre_build_renders_the_pages(kb_root: Path) -> None:
    mkdocs_hook.on_pre_build(config_for(kb_root))
    assert (kb_root / "docs" / "kb" / "claims" / "knee-pain.md").is_file()


def test_pre_build_stops_the_build_with_the_problems(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("topic: knee", "topic: knees")})
    with pytest.raises(PluginError, match=r"claims/knee-pain.yaml:4:8: topic: 'knees' is not an allowed value"):
        mkdocs_hook.on_pre_build(config_for(root))
