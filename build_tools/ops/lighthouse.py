"""Lighthouse on the built site, served the way a static host serves it.

`python -m build_tools lighthouse` serves site/ on a local port with gzip and cache headers
(as GitHub Pages does; Python's plain http.server sends neither, and Lighthouse's simulated
slow 4G then spends seconds on uncompressed theme files), runs npm's Lighthouse with
Debian's Chromium on the home page, the claims index and the largest claim and study pages,
and prints the scores.
It needs npm (npx fetches the pinned Lighthouse the first time) and Chromium. Numbers are
printed, never asserted.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

LIGHTHOUSE = "lighthouse@12.8.2"
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """Files as a static host sends them: text gzipped, with a cache lifetime."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and wants_gzip and ctype.startswith(COMPRESSED)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:
        pass


def largest_page(site: Path, kind: str) -> str:
    """The heaviest record page of a kind ('claims', 'studies'): the hardest case for the scores."""
    pages = sorted((site / "kb" / kind).glob("*/index.html"), key=lambda p: p.stat().st_size)
    return pages[-1].parent.relative_to(site).as_posix() + "/"


def largest_claim_page(site: Path) -> str:
    return largest_page(site, "claims")


def audited_pages(site: Path) -> list[str]:
    """Home, the claims index, the largest claim page and the largest study page."""
    return ["", "kb/claims/", largest_claim_page(site), largest_page(site, "studies")]


def audit(url: str, chrome: str) -> dict:
    command = ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", "--output-path=stdout"]
    command.append("--chrome-flags=--headless=new --no-sandbox")
    proc = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome})
    if proc.returncode:
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def summary(report: dict, path: str) -> str:
    """One Markdown table row: the four scores, then the main timings and the page weight."""
    categories = ("performance", "accessibility", "best-practices", "seo")
    scores = [round(report["categories"][c]["score"] * 100) for c in categories]
    audits = report["audits"]
    timings = [audits[a]["displayValue"] for a in ("first-contentful-paint", "largest-contentful-paint")]
    weight = audits["total-byte-weight"]["numericValue"] / 1024
    return f"| /{path} | " + " | ".join(map(str, scores)) + f" | {' | '.join(timings)} | {weight:.0f} KB |"


def run(site: Path) -> str:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    if not chrome or not shutil.which("npx"):
        raise SystemExit("lighthouse needs npx (npm) and Debian's chromium on the PATH")
    handler = functools.partial(StaticHostHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        for path in audited_pages(site):
            report = audit(base + path, chrome)
            rows.append(summary(report, path))
    finally:
        server.shutdown()
    version = report["lighthouseVersion"]
    head = (
        f"Lighthouse {version} (mobile, simulated slow 4G), Debian's Chromium, site served with gzip\n\n"
        "| page | performance | accessibility | best practices | SEO | first paint | largest paint | transferred |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    return "\n".join([head, *rows]) + "\n"
