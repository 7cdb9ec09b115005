"""The built site, tested as a reader would use it, in a real browser (Chromium)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import AXE, block_outside, page_opener, require, serve
from conftest import ROOT

from build_tools.pipeline import check

SEARCHES = {
    "hamstrings": {"hamstring-strength", "hamstring-flexibility", "hamstrings-glutes-take-over"},
    # Every claim about knee pain: osteoarthritis, front-of-knee pain, and the two explanations.
    "knee pain": {
        "knee-pain-osteoarthritis",
        "patellofemoral-pain-relief",
        "quadriceps-strength-knee-pain",
        "knee-pain-muscle-imbalance",
    },
    "VO2": {"vo2-max"},
    "balance": {"balance", "balance-patient-groups"},
    "back pain": {"back-pain"},
}
SHOTS = Path(__file__).resolve().parent.parent / "test-screenshots"


@pytest.fixture(scope="module")
def site(reader_site):
    return reader_site[0]


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture
def open_page(browser, site):
    with page_opener(browser, site) as opener:
        yield opener


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("query", list(SEARCHES))
def test_search_puts_the_claim_first(open_page, query: str) -> None:
    page = open_page("")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=40)
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    first.wait_for(timeout=10_000)
    href = first.get_attribute("href")
    claim = href.split("kb/claims/")[-1].split("/")[0] if "kb/claims/" in href else href
    assert claim in SEARCHES[query], f"{query!r}: first hit {href}"


def test_verdict_filter_narrows_the_claims_index(open_page) -> None:
    kb = check(ROOT).kb
    page = open_page("kb/claims/")
    rows = page.locator("#claims-table tbody tr")
    assert rows.count() == len(kb.claims)
    for verdict in ("supported", "plausible", "overstated"):
        page.select_option("#filter-verdict", verdict)
        visible = page.locator("#claims-table tbody tr:not([hidden])")
        expected = sum(c.verdict == verdict for c in kb.claims.values())
        assert visible.count() == expected
        assert page.locator("#filter-count").inner_text() == f"{expected} of {len(kb.claims)} claims"
    page.select_option("#filter-verdict", "")
    page.locator("button[data-sort='studies']").click()
    counts = [int(x) for x in page.locator("#claims-table tbody tr td:nth-child(5)").all_inner_texts()]
    assert counts == sorted(counts)
    shot(page, "claims-index")


def test_claim_page_shows_banner_findings_and_references(open_page) -> None:
    result = check(ROOT)
    claim = result.kb.claims["knee-pain-osteoarthritis"]
    page = open_page("kb/claims/knee-pain-osteoarthritis/")
    card = page.locator(".claim-card").first
    assert "Our verdict: ◐ Plausible early or low-certainty evidence" in card.inner_text()
    assert f"Certainty of the evidence: ●○○○ {result.ratings.certainties[claim.id]}" in card.inner_text()
    assert page.locator("h2#summary-of-findings").count() == 1
    findings = page.locator("table:has(th:text-is('Outcome'))")
    assert findings.count() == 1
    for outcome in claim.outcomes:
        assert f"{outcome.name.capitalize()} ({outcome.importance})" in findings.inner_text()
    refs = page.locator("h2#references + div ol li")  # in a div kept out of the search index
    assert refs.count() == len(claim.evidence)
    assert refs.first.locator("a[href^='https://doi.org/']").count() == 1
    assert page.console_errors == []
    shot(page, "claim-desktop")


def test_claim_page_json_ld_is_a_claimreview(open_page) -> None:
    page = open_page("kb/claims/hamstring-strength/")
    blocks = page.locator("script[type='application/ld+json']").all_text_contents()
    assert len(blocks) == 1
    review = json.loads(blocks[0])
    assert review["@type"] == "ClaimReview"
    for key in ("claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url"):
        assert key in review, key
    assert review["reviewRating"]["alternateName"] == "Overstated: untested"
    assert review["reviewRating"]["ratingValue"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "",
        "kb/claims/balance/",
        "kb/studies/cha-2016-backward-slope-walking-healthy-adults/",
        "kb/claims/",
        "try-it-safely/",
        "kb/screening/",
        "kb/coverage/",
    ],
)
def test_pages_have_no_console_errors(open_page, path: str) -> None:
    page = open_page(path)
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


@pytest.mark.parametrize(
    "path",
    [
        "",
        "kb/claims/knee-pain-osteoarthritis/",
        "kb/studies/alghadir-2019-retro-walking-knee-oa/",
        "kb/screening/",
        "kb/screening/knee/",
        "kb/coverage/",
        "kb/gaps/",
    ],
)
def test_axe_finds_no_serious_accessibility_problems(open_page, path: str) -> None:
    require(AXE.exists(), "axe-core (npm ci)")
    page = open_page(path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} x{len(v['nodes'])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_phone_width_and_dark_mode_screenshots(open_page) -> None:
    page = open_page("kb/claims/balance/", viewport={"width": 390, "height": 844}, color_scheme="dark")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"
    shot(page, "claim-phone-dark")
    home = open_page("", viewport={"width": 1280, "height": 1800})
    shot(home, "home-desktop")


def test_the_flow_diagram_fits_a_phone_and_follows_dark_mode(open_page) -> None:
    page = open_page("kb/screening/", viewport={"width": 360, "height": 800}, color_scheme="dark")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    figure = page.locator("figure.prisma").first
    box = figure.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    colours = page.evaluate(
        """() => {
          const text = document.querySelector('figure.prisma .pf-ink');
          const box = document.querySelector('figure.prisma .pf-main');
          return [getComputedStyle(text).fill, getComputedStyle(document.body).color,
                  getComputedStyle(box).fill];
        }"""
    )
    # The diagram's ink is the page's text colour (light on dark), not the file's own dark fill.
    assert colours[0] == colours[1] and colours[0] != "rgb(26, 26, 26)"
    assert colours[2] != "rgb(224, 242, 241)"
    SHOTS.mkdir(exist_ok=True)
    figure.screenshot(path=str(SHOTS / "flow-phone-dark.png"))


def test_forest_plot_is_shown_with_its_text_alternative(browser, tmp_path: Path) -> None:
    """No real claim yet has two comparable estimates, so a fixture project shows the plot."""
    import shutil

    from conftest import write_kb
    from test_reader_features import EFFECT, SECOND, STUDY, TWO_STUDY_CLAIM

    root = tmp_path / "project"
    for name in ("mkdocs.yml", "CONTRIBUTING.md", "docs", "overrides"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("kb"))
        else:
            root.mkdir(exist_ok=True)
            shutil.copy(src, root / name)
    (root / "docs" / "try-it-safely.md").write_text("# How to try it safely\n")
    config = (root / "mkdocs.yml").read_text().replace("build_tools/", f"{ROOT}/build_tools/")
    (root / "mkdocs.yml").write_text(config)
    write_kb(
        root,
        {
            "studies/smith-2020-test.yaml": STUDY + EFFECT.format(v=-1.2, lo=-1.8, hi=-0.6),
            # A wider interval than the first trial's: less weight, a smaller square.
            "studies/smith-2021-second.yaml": SECOND + EFFECT.format(v=-0.5, lo=-1.4, hi=0.4),
            "claims/knee-pain.yaml": TWO_STUDY_CLAIM,
        },
    )
    proc = subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(root), "build", "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    server, base = serve(tmp_path / "site")
    try:
        # A phone in dark mode: the hardest case for a plot's legibility.
        page = browser.new_page(viewport={"width": 360, "height": 800}, color_scheme="dark")
        block_outside(page, base)
        page.goto(base + "kb/claims/knee-pain/")
        plot = page.locator("figure.forest svg")
        assert plot.count() == 1 and plot.is_visible()
        # Two trials pooled: a diamond for the pool, and each trial's weight beside its numbers.
        assert plot.locator("polygon.fp-pool").count() == 1
        assert "Pooled, 2 studies:" in plot.text_content() and "%" in plot.text_content()
        sizes = plot.locator("rect.fp-mark").evaluate_all("rs => rs.map(r => r.getAttribute('width'))")
        assert len(sizes) == 2 and float(sizes[0]) > float(sizes[1])  # squares sized by weight
        assert plot.locator("title").text_content().startswith("Forest plot: pain")
        assert "favours backward walking" in plot.text_content()
        caption = page.locator("figure.forest figcaption").inner_text()
        assert caption.startswith("Forest plot of pain (MD, points on a 0-10 scale)")
        assert page.locator("figure.forest a[href$='knee-pain-1.svg']").count() == 1
        SHOTS.mkdir(exist_ok=True)
        plot.screenshot(path=str(SHOTS / "forest-plot.png"))
        page.close()
    finally:
        server.shutdown()
