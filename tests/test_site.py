"""The real records: they pass, and the strict site build has a page for every one of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, build_real_site

from build_tools.pipeline import check
from build_tools.rating import rules as rating


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_real_site(tmp_path_factory.mktemp("site"))


def test_real_records_have_no_errors() -> None:
    result = check(ROOT)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    assert len(result.kb.claims) >= 5 and len(result.kb.studies) >= 10


def test_every_claim_cites_a_study_that_exists() -> None:
    kb = check(ROOT).kb
    for claim in kb.claims.values():
        assert claim.evidence and all(link.study in kb.studies for link in claim.evidence), claim.id


def test_every_record_has_exactly_one_page(site: Path) -> None:
    kb = check(ROOT).kb
    for kind, records in (("claims", kb.claims), ("studies", kb.studies), ("sources", kb.sources)):
        built = {p.parent.name for p in (site / "kb" / kind).glob("*/index.html")}
        assert built == set(records), kind


def test_search_index_has_every_claim_and_study(site: Path) -> None:
    kb = check(ROOT).kb
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for kind, records in (("claims", kb.claims), ("studies", kb.studies)):
        for rid in records:
            assert f"kb/{kind}/{rid}/" in locations, rid


def test_methodology_page_publishes_the_rubric_from_code(site: Path) -> None:
    page = (site / "methodology" / "index.html").read_text()
    for _applies, _step, when in rating.STRENGTH_RULES:
        assert when.replace("'", "&#39;") in page or when in page, when
    for base in rating.DESIGN_BASE.values():
        assert base in page


def test_home_page_lists_every_claim_and_the_disclaimer(site: Path) -> None:
    kb = check(ROOT).kb
    home = (site / "index.html").read_text()
    assert "Not medical advice" in home
    for claim in kb.claims.values():
        assert f'href="kb/claims/{claim.id}/"' in home, claim.id
