"""The reader's site in Chromium: every page type on a phone, the claim card, the summary of
findings, forest plots, 'What this means for you', the accountability pages, the editorial
change log and feed, search, the home page and the evidence map.

One build and one browser serve every test here (the session fixtures in conftest.py).
"""

from __future__ import annotations

import re
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import block_outside, page_opener
from conftest import ROOT

from build_tools.pipeline import check
from build_tools.records.model import VERDICTS

# One page of every type a reader meets.
PAGE_TYPES = {
    "home": "",
    "claims index": "kb/claims/",
    "claim with forest plots": "kb/claims/balance-patient-groups/",
    "claim, untested": "kb/claims/hamstring-strength/",
    "claim, knee osteoarthritis": "kb/claims/knee-pain-osteoarthritis/",
    "study, review": "kb/studies/lin-2025-backward-walking-knee-oa-meta-analysis/",
    "study, trial with PEDro items": "kb/studies/alghadir-2019-retro-walking-knee-oa/",
    "studies index": "kb/studies/",
    "articles checked": "kb/sources/",
    "verdict list": "kb/verdicts/overstated/",
    "evidence map": "kb/evidence-map/",
    "how we searched": "kb/screening/",
    "screening log": "kb/screening/knee/",
    "evidence gaps": "kb/gaps/",
    "coverage": "kb/coverage/",
    "methodology": "methodology/",
    "how to try it safely": "try-it-safely/",
    "about": "about/",
    "how claims are reviewed": "reviewing/",
    "corrections": "corrections/",
    "funding": "funding/",
    "contact": "contact/",
    "open data": "open-data/",
    "contributing": "contributing/",
    "benchmarks": "benchmarks/",
    "tags": "tags/",
}
WIDTHS = (360, 390)
SCHEMES = ("light", "dark")
SAFETY = "try-it-safely/"


@pytest.fixture(scope="module")
def kb():
    return check(ROOT).kb


@pytest.fixture(scope="module")
def site(reader_site):
    return reader_site


@pytest.fixture
def new_page(chromium, site):
    with page_opener(chromium, site[0]) as opener:
        yield opener


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black to 1 white) of an rgb()/rgba() colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


# 1. Phones first ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(chromium, site, width: int, scheme: str) -> None:
    """Every page type fits the screen; no table or figure scrolls inside the page either."""
    base = site[0]
    context = chromium.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    block_outside(page, base)
    wide = []
    try:
        for name, path in PAGE_TYPES.items():
            page.goto(base + path, wait_until="domcontentloaded")
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            measured = page.evaluate(
                """() => ({
                page: document.documentElement.scrollWidth,
                inner: Array.from(document.querySelectorAll(
                    '.md-content table, .md-content figure, .md-content pre, .md-typeset__scrollwrap'))
                  .filter(e => e.scrollWidth > e.clientWidth + 1)
                  .map(e => e.tagName + '.' + e.className).slice(0, 3),
            })"""
            )
            if measured["page"] > width or measured["inner"]:
                wide.append(f"{name} ({path}): {measured}")
    finally:
        context.close()
    assert wide == [], f"at {width} px, {scheme}: " + "; ".join(wide)


