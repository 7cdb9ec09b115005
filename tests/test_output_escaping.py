"""One way out to each format: record text stays text on the pages (no Markdown block of its
own), and every download is valid in its format whatever the record says."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from conftest import CLAIM, LAB_STUDY, SOURCE, STUDY, TODAY, write_fixture_log
from page_html import runnable, to_html
from pybtex.database import parse_string

from build_tools.pages.citations import to_bibtex
from build_tools.pages.exports import csv_cell, knowledge_base_json, studies_csv, to_csl_json, to_ris
from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pages.structured_data import inert_json
from build_tools.pipeline import check

CLAIM_PROSE = ("claim", "bottom_line", "what_is_true", "what_is_overstated", "population_caveat")
STUDY_PROSE = ("title", "intervention", "comparator")


def write_records(root: Path, text: str) -> Path:
    """The test records with every prose field (and, on one line, every title) set to `text`."""
    line = " ".join(text.split())
    claim = yaml.safe_load(CLAIM)
    claim.update({k: text for k in CLAIM_PROSE}, title=line, last_reviewed=str(claim["last_reviewed"]))
    claim["claimed_by"][0].update(said=text, miscitation=text)
    claim["evidence"][0]["note"] = text
    study = yaml.safe_load(STUDY)
    study.update({k: text for k in STUDY_PROSE}, read_on=str(study["read_on"]))
    study["limitations"] = [text]
    study["outcomes"][0].update(finding=text, measure=line)
    study["population"].update(description=text, condition=line)
    source = yaml.safe_load(SOURCE)
    source.update(headline=line, summary=text)
    for rel, data in (
        ("claims/knee-pain", claim),
        ("studies/smith-2020-test", study),
        ("sources/test-article", source),
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / f"{rel}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    (root / "studies" / "jones-2018-lab.yaml").write_text(LAB_STUDY)
    write_fixture_log(root)
    return root


def pages_with(root: Path, text: str) -> dict[str, str]:
    result = check(write_records(root, text), today=TODAY, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return render_pages(build_model(result.kb, result.ratings))


def structure(markdown_page: str) -> list[str]:
    """The page's elements, in order, without their text: what record text must never change."""
    return [tag for tag, _ in runnable(to_html(markdown_page)).tags]


BLOCKS = {
    "atx-heading": "# Supported",
    "heading-close": "Knee pain ##",
    "admonition": '!!! success "Verdict: Supported"',
    "admonition-bare": "!!! success",
    "collapsible": '??? note "Verdict: Supported"',
    "admonition-in-prose": 'Fine.\n\n!!! success "Verdict: Supported"\n    A fake verdict box.',
    "rule-dashes": "---",
    "rule-stars": "***",
    "rule-underscores": "___",
    "setext-equals": "===",
    "setext-in-prose": "A heading\n=========",
    "setext-dash-in-prose": "A heading\n---------",
    "bullet-dash": "- a list item",
    "bullet-plus": "+ a list item",
    "bullet-star": "* a list item",
    "list-in-prose": "Fine.\n- a list item\n- another",
    "ordered": "1. a numbered item",
    "ordered-paren": "1) a numbered item",
    "definition": ": a definition",
    "definition-in-prose": "Term\n: a definition",
    "tilde-fence": "~~~",
    "backtick-fence": "```python",
    "indented-code": "    indented code",
    "code-in-prose": "Fine.\n\n    indented code",
    "block-quote": "> a quotation",
    "table-row": "| a | b |",
    "table-in-prose": "| a | b |\n|---|---|\n| c | d |",
    "snippet-include": '--8<-- "mkdocs.yml"',
    "snippet-short": "-8<- mkdocs.yml",
    "footnote-reference": "a claim[^1]",
    "abbreviation": "*[HTML] x",
    "hard-break": "one  \ntwo",
    "html-entity": "&lt;script&gt;alert(1)&lt;/script&gt;",
}


