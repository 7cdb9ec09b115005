"""Identifiers (DOI, PMID, PMCID, URL) follow their real grammar to the true end of the text,
and whatever reaches a page is escaped there: a DOI can never carry a script onto a page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import CLAIM, LAB_STUDY, SOURCE, STUDY, TODAY, write_kb
from page_html import runnable, to_html

from build_tools.pages.citations import format_reference_html
from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check
from build_tools.rating.rules import rate
from build_tools.records.grammar import ecma_regex, identifier_key, is_identifier
from build_tools.records.model import KnowledgeBase, Located, claim_from_dict, source_from_dict, study_from_dict
from build_tools.records.yaml_source import Document

STORED_SCRIPT = '10.5555/x"<img/src/onerror=alert(1)>'


def study_file(**fields: str) -> str:
    """The test study with some top-level fields replaced (values written as YAML)."""
    text = STUDY
    for name, value in fields.items():
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.startswith(f"{name}:"):
                lines[i] = f"{name}: {value}"
                break
        else:
            lines.append(f"{name}: {value}")
        text = "\n".join(lines) + "\n"
    return text


def test_a_doi_carrying_a_script_is_refused_at_its_line(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"studies/smith-2020-test.yaml": study_file(doi=f"'{STORED_SCRIPT}'")})
    result = check(root, today=TODAY)
    lines = [p.format() for p in result.problems]
    assert not result.ok
    assert any(line.startswith("studies/smith-2020-test.yaml:8:6: doi: ") and "is not a DOI" in line for line in lines)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("doi", '"10.1234/test.2020.1\\n"'),  # `$` in Python matches before this newline
        ("doi", '"10.1234/a b"'),
        ("doi", '"10.1234/x<y"'),
        ("doi", "'10.123/three-digit-registrant'"),
        ("doi", '"10.1234/\u0445"'),  # a Cyrillic letter that looks like x
        ("pmid", '"012345"'),
        ("pmid", '"12345\\n"'),
        ("pmid", '"\u0661\u0662\u0663"'),  # Arabic-Indic digits: \\d in Python, not in the grammar
        ("pmcid", '"pmc123"'),
        ("pmcid", '"PMC123\\n"'),
        ("url", '"http://example.org/x"'),
        ("url", '"https://pubmed.ncbi.nlm.nih.gov@evil.example/"'),
        ("url", '"https://example.org/a\\"onmouseover=alert(1)"'),
        ("url", '"https://example.org/x\\n"'),
        ("url", '"javascript:alert(1)//https://x"'),
    ],
)
def test_identifiers_follow_their_grammar_to_the_true_end(tmp_path: Path, field: str, value: str) -> None:
    root = write_kb(tmp_path, {"studies/smith-2020-test.yaml": study_file(**{field: value})})
    result = check(root, today=TODAY)
    assert not result.ok
    assert any(p.field == field for p in result.problems), [p.format() for p in result.problems]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("doi", "10.1002/(SICI)1097-4636(199708)36:2;2-J"),  # parentheses, colon and semicolon are Crossref's
        ("pmcid", "PMC6825714"),
        ("url", "https://pubmed.ncbi.nlm.nih.gov/1/?b=c&d[]=e#f"),
    ],
)
def test_real_identifiers_pass(tmp_path: Path, field: str, value: str) -> None:
    root = write_kb(tmp_path, {"studies/smith-2020-test.yaml": study_file(**{field: f"'{value}'"})})
    assert check(root, today=TODAY).ok


def test_schema_patterns_mean_what_ecma_262_says() -> None:
    # In ECMA-262, which JSON Schema patterns are written in, `$` is the end of the text.
    assert ecma_regex("^a$").search("a") and not ecma_regex("^a$").search("a\n")
    assert ecma_regex("^[$]$").search("$") and not ecma_regex(r"^\d$").search("\u0661")
    assert not is_identifier("doi", "10.1234/x\n") and is_identifier("doi", "10.1234/x")


def typed_kb(tmp_path: Path, **study_fields: str) -> KnowledgeBase:
    """The test records built directly, skipping the check, with some study fields replaced."""
    kb = KnowledgeBase()
    for text, builder, table in (
        (SOURCE, source_from_dict, kb.sources),
        (STUDY, study_from_dict, kb.studies),
        (LAB_STUDY, study_from_dict, kb.studies),
        (CLAIM, claim_from_dict, kb.claims),
    ):
        data = yaml.safe_load(text)
        for key in ("read_on", "last_reviewed"):
            if key in data:
                data[key] = str(data[key])
        if data["id"] == "smith-2020-test":
            data.update(study_fields)
        record = builder(data, Located(tmp_path / "x.yaml", "x.yaml", Document(data)))
        table[record.id] = record
    return kb


@pytest.mark.parametrize(
    "fields",
    [
        {"doi": STORED_SCRIPT},
        {"pmid": '1"><img src=x onerror=alert(1)>'},
        {"url": 'https://x.org/"onmouseover="alert(1)'},
        {"doi": '10.1234/x" onmouseover="alert(1)', "pmid": "1' onfocus='alert(1)"},
    ],
    ids=["doi", "pmid", "url", "quotes"],
)
def test_an_identifier_that_skipped_the_check_is_still_inert_on_every_page(tmp_path: Path, fields: dict) -> None:
    kb = typed_kb(tmp_path, **fields)
    pages = render_pages(build_model(kb, rate(kb)))
    for name in ("studies/smith-2020-test.md", "claims/knee-pain.md"):
        html = to_html(pages[name])
        assert runnable(html).found == [], name


def test_the_reference_link_is_one_escaped_attribute(tmp_path: Path) -> None:
    study = typed_kb(tmp_path, doi=STORED_SCRIPT).studies["smith-2020-test"]
    parsed = runnable(to_html(format_reference_html(study)))
    anchors = [attrs for tag, attrs in parsed.tags if tag == "a"]
    href = "https://doi.org/10.5555/x%22%3Cimg/src/onerror=alert(1)%3E"
    assert anchors == [{"href": href, "rel": "noopener noreferrer"}]
    assert parsed.found == []


def test_external_markdown_links_get_noopener() -> None:
    html = to_html("[a](https://example.org/) and [b](../local.md)\n")
    assert '<a href="https://example.org/" rel="noopener noreferrer">a</a>' in html
    assert '<a href="../local.md">b</a>' in html


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("10.1234/ABC", "10.1234/abc"),
        ("10.1234/abc", "10.1234/abc\u200b"),  # a zero-width space
        ("10.1234/abc", "\uff11\uff10.1234/abc"),  # full-width digits
        ("10.1234/abc", "10.1234/a\u00adbc"),  # a soft hyphen
        ("PMC123", "pmc123"),
    ],
)
def test_identifiers_are_compared_as_people_read_them(one: str, other: str) -> None:
    assert identifier_key(one) == identifier_key(other)
