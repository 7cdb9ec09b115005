"""Thin MkDocs hook: generate the record pages before each build, hand them to MkDocs from
memory, and watch the records.

All logic lives in the package. The pages never need to exist on disk: writing and then
reading back thousands of small files was most of the generation time at scale. Only the
pieces that hand-written pages include (pymdownx.snippets reads those from disk) are
written, and only when they change. `python -m build_tools render` writes every page to
docs/kb/ for anyone who wants to read them or build with another tool.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.pages.memo import RenderMemo
from build_tools.pages.render import GENERATED_DIR, INCLUDES, nav_lists_pages
from build_tools.pages.sync import sync_pages
from build_tools.pipeline import CheckResult, RecordsInvalid, check, prepare
from build_tools.records.loading import LiveFiles
from build_tools.records.model import KINDS
from build_tools.records.problems import errors
from build_tools.site import engine
from build_tools.site.build import VERIFIED_BY_CLI, verify_site
from build_tools.site.edit_links import edit_url_for
from build_tools.site.preview import preview_banner
from build_tools.site.public_address import doc_dates, finish_site, page_date
from build_tools.timings import stage

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def _plugin_error(message: str) -> Exception:
    # The running engine's own class (ProperDocs or MkDocs), so it reports it as a build error.
    return engine.module("exceptions").PluginError(message)


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = _root(config)
    for kind in KINDS:
        if str(root / kind) not in config.watch:
            config.watch.append(str(root / kind))
    return config


# Kept between rebuilds of one `mkdocs serve`: unchanged files are not re-read and unchanged
# pages are not re-rendered.
LIVE = LiveFiles()
MEMO = RenderMemo()
# This build's pages, from on_pre_build to on_files.
PAGES: dict[str, str] = {}
# The sitemap's dates: hand-written pages' last commits, and the newest record date otherwise.
DATES: dict[str, str] = {}
FALLBACK_DATE: list[str] = []
RESULT: list[CheckResult] = []
# Whether this process is `mkdocs serve` (set at start-up).
SERVING: list[bool] = []


# While `serve` runs: the problems that stopped the last rebuild, shown on every page of the
# last good site until they are fixed (a failed rebuild would leave the browser waiting).
PREVIEW_PROBLEMS: list[str] = []


def _serving() -> bool:
    return bool(SERVING and SERVING[0])


def on_pre_build(config: MkDocsConfig) -> None:
    root = _root(config)
    try:
        with stage("hook: check and render"):
            result, pages = prepare(root, live=LIVE, memo=MEMO)
    except RecordsInvalid as exc:
        if _serving() and RESULT:
            PREVIEW_PROBLEMS[:] = [p.format() for p in errors(exc.problems)]
            print(f"the records have problems; the preview shows the last good pages:\n{exc}", file=sys.stderr)
            return
        raise _plugin_error(f"the records have problems; nothing was rendered:\n{exc}") from None
    except Exception as exc:
        if not (_serving() and RESULT):
            raise
        # A fault in our own code: say so on the page rather than leave the browser waiting.
        traceback.print_exc()
        PREVIEW_PROBLEMS[:] = [f"the pages could not be rebuilt: {type(exc).__name__}: {exc}"]
        return
    PREVIEW_PROBLEMS.clear()
    with stage("hook: write includes"):
        includes = {rel.removeprefix(INCLUDES): text for rel, text in pages.items() if rel.startswith(INCLUDES)}
        sync_pages(includes, root / GENERATED_DIR / INCLUDES, MEMO)
    PAGES.clear()
    PAGES.update({rel: text for rel, text in pages.items() if not rel.startswith(INCLUDES)})
    RESULT[:] = [result]
    DATES.clear()
    DATES.update(doc_dates(root))
    kb = result.kb
    newest = [c.last_reviewed for c in kb.claims.values()] + [s.read_on for s in kb.studies.values()]
    FALLBACK_DATE[:] = [max(newest, default="")]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    prefix = f"{GENERATED_DIR.name}/"
    files_module = engine.module("structure.files")
    File, InclusionLevel = files_module.File, files_module.InclusionLevel
    with stage("hook: hand pages to MkDocs"):
        # Pages left on disk by `render` are replaced by this build's, so none can be stale.
        for file in [f for f in files if f.src_uri.startswith(prefix) and not f.src_uri.startswith(prefix + INCLUDES)]:
            files.remove(file)
        kb = RESULT[0].kb
        # Record pages the navigation does not list (see NAV_LIMIT) are meant to be outside it.
        unlisted = {kind for kind in ("claims", "studies") if not nav_lists_pages(getattr(kb, kind))}
        for rel, text in PAGES.items():
            inclusion = InclusionLevel.UNDEFINED
            if rel.endswith("SUMMARY.md"):
                inclusion = InclusionLevel.EXCLUDED  # navigation for literate-nav, not a page
            elif rel.split("/")[0] in unlisted and rel.endswith(".md") and not rel.endswith("/index.md"):
                inclusion = InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, prefix + rel, content=text, inclusion=inclusion))
    return files


def on_post_page(output: str, **kwargs) -> str:
    if not PREVIEW_PROBLEMS:
        return output
    return preview_banner(output, PREVIEW_PROBLEMS)


def on_startup(command: str, dirty: bool) -> None:
    SERVING[:] = [command == "serve"]


def on_post_build(config: MkDocsConfig) -> None:
    finish_site(Path(config.site_dir), config.site_url or "")
    if SERVING and SERVING[0]:
        # What survives a build (the records and pages kept for the next one) lives as long
        # as the server: collect once, then keep those objects out of every later collection,
        # which otherwise walks them all (a third of an edit's time at 2,000 claims).
        gc.collect()
        gc.freeze()
    if os.environ.get(VERIFIED_BY_CLI) == "1":
        return  # the CLI verifies the temporary site before swapping it in
    kb = RESULT[0].kb if RESULT else check(_root(config)).kb
    with stage("hook: verify"):
        problems = verify_site(Path(config.site_dir), kb)
    if problems:
        raise _plugin_error("the built site is incomplete:\n" + "\n".join(problems))


def on_page_context(context, page, config: MkDocsConfig, **kwargs):
    # Edit buttons open the YAML record, not the generated Markdown.
    page.edit_url = edit_url_for(page.file.src_uri, config.repo_url)
    # Each page's own date in the sitemap, not the build's.
    date = page_date(page.meta or {}, page.file.src_uri, DATES, FALLBACK_DATE[0] if FALLBACK_DATE else "")
    if date:
        page.update_date = date
    return context
