"""The YAML reader: safe, located, and loud about what PyYAML would silently accept."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from build_tools.records.yaml_source import MAX_FILE_BYTES, parse_yaml, read_yaml_file


def messages(text: str) -> list[str]:
    _, problems = parse_yaml(text, "x.yaml")
    return [p.format() for p in problems]


def test_positions_are_one_based_line_and_column() -> None:
    doc, problems = parse_yaml("a: 1\nb:\n  c: [x, y]\n", "x.yaml")
    assert problems == []
    assert doc.data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert doc.where(("b", "c", 1)) == (3, 10)
    assert doc.where(("b", "c"), key=True) == (3, 3)


def test_dates_stay_text() -> None:
    doc, _ = parse_yaml("read_on: 2026-01-15\n", "x.yaml")
    assert doc.data == {"read_on": "2026-01-15"}


def test_duplicate_key_is_reported_with_both_lines() -> None:
    assert messages("a: 1\nb: 2\na: 3\n") == [
        "x.yaml:3:1: a: duplicate key 'a' (first given on line 1) "
        "(hint: keep one of the two; YAML would silently drop the first)"
    ]


def test_alias_is_refused_and_an_alias_bomb_does_not_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    found = messages(bomb)
    assert found[0] == "x.yaml:2:8: b[0]: anchors and aliases are not allowed (hint: write the value out in full)"
    assert len(found) == 72  # 8 lines of 9 aliases, each refused once, none expanded


def test_custom_python_tag_is_refused_not_constructed() -> None:
    assert messages("a: !!python/object/apply:os.system ['echo hi']\n") == [
        "x.yaml:1:4: a: custom tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
        "(hint: remove the tag)"
    ]


def test_more_than_one_document_is_refused() -> None:
    assert messages("a: 1\n---\nb: 2\n") == [
        "x.yaml:2:1: (record): a record file holds exactly one YAML document (hint: remove the '---' separators)"
    ]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("# only a comment\n")
    _, problems = read_yaml_file(path, "e.yaml")
    assert [p.format() for p in problems] == [
        "e.yaml:1:1: (record): the file is empty (hint: fill it in from the template)"
    ]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    _, problems = read_yaml_file(path, "l.yaml")
    assert [p.format() for p in problems] == [
        "l.yaml:2:1: (record): file is not UTF-8 text (hint: save it with UTF-8 encoding)"
    ]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())
    doc, problems = read_yaml_file(path, "b.yaml")
    assert problems == [] and doc.data == {"a": 1}


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * MAX_FILE_BYTES + "\n")
    _, problems = read_yaml_file(path, "big.yaml")
    assert problems[0].message.startswith("file is ") and "the limit is" in problems[0].message


# YAML 1.1 (what PyYAML reads) takes these for numbers other than the ones written, or for no
# finite number at all: each is refused at its place, never published as another number.
NOT_PLAIN_NUMBERS = [
    ("017", "017 is read by YAML as 15 (a leading 0 makes it octal)"),
    ("1:30", "1:30 is read by YAML as 90 (minutes and seconds, in base 60)"),
    ("0x1F", "0x1F is read by YAML as 31"),
    ("0b11", "0b11 is read by YAML as 3"),
    ("1_000", "1_000 is read by YAML as 1000"),
    (".inf", ".inf is not a finite number"),
    ("-.inf", "-.inf is not a finite number"),
    (".nan", ".nan is not a finite number"),
    ("1.0e+999", "1.0e+999 is too large: it reads as infinity"),
    ("!!int '017'", "017 is read by YAML as 15"),
]


@pytest.mark.parametrize(("written", "message"), NOT_PLAIN_NUMBERS, ids=[w for w, _ in NOT_PLAIN_NUMBERS])
def test_numbers_must_be_plain_decimal_and_finite(written: str, message: str) -> None:
    doc, problems = parse_yaml(f"a: x\nn: {written}\n", "x.yaml")
    assert [(p.line, p.col, p.field) for p in problems] == [(2, 4, "n")]
    assert message in problems[0].message


@pytest.mark.parametrize("written", ["17", "-3", "+5", "0", "0.5", ".5", "-1.25e-3", "2.0e+3", "1e999"])
def test_plain_numbers_and_text_pass(written: str) -> None:
    doc, problems = parse_yaml(f"n: {written}\n", "x.yaml")
    assert problems == []
    value = doc.data["n"]
    if written == "1e999":  # no dot: YAML 1.1 reads this as text, and the schema then asks for a number
        assert value == "1e999"
    else:
        assert type(value) in (int, float) and math.isfinite(value)


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000,  # crashed the interpreter (libyaml's composer recursion)
        "a: " + "[" * 2_000 + "]" * 2_000,  # a RecursionError
        "a: " + "{b: " * 5_000 + "}" * 5_000,
        "a: " + "[" * 25 + "]" * 25,
        "".join("  " * i + f"k{i}:\n" for i in range(30)),
    ],
    ids=["100k-open", "2k-balanced", "5k-maps", "25-deep", "30-deep-block"],
)
def test_deep_nesting_is_refused_without_recursing(text: str) -> None:
    _, problems = parse_yaml(text, "x.yaml")
    assert any("nested more than 20 levels deep" in p.message for p in problems), problems


NESTED = """\
id: x
population:
  description: >-
    Six healthy men walked backwards
    in water.
  condition: healthy
evidence:
  - study: a
    direction: related
    note: "x"
downgrades:
  - domain: indirectness
    severity: serious
verdict: plausible
"""


def _broken(number: int, new: str) -> str:
    lines = NESTED.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            _broken(8, " - study: a"),
            "x.yaml:8:1: (record): invalid YAML: line 8's '- ' is at 1 space, so its fields start at 3; the lines "
            "below it use 4 (hint: put the '- ' at 2 spaces, so the item's fields line up with the lines below)",
        ),
        (
            _broken(13, "  severity: serious"),
            "x.yaml:13:1: (record): invalid YAML: line 13 is indented 2 spaces, where the list's '- ' marks are; "
            "the fields of the item above use 4 (hint: indent it 4 spaces, like `domain` above, or start a new "
            "list item with '- ')",
        ),
        (
            _broken(14, " verdict: plausible"),
            "x.yaml:14:1: (record): invalid YAML: line 14 is indented 1 space; the fields of that block use 0 "
            "(hint: start it at the beginning of the line, with no spaces)",
        ),
        (
            _broken(5, "  in water."),
            "x.yaml:5:1: (record): invalid YAML: line 5 is indented 2 spaces, less than the text of `description` "
            "above it (4) (hint: indent it 4 spaces, like the text above)",
        ),
        (
            _broken(10, '    note: "x'),
            "x.yaml:10:5: (record): invalid YAML: the quote that opens the value of `note` on line 10 is not "
            "closed on that line",
        ),
        (
            _broken(6, "   condition: healthy"),
            "x.yaml:6:1: (record): invalid YAML: line 6 is indented 3 spaces; the line above it uses 2",
        ),
    ],
    ids=[
        "dash-out-of-line",
        "field-at-list-level",
        "top-level-field-indented",
        "block-text-dedented",
        "quote-not-closed",
        "one-space-too-many",
    ],
)
def test_yaml_errors_are_said_in_an_editors_terms(text: str, expected: str) -> None:
    doc, problems = parse_yaml(text, "x.yaml")
    assert doc is None
    assert expected in problems[0].format(), problems[0].format()
