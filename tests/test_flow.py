"""The PRISMA 2020 flow, counted from screening logs, and its diagram: the counts on a fixture
worked out by hand, the diagram's numbers read back and compared with the table's, and each
claim's coverage."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import FIXTURE_LOG, TODAY, write_kb
from records_builder import LOW_RISK, study

from build_tools.pages.flow import claim_coverage, count_flow, coverage_table
from build_tools.pages.flow_plot import WIDTH, flow_svg, text_alternative
from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check

SVG = "{http://www.w3.org/2000/svg}"

# Two topics. Knee: 3 searches (hits 10 + 6 + 4), 5 candidates found 8 times in all (one of
# them also by a balance search); balance: 1 search (hits 7), 3 candidates, one of them the
# knee log's awaiting candidate again (same id, same decision).
KNEE = """\
topic: knee
title: Knee
claims: [knee-pain]
searches:
  - {id: knee-01, date: 2026-10-01, where: stored-pages, query: "backward walking knee", hits: 10}
  - {id: knee-02, date: 2026-10-02, where: stored-pages, query: "retro walking knee", hits: 6}
  - {id: knee-03, date: 2026-10-03, where: crossref, query: "reverse walking", hits: 4}
candidates:
  - {id: smith-2020-test, first_author: Smith, year: 2020, title: "A test trial", doi: "10.1234/test.2020.1",
     found_by: [knee-01, knee-02, knee-03], design: rct, decision: included, study: smith-2020-test}
  - {id: jones-2018-lab, first_author: Jones, year: 2018, title: "A lab comparison", pmid: "12345678",
     found_by: [knee-01, balance-01], design: cross-sectional, decision: included, study: jones-2018-lab}
  - {id: a-2019-x, first_author: A, year: 2019, title: "Forward only", url: "https://example.org/a",
     found_by: [knee-01], design: rct, decision: excluded, reason: not-backward-locomotion, note: "Forward."}
  - {id: b-2019-x, first_author: B, year: 2019, title: "No page", url: "https://example.org/b",
     found_by: [knee-02], design: rct, decision: excluded, reason: results-not-visible, note: "Abstract only."}
  - {id: c-2020-x, first_author: C, year: 2020, title: "Later", url: "https://example.org/c",
     found_by: [knee-02], design: protocol, decision: awaiting, note: "Not read yet."}
"""
BALANCE = """\
topic: balance
title: Balance
claims: [knee-pain]
searches:
  - {id: balance-01, date: 2026-10-04, where: stored-pages, query: "backward walking balance", hits: 7}
candidates:
  - {id: c-2020-x, first_author: C, year: 2020, title: "Later", url: "https://example.org/c",
     found_by: [balance-01], design: protocol, decision: awaiting, note: "Not read yet."}
  - {id: d-2021-x, first_author: D, year: 2021, title: "No identifiers", url: "https://example.org/d",
     found_by: [balance-01], design: rct, decision: excluded, reason: citation-not-confirmed, note: "No DOI."}
  - {id: e-2021-x, first_author: E, year: 2021, title: "A protocol", url: "https://example.org/e",
     found_by: [balance-01], design: protocol, decision: excluded, reason: protocol-only, note: "Registry."}
