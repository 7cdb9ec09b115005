"""Starting a study from a pasted BibTeX entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools.editor.scaffold import ScaffoldError, claim_template, study_from_citation
from build_tools.pipeline import check

ENTRY = """@article{cha2016,
  author = {Cha, Hyun-Gyu and Kim, Tae-Hoon and Kim, Myoung-Kwon},
  title = {Therapeutic efficacy of walking {backward} and forward on a slope in normal adults},
  journal = {Journal of Physical Therapy Science},
  year = {2016}, volume = {28}, number = {6}, pages = {1901--1903},
  doi = {10.1589/jpts.28.1901}
}"""


def test_bibtex_fields_are_parsed_not_retyped(kb_root: Path) -> None:
    study_id, text = study_from_citation(ENTRY, kb_root, today=dt.date(2026, 11, 22))
    # The id takes the first four words of the title that say something ("of" does not).
    assert study_id == "cha-2016-therapeutic-efficacy-walking-backward"
    assert '  - "Kim, Myoung-Kwon"\n' in text
    assert 'title: "Therapeutic efficacy of walking backward and forward on a slope in normal adults"' in text
    assert 'pages: "1901-1903"\n' in text and 'issue: "6"\n' in text and 'doi: "10.1589/jpts.28.1901"' in text


def test_new_study_fails_the_check_until_its_todos_are_filled(kb_root: Path) -> None:
    study_id, text = study_from_citation(ENTRY, kb_root)
    (kb_root / "studies" / f"{study_id}.yaml").write_text(text)
    fields = {p.field for p in check(kb_root).problems if "TODO" in p.message}
    assert {"url", "population.description", "intervention", "outcomes[0].measure"} <= fields


def test_refuses_an_existing_doi(kb_root: Path) -> None:
    with pytest.raises(ScaffoldError, match="already in the knowledge base as studies/smith-2020-test.yaml"):
        study_from_citation(ENTRY.replace("10.1589/jpts.28.1901", "10.1234/TEST.2020.1"), kb_root)


def test_refuses_an_existing_id(kb_root: Path) -> None:
    study_id, text = study_from_citation(ENTRY, kb_root)
    (kb_root / "studies" / f"{study_id}.yaml").write_text(text)
    with pytest.raises(ScaffoldError, match="already exists"):
        study_from_citation(ENTRY, kb_root)


def test_rejects_text_that_is_not_one_entry(kb_root: Path) -> None:
    with pytest.raises(ScaffoldError, match="expected one BibTeX entry, found 0"):
        study_from_citation("not bibtex at all", kb_root)


RIS = """TY  - JOUR
AU  - Cha, Hyun-Gyu
AU  - Kim, Tae-Hoon
AU  - Kim, Myoung-Kwon
TI  - Therapeutic efficacy of walking backward and forward on a slope in normal adults
T2  - Journal of Physical Therapy Science
PY  - 2016
VL  - 28
IS  - 6
SP  - 1901
EP  - 1903
DO  - https://doi.org/10.1589/jpts.28.1901
ER  -
"""


def test_ris_records_are_parsed_like_bibtex(kb_root: Path) -> None:
    from_ris = study_from_citation(RIS, kb_root, today=dt.date(2026, 11, 22))
    from_bibtex = study_from_citation(ENTRY, kb_root, today=dt.date(2026, 11, 22))
    assert from_ris == from_bibtex


def test_new_claim_template_fails_the_check_until_filled(kb_root: Path) -> None:
    (kb_root / "claims" / "new-one.yaml").write_text(claim_template("new-one", kb_root))
    problems = [p for p in check(kb_root).problems if p.path == "claims/new-one.yaml"]
    assert {"title", "claim", "evidence[0].study", "bottom_line"} <= {p.field for p in problems}
    with pytest.raises(ScaffoldError, match="already exists"):
        claim_template("new-one", kb_root)
    with pytest.raises(ScaffoldError, match="not a valid id"):
        claim_template("New One", kb_root)