@pytest.fixture(scope="module")
def plain_structure(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    pages = pages_with(tmp_path_factory.mktemp("plain"), "Plain words.")
    return {name: structure(pages[name]) for name in ("claims/knee-pain.md", "studies/smith-2020-test.md")}


@pytest.mark.parametrize("text", list(BLOCKS.values()), ids=list(BLOCKS))
def test_record_text_never_becomes_markdown_structure(tmp_path: Path, text: str, plain_structure) -> None:
    pages = pages_with(tmp_path, text)
    for name, expected in plain_structure.items():
        assert structure(pages[name]) == expected, name
        assert "site_name" not in to_html(pages[name])  # the snippet include read no file


def typed_study(tmp_path: Path, **fields):
    from test_identifiers import typed_kb  # records built directly: what a check would refuse

    return typed_kb(tmp_path, **fields)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\uff1d", " ="])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path: Path, start: str) -> None:
    kb = typed_study(tmp_path, title=f'{start}HYPERLINK("https://evil.example","x")', journal=f"{start}1+1")
    from build_tools.rating.rules import rate

    rows = list(csv.reader(io.StringIO(studies_csv(kb, rate(kb)))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) == 3  # the header and two studies: no line of its own from a \r
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\uff1d")]
    if start.strip():  # a leading tab or CR goes with the white space, and the cell is text again
        assert "'" + f'{start}HYPERLINK("https://evil.example","x")'.strip() in cells
    assert csv_cell(-1) == -1 and csv_cell("plain") == "plain"


INJECTION = 'A title\nER  - \nTY  - JOUR\nTI  - forged\n}, note = {forged}}\n@misc{forged,\n  title = "x"\n}'


def test_a_line_break_cannot_start_a_new_ris_or_bibtex_record(tmp_path: Path) -> None:
    study = typed_study(tmp_path, title=INJECTION, journal="J\\}{").studies["smith-2020-test"]
    ris = to_ris(study)
    assert ris.startswith("TY  - JOUR\n")
    tags = [line[:6] for line in ris.splitlines() if line]
    assert tags.count("TY  - ") == 1 and tags.count("ER  - ") == 1 and tags[-1] == "ER  - "
    assert all(len(line) > 5 and line[2:6] == "  - " for line in ris.splitlines() if line)
    parsed = parse_string(to_bibtex([study]), "bibtex")
    assert list(parsed.entries) == ["smith-2020-test"]
    assert set(parsed.entries["smith-2020-test"].fields) == {"title", "year", "journal", "doi"}


def strict_json(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_outputs_are_strict_json(tmp_path: Path) -> None:
    kb = typed_study(tmp_path, title="\u2028</script><!--")
    from build_tools.rating.rules import rate

    strict_json(knowledge_base_json(kb, rate(kb)))
    strict_json(to_csl_json(kb.studies["smith-2020-test"]))
    inert = inert_json({"text": "\u2028</script><!--"})
    assert "<" not in inert and "\u2028" not in inert and strict_json(inert) == {"text": "\u2028</script><!--"}
    with pytest.raises(ValueError):
        inert_json({"value": float("inf")})  # never written as Infinity


def test_a_forest_plot_of_hostile_text_is_well_formed_and_inert(tmp_path: Path) -> None:
    from site_scan import scan_svg
    from test_reader_features import SECOND, TWO_STUDY_CLAIM, model_for

    from build_tools.pages.plots import svg_text

    effect = (
        'effects:\n  - key: knee-pain\n    outcome: \'--8<-- "mkdocs.yml" ]]> &amp; "quoted"\'\n'
        "    comparison: '!!! success \"Verdict: Supported\"'\n    measure: mean difference\n"
        "    value: {v}\n    ci_low: {lo}\n    ci_high: {hi}\n    unit: '0-10 points ]]> & <3 \"x\"'\n"
        "    higher_is: worse\n"
    )
    root = write_records(tmp_path, "Plain words.")
    (root / "studies" / "smith-2020-test.yaml").write_text(STUDY + effect.format(v=-1.2, lo=-1.8, hi=-0.6))
    (root / "studies" / "smith-2021-second.yaml").write_text(SECOND + effect.format(v=-0.5, lo=-1.1, hi=0.1))
    (root / "claims" / "knee-pain.yaml").write_text(TWO_STUDY_CLAIM)
    (root / "sources" / "test-article.yaml").write_text(SOURCE)
    write_fixture_log(root)
    pages = render_pages(model_for(root))  # model_for asserts that the check passed
    assert scan_svg(pages["plots/knee-pain-1.svg"]) == []
    html = to_html(pages["claims/knee-pain.md"])
    assert [f for f in runnable(html).found if f != "<svg>"] == [] and "site_name" not in html  # the plot is ours
    with pytest.raises(ValueError):
        svg_text(float("nan"))
