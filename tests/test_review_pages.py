"""The pages that show how the review was done: how we searched, each topic's screening page,
the evidence gaps and each claim's "What would settle it"."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CLAIM, FIXTURE_LOG, TODAY, write_kb
from markupsafe import escape

from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pages.text_escape import markdown_literal
from build_tools.pipeline import check
from build_tools.records.model import EXCLUSION_REASONS, WHERE


def shown(text: str) -> str:
    """Record text as a page holds it: Markdown-escaped, then HTML-escaped."""
    return str(escape(markdown_literal(text)))


LOG = """\
topic: knee
title: "Knee: pain and function"
claims: [knee-pain]
searches:
  - {id: knee-01, date: 2026-10-01, where: stored-pages, query: "retro walking *knee* | pain", hits: 8}
  - {id: knee-02, date: 2026-10-02, where: reference-list, query: "its included studies", hits: 2,
     of_study: smith-2020-test}
candidates:
  - {id: smith-2020-test, first_author: Smith, year: 2020, title: "A test trial", doi: "10.1234/test.2020.1",
     found_by: [knee-01], design: rct, decision: included, study: smith-2020-test}
  - {id: jones-2018-lab, first_author: Jones, year: 2018, title: "A lab study", pmid: "12345678",
     found_by: [knee-01], design: cross-sectional, decision: included, study: jones-2018-lab}
  - {id: odd-2019-doi, first_author: Odd, year: null, title: "Pai[n] (truncated) _and_ more | less",
     doi: "10.5555/a(b)_c", found_by: [knee-01, knee-02], design: not shown, decision: excluded,
     reason: results-not-visible, note: "Only the title was shown."}
  - {id: late-2026-protocol, first_author: Late, year: 2026, title: "A registered protocol",
     url: "http://registry.example.org/trial?id=1&x=2", found_by: [knee-02], design: protocol,
     decision: awaiting, note: "Results not posted yet."}
"""


def pages_for(tmp_path: Path, files: dict | None = None) -> dict[str, str]:
    root = write_kb(tmp_path, {FIXTURE_LOG: None, "screening/knee.yaml": LOG, **(files or {})})
    result = check(root, TODAY, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return render_pages(build_model(result.kb, result.ratings))


def test_the_methods_page_gives_the_flow_the_reasons_and_every_search(tmp_path: Path) -> None:
    page = pages_for(tmp_path)["screening/index.md"]
    assert page.startswith("# How we searched\n")
    assert '<figure class="prisma"><svg' in page
    for reason, meaning in EXCLUSION_REASONS.items():
        assert f"- **{reason}**: {shown(meaning)}." in page
    for where, meaning in WHERE.items():
        assert f"- **{where}**: {shown(meaning)}." in page
    assert "## Knee: pain and function" in page
    assert "**Claims these searches serve:** [Knee pain](../claims/knee-pain.md)." in page
    assert "[screening log for knee](knee.md)" in page
    assert "| knee-01 | 2026-10-01 | stored-pages | retro walking \\*knee\\* \\| pain | 8 |" in page
    assert "| knee-02 | 2026-10-02 | reference-list: [Smith and Doe 2020](../studies/smith-2020-test.md) |" in page
    assert "| [Knee: pain and function](knee.md) | 2 | 4 | 2 | 1 | 1 |" in page
    assert "were set aside at the search, without an entry" in page


def test_a_topic_page_lists_every_candidate_with_its_decision_and_links(tmp_path: Path) -> None:
    pages = pages_for(tmp_path)
    page = pages["screening/knee.md"]
    assert "### Included (2)" in page and "### Excluded (1)" in page and "### Awaiting (1)" in page
    assert "| [Smith and Doe 2020](../studies/smith-2020-test.md) |" in page
    assert '<a href="https://doi.org/10.1234/test.2020.1" rel="noopener noreferrer">doi:10.1234/test.2020.1</a>' in page
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/12345678/" rel="noopener noreferrer">PMID 12345678</a>' in page
    # The title's brackets, underscores and a DOI's pipe cannot become a link, emphasis or a table cell.
    assert "**Odd \\(year not shown\\)**: Pai\\[n\\] \\(truncated\\) \\_and\\_ more \\| less" in page
    assert 'href="https://doi.org/10.5555/a%28b%29_c"' in page and ">doi:10.5555/a(b)&#95;c</a>" in page
    assert "| results not visible | Only the title was shown. |" in page
    assert 'href="http://registry.example.org/trial?id=1&amp;x=2"' in page
    assert "| knee-01, knee-02 |" in page
    nav = pages["screening/SUMMARY.md"]
    assert nav == "* [How we searched](index.md)\n* [Screening: Knee: pain and function](knee.md)\n"


def test_a_pipe_in_a_title_does_not_split_the_table_row(tmp_path: Path) -> None:
    page = pages_for(tmp_path)["screening/knee.md"]
    row = next(line for line in page.splitlines() if "Odd" in line)
    # Six cells between the row's outer pipes: the title's pipe is escaped, so it is not a seventh.
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 6 and "\\| less" in cells[0]


def test_each_claim_page_says_what_would_settle_it_and_the_gaps_page_gathers_them(tmp_path: Path) -> None:
    noted = CLAIM + "  note: Trials should report adverse events too.\n"
    pages = pages_for(tmp_path, {"claims/knee-pain.yaml": noted})
    claim = pages["claims/knee-pain.md"]
    assert "## What would settle it" in claim
    assert "- **Who:** Adults with knee osteoarthritis, 200 across trials" in claim
    assert "- **Compared with:** Usual care alone" in claim
    assert "- **Measuring:** Knee pain at 6 and 12 weeks, assessed blind" in claim
    assert "Trials should report adverse events too." in claim and "[evidence gaps](../gaps.md)" in claim
    gaps = pages["gaps.md"]
    assert "## Plausible\n\n### Knee pain\n" in gaps
    assert "[The claim's page](claims/knee-pain.md)" in gaps
    assert "- **Measuring:** Knee pain at 6 and 12 weeks, assessed blind" in gaps
    assert "Trials should report adverse events too." in gaps
    assert "## Supported" not in gaps  # no claim has that verdict here


def test_a_claim_without_settle_is_refused_with_where_to_add_it(tmp_path: Path) -> None:
    start = CLAIM.index("settle:")
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM[:start]})
    problems = [p.format() for p in check(root, TODAY, use_cache=False).problems]
    assert any(
        p.startswith("claims/knee-pain.yaml:1:1: settle: missing required field 'settle' (hint: add `settle:` after")
        for p in problems
    ), problems


def test_every_review_page_is_in_the_navigation() -> None:
    summary = (Path(__file__).resolve().parent.parent / "docs" / "SUMMARY.md").read_text()
    section = summary[summary.index("* How we reviewed") :]
    for link in ("(kb/screening/)", "(kb/coverage.md)", "(kb/gaps.md)", "(methodology.md)"):
        assert link in section
    methodology = (Path(__file__).resolve().parent.parent / "docs" / "methodology.md").read_text()
    for link in ("(kb/screening/index.md)", "(kb/coverage.md)", "(kb/gaps.md)"):
        assert link in methodology
