"""Property-based: whatever a record file holds, load and check answer with records or
messages, never an exception."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from conftest import CLAIM, STUDY, write_kb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database.output.bibtex import Writer as BibtexWriter

from build_tools.pages import citations
from build_tools.pipeline import check
from build_tools.records.yaml_source import parse_yaml

TODAY = dt.date(2026, 11, 22)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_answers(root: Path) -> None:
    result = check(root, today=TODAY)  # must not raise
    for problem in result.problems:
        assert problem.path and problem.line >= 1 and problem.col >= 1 and problem.message
    if result.ok:
        assert result.kb.claims or result.kb.studies


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """The text with a few characters deleted, replaced or inserted."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["delete", "replace", "insert"]))
        c = draw(st.sampled_from(list(":-[]{}&*!|>'\"#%@`\t\n ,?") + ["\x00", "\ufeff", "é"]))
        if op == "delete" and i < len(chars):
            del chars[i]
        elif op == "replace" and i < len(chars):
            chars[i] = c
        else:
            chars.insert(i, c)
    return "".join(chars)


@SETTINGS
@given(text=mutated(STUDY))
def test_mutated_study_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert_answers(write_kb(Path(tmp), {"studies/smith-2020-test.yaml": text}))


@SETTINGS
@given(text=mutated(CLAIM))
def test_mutated_claim_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert_answers(write_kb(Path(tmp), {"claims/knee-pain.yaml": text}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(data=json_values)
def test_any_yaml_value_as_a_record_never_raises(data: object) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        text = yaml.safe_dump(data, allow_unicode=True)
        assert_answers(write_kb(Path(tmp), {"claims/knee-pain.yaml": text}))


@SETTINGS
@given(
    key=st.sampled_from(["year", "population", "outcomes", "authors", "design", "effects", "appraisal"]),
    value=json_values,
)
def test_any_value_in_any_study_field_never_raises(key: str, value: object) -> None:
    data = yaml.safe_load(STUDY)
    data[key] = value
    with tempfile.TemporaryDirectory() as tmp:
        text = yaml.safe_dump(data, allow_unicode=True)
        assert_answers(write_kb(Path(tmp), {"studies/smith-2020-test.yaml": text}))


@SETTINGS
@given(
    key=st.sampled_from(
        [
            "year",
            "population",
            "outcomes",
            "authors",
            "design",
            "effects",
            "appraisal",
            "title",
            "doi",
            "read_on",
            "included_studies",
        ]
    ),
    value=json_values,
)
def test_fast_and_full_validators_agree(key: str, value: object) -> None:
    """The fast path may only say 'valid' where jsonschema says 'valid' too."""
    from build_tools.checks.schema import _fast_validator, _validator

    data = yaml.safe_load(STUDY)
    data["read_on"] = str(data["read_on"])
    data[key] = value
    full_valid = not list(_validator("studies").iter_errors(data))
    try:
        _fast_validator("studies")(data)
        fast_valid = True
    except Exception:
        fast_valid = False
    assert fast_valid == full_valid


def located_reading(text: str):
    doc, problems = parse_yaml(text, "x.yaml", locate=True)
    return (doc.data, doc.positions, doc.key_positions) if doc else None, [p.format() for p in problems]


@SETTINGS
@given(text=st.one_of(mutated(STUDY), mutated(CLAIM), json_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True))))
def test_fast_reader_and_locating_composer_agree(text: str) -> None:
    # The fast reader skips positions (composed later, on demand) and hands anything unusual
    # to the locating composer: the data, problems and positions must come out the same.
    doc, problems = parse_yaml(text, "x.yaml")
    fast = (doc.data, doc.positions, doc.key_positions) if doc else None, [p.format() for p in problems]
    assert fast == located_reading(text)


@SETTINGS
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_bibtex_shortcut_matches_the_latex_encoder(text: str) -> None:
    # Plain ASCII skips pybtex's LaTeX encoder only where the encoder would change nothing.
    writer = citations._BIBTEX_WRITER
    assert writer._encode(text) == BibtexWriter._encode(writer, citations.bibtex_safe(text))
