"""Thin MkDocs hook: run the render step before each build, and watch the records.

All logic lives in the package; without this hook, `python -m build_tools render`
followed by any mkdocs-compatible build gives the same site.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from build_tools.edit_links import edit_url_for
from build_tools.html_safety import harden_external_links
from build_tools.loading import LiveFiles
from build_tools.pipeline import RecordsInvalid, check, render
from build_tools.records import KINDS
from build_tools.render import RenderMemo
from build_tools.site_build import verify_site


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    for kind in KINDS:
        if str(root / kind) not in config.watch:
            config.watch.append(str(root / kind))
    return config


# `python -m build_tools build` renders and verifies itself, then sets this so the hook does
# not repeat the work; a plain `mkdocs build` or `mkdocs serve` leaves it unset.
DONE_BY_CLI = "BUILD_TOOLS_RENDERED"


# Kept between rebuilds of one `mkdocs serve`: unchanged files are not re-read and unchanged
# pages are not re-rendered.
LIVE = LiveFiles()
MEMO = RenderMemo()


def on_pre_build(config: MkDocsConfig) -> None:
    if os.environ.get(DONE_BY_CLI) == "1":
        return
    try:
        render(_root(config), live=LIVE, memo=MEMO)
    except RecordsInvalid as exc:
        raise PluginError(f"the records have problems; nothing was rendered:\n{exc}") from None


def on_page_content(html: str, **kwargs) -> str:
    return harden_external_links(html)


def on_post_build(config: MkDocsConfig) -> None:
    if os.environ.get(DONE_BY_CLI) == "1":
        return  # the CLI verifies the temporary site before swapping it in
    problems = verify_site(Path(config.site_dir), check(_root(config)).kb)
    if problems:
        raise PluginError("the built site is incomplete:\n" + "\n".join(problems))


def on_page_context(context, page, config: MkDocsConfig, **kwargs):
    # Edit buttons open the YAML record, not the generated Markdown.
    page.edit_url = edit_url_for(page.file.src_uri, config.repo_url)
    return context
