"""The preview's pieces: the address it serves on, the one-line refusal of a taken port, and
the banner of problems drawn over the last good pages (escaped: record text is not HTML)."""

from __future__ import annotations

import socket

from conftest import CLAIM, write_kb

from build_tools.site import mkdocs_hook
from build_tools.site.preview import preview_banner
from build_tools.site.serve import address_problem, parse_addr


def test_a_taken_address_gets_one_line_with_the_fix() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        message = address_problem(f"127.0.0.1:{port}")
    assert message is not None and "\n" not in message
    assert message.startswith(f"serve: 127.0.0.1:{port} is already in use")
    assert f"make serve ADDR=127.0.0.1:{port + 1}" in message
    assert address_problem(f"127.0.0.1:{port}") is None  # free once the other program let it go


def test_a_malformed_address_is_refused_with_its_form() -> None:
    assert (
        address_problem("localhost")
        == "serve: 'localhost' is not an address: write it as HOST:PORT, e.g. 127.0.0.1:8000"
    )
    assert parse_addr("[::1]:8001") == ("::1", 8001)


def test_the_banner_lists_problems_escaped_at_the_top_of_the_body() -> None:
    page = '<html><body class="md"><h1>Knee pain</h1></body></html>'
    out = preview_banner(page, ["claims/x.yaml:3:8: title: '<script>' looks like an HTML tag"])
    assert out.index('role="alert"') > out.index('<body class="md">') and out.index('role="alert"') < out.index("<h1>")
    assert "&lt;script&gt;" in out and "<script>" not in out


def test_serving_a_broken_save_keeps_the_last_good_pages_and_shows_the_problems(tmp_path, monkeypatch) -> None:
    from test_mkdocs_hook import config_for

    root = write_kb(tmp_path)
    config = config_for(root)
    monkeypatch.setattr(mkdocs_hook, "SERVING", [True])
    monkeypatch.setattr(mkdocs_hook, "RESULT", [])
    mkdocs_hook.on_pre_build(config)
    good = dict(mkdocs_hook.PAGES)
    (root / "claims" / "knee-pain.yaml").write_text(CLAIM.replace("topic: knee", "topic: knees"))
    mkdocs_hook.on_pre_build(config)  # no exception: the server would otherwise wait forever
    assert mkdocs_hook.PAGES == good
    assert mkdocs_hook.PREVIEW_PROBLEMS == [
        "claims/knee-pain.yaml:4:8: topic: 'knees' is not an allowed value (hint: did you mean 'knee'? allowed: "
        "knee, muscles, balance, gait, cardio, back, brain, mental-health, performance, safety)"
    ]
    assert "preview-problems" in mkdocs_hook.on_post_page("<body><p>x</p></body>")
    (root / "claims" / "knee-pain.yaml").write_text(CLAIM)
    mkdocs_hook.on_pre_build(config)
    assert mkdocs_hook.PREVIEW_PROBLEMS == []
    assert mkdocs_hook.on_post_page("<body><p>x</p></body>") == "<body><p>x</p></body>"
