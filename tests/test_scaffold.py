"""Starting a study from a pasted BibTeX entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import source_mapping

from build_tools.editor.scaffold import ScaffoldError, claim_template, source_template, study_from_citation
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


CLAIM_CHOICES = {
    "topic": "knee",
    "stance": "makes",
    "importance": "critical",
    "change": "reduces",
    "direction": "supports",
    "applies_to": "same",
    "verdict": "plausible",
    "verdict_reason": "low-certainty",
}
# The GRADE judgements (five of one kind, so filled in together).
JUDGEMENTS = {
    "risk-of-bias": "not-serious",
    "inconsistency": "not-serious",
    "indirectness": "not-serious",
    "imprecision": "serious",
    "publication-bias": "not-suspected",
}


def _filled_claim(root: Path, leave: str = "") -> str:
    """The claim scaffold with every placeholder replaced, except the choice `leave`."""
    import re

    text = claim_template("new-one", root)
    for field, value in CLAIM_CHOICES.items():
        if field != leave:
            text = text.replace(f"{field}: TODO", f"{field}: {value}")
    for domain, value in JUDGEMENTS.items():
        text = text.replace(f"{domain}: {{judgement: TODO", f"{domain}: {{judgement: {value}")
    text = text.replace("TODO-source-id", "test-article").replace("TODO-study-id", "smith-2020-test")
    text = text.replace("{TODO-outcome-id: TODO}", "{pain: supports}").replace("TODO-outcome-id", "pain")
    return re.sub(r'"TODO[^"]*"', '"Filled in."', text)


def test_the_claim_scaffold_passes_once_every_placeholder_is_replaced(kb_root: Path) -> None:
    (kb_root / "claims" / "new-one.yaml").write_text(_filled_claim(kb_root))
    (kb_root / "sources" / "test-article.yaml").write_text(source_mapping("knee-pain", "new-one"))
    result = check(kb_root)
    assert result.ok, "\n".join(p.format() for p in result.problems)


@pytest.mark.parametrize("choice", sorted(CLAIM_CHOICES))
def test_no_choice_in_the_claim_scaffold_passes_as_written(kb_root: Path, choice: str) -> None:
    (kb_root / "claims" / "new-one.yaml").write_text(_filled_claim(kb_root, leave=choice))
    (kb_root / "sources" / "test-article.yaml").write_text(source_mapping("knee-pain", "new-one"))
    result = check(kb_root)
    assert not result.ok
    mine = [p for p in result.problems if p.path == "claims/new-one.yaml"]
    assert [p.field.rsplit(".", 1)[-1] for p in mine] == [choice]
    assert mine[0].message == "still holds the TODO placeholder"
    assert mine[0].hint.startswith("replace it with one of: ")


def test_no_choice_in_the_study_scaffold_passes_as_written(kb_root: Path) -> None:
    study_id, text = study_from_citation(ENTRY, kb_root)
    (kb_root / "studies" / f"{study_id}.yaml").write_text(text)
    problems = {p.field: p for p in check(kb_root).problems if p.path.endswith(f"{study_id}.yaml")}
    assert problems["design"].hint == (
        "replace it with one of: systematic-review, rct, crossover, non-randomised-controlled, pre-post, "
        "cross-sectional, narrative-review"
    )
    assert problems["population.n"].hint.startswith("replace it with a plain number: Participants analysed")
    assert "or delete the line if the page did not show it" in problems["comparator"].hint
    # One message per placeholder: the schema's own refusal of 'TODO' is not repeated.
    assert all(p.message == "still holds the TODO placeholder" for p in problems.values())


def test_a_todo_left_in_a_comment_fails_the_check(kb_root: Path) -> None:
    path = kb_root / "studies" / "smith-2020-test.yaml"
    path.write_text(path.read_text().replace("design: rct", "design: rct  # TODO check the design on the page"))
    problems = [p.format() for p in check(kb_root).problems]
    assert (
        "studies/smith-2020-test.yaml:11:16: (comment): a TODO is left in a comment (hint: do what it asks, then "
        "delete the TODO: the check cannot see inside comments)"
    ) in problems


def test_scaffold_comments_hold_no_todo(kb_root: Path) -> None:
    """The allowed values sit in comments, which must not themselves fail the check."""
    study_id, text = study_from_citation(ENTRY, kb_root)
    for template in (text, claim_template("new-one", kb_root), source_template("new-source", kb_root)):
        for line in template.splitlines():
            assert "TODO" not in line.partition("  #")[2], line


def test_new_source_template_fails_until_filled_and_passes_after(kb_root: Path) -> None:
    import re

    text = source_template("daily-example", kb_root)
    path = kb_root / "sources" / "daily-example.yaml"
    path.write_text(text)
    problems = {p.field: p for p in check(kb_root).problems if p.path == "sources/daily-example.yaml"}
    assert set(problems) == {
        "headline", "outlet", "byline", "url", "published", "summary",
        "statements[0].says", "statements[0].claim", "statements[0].stance",
    }  # fmt: skip
    assert problems["statements[0].claim"].hint == (
        "replace it with the id of a record in claims/ (its file name without .yaml); `new-claim` starts one; "
        'or replace the line with not_rated: "why no claim record rates it"'
    )
    assert problems["statements[0].stance"].hint == (
        "replace it with one of: makes, repeats, doubts, disputes; or delete the line"
    )
    filled = re.sub(r'"TODO[^"]*"', '"Filled in."', text).replace('"https://TODO"', '"https://example.com/a"')
    filled = filled.replace("claim: TODO-claim-id", 'not_rated: "Advice, not a claim about effects."')
    filled = filled.replace("stance: TODO", "stance: makes")
    path.write_text(filled.replace("published: TODO", "published: 2026-03-04"))
    assert not [p for p in check(kb_root).problems if p.path == "sources/daily-example.yaml" and p.severity == "error"]
    with pytest.raises(ScaffoldError, match="already exists"):
        source_template("daily-example", kb_root)
    with pytest.raises(ScaffoldError, match="not a valid id"):
        source_template("Daily Example", kb_root)


def test_study_ids_leave_out_words_that_say_nothing(kb_root: Path) -> None:
    entry = ENTRY.replace(
        "Therapeutic efficacy of walking {backward} and forward on a slope in normal adults",
        "Muscle activity and heart rate response during backward walking in water and on dry land",
    )
    study_id, _ = study_from_citation(entry, kb_root)
    assert study_id == "cha-2016-muscle-activity-heart-rate"
