"""Site step: run the site engine into a temporary folder, verify it, and only then replace the site.

A failed or incomplete build never replaces a good site, and a record that is missing
from the built site (no page, or no search entry) fails the build instead of vanishing.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from build_tools.pipeline import site_url
from build_tools.records.model import KnowledgeBase
from build_tools.records.problems import printable
from build_tools.site import engine
from build_tools.site.site_dir import (
    MARKER,
    MARKER_TEXT,
    WORK_MARKER,
    SiteDirError,
    locked,
    refusal,
    remove_leftovers,
    swap_in,
)
from build_tools.timings import stage

NO_ADDRESS = (
    "build: no public address (set SITE_URL, or site_url in mkdocs.yml): the ClaimReview addresses "
    "stay relative, and there is no sitemap and no canonical link; the Pages workflow sets SITE_URL"
)

# `python -m build_tools build` verifies the temporary site itself before swapping it in,
# and sets this so the MkDocs hook does not verify twice; a plain `mkdocs build` leaves it unset.
VERIFIED_BY_CLI = "BUILD_TOOLS_VERIFIES"


def source_date_epoch(root: Path) -> str:
    """The last commit's time, so dates MkDocs writes (sitemap) are the same on every build."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or "0"


def mkdocs_env(root: Path) -> dict[str, str]:
    """Environment for MkDocs: reproducible dates, and the MkDocs-2 banners silenced."""
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(root),
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }


def verify_site(site: Path, kb: KnowledgeBase) -> list[str]:
    """Every claim, study, source and screening log has one page and a search entry; nothing extra, nothing lost."""
    problems = []
    index_file = site / "search" / "search_index.json"
    locations = set()
    if index_file.is_file():
        docs = json.loads(index_file.read_text(encoding="utf-8"))["docs"]
        locations = {doc["location"].split("#")[0] for doc in docs}
    else:
        problems.append("the site has no search index (search/search_index.json)")
    for kind, records in (
        ("claims", kb.claims),
        ("studies", kb.studies),
        ("sources", kb.sources),
        ("screening", kb.screening),
    ):
        built = {p.parent.name for p in (site / "kb" / kind).glob("*/index.html")}
        for missing in sorted(set(records) - built):
            problems.append(f"{kind}/{missing}.yaml has no page in the built site")
        for extra in sorted(built - set(records)):
            problems.append(f"the built site has a page kb/{kind}/{extra}/ with no record")
        indexed = {loc.split("/")[2] for loc in locations if loc.startswith(f"kb/{kind}/") and loc.count("/") >= 3}
        for missing in sorted(set(records) - indexed):
            problems.append(f"{kind}/{missing}.yaml is missing from the search index")
    return problems


@contextmanager
def _building_in(root: Path) -> Iterator[None]:
    """MkDocs' environment and working folder (snippet paths are relative to it), restored after."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update({**mkdocs_env(root), VERIFIED_BY_CLI: "1"})
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger(engine.chosen())
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    os.chdir(root)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def run_mkdocs_build(root: Path, site_dir: Path) -> int:
    """A strict build with the chosen engine (ProperDocs unless asked otherwise), in this
    process: a second interpreter would import the whole toolchain again (a third of a second)."""
    with _building_in(root):
        engine.activate(engine.chosen())
        build = engine.module("commands.build").build
        load_config = engine.module("config").load_config
        failure = engine.module("exceptions").MkDocsException

        try:
            config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except failure as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
    return 0


def build_site(root: Path, site_dir: Path, kb: KnowledgeBase) -> int:
    """Build into a work folder next to `site_dir`; swap it in only if it is complete.

    Refuses a site folder that is, contains or lies in the project's own folders, or that an
    earlier build did not write; one build at a time; a clear message for a folder it cannot write."""
    site_dir = Path(os.path.abspath(site_dir))
    shown = printable(str(site_dir))
    reason = refusal(site_dir, root)
    if reason:
        print(f"build: the site folder {shown} {reason}; nothing was changed", file=sys.stderr)
        return 1
    if not site_url(root):
        print(NO_ADDRESS, file=sys.stderr)
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with locked(site_dir):
            remove_leftovers(site_dir)
            return _build_and_swap(root, site_dir, kb)
    except SiteDirError as exc:
        print(f"build: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"build: cannot write the site into {shown}: {exc.strerror or exc}", file=sys.stderr)
    print("the existing site was left as it was", file=sys.stderr)
    return 1


def _build_and_swap(root: Path, site_dir: Path, kb: KnowledgeBase) -> int:
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-", dir=site_dir.parent))
    try:
        # Marked from the start, so the next build can tell this folder is a leftover if we are killed.
        (work / WORK_MARKER).write_text("a build's work folder; removed when the build ends\n", encoding="utf-8")
        new = work / "site"
        # The MkDocs hook generates the pages (from the parse cache the check just filled).
        status = run_mkdocs_build(root, new)
        if status:
            print("mkdocs build failed; the existing site was left as it was", file=sys.stderr)
            return status
        with stage("verify"):
            problems = verify_site(new, kb)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            print(
                f"{len(problems)} problem(s) in the built site; the existing site was left as it was", file=sys.stderr
            )
            return 1
        # The state of the folder may have changed while the site was built: asked again at the end.
        reason = refusal(site_dir, root)
        if reason:
            raise SiteDirError(f"the site folder {printable(str(site_dir))} {reason}")
        (new / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        swap_in(new, site_dir)
        kb_pages = len(kb.claims) + len(kb.studies) + len(kb.sources)
        counts = f"{len(kb.claims)} claims, {len(kb.studies)} studies, {len(kb.sources)} sources"
        print(f"site: {kb_pages} record pages verified ({counts}) in {printable(str(site_dir))}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