def test_wide_tables_become_labelled_cards_on_a_phone(new_page) -> None:
    page = new_page("kb/claims/knee-pain-osteoarthritis/", viewport={"width": 360, "height": 800})
    table = page.locator("h2#summary-of-findings ~ div table").first
    assert table.get_attribute("data-stack") == ""
    assert table.evaluate("t => getComputedStyle(t.querySelector('td')).display") == "block"
    cell = table.locator("td[data-label='Certainty']").first
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == '"Certainty"'
    # On a wide screen the same table is a table.
    page.set_viewport_size({"width": 1366, "height": 900})
    assert table.evaluate("t => getComputedStyle(t.querySelector('td')).display") == "table-cell"
    # The claims list: one card per claim, with the claim's title whole on its line.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page.url.split("kb/")[0] + "kb/claims/")
    row = page.locator("#claims-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    title = row.locator("a.claim-title")
    assert title.evaluate("a => a.getBoundingClientRect().width") > 250


# 2. The claim card --------------------------------------------------------------------------


def test_the_claim_card_says_the_claim_who_made_it_the_verdict_and_the_takeaway(new_page, kb) -> None:
    claim = kb.claims["knee-pain-osteoarthritis"]
    page = new_page("kb/claims/knee-pain-osteoarthritis/", viewport={"width": 390, "height": 844})
    card = page.locator(".claim-card")
    assert card.count() == 1 and card.is_visible()
    text = " ".join(card.inner_text().split())
    assert "The claim: " + " ".join(claim.claim.split()) in text
    # Who said it, where and when, linked to the article's entry.
    who = card.locator(".claim-card__who")
    source = who.locator("a").first
    assert source.get_attribute("href").endswith("sources/self-backwards-treadmill/")
    assert "(SELF)" in who.inner_text() and "no date recorded" in who.inner_text()
    # The verdict once, with its reason, colour and icon; the tag chips are not repeated on the page.
    badges = page.locator("article .verdict")
    assert badges.count() == 1 and badges.first.inner_text() == "◐ Plausible"
    assert "Plausible early or low-certainty evidence" in text
    assert luminance(badges.first.evaluate("b => getComputedStyle(b).backgroundColor")) > 0.5
    assert page.locator("article nav.md-tags").is_hidden()
    # The takeaway at body size or larger; certainty as circles with its plain meaning.
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    takeaway = card.locator(".claim-card__takeaway")
    assert takeaway.inner_text() == claim.key_sentence
    assert takeaway.evaluate("t => parseFloat(getComputedStyle(t).fontSize)") >= body
    assert "●○○○ very low: the true effect is probably substantially different from the estimate" in text
    assert "Four levels, from ●●●● high to ●○○○ very low" in text
    # The topic beside the title, and the card above the fold on a phone.
    assert card.locator(".topic-label").inner_text().lower() == "topic: knees"
    assert takeaway.evaluate("t => t.getBoundingClientRect().bottom") < 844
    assert page.errors == []


def test_verdicts_carry_colour_and_icon_everywhere(new_page) -> None:
    seen = {}
    for path in ("", "kb/claims/", "kb/evidence-map/", "kb/verdicts/plausible/"):
        page = new_page(path, viewport={"width": 1366, "height": 900}, color_scheme="dark")
        for badge in page.locator("article .verdict").all()[:40]:
            kind = (badge.get_attribute("class") or "").split("--")[-1]
            colour = badge.evaluate("b => getComputedStyle(b).color")
            assert badge.inner_text()[0] in "✔◐✘", path
            seen.setdefault(kind, set()).add(colour)
    assert set(seen) <= set(VERDICTS) and len(seen) >= 2
    # Each verdict has its own colour, and the same one on every page.
    assert all(len(colours) == 1 for colours in seen.values())
    assert len({next(iter(c)) for c in seen.values()}) == len(seen)


# 3. Summary of findings ----------------------------------------------------------------------


def test_summary_of_findings_reads_as_cochrane_writes_it(new_page) -> None:
    page = new_page("kb/claims/knee-pain-osteoarthritis/", viewport={"width": 1366, "height": 900})
    section = page.locator("h2#summary-of-findings")
    pico = section.locator("xpath=following-sibling::p[1]").inner_text()
    for part in ("Population:", "Intervention:", "Comparison:", "Setting:"):
        assert part in pico
    rows = page.locator("h2#summary-of-findings ~ div table").first.locator("tbody tr")
    assert rows.count() == 2
    pain = [td.inner_text() for td in rows.first.locator("td").all()]
    assert pain[0] == "Knee pain (critical)"
    # The SMD in words (size and direction), then the numbers and where they come from.
    assert pain[1].startswith("About 1.0 standard deviation lower with backward walking (better): a large difference")
    assert "SMD (Hedges' g) −0.997 (95% CI −1.37 to −0.62)" in pain[1] and "Lin et al. 2025" in pain[1]
    assert pain[2] == "not all reported (13 studies)"
    assert pain[3].startswith("●○○○ very low")
    # Each downgrade is a footnote with its reason.
    refs = rows.first.locator("td:nth-child(4) sup a")
    assert refs.count() == 4
    target = refs.first.get_attribute("href").split("#")[-1]
    assert "Risk of bias (serious)" in page.locator(f"[id='{target}']").inner_text()
    assert pain[4] == "We are very uncertain whether backward walking added to physiotherapy reduces knee pain."
    # Natural units where the trials used one scale.
    page.goto(page.url.replace("knee-pain-osteoarthritis", "balance-patient-groups"))
    row = page.locator("h2#summary-of-findings ~ div table").first.locator("tbody tr").first
    assert "4.38 points on the 0-56 Berg Balance Scale higher with backward walking (better)" in row.inner_text()
    # A study that measured the outcome but shows no result is said so, not called "no studies".
    page.goto(page.url.replace("balance-patient-groups", "hamstring-strength"))
    row = page.locator("h2#summary-of-findings ~ div table").first.locator("tbody tr").first.inner_text()
    assert "No result shown on the pages we read" in row and "30 (1 study; no result shown)" in row
    assert "One study measured hamstring strength after training, but no page we read shows the result." in row


# 4. Forest plots -----------------------------------------------------------------------------

PLOT_CHECK = """svg => {
  const vb = svg.viewBox.baseVal, box = svg.getBoundingClientRect(), scale = box.width / vb.width;
  const texts = Array.from(svg.querySelectorAll('text'));
  return {
    scale: scale,
    clipped: texts.filter(t => { const b = t.getBBox(); return b.x < -0.5 || b.x + b.width > vb.width + 0.5; })
                  .map(t => t.textContent),
    smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
    ticks: svg.querySelectorAll('line.fp-axis').length - 1,
    text: svg.textContent,
    fill: getComputedStyle(texts[0]).fill,
    nullLine: svg.querySelectorAll('line.fp-null').length,
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_forest_plots_are_legible_on_a_phone(new_page, scheme: str) -> None:
    for path in ("kb/claims/balance-patient-groups/", "kb/claims/walking-after-stroke/"):
        page = new_page(path, viewport={"width": 360, "height": 800}, color_scheme=scheme)
        figures = page.locator("figure.forest")
        assert figures.count() >= 1
        for i in range(figures.count()):
            figure = figures.nth(i)
            plot = figure.locator("svg").evaluate(PLOT_CHECK)
            assert plot["clipped"] == [], path
            assert plot["smallest"] >= 11, f"{path}: text drawn at {plot['smallest']:.1f} px"
            assert plot["ticks"] >= 3 and plot["nullLine"] == 1
            assert "favours backward walking" in plot["text"] and "favours comparison" in plot["text"]
            # Text follows the colour scheme: light on dark, dark on light; no white box in dark mode.
            ink = luminance(plot["fill"])
            assert ink > 0.5 if scheme == "dark" else ink < 0.2
            background = figure.evaluate("f => getComputedStyle(f).backgroundColor")
            assert background in ("rgba(0, 0, 0, 0)", "transparent")
            # The text alternative is kept: the plot's description and the caption give every number.
            desc = figure.locator("svg desc").text_content()
            assert desc.startswith("Forest plot of") and desc in figure.locator("figcaption").inner_text()


# 5. What this means for you ------------------------------------------------------------------


def test_what_this_means_for_you_is_on_every_claim_with_the_safety_link(new_page, site, kb) -> None:
    folder = site[1]
    for cid, claim in kb.claims.items():
        html = (folder / "kb" / "claims" / cid / "index.html").read_text(encoding="utf-8")
        part = html.split('id="what-this-means-for-you"', 1)[1].split("<h2", 1)[0]
        assert 'href="../../../try-it-safely/"' in part, cid
        assert "not advice" in part, cid
        if claim.for_you:
            assert "Who might try it:" in part and "Who should ask a professional first:" in part, cid
    page = new_page("kb/claims/knee-pain-osteoarthritis/", viewport={"width": 390, "height": 844})
    box = page.locator("h2#what-this-means-for-you + .for-you")
    assert box.is_visible()
    box.get_by_role("link", name="how to try it safely").click()
    page.wait_for_url("**/" + SAFETY)
    assert page.locator("h1").inner_text() == "How to try it safely"


# 6. Accountability ---------------------------------------------------------------------------

ABOUT = {
    "About and disclaimer": "about/",
    "How claims are reviewed": "reviewing/",
    "Corrections and changes": "corrections/",
    "Funding and conflicts of interest": "funding/",
    "Contact and reporting errors": "contact/",
    "Open data": "open-data/",
    "Coverage: the next editing targets": "kb/coverage/",
    "Contributing": "contributing/",
    "Benchmarks": "benchmarks/",
}


def test_accountability_pages_are_reached_from_about_this_project(new_page) -> None:
    page = new_page("", viewport={"width": 1366, "height": 900})
    nav = page.locator(".md-nav--primary > .md-nav__list")
    top = [" ".join(t.split()) for t in nav.locator(":scope > li > a, :scope > li > label").all_inner_texts()]
    # Pages for editors are no longer beside the reader's pages.
    assert "Contributing" not in top and "Benchmarks" not in top
    section = nav.locator(":scope > li", has_text="About this project")
    links = {" ".join(a.inner_text().split()): a.get_attribute("href") for a in section.locator("a").all()}
    for name, path in ABOUT.items():
        assert name in links and links[name].rstrip("/").endswith(path.rstrip("/")), name
    base = page.url
    page.goto(base + "reviewing/")
    text = page.locator("article").inner_text()
    # Reviews are by the maintainers, the role the project's history records; no person is named.
    assert "reviewed and merged by the project's maintainers" in text and "names the role rather than a person" in text
    page.goto(base + "funding/")
    assert "The project has no funding and sells nothing." in page.locator("article").inner_text()
    page.goto(base + "contact/")
    assert "issue tracker" in page.locator("article").inner_text()
    page.goto(base + "corrections/")
    log = page.locator("article")
    assert "Our corrections policy" in log.inner_text()
    dates = log.locator("h3").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", d.strip().rstrip("¶")) for d in dates[:5])
    assert log.locator("h3 + ul li").count() >= 10


# 7. The editorial change log -----------------------------------------------------------------


def test_change_history_and_feed_say_what_changed_for_a_reader(new_page, site) -> None:
    base = site[0]
    page = new_page("kb/claims/knee-pain-osteoarthritis/")
    items = page.locator("h2#change-history ~ div ul").first.locator("li").all_inner_texts()
    assert items, "no change history"
    assert any("Verdict changed from Supported to Plausible (early or low-certainty evidence)." in i for i in items)
    assert items[-1].split(":", 1)[1].strip().startswith("First published with the verdict Supported.")
    assert not any("commit" in i.lower() for i in items)  # never a commit message
    # The feed: the same sentences, with links that resolve to the pages.
    with urllib.request.urlopen(base + "kb/feed.xml") as response:
        feed = ET.fromstring(response.read())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 40
    for entry in entries[:10]:
        href = entry.find("a:link", ns).get("href")
        assert href.startswith(base + "kb/")
        with urllib.request.urlopen(href) as response:
            assert response.status == 200
    summaries = [e.find("a:summary", ns).text for e in entries]
    assert all(s and s[0].isupper() and s.endswith(".") for s in summaries)
    # Linked from every page head, where feed readers look for it.
    link = page.locator("head link[rel='alternate'][type='application/atom+xml']")
    assert link.count() == 1 and link.evaluate("l => l.href") == base + "kb/feed.xml"


# 8. The public address -----------------------------------------------------------------------


def test_the_public_address_reaches_canonical_links_the_sitemap_and_claimreview(new_page, site, kb) -> None:
    base, folder = site
    page = new_page("kb/claims/balance/")
    assert page.locator("link[rel='canonical']").get_attribute("href") == base + "kb/claims/balance/"
    sitemap = ET.fromstring((folder / "sitemap.xml").read_text(encoding="utf-8"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in sitemap.findall("s:url", ns)}
    for cid, claim in kb.claims.items():
        assert urls[f"{base}kb/claims/{cid}/"] >= claim.last_reviewed
    for sid in kb.studies:
        assert f"{base}kb/studies/{sid}/" in urls
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in urls.values())
    assert (folder / "robots.txt").read_text().endswith(f"Sitemap: {base}sitemap.xml\n")
    # Material looks for a sitemap beside the feed's <link rel="alternate">: kb/ has its own.
    section = ET.fromstring((folder / "kb" / "sitemap.xml").read_text(encoding="utf-8"))
    section_urls = {u.find("s:loc", ns).text for u in section.findall("s:url", ns)}
    assert section_urls == {u for u in urls if u.startswith(base + "kb/")} and len(section_urls) > len(kb.claims)
    statuses = []
    page.on("response", lambda r: statuses.append((r.status, r.url)))
    page.reload(wait_until="networkidle")
    assert [s for s in statuses if s[0] >= 400] == []


# 10. Search ----------------------------------------------------------------------------------

SEARCHES = {
    "hamstring strength": "hamstring-strength",
    "knee osteoarthritis": "knee-pain-osteoarthritis",
    "is it safe": "safe-for-most-people",
    "VO2 max": "vo2-max",
    "stroke walking": "walking-after-stroke",
    "calories": "body-fat-and-muscle-size",
}


def test_the_search_index_loads_only_when_a_reader_opens_search(new_page, site) -> None:
    """The index is most of a page's weight: a page that is only read never downloads it."""
    page = new_page(None, viewport={"width": 390, "height": 844})
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "search_index" in r.url else None)
    page.goto(site[0] + "kb/claims/balance/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert asked == []
    page.locator("label[for='__search']").first.click()
    page.locator("input.md-search__input").press_sequentially("balance", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert asked == [site[0] + "search/search_index.json"]


def test_search_ranks_claim_pages_above_study_pages_with_sentence_snippets(new_page, kb) -> None:
    page = new_page("", viewport={"width": 1366, "height": 900})
    for query, expected in SEARCHES.items():
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("")
        box.press_sequentially(query, delay=20)
        results = page.locator(".md-search-result__item > a.md-search-result__link")
        results.first.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
        hrefs = [h.split("?")[0] for h in results.evaluate_all("as => as.map(a => a.getAttribute('href'))")]
        kinds = ["claim" if "kb/claims/" in h else "study" if "kb/studies/" in h else "other" for h in hrefs]
        shown = {h.split("kb/claims/")[1].strip("/") for h in hrefs[:5] if "kb/claims/" in h}
        assert expected in shown, f"{query!r}: {hrefs[:5]}"
        assert kinds[0] == "claim", f"{query!r}: first hit {hrefs[0]}"
        # The claim the query names, and every claim whose title holds the query's words, rank
        # above every study page (weaker matches may follow the studies).
        first_study = kinds.index("study") if "study" in kinds else len(kinds)
        above = {h.split("kb/claims/")[1].strip("/") for h in hrefs[:first_study] if "kb/claims/" in h}
        words = [w.lower() for w in query.split() if w.lower() not in ("is", "it")]
        named = {c.id for c in kb.claims.values() if all(w in c.title.lower() for w in words)} | {expected}
        assert named <= above, f"{query!r}: {sorted(named - above)} below a study: {hrefs}"
        snippet = results.first.locator("article p").first.inner_text()
        assert snippet.startswith("The claim: "), snippet
        assert "|" not in snippet and "Certainty Studies" not in snippet
        page.keyboard.press("Escape")


def test_search_results_show_coloured_verdict_chips(new_page) -> None:
    page = new_page("", viewport={"width": 390, "height": 844})
    page.locator("label.md-search__icon, label[for='__search']").first.click()
    box = page.locator("input.md-search__input")
    box.press_sequentially("glute", delay=20)
    chip = page.locator(".md-search-result .md-tag.md-tag--overstated").first
    chip.wait_for(timeout=10_000)
    assert chip.evaluate("c => getComputedStyle(c, '::before').content") == '"✘"'
    assert chip.evaluate("c => getComputedStyle(c).backgroundColor") != "rgba(0, 0, 0, 0)"


# 11. The home page and the evidence map ------------------------------------------------------


def test_home_page_groups_claim_cards_by_verdict(new_page, kb) -> None:
    page = new_page("", viewport={"width": 390, "height": 844})
    headings = page.locator("article h3[id^='verdict-']")
    assert [h.get_attribute("id") for h in headings.all()] == [f"verdict-{v}" for v in VERDICTS]
    for verdict in VERDICTS:
        expected = sorted(c.title for c in kb.claims.values() if c.verdict == verdict)
        tiles = page.locator(f"h3#verdict-{verdict} + p + .claim-grid .claim-tile")
        titles = sorted(t.locator(".claim-tile__title").inner_text() for t in tiles.all())
        assert titles == expected, verdict
        for tile in tiles.all()[:3]:
            assert f"claim-tile--{verdict}" in tile.get_attribute("class")
            assert tile.locator(".verdict").count() == 1
            assert "certainty ●" in tile.inner_text() or "certainty ○" in tile.inner_text()


def test_the_evidence_map_has_a_page_of_its_own(new_page, kb) -> None:
    page = new_page("", viewport={"width": 1366, "height": 900})
    page.locator(".md-nav--primary a", has_text="The evidence map").first.click()
    page.wait_for_url("**/kb/evidence-map/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(kb.claims)
    # Discs sized by participants: more people, a larger disc.
    people, sizes = [], []
    for cell in page.locator(".map-cell").all():
        text = cell.inner_text()
        found = re.search(r"([\d,]+) people", text)
        disc = cell.locator(".map-disc")
        if found and disc.count():
            people.append(int(found.group(1).replace(",", "")))
            sizes.append(disc.evaluate("d => d.getBoundingClientRect().width"))
    pairs = sorted(zip(people, sizes, strict=True))
    assert len(pairs) > 10
    assert all(a[1] <= b[1] for a, b in zip(pairs, pairs[1:], strict=False))
    untested = sum("no: untested" in r for r in rows.all_inner_texts())
    assert 0 < untested < len(kb.claims)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def test_new_pages_link_only_to_pages_that_exist(site) -> None:
    """Raw-HTML links in the card and the map are outside MkDocs' link check: checked here."""
    folder = site[1]
    for rel in ("kb/claims/knee-pain-osteoarthritis/index.html", "kb/evidence-map/index.html", "index.html"):
        parser = _Links()
        page = folder / rel
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            if href.startswith(("http", "mailto:", "#")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.exists() or (target / "index.html").exists() or Path(str(target)).is_file(), href


class _References(HTMLParser):
    """The text of every formatted reference (span.reference) on a page, and the page's text
    outside code blocks (where BibTeX's own "and others" is correct)."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.prose: list[str] = []
        self._depth = 0  # inside a span.reference: count of open spans
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("pre", "code", "script"):
            self._code += 1
        if tag == "span" and self._depth:
            self._depth += 1
        elif tag == "span" and "reference" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.references.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "code", "script"):
            self._code -= 1
        if tag == "span" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.references[-1] += data
        if not self._code:
            self.prose.append(data)


def test_no_page_prints_and_others_for_et_al(new_page, site, kb) -> None:
    """A record's author list ending with 'others' is printed "et al." on every page."""
    folder = site[1]
    seen = 0
    for html in sorted(folder.rglob("*.html")):
        parser = _References()
        parser.feed(html.read_text(encoding="utf-8"))
        seen += len(parser.references)
        bad = [r for r in parser.references if re.search(r"\band others\b", r)]
        text = " ".join("".join(parser.prose).split())
        bad += re.findall(r"[\w.]+ and others \(\d{4}\)", text)
        assert bad == [], f"{html.relative_to(folder)}: {bad}"
    assert seen > len(kb.studies)
    page = new_page("kb/studies/winter-1989-backward-walking-reversal-emg/", viewport={"width": 390, "height": 844})
    reference = page.locator("article .reference").first.inner_text()
    assert " ".join(reference.replace("\u00a0", " ").split()).startswith("Winter, D. A. et al. (1989).")
