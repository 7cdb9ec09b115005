"""Rules a record must pass besides its schema: no character a reader cannot see, identifiers
compared as people read them, no id the build uses itself, and numbers and dates that make sense."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import CLAIM, LAB_STUDY, STUDY, TODAY, write_kb

from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check
from build_tools.rating.rules import rate
from build_tools.records.grammar import UNSAFE_CHARACTER
from build_tools.records.model import RESERVED_IDS, KnowledgeBase
from build_tools.records.problems import errors

# The fixture claim's bottom_line, where the characters are put: "line:column" of its value.
BOTTOM_LINE = f"{CLAIM.split(chr(10)).index('bottom_line: One trial found less pain.') + 1}:14"


def refused(tmp_path: Path, files: dict, expected: str) -> None:
    result = check(write_kb(tmp_path, files), today=TODAY)
    lines = [p.format() for p in result.problems]
    assert not result.ok
    assert any(expected in line for line in lines), "\n".join(lines)


UNSEEN = [
    ("escape", "\\e[2J", "a control character, U+001B ESCAPE, at character 10"),
    ("bell", "\\a", "a control character, U+0007 BELL, at character 10"),
    ("nul", "\\0", "a control character, U+0000 NULL, at character 10"),
    ("carriage-return", "\\r| forged | row |", "U+000D CARRIAGE RETURN, at character 10"),
    ("delete", "\\x7f", "U+007F DELETE"),
    ("c1-csi", "\\x9b", "U+009B CONTROL CHARACTER"),
    ("next-line", "\\N", "U+0085 NEXT LINE"),
    ("bidi-override", "\\u202e", "an invisible character, U+202E RIGHT-TO-LEFT OVERRIDE, at character 10"),
    ("bidi-isolate", "\\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("zero-width-space", "\\u200b", "U+200B ZERO WIDTH SPACE"),
    ("zero-width-joiner", "\\u200d", "U+200D ZERO WIDTH JOINER"),
    ("byte-order-mark", "\\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("soft-hyphen", "\\u00ad", "U+00AD SOFT HYPHEN"),
    ("line-separator", "\\u2028", "U+2028 LINE SEPARATOR"),
    ("paragraph-separator", "\\u2029", "U+2029 PARAGRAPH SEPARATOR"),
    ("tag-character", "\\U000E0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
]


@pytest.mark.parametrize(("written", "message"), [u[1:] for u in UNSEEN], ids=[u[0] for u in UNSEEN])
def test_characters_a_reader_cannot_see_are_refused_with_their_place(tmp_path: Path, written: str, message: str):
    claim = CLAIM.replace("bottom_line: One trial found less pain.", f'bottom_line: "One trial{written} found."')
    result = check(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}), today=TODAY)
    lines = [p.format() for p in errors(result.problems) if p.field == "bottom_line"]
    assert len(lines) == 1 and lines[0].startswith(f"claims/knee-pain.yaml:{BOTTOM_LINE}: bottom_line: contains ")
    assert message in lines[0]


def test_a_tab_inside_a_value_is_only_a_warning(tmp_path: Path) -> None:
    # White space a page shows as a space; the editor's guide asks for a space instead.
    claim = CLAIM.replace("bottom_line: One trial found less pain.", 'bottom_line: "One trial\tfound."')
    result = check(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}), today=TODAY)
    assert result.ok
    assert [p.message for p in result.problems if p.field == "bottom_line"] == ["contains a tab character"]


def test_a_line_break_is_refused_outside_prose_and_allowed_in_prose(tmp_path: Path) -> None:
    title = CLAIM.replace("title: Knee pain", 'title: "Knee\\npain"')
    refused(tmp_path, {"claims/knee-pain.yaml": title}, "claims/knee-pain.yaml:2:8: title: contains a line break")
    prose = CLAIM.replace("bottom_line: One trial found less pain.", "bottom_line: |\n  One trial.\n\n  Less pain.")
    assert check(write_kb(tmp_path, {"claims/knee-pain.yaml": prose}), today=TODAY).ok


def test_the_refused_characters_are_unicodes_control_format_and_separator_characters() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Zl", "Zp") and char != "\n":
            assert UNSAFE_CHARACTER.match(char), f"U+{code:04X} ({category}) is not refused"
        elif UNSAFE_CHARACTER.match(char):
            assert category == "Cn", f"U+{code:04X} ({category}) is refused but visible"  # unassigned here


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        ('doi: "10.1234/test.2020.1"', 'doi: "10.1234/TEST.2020.1"', "doi"),
        ('pmid: "12345678"', 'pmid: "12345678"', "pmid"),
        ('doi: "10.1234/test.2020.1"\npmcid: "PMC123"', 'pmid: "12345678"\npmcid: "PMC123"', "pmcid"),
    ],
)
def test_one_study_per_identifier(tmp_path: Path, first: str, second: str, field: str) -> None:
    study = STUDY.replace('doi: "10.1234/test.2020.1"', first)
    lab = LAB_STUDY.replace('pmid: "12345678"', second)
    refused(
        tmp_path,
        {"studies/smith-2020-test.yaml": study, "studies/jones-2018-lab.yaml": lab},
        f"{field}: {field} ",
    )


def test_a_look_alike_identifier_is_the_same_study(tmp_path: Path) -> None:
    # Refused for its invisible character, and so never a second record of the same study.
    lab = LAB_STUDY.replace('pmid: "12345678"', 'doi: "10.1234/test.2020.1\\u200b"')
    refused(tmp_path, {"studies/jones-2018-lab.yaml": lab}, "doi: contains an invisible character, U+200B")


@pytest.mark.parametrize(("kind", "rid"), [(k, r) for k, ids in RESERVED_IDS.items() for r in sorted(ids)])
def test_ids_the_build_uses_itself_are_refused(tmp_path: Path, kind: str, rid: str) -> None:
    if kind == "screening":  # a log's id is its topic
        from conftest import fixture_log

        log = fixture_log(write_kb(tmp_path)).replace("topic: tests", f"topic: {rid}")
        refused(tmp_path, {f"screening/{rid}.yaml": log}, f"screening/{rid}.yaml:1:8: topic: topic '{rid}' is reserved")
        return
    base = {"claims": CLAIM, "studies": LAB_STUDY, "sources": None}[kind]
    if base is None:
        from conftest import SOURCE as base
    old_id = base.split("\n", 1)[0].removeprefix("id: ")
    text = base.replace(f"id: {old_id}", f"id: {rid}").replace('pmid: "12345678"', 'pmid: "87654321"')
    refused(tmp_path, {f"{kind}/{rid}.yaml": text}, f"{kind}/{rid}.yaml:1:5: id: id '{rid}' is reserved")


def test_the_reserved_ids_cover_every_name_the_build_writes_beside_record_pages(tmp_path: Path) -> None:
    kb = KnowledgeBase()
    pages = render_pages(build_model(kb, rate(kb)))
    # Where a record's own files go: claims/<id>.md, studies/<id>.md, downloads/<id>.{bib,ris,json}.
    places = {
        "claims": [("claims/", ".md")],
        "screening": [("screening/", ".md")],
        "studies": [("studies/", ".md")] + [("downloads/", e) for e in (".bib", ".ris", ".json")],
    }
    for kind, where in places.items():
        for folder, ext in where:
            taken = {n[len(folder) : -len(ext)].lower() for n in pages if n.startswith(folder) and n.endswith(ext)}
            taken = {name for name in taken if "/" not in name}
            assert taken <= RESERVED_IDS[kind], f"{kind}: {taken - RESERVED_IDS[kind]} not reserved"


EFFECT = """effects:
  - key: falls
    outcome: falls
    comparison: backward walking vs usual care
    measure: {measure}
    value: {value}
    ci_low: {low}
    ci_high: 2.0
    unit: ratio
