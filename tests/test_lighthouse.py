"""The static-host server the Lighthouse run uses: gzip for text, plain otherwise."""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
import urllib.request
from pathlib import Path

from build_tools.ops.lighthouse import StaticHostHandler, largest_claim_page


def fetch(url: str, gzip_ok: bool) -> tuple[dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request) as response:
        return dict(response.headers), response.read()


def test_text_is_gzipped_with_a_cache_lifetime_and_other_files_are_not(tmp_path: Path) -> None:
    page = "<html>" + "backward walking " * 200 + "</html>"
    (tmp_path / "kb" / "claims" / "short").mkdir(parents=True)
    (tmp_path / "kb" / "claims" / "short" / "index.html").write_text("<html></html>")
    (tmp_path / "kb" / "claims" / "long").mkdir(parents=True)
    (tmp_path / "kb" / "claims" / "long" / "index.html").write_text(page)
    (tmp_path / "logo.png").write_bytes(b"\x89PNG not really")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(StaticHostHandler, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        headers, body = fetch(base + "kb/claims/long/", gzip_ok=True)
        assert headers["Content-Encoding"] == "gzip" and headers["Cache-Control"] == "max-age=600"
        assert gzip.decompress(body).decode() == page and len(body) < len(page) / 10
        headers, body = fetch(base + "kb/claims/long/", gzip_ok=False)
        assert "Content-Encoding" not in headers and body.decode() == page
        headers, body = fetch(base + "logo.png", gzip_ok=True)
        assert "Content-Encoding" not in headers and body == b"\x89PNG not really"
    finally:
        server.shutdown()
    assert largest_claim_page(tmp_path) == "kb/claims/long/"


def test_the_audit_covers_home_the_claims_index_and_the_largest_claim_and_study(tmp_path: Path) -> None:
    from build_tools.ops.lighthouse import audited_pages

    for kind, name, size in (("claims", "a", 10), ("claims", "b", 30), ("studies", "c", 50), ("studies", "d", 5)):
        (tmp_path / "kb" / kind / name).mkdir(parents=True)
        (tmp_path / "kb" / kind / name / "index.html").write_text("x" * size)
    assert audited_pages(tmp_path) == ["", "kb/claims/", "kb/claims/b/", "kb/studies/c/"]