"""


def checked(tmp_path: Path):
    root = write_kb(tmp_path, {FIXTURE_LOG: None, "screening/knee.yaml": KNEE, "screening/balance.yaml": BALANCE})
    result = check(root, TODAY, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return result


def test_each_topics_flow_is_counted_from_its_log(tmp_path: Path) -> None:
    kb = checked(tmp_path).kb
    knee = count_flow([kb.screening["knee"]], kb)
    assert (knee.searches, knee.results, knee.identified, knee.screened) == (3, 20, 8, 5)
    assert knee.duplicates == 3
    assert knee.not_retrieved == {"results-not-visible": 1, "citation-not-confirmed": 0}
    assert knee.assessed == 4
    assert knee.excluded["not-backward-locomotion"] == 1 and knee.excluded_total == 1
    assert (knee.awaiting, knee.included, knee.included_trials) == (1, 2, 1)
    balance = count_flow([kb.screening["balance"]], kb)
    assert (balance.searches, balance.results, balance.identified, balance.screened) == (1, 7, 3, 3)
    assert balance.not_retrieved["citation-not-confirmed"] == 1 and balance.excluded["protocol-only"] == 1


def test_the_overall_flow_counts_a_study_in_two_logs_once(tmp_path: Path) -> None:
    kb = checked(tmp_path).kb
    flow = count_flow(list(kb.screening.values()), kb)
    # 8 knee pairs + 3 balance pairs = 11 (search, candidate) pairs; 7 distinct candidates.
    assert (flow.searches, flow.results, flow.identified, flow.screened, flow.duplicates) == (4, 27, 11, 7, 4)
    assert flow.not_retrieved_total == 2 and flow.assessed == 5
    assert flow.excluded_total == 2 and flow.awaiting == 1 and flow.included == 2
    assert flow.assessed == flow.excluded_total + flow.awaiting + flow.included


def _svg_numbers(svg: str) -> dict[str, int]:
    root = ET.fromstring(svg)
    found = {}
    for text in root.iter(f"{SVG}text"):
        stage = text.get("data-stage")
        if stage:
            found[stage] = int(re.findall(r"\d+", text.text or "")[-1])
    return found


def _table_numbers(page: str, stages: list[tuple[str, str, int]]) -> dict[str, int]:
    rows = dict(re.findall(r"^\| (.+?) \| (\d+) \|$", page, re.M))
    labels = {label.replace("(", "\\(").replace(")", "\\)"): key for key, label, _ in stages}
    return {labels[label]: int(n) for label, n in rows.items() if label in labels}


def test_the_diagram_shows_the_same_numbers_as_the_table_beside_it(tmp_path: Path) -> None:
    result = checked(tmp_path)
    pages = render_pages(build_model(result.kb, result.ratings))
    kb = result.kb
    for name, logs in (
        ("screening/index.md", list(kb.screening.values())),
        ("screening/knee.md", [kb.screening["knee"]]),
    ):
        flow = count_flow(logs, kb)
        page = pages[name]
        svg = re.search(r"<svg .*?</svg>", page).group(0)
        drawn, tabled = _svg_numbers(svg), _table_numbers(page, flow.stages())
        expected = {key: n for key, _, n in flow.stages()}
        # Every number but the searches and their results is a stage of its own in the diagram.
        assert drawn == {k: v for k, v in expected.items() if k not in ("searches", "results")}
        assert tabled == expected
        assert f"{flow.identified} records identified" in page  # the caption says it too
    assert pages["diagrams/flow-all-topics.svg"].startswith("<svg")
    assert "diagrams/flow-topic-knee.svg" in pages and "diagrams/flow-topic-balance.svg" in pages


def test_the_diagram_is_narrow_stacked_and_styled_by_classes(tmp_path: Path) -> None:
    kb = checked(tmp_path).kb
    svg = flow_svg(count_flow(list(kb.screening.values()), kb), "all topics", "x1")
    root = ET.fromstring(svg)
    assert root.get("width") == str(WIDTH) == "360" and root.get("role") == "img"
    rects = list(root.iter(f"{SVG}rect"))
    assert all(float(r.get("x")) + float(r.get("width")) <= WIDTH for r in rects)
    tops = [float(r.get("y")) for r in rects]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one column: each box below the last
    assert {r.get("class") for r in rects} == {"pf-main", "pf-side"}
    assert all(t.get("class") == "pf-ink" for t in root.iter(f"{SVG}text"))
    assert root.find(f"{SVG}desc").text == text_alternative(count_flow(list(kb.screening.values()), kb), "all topics")
    # Lines fit their box: at most (box width - padding) / 7 px characters.
    for text in root.iter(f"{SVG}text"):
        assert len(text.text) * 7.0 <= WIDTH - 16 - float(text.get("x")) + 8, text.text
    assert 'id="x1-title"' in svg and "url(#x1-head)" in svg


def test_coverage_counts_the_claims_studies_and_its_topics_candidates(tmp_path: Path) -> None:
    kb = checked(tmp_path).kb
    cov = claim_coverage(kb.claims["knee-pain"], kb)
    assert cov.topics == ("balance", "knee")
    assert (cov.included, cov.excluded, cov.awaiting) == (1, 4, 1)  # c-2020-x is one candidate
    assert (cov.trials, cov.with_effects, cov.with_appraisal) == (1, 0, 1)
    assert cov.effects_share == 0.0 and cov.appraisal_share == 1.0


def test_coverage_puts_the_weakest_claims_first(tmp_path: Path) -> None:
    effects = (
        "effects:\n  - {key: knee-pain, outcome: pain, comparison: bw vs usual care, measure: mean difference, "
        "value: -1.0, ci_low: -1.5, ci_high: -0.5, unit: points}\n"
    )
    second = (
        ((Path(__file__).parent / "conftest.py").read_text().split('CLAIM = """\\\n')[1].split('"""')[0])
        .replace("id: knee-pain", "id: knee-pain-two")
        .replace("smith-2020-test", "strong-2021-trial")
    )
    root = write_kb(
        tmp_path,
        {
            "studies/strong-2021-trial.yaml": study("strong-2021-trial", items=LOW_RISK) + effects,
            "claims/knee-pain-two.yaml": second.replace("title: Knee pain", "title: Knee pain two"),
        },
    )
    kb = check(root, TODAY, use_cache=False).kb
    order = [c.claim.id for c in coverage_table(kb)]
    assert order == ["knee-pain", "knee-pain-two"]  # no trial with numbers comes before one with them
    page = render_pages(build_model(kb, check(root, TODAY, use_cache=False).ratings))["coverage.md"]
    assert page.index("(claims/knee-pain.md)") < page.index("(claims/knee-pain-two.md)")
    assert "| 0 of 1 (0%) | 1 of 1 (100%) |" in page and "| 1 of 1 (100%) | 1 of 1 (100%) |" in page
