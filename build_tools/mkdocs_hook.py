"""Thin MkDocs hook: run the render step before each build, and watch the records.

All logic lives in the package; without this hook, `python -m build_tools render`
followed by any mkdocs-compatible build gives the same site.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from build_tools.pipeline import RecordsInvalid, render
from build_tools.records import KINDS


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    for kind in KINDS:
        if str(root / kind) not in config.watch:
            config.watch.append(str(root / kind))
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    try:
        render(_root(config))
    except RecordsInvalid as exc:
        raise PluginError(f"the records have problems; nothing was rendered:\n{exc}") from None
