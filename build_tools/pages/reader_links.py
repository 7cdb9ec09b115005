"""Which link a reader follows to a paper, and where we read it.

The link a reader clicks first goes to the record of the paper: doi.org when the study has a
DOI, else PubMed (PMID), else PubMed Central (PMCID), else the journal's own page. The page
the study was read on is provenance, shown as "read on <host> on <date>": when it is an
index, an aggregator or a copy (a mirror), it is never offered as the paper's link.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from build_tools.checks.reading import reading_group
from build_tools.records.model import Study

# Characters a DOI keeps in its doi.org address: the address characters a DOI may stand in,
# without '?', '#' and '%' (they would end the path or start an escape); anything else
# (spaces, quotes, '<') is %-encoded.
_DOI_SAFE = "/:[]@!$&'()*+,;=~-._"


@dataclass(frozen=True)
class Link:
    """One link to the record of a paper."""

    kind: str  # doi | pubmed | pmc | journal
    label: str  # what the link is, for a reader: "DOI", "PubMed", ...
    text: str  # the link's text: "doi:10.1/x", "PMID 123", ...
    href: str


@dataclass(frozen=True)
class ReadOn:
    """Where and when the study was read (provenance, not the reader's link)."""

    host: str
    url: str
    date: str
    kind: str | None  # the reading_hosts.yaml group of the host, or None if not listed


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe=_DOI_SAFE)


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


def record_links(study: Study) -> tuple[Link, ...]:
    """Every link to the paper's record, the reader's first choice first."""
    links = []
    if study.doi:
        links.append(Link("doi", "DOI", f"doi:{study.doi}", doi_url(study.doi)))
    if study.pmid:
        links.append(Link("pubmed", "PubMed", f"PMID {study.pmid}", pubmed_url(study.pmid)))
    if study.pmcid:
        links.append(Link("pmc", "PubMed Central", study.pmcid, pmc_url(study.pmcid)))
    # The page read is a link to the paper only when it is the journal's own page.
    if reading_group(study.url) == "publishers":
        links.append(Link("journal", "Journal", "the journal's page", study.url))
    return tuple(links)


def reader_link(study: Study) -> Link | None:
    """The link a reader clicks first, or None when the only page known is a copy."""
    links = record_links(study)
    return links[0] if links else None


def read_on_page(url: str, date: str) -> ReadOn:
    """A page read on `date`: its host, address and date."""
    host = (urlsplit(url).hostname or url).lower().removeprefix("www.")
    return ReadOn(host, url, date, reading_group(url))


def read_on(study: Study) -> ReadOn:
    """Where the study was read: its host, address and date."""
    return read_on_page(study.url, study.read_on)
