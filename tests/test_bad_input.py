"""Bad input of every kind gets a located message: never a traceback, never a silent drop."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIM, STUDY, TODAY, write_kb

from build_tools.pipeline import check

HOSTILE = [
    ("script-tag", "<script>alert(1)</script>", "looks like it contains an HTML tag"),
    ("doubled-bracket-tag", "<<script>alert(1)</script>", "looks like it contains an HTML tag"),
    ("event-handler", '<img src=x onerror="alert(1)">', "looks like it contains an HTML tag"),
    ("javascript-url", "see javascript:alert(1)", "contains a script-capable address scheme"),
    ("data-url", "data:text/html;base64,PHNjcmlwdD4=", "contains a script-capable address scheme"),
    ("markdown-link", "[click](https://evil.example)", "contains Markdown link syntax"),
    ("markdown-reference", "[x]: https://evil.example", "contains Markdown link syntax"),
    ("attribute-list", 'Pain fell. {: onclick="alert(1)" }', "contains '{' or '}'"),
]


@pytest.mark.parametrize(("text", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_text_that_could_run_in_a_browser_is_refused(tmp_path: Path, text: str, message: str) -> None:
    claim = CLAIM.replace("bottom_line: One trial found less pain.", f"bottom_line: '{text}'")
    result = check(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}), today=TODAY)
    found = [p for p in result.problems if p.field == "bottom_line"]
    assert not result.ok
    assert found and found[0].line == 16 and message in found[0].message, [p.format() for p in result.problems]


def test_a_less_than_sign_in_prose_is_fine(tmp_path: Path) -> None:
    claim = CLAIM.replace("One trial found less pain.", "Pain fell (p < 0.05) and 3<4.")
    assert check(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}), today=TODAY).ok


CASES = [
    (
        "tabs",
        {"studies/smith-2020-test.yaml": STUDY.replace("  n: 60", "\tn: 60")},
        "studies/smith-2020-test.yaml:15:1: (record): tab characters cannot indent YAML "
        "(hint: indent with spaces, not tabs)",
    ),
    (
        "claim-in-studies-folder",
        {"studies/knee-pain.yaml": CLAIM},
        "studies/knee-pain.yaml:1:1: (record): this looks like a record for claims/, not studies/ "
        "(hint: move it to claims/)",
    ),
    (
        "record-in-sub-folder",
        {"claims/old/knee-pain.yaml": CLAIM},
        "claims/old:1:1: (record): records cannot sit in sub-folders (hint: move its files directly into claims/)",
    ),
    (
        "wrong-extension",
        {"claims/knee-pain2.yml": CLAIM},
        "claims/knee-pain2.yml:1:1: (record): not a record file: records end in .yaml "
        "(hint: rename it to knee-pain2.yaml)",
    ),
    (
        "number-where-text-belongs",
        {
            "studies/smith-2020-test.yaml": STUDY.replace("volume", "x").replace(
                "title: A test trial of backward walking", "title: 2020"
            )
        },
        "studies/smith-2020-test.yaml:2:8: title: expected text, got a number "
        '(hint: put the number in quotes: `title: "2020"`)',
    ),
    (
        "text-where-year-belongs",
        {"studies/smith-2020-test.yaml": STUDY.replace("year: 2020", "year: 'soon'")},
        "studies/smith-2020-test.yaml:7:7: year: expected a whole number, got text "
        "(hint: write year as a plain number: digits only, without quotes or words)",
    ),
    (
        "malformed-doi",
        {"studies/smith-2020-test.yaml": STUDY.replace('"10.1234/test.2020.1"', '"https://doi.org/10.1234/x"')},
        "studies/smith-2020-test.yaml:8:6: doi: 'https://doi.org/10.1234/x' is not a DOI "
        "(hint: write it as 10.NNNN/suffix, without 'https://doi.org/')",
    ),
    (
        "malformed-pmid",
        {"studies/smith-2020-test.yaml": STUDY.replace('doi: "10.1234/test.2020.1"', 'pmid: "PMID 123"')},
        "studies/smith-2020-test.yaml:8:7: pmid: 'PMID 123' is not a PubMed id (hint: digits only, e.g. '31679519')",
    ),
    (
        "very-long-string",
        {"studies/smith-2020-test.yaml": STUDY.replace("  - Small trial", "  - " + "x" * 3001)},
        "studies/smith-2020-test.yaml:37:5: limitations[0]: is 3001 characters; the limit is 3000 (hint: shorten it)",
    ),
    (
        "upper-case-file-name",
        {"claims/Knee-Pain.yaml": CLAIM.replace("id: knee-pain", "id: knee-pain-2")},
        "claims/Knee-Pain.yaml:1:5: id: id 'knee-pain-2' does not match the file name 'Knee-Pain.yaml' "
        "(hint: rename the file to knee-pain-2.yaml or set id: Knee-Pain)",
    ),
    (
        "record-is-a-scalar",
        {"claims/knee-pain.yaml": "just a sentence\n"},
        "claims/knee-pain.yaml:1:1: (record): a record must be a mapping of fields, not a single value "
        "(hint: start from the template: one 'field: value' per line)",
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_located_message(tmp_path: Path, files: dict, expected: str) -> None:
    result = check(write_kb(tmp_path, files), today=TODAY)
    lines = [p.format() for p in result.problems]
    assert not result.ok
    assert expected in lines, "\n".join(lines)


def test_a_broken_study_file_is_not_also_reported_as_unknown(tmp_path: Path) -> None:
    files = {"studies/smith-2020-test.yaml": STUDY.replace("  n: 60", "\tn: 60")}
    messages = [p.message for p in check(write_kb(tmp_path, files), today=TODAY).problems]
    assert not any("unknown study" in m for m in messages), messages
