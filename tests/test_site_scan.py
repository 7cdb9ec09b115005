"""The site scanner the hostile corpus relies on finds what it is meant to find."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_scan import scan_bibtex, scan_csv, scan_html, scan_ris, scan_site, scan_svg

BAD_HTML = {
    "handler": '<p><img src="x" onerror="alert(1)"></p>',
    "scheme": '<a href=" JavaScript:alert(1)">x</a>',
    "script": "<script>alert('hx-1')</script>",
    "json-ld-infinity": '<script type="application/ld+json">{"a": Infinity}</script>',
    "external-script": '<script src="https://evil.example/x.js"></script>',
    "iframe": '<iframe src="x"></iframe>',
    "external-link": '<a href="https://example.org/">x</a>',
}


@pytest.mark.parametrize("html", list(BAD_HTML.values()), ids=list(BAD_HTML))
def test_the_scanner_finds_runnable_html(html: str) -> None:
    assert scan_html(html)


def test_the_scanner_passes_the_themes_own_scripts() -> None:
    html = (
        '<script>var palette=__md_get("__palette")</script><script src="../assets/x.js"></script>'
        '<script type="application/ld+json">{"a": 1}</script>'
        '<a href="https://example.org/" rel="noopener noreferrer">x</a>'
    )
    assert scan_html(html) == []


def test_the_scanner_finds_bad_downloads(tmp_path: Path) -> None:
    assert scan_svg("<svg><text>unclosed</svg>") and scan_svg('<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>')
    assert scan_csv('id,title\nx,"=1+1"\n') and not scan_csv('id,title\nx,"\'=1+1"\n')
    assert scan_ris("TY  - JOUR\nER  - \nTY  - JOUR\nER  - \n") and scan_ris("1.\nTY  - JOUR\nER  - \n")
    assert not scan_ris("TY  - JOUR\nTI  - x\nER  - \n")
    two = '@article{a,\n title = "x"\n}\n@misc{b,\n title = "y"\n}\n'
    assert scan_bibtex(two, 1) and not scan_bibtex(two, 2)
    (tmp_path / "data.json").write_text('{"x": NaN}')
    assert scan_site(tmp_path, 0) == {"data.json": ["not strict JSON (NaN is not JSON)"]}
