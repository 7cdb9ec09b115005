"""Reader links go to the record of the paper (doi.org, PubMed, PMC, the journal), never to a
copy; the page a study was read on is shown as provenance."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rispy
import yaml
from conftest import LAB_STUDY, SOURCE, STUDY, TODAY, write_kb

from build_tools.checks.reading import MIRRORS, reading_group, reading_hosts
from build_tools.pages.citations import format_reference_html
from build_tools.pages.model import build_model
from build_tools.pages.reader_links import read_on, reader_link, record_links
from build_tools.pages.render import render_pages
from build_tools.pipeline import check
from build_tools.records.model import Located, study_from_dict
from build_tools.records.yaml_source import Document


def study(**fields) -> object:
    """A typed study from the fixture, with fields replaced (None removes one), unvalidated."""
    data = yaml.safe_load(STUDY)
    data["read_on"] = str(data["read_on"])
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return study_from_dict(data, Located(Path("x.yaml"), "x.yaml", Document(data)))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "https://doi.org/10.1234/test.2020.1"),
        ({"doi": None, "pmid": "123"}, "https://pubmed.ncbi.nlm.nih.gov/123/"),
        ({"doi": None, "pmcid": "PMC99"}, "https://pmc.ncbi.nlm.nih.gov/articles/PMC99/"),
        ({"pmid": "123", "pmcid": "PMC99"}, "https://doi.org/10.1234/test.2020.1"),
        ({"doi": None, "pmid": "123", "pmcid": "PMC99"}, "https://pubmed.ncbi.nlm.nih.gov/123/"),
        ({"doi": None, "url": "https://journals.lww.com/x/abstract"}, "https://journals.lww.com/x/abstract"),
        # A mirror, an aggregator or an NLM handheld page is never the paper's link.
        ({"url": "https://www.researchgate.net/publication/1"}, "https://doi.org/10.1234/test.2020.1"),
        ({"doi": None, "pmid": "7", "url": "https://pubmedhh.nlm.nih.gov/a?id=7"}, "https://pubmed.ncbi.nlm.nih.gov/7/"),
        ({"doi": None, "url": "https://www.researchgate.net/publication/1"}, None),
        ({"doi": None, "url": "https://ouci.dntb.gov.ua/works/x"}, None),
        ({"doi": None, "url": "https://pubmed.ncbi.nlm.nih.gov/555/"}, None),  # no PMID recorded: none inferred
    ],
    ids=[
        "doi", "pmid", "pmcid", "doi-first", "pmid-before-pmcid", "journal-page", "mirror-with-doi",
        "pubmedhh-with-pmid", "mirror-only", "ouci-only", "address-is-not-a-pmid",
    ],
)  # fmt: skip
def test_the_link_a_reader_clicks_first(fields: dict, expected: str | None) -> None:
    link = reader_link(study(**fields))
    assert (link.href if link else None) == expected


def test_every_record_link_in_order_and_the_journal_page_last() -> None:
    s = study(pmid="123", pmcid="PMC99", url="https://link.springer.com/article/x")
    assert [link.kind for link in record_links(s)] == ["doi", "pubmed", "pmc", "journal"]
    assert record_links(s)[2].href == "https://pmc.ncbi.nlm.nih.gov/articles/PMC99/"


def test_a_doi_is_encoded_in_its_address() -> None:
    assert reader_link(study(doi='10.1234/a"b<c d')).href == "https://doi.org/10.1234/a%22b%3Cc%20d"
    assert reader_link(study(doi="10.1002/(SICI)1097;2-x")).href == "https://doi.org/10.1002/(SICI)1097;2-x"
    # '?', '#' and '%' would end the path or start an escape.
    assert reader_link(study(doi="10.1234/a?b#c%d")).href == "https://doi.org/10.1234/a%3Fb%23c%25d"


def test_provenance_is_the_host_and_date_read() -> None:
    where = read_on(study(url="https://www.scribd.com/document/1", read_on="2026-12-01"))
    assert (where.host, where.url, where.date, where.kind) == (
        "scribd.com",
        "https://www.scribd.com/document/1",
        "2026-12-01",
        MIRRORS,
    )


def test_the_reference_lists_the_doi_first_then_pubmed_and_pmc() -> None:
    html = format_reference_html(study(pmid="123", pmcid="PMC99"))
    doi, pubmed, pmc = (html.index(h) for h in ("https://doi.org/", "https://pubmed.ncbi", "https://pmc.ncbi"))
    assert doi < pubmed < pmc
    assert ">PMC99</a>." in html


def _mirror_root(tmp_path: Path) -> Path:
    mirror = STUDY.replace(
        'url: "https://doi.org/10.1234/test.2020.1"',
        'url: "https://www.researchgate.net/publication/1"\nthird_party_copy: "Only a copy could be opened."\n'
        'pmid: "555"\nidentifier_pages:\n  pmid:\n    url: "https://www.researchgate.net/publication/1"\n'
        '    read_on: 2026-01-15\n    printed_as: "PMID: 555"',
    )
    source = SOURCE.replace(
        "summary:", 'page_status: found\npage_url: "https://example.com/a"\npage_read_on: 2026-01-01\nsummary:'
    )
    return write_kb(tmp_path, {"studies/smith-2020-test.yaml": mirror, "sources/test-article.yaml": source})


def _pages(root: Path) -> dict[str, str]:
    result = check(root, today=TODAY, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return render_pages(build_model(result.kb, result.ratings))


def test_pages_and_exports_send_readers_to_the_record_not_the_copy(tmp_path: Path) -> None:
    pages = _pages(_mirror_root(tmp_path))
    doi = "https://doi.org/10.1234/test.2020.1"
    page = pages["studies/smith-2020-test.md"]
    first = page.index("**The paper:**")
    assert page[first:].startswith(f'**The paper:** <a href="{doi}"')
    assert "researchgate" not in page[:first]  # not in the reference or the heading either
    assert (
        'Read on <a href="https://www.researchgate.net/publication/1" rel="noopener noreferrer">researchgate.net</a> '
        "on 2026-01-15."
    ) in page
    claim = pages["claims/knee-pain.md"]
    assert f'<a class="paper-link" href="{doi}" rel="noopener noreferrer">The paper (DOI)</a>' in claim
    assert "researchgate" not in claim
    # Every address RIS gives is a record of the paper, the reader's first choice first.
    assert rispy.loads(pages["downloads/smith-2020-test.ris"])[0]["urls"] == [
        doi,
        "https://pubmed.ncbi.nlm.nih.gov/555/",
    ]
    assert json.loads(pages["downloads/smith-2020-test.json"])[0]["URL"] == doi
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(pages["downloads/studies.csv"]))}
    assert rows["smith-2020-test"]["link"] == doi
    assert rows["smith-2020-test"]["url_read"] == "https://www.researchgate.net/publication/1"
    computed = {s["record"]["id"]: s["computed"] for s in json.loads(pages["downloads/knowledge-base.json"])["studies"]}
    assert computed["smith-2020-test"]["link"] == doi
    assert computed["smith-2020-test"]["record_links"] == [doi, "https://pubmed.ncbi.nlm.nih.gov/555/"]
    assert computed["smith-2020-test"]["read_on_host"] == "researchgate.net"


def test_claim_review_cites_the_papers_by_their_records(tmp_path: Path) -> None:
    page = _pages(_mirror_root(tmp_path))["claims/knee-pain.md"]
    review = json.loads(yaml.safe_load(page.split("---\n")[1])["claimreview"])
    assert review["citation"] == [
        {
            "@type": "ScholarlyArticle",
            "headline": "A test trial of backward walking",
            "datePublished": "2020",
            "url": "https://doi.org/10.1234/test.2020.1",
            "sameAs": ["https://pubmed.ncbi.nlm.nih.gov/555/"],
        }
    ]
    # The article's own page, when found, is where the claim appeared.
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://example.com/a"


def test_a_study_read_on_a_mirror_needs_third_party_copy(tmp_path: Path) -> None:
    mirror = STUDY.replace('url: "https://doi.org/10.1234/test.2020.1"', 'url: "https://www.scribd.com/document/1"')
    problems = [p.format() for p in check(write_kb(tmp_path, {"studies/smith-2020-test.yaml": mirror}), TODAY).problems]
    assert (
        "studies/smith-2020-test.yaml:9:6: url: www.scribd.com is an index or a copy of other sites' pages (listed "
        "under mirrors in build_tools/checks/reading_hosts.yaml), not the journal, PubMed, PubMed Central, PEDro or "
        "a trial registry (hint: read the study on its journal's page (https://doi.org/10.1234/test.2020.1 opens "
        "it), PubMed or PubMed Central and put that address in url; if only this copy shows it, keep this url and "
        "say why in third_party_copy)"
    ) in problems
    with_reason = mirror.replace("read_on:", 'third_party_copy: "No other page could be opened."\nread_on:')
    assert check(write_kb(tmp_path, {"studies/smith-2020-test.yaml": with_reason}), TODAY, use_cache=False).ok


def test_no_host_is_both_a_mirror_and_a_reading_site() -> None:
    groups = reading_hosts()
    mirrors = set(groups[MIRRORS])
    for group, hosts in groups.items():
        if group != MIRRORS:
            assert not mirrors & set(hosts), group
    for host in ("researchgate.net", "scribd.com", "semanticscholar.org", "ouci.dntb.gov.ua", "growkudos.com"):
        assert reading_group(f"https://www.{host}/x") == MIRRORS, host
    assert reading_group("https://api-pubmed-ncbi.laibokeji.com/x") == MIRRORS


def test_the_lab_fixture_links_to_pubmed(tmp_path: Path) -> None:
    pages = _pages(write_kb(tmp_path))
    lab = pages["studies/jones-2018-lab.md"]
    # The lab fixture has a PMID and no DOI, and was read on PubMed.
    assert "doi:" not in LAB_STUDY
    assert (
        '**The paper:** <a href="https://pubmed.ncbi.nlm.nih.gov/12345678/" rel="noopener noreferrer">PubMed</a>\n'
        in lab
    )