"""


@pytest.mark.parametrize(("value", "low", "field"), [("-0.5", "-0.9", "value"), ("0.5", "0", "ci_low")])
def test_ratio_measures_are_positive(tmp_path: Path, value: str, low: str, field: str) -> None:
    study = STUDY + EFFECT.format(measure="risk ratio", value=value, low=low)
    refused(tmp_path, {"studies/smith-2020-test.yaml": study}, f"effects[0].{field}: a risk ratio is greater than 0")


def test_a_mean_difference_may_be_negative(tmp_path: Path) -> None:
    study = STUDY + EFFECT.format(measure="mean difference", value="-0.5", low="-0.9")
    assert check(write_kb(tmp_path, {"studies/smith-2020-test.yaml": study}), today=TODAY).ok


def test_a_study_is_not_read_before_it_was_published(tmp_path: Path) -> None:
    study = STUDY.replace("read_on: 2026-01-15", "read_on: 2019-12-31")
    refused(
        tmp_path,
        {"studies/smith-2020-test.yaml": study},
        "read_on: read on 2019-12-31, before the study was published (2020)",
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0000-01-01", "'0000-01-01' is not in a year from 1900 to 2100"),  # was a traceback (year 0)
        ("1899-12-31", "'1899-12-31' is not in a year from 1900 to 2100"),
        (
            '"\uff12\uff10\uff12\uff16-01-15"',
            "'\uff12\uff10\uff12\uff16-01-15' is not a real date",
        ),  # full-width digits
        ("2026-02-30", "'2026-02-30' is not a real date"),
    ],
)
def test_dates_are_real_and_in_a_sane_range(tmp_path: Path, written: str, message: str) -> None:
    study = STUDY.replace("read_on: 2026-01-15", f"read_on: {written}")
    refused(
        tmp_path, {"studies/smith-2020-test.yaml": study}, f"studies/smith-2020-test.yaml:10:10: read_on: {message}"
    )
