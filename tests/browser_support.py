"""Shared set-up for the browser tests: Debian's Chromium through Playwright, a built site
served on 127.0.0.1, and no request allowed off this machine."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def require(condition: bool, what: str) -> None:
    """Skip on a laptop without the tool; fail in CI, where everything must be installed."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI (.ci/run installs it)")
    pytest.skip(f"{what} not installed")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went on to the next page before this one was sent


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve a folder on a free loopback port in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@contextlib.contextmanager
def serving(directory: Path):
    """Serve a folder (which may not exist yet) on a free loopback port; yields its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextlib.contextmanager
def launch():
    """Debian's Chromium through Playwright; skipped without them, except in CI."""
    require(Path(CHROMIUM).exists(), "Chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright (pip install playwright)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def page_opener(browser, base: str):
    """Yields opener(path, **new_page_options): a page of `browser` at base + path (no navigation
    when path is None) that may not leave `base`. Each page keeps its uncaught exceptions in
    `page.errors` and those plus its console errors in `page.console_errors`; all are closed after."""
    pages = []

    def opener(path: str | None = "", **options):
        page = browser.new_page(**options)
        page.errors, page.console_errors = [], []
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)

        def exception(exc) -> None:
            page.errors.append(str(exc))
            page.console_errors.append(str(exc))

        page.on("pageerror", exception)
        block_outside(page, base)
        if path is not None:
            page.goto(base + path)
        pages.append(page)
        return page

    try:
        yield opener
    finally:
        for page in pages:
            page.close()


def block_outside(page, base: str) -> None:
    """Abort every request that is not to the local test server."""
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
