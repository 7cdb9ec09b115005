"""The rule for PMIDs and PMCIDs: printed for this article on the page read, or on the page
identifier_pages names, with the words printed beside it; never taken from an address."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import STUDY, TODAY, write_kb

from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check

PATH = "studies/smith-2020-test.yaml"
URL = 'url: "https://doi.org/10.1234/test.2020.1"'


def with_ids(*, url: str | None = None, ids: str = "", pages: str = "") -> str:
    """The fixture study with identifiers (YAML lines), another url, and identifier_pages."""
    text = STUDY.replace(URL, f'url: "{url}"' if url else URL)
    extra = ids + (f"identifier_pages:\n{pages}" if pages else "")
    return text.replace("read_on:", extra + "read_on:", 1)


def page(kind: str, printed: str, read_on: str = "2026-01-15") -> str:
    return f'  {kind}:\n    url: "https://www.mirror.example/a"\n    read_on: {read_on}\n    printed_as: "{printed}"\n'


def problems(tmp_path: Path, text: str) -> list[str]:
    return [
        p.format() for p in check(write_kb(tmp_path, {PATH: text}), TODAY, use_cache=False).problems if p.path == PATH
    ]


def test_a_pmid_no_page_shows_is_a_warning_naming_what_to_add(tmp_path: Path) -> None:
    found = problems(tmp_path, with_ids(ids='pmid: "37789863"\n'))
    assert found == [
        "studies/smith-2020-test.yaml:10:7: warning: pmid: no page in the record is shown to print this PMID: the "
        "page in url is not its PubMed or PubMed Central page (hint: name the page that printed it in "
        "identifier_pages.pmid (url, read_on, printed_as), even when it is the page in url; if no page printed it "
        "as this article's PMID, delete it and name it in missing_fields)"
    ]
    assert check(tmp_path, TODAY, use_cache=False).ok  # a warning: shown, not failing


@pytest.mark.parametrize(
    ("url", "ids"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/37789863/", 'pmid: "37789863"\n'),
        ("https://www.ncbi.nlm.nih.gov/pubmed/37789863", 'pmid: "37789863"\n'),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC10062441/", 'pmcid: "PMC10062441"\n'),
        # A PubMed Central article page prints the PMID in its citation.
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC10062441/", 'pmid: "37008812"\npmcid: "PMC10062441"\n'),
    ],
    ids=["pubmed", "old-pubmed", "pmc", "pmid-on-pmc-page"],
)
def test_the_pubmed_or_pmc_page_read_shows_its_own_number(tmp_path: Path, url: str, ids: str) -> None:
    assert problems(tmp_path, with_ids(url=url, ids=ids)) == []


def test_a_pubmed_page_of_another_number_does_not_show_this_one(tmp_path: Path) -> None:
    found = problems(tmp_path, with_ids(url="https://pubmed.ncbi.nlm.nih.gov/1111/", ids='pmid: "37789863"\n'))
    assert len(found) == 1 and "warning: pmid: no page in the record is shown to print this PMID" in found[0]


def test_a_pmid_in_a_mirrors_address_is_not_printed(tmp_path: Path) -> None:
    # The record in the verification took a PMID from a proxy page's address: that is not accepted.
    url = "https://proxy.example.com/nl/en/pubmed.ncbi.nlm.nih.gov/23122938"
    found = problems(
        tmp_path,
        with_ids(url=url, ids='pmid: "23122938"\n').replace("read_on:", 'third_party_copy: "A proxy."\nread_on:', 1),
    )
    assert any("warning: pmid: no page in the record is shown to print this PMID" in p for p in found), found


def test_the_page_that_printed_it_silences_the_warning_and_is_shown(tmp_path: Path) -> None:
    text = with_ids(
        ids='pmid: "37789863"\npmcid: "PMC10062441"\n',
        pages=page("pmid", "PMID 37789863") + page("pmcid", "PMCID: PMC10062441"),
    )
    assert problems(tmp_path, text) == []
    result = check(tmp_path, TODAY, use_cache=False)
    study_page = render_pages(build_model(result.kb, result.ratings))["studies/smith-2020-test.md"]
    assert (
        'The PMID was printed on <a href="https://www.mirror.example/a" rel="noopener noreferrer">mirror.example</a> '
        '(read on 2026-01-15) as "PMID 37789863".'
    ) in study_page
    assert "The PMCID was printed on" in study_page


@pytest.mark.parametrize(
    ("ids", "pages", "expected"),
    [
        (
            'pmid: "37789863"\n',
            page("pmid", "see the PubMed link"),
            "studies/smith-2020-test.yaml:15:17: identifier_pages.pmid.printed_as: does not show the PMID 37789863 "
            "(hint: copy the words the page printed with the number (e.g. 'PMID: 37789863'); a number seen only in an "
            "address, or worked out, is not printed: delete it and name it in missing_fields)",
        ),
        (
            'pmid: "37789863"\n',
            page("pmid", "PMID 377898631"),  # another, longer number is not this one
            "identifier_pages.pmid.printed_as: does not show the PMID 37789863",
        ),
        (
            "",
            page("pmcid", "PMC10062441"),
            "studies/smith-2020-test.yaml:11:3: identifier_pages.pmcid: names the page that printed the PMCID, but "
            "the record has no pmcid (hint: add pmcid: as that page printed it, or delete identifier_pages.pmcid)",
        ),
        (
            'pmid: "37789863"\n',
            page("pmid", "PMID: 37789863", read_on="2027-05-01"),
            "identifier_pages.pmid.read_on: 2027-05-01 is in the future",
        ),
    ],
    ids=["words-without-the-number", "a-longer-number", "no-such-identifier", "read-in-the-future"],
)
def test_a_page_that_does_not_show_the_number_is_refused(tmp_path: Path, ids: str, pages: str, expected: str) -> None:
    found = problems(tmp_path, with_ids(ids=ids, pages=pages))
    assert any(expected in p and "warning" not in p for p in found), found
    assert not check(tmp_path, TODAY, use_cache=False).ok


def test_a_pmcid_is_matched_with_or_without_its_prefix(tmp_path: Path) -> None:
    text = with_ids(ids='pmcid: "PMC10062441"\n', pages=page("pmcid", "PMCID 10062441"))
    assert problems(tmp_path, text) == []
