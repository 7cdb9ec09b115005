"""Every mistake in the editor review's table (shared/reviews/editor-review.md, section 4) gets
a message that names the fix, and no false warning rides along with it.

Each case makes one mistake in a good claim and study (laid out as the review's were), runs
the check, and asserts the message an editor must see, and the messages they must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, source_mapping, write_kb

from build_tools.checks.hints import did_you_mean, edit_distance
from build_tools.pipeline import check

S = "studies/masumoto-2005-backward-walking-water-dry-land-emg.yaml"
C = "claims/water-backward-walking-thigh-muscles.yaml"

STUDY = """\
# yaml-language-server: $schema=../build_tools/schemas/study.schema.json
id: masumoto-2005-backward-walking-water-dry-land-emg
title: "Muscle activity and heart rate response during backward walking in water and on dry land"
authors:
  - "Masumoto, Kenji"
  - "Takasugi, Shin-ichiro"
journal: "European Journal of Applied Physiology"
year: 2005
volume: "94"
doi: "10.1007/s00421-004-1288-x"
url: "https://doi.org/10.1007/s00421-004-1288-x"
read_on: 2026-11-01
design: cross-sectional
population:
  description: >-
    Six healthy men walked backwards
    in water and on dry land.
  condition: "healthy"
  age: "not shown"
  n: 6
  setting: "Japan"
intervention: "Backward walking in water, with and without a current."
outcomes:
  - measure: "Muscle activity (EMG, %MVC)"
    finding: "Lower in water for every muscle but the paraspinals."
limitations:
  - "Six people."
not_measured:
  - "Training effects."
"""

CLAIM = """\
# yaml-language-server: $schema=../build_tools/schemas/claim.schema.json
id: water-backward-walking-thigh-muscles
title: Works the thigh muscles harder in water
claim: "Walking backwards in water works the thigh muscles harder than walking forwards."
topic: muscles
claimed_by:
  - {source: test-article, stance: makes, said: "It says so."}
pico: {population: Healthy adults, intervention: Backward walking in water, comparison: Forward walking in water}
evidence:
  - study: masumoto-2005-backward-walking-water-dry-land-emg
    direction: related
    applies_to: same
    note: "It compared water with dry land, not backwards with forwards."
verdict: overstated
verdict_reason: untested
outcomes:
  - {id: thigh-muscle-activity, name: thigh muscle activity, importance: critical, change: increases}
# No grade: no cited study gave a result for the outcome.
bottom_line: "No study tested it."
what_is_true: "Muscle activity is lower in water."
what_is_overstated: "The comparison with forwards."
population_caveat: "Six healthy men."
last_reviewed: 2026-11-01
settle: {who: Healthy adults, compared_with: Forward walking in water, measuring: Thigh muscle activity (EMG)}
"""


def _line(text: str, number: int, new: str) -> str:
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (case, {file: text or None}, messages that must appear, messages that must not)
UNCITED = f"{S}:2:5: warning: id: no claim cites or credits this study"
CASES = [
    (
        "1-unquoted-colon",
        {C: _line(CLAIM, 3, "title: Water walking: works the thigh muscles harder")},
        [
            f"{C}:3:21: (record): invalid YAML: the value of `title` contains ': ', which YAML reads as the start "
            "of another field (hint: put the whole value in double quotes, or write it as a folded block: "
            "`title: >-` and the text on the next line, indented two more spaces)"
        ],
        [UNCITED],
    ),
    (
        "2a-indented-3-not-4",
        {C: _line(CLAIM, 11, "   direction: related")},
        [f"{C}:11:1: (record): invalid YAML: line 11 is indented 3 spaces; the lines around it use 4"],
        [UNCITED, "did not find expected"],
    ),
    (
        "2b-indented-6-not-4",
        {C: _line(CLAIM, 13, '      note: "x"')},
        [f"{C}:13:1: (record): invalid YAML: line 13 is indented 6 spaces; the line above it uses 4"],
        [UNCITED, "mapping values"],
    ),
    (
        "2c-field-moved-out-of-its-block",
        {S: _line(STUDY, 20, "n: 6")},
        [
            f"{S}:20:1: (record): invalid YAML: line 20 is indented 0 spaces; the lines around it use 2 "
            "(hint: `n` belongs under `population:`: indent it 2 spaces, like them)"
        ],
        [":21:"],
    ),
    (
        "2d-field-moved-out-still-valid-yaml",
        {S: _line(STUDY, 21, 'setting: "Japan"')},
        [
            f"{S}:21:1: setting: unknown field 'setting' (hint: `setting` belongs under `population:`; indent it "
            "2 spaces, like the other population fields)"
        ],
        [],
    ),
    (
        "3-field-name-typo",
        {C: _sub(CLAIM, "bottom_line:", "bottom_lien:")},
        [
            f"{C}:19:1: bottom_lien: unknown field 'bottom_lien' (hint: did you mean 'bottom_line'? "
            "(bottom_line is required and missing))"
        ],
        ["missing required field 'bottom_line'", UNCITED],
    ),
    (
        "4-study-id-typo",
        {C: _sub(CLAIM, "water-dry-land-emg", "water-dryland-emg")},
        ["(hint: did you mean 'masumoto-2005-backward-walking-water-dry-land-emg'?)"],
        [],
    ),
    (
        "4-study-id-not-its-file-name",
        {S: _sub(STUDY, "id: masumoto-2005-backward-walking-water-dry-land-emg", "id: masumoto-2005-muscle-activity")},
        [
            f"{C}:10:12: warning: evidence[0].study: {S} exists but has errors: fix it first",
            f"{C}:14:10: warning: verdict: not checked against the evidence: {S} has errors",
        ],
        ["did you mean", "unknown study", f"{S}:2:5: warning: id: no claim cites"],
    ),
    (
        "4-study-saved-as-yml",
        {S: None, S.replace(".yaml", ".yml"): STUDY},
        [
            "studies/masumoto-2005-backward-walking-water-dry-land-emg.yml exists but has errors: fix it first",
            "not a record file: records end in .yaml (hint: rename it to "
            "masumoto-2005-backward-walking-water-dry-land-emg.yaml)",
        ],
        ["did you mean", "unknown study"],
    ),
    (
        "5-verdict-above-ceiling",
        {C: _sub(CLAIM, "verdict: overstated", "verdict: supported")},
        [
            "verdict: verdict 'supported' is stronger than the evidence allows ('overstated') "
            "(hint: no cited study points the claim's way; cite such evidence or lower the verdict)"
        ],
        [],
    ),
    (
        "5-verdict-not-checked-when-the-study-is-broken",
        {S: _sub(STUDY, "year: 2005", 'year: "2005"'), C: _sub(CLAIM, "verdict: overstated", "verdict: supported")},
        [f"{C}:14:10: warning: verdict: not checked against the evidence: {S} has errors"],
        [],
    ),
    (
        "6-missing-required-field",
        {C: _sub(CLAIM, 'what_is_true: "Muscle activity is lower in water."\n', "")},
        [
            f"{C}:2:1: what_is_true: missing required field 'what_is_true' (hint: add `what_is_true:` after "
            "`bottom_line` (line 19): the part of the claim the evidence backs.)"
        ],
        [UNCITED],
    ),
    (
        "7-doi-as-a-link",
        {S: _sub(STUDY, 'doi: "10.1007', 'doi: "https://doi.org/10.1007')},
        ["is not a DOI (hint: write it as 10.NNNN/suffix, without 'https://doi.org/')"],
        [],
    ),
    (
        "8-year-in-quotes",
        {S: _sub(STUDY, "year: 2005", 'year: "2005"')},
        [
            f"{S}:8:7: year: expected a whole number, got text (hint: year is in quotes: write `year: 2005`, "
            "without the quotes)"
        ],
        [],
    ),
    (
        "8-year-too-short",
        {S: _sub(STUDY, "year: 2005", "year: 205")},
        [f"{S}:8:7: year: 205 is out of range (minimum 1900) (hint: write the four-digit year of publication)"],
        [],
    ),
    (
        "9-same-study-under-another-doi",
        {
            "studies/masumoto-2005-copy.yaml": _sub(
                _sub(STUDY, "id: masumoto-2005-backward-walking-water-dry-land-emg", "id: masumoto-2005-copy"),
                "10.1007/s00421-004-1288-x",
                "10.1007/s00421-004-9999-x",
            )
        },
        [
            "studies/masumoto-2005-copy.yaml:3:8: warning: title: looks like the same study as "
            f"{S} (same title and year) (hint: one study, one record: merge the two files"
        ],
        [],
    ),
    (
        "10-tab-indentation",
        {C: _line(CLAIM, 11, "\tdirection: related")},
        ["(record): tab characters cannot indent YAML (hint: indent with spaces, not tabs)"],
        [UNCITED],
    ),
    (
        "10-tab-inside-a-value",
        {C: _sub(CLAIM, "No study tested it.", "No study\ttested it.")},
        [f"{C}:19:14: warning: bottom_line: contains a tab character (hint: replace it with a space)"],
        [],
    ),
    (
        "11-not-utf8",
        {C: None, "claims/water-backward-walking-thigh-muscles.yaml#utf16": CLAIM},
        ["(record): file is not UTF-8 text (hint: save it with UTF-8 encoding)"],
        [UNCITED],
    ),
    (
        "12-claim-saved-as-yml",
        {C: None, C.replace(".yaml", ".yml"): CLAIM},
        ["not a record file: records end in .yaml (hint: rename it to water-backward-walking-thigh-muscles.yaml)"],
        [UNCITED],
    ),
    (
        "13-emoji-in-a-title",
        {C: _sub(CLAIM, "harder in water\n", "harder in water 💪\n")},
        [
            f"{C}:3:8: warning: title: contains an emoji or pictograph (hint: records hold plain words: remove it, "
            "or say it in words)"
        ],
        [],
    ),
    (
        "14-evidence-empty-list",
        {C: _line(_line(_line(_line(_line(CLAIM, 10, ""), 11, ""), 12, ""), 13, ""), 9, "evidence: []")},
        ["evidence: a claim must cite at least one study (hint: add an entry with study, direction, applies_to"],
        [],
    ),
    (
        "14-evidence-left-bare",
        {C: _line(_line(_line(_line(_line(CLAIM, 10, ""), 11, ""), 12, ""), 13, ""), 9, "evidence:")},
        [
            "evidence: expected a list, got nothing (hint: evidence is empty: add at least one entry on the lines "
            "below it, each starting with '- ')"
        ],
        ["array"],
    ),
    (
        "hash-inside-an-unquoted-value",
        {C: _sub(CLAIM, "harder in water\n", "harder in water #1 myth\n")},
        [
            f"{C}:3:48: warning: title: the text from ' #' on is dropped: YAML reads '#1 myth' as a comment "
            "(hint: put the whole value in double quotes, or write it as a folded block"
        ],
        [],
    ),
    (
        "design-written-out",
        {S: _sub(STUDY, "design: cross-sectional", "design: randomised controlled trial")},
        ["design: 'randomised controlled trial' is not an allowed value (hint: 'randomised controlled trial' is "],
        ["did you mean 'non-randomised-controlled'"],
    ),
    (
        "design-rct-in-capitals",
        {S: _sub(STUDY, "design: cross-sectional", "design: RCT")},
        ["(hint: 'RCT' is written 'rct' here"],
        [],
    ),
    (
        "direction-singular",
        {C: _sub(CLAIM, "direction: related", "direction: support")},
        ["(hint: 'support' is written 'supports' here"],
        [],
    ),
    (
        "read-on-in-the-future",
        {S: _sub(STUDY, "read_on: 2026-11-01", "read_on: 2027-12-01")},
        ["read_on: 2027-12-01 is in the future"],
        [],
    ),
    (
        "html-in-a-title",
        {C: _sub(CLAIM, "harder in water\n", "harder in <b>water</b>\n")},
        ["looks like it contains an HTML tag (hint: records hold plain text"],
        [],
    ),
    (
        "read-on-a-third-party-copy",
        {S: _sub(STUDY, "https://doi.org/10.1007/s00421-004-1288-x", "https://data.example.com/details/929615381")},
        [
            f"{S}:11:6: url: data.example.com is not a journal, PubMed, PubMed Central, PEDro or trial-registry "
            "page (hint: read the study on its journal's page (https://doi.org/10.1007/s00421-004-1288-x opens it)"
        ],
        [],
    ),
    (
        "third-party-marker-on-a-journal-page",
        {S: _sub(STUDY, "read_on:", 'third_party_copy: "not needed"\nread_on:')},
        ["warning: third_party_copy: url is on doi.org, a site the reading rule accepts"],
        [],
    ),
]


def _write(tmp_path: Path, files: dict) -> Path:
    plain = {k: v for k, v in files.items() if "#" not in k}
    # The article maps a sentence to the new claim too, as every claim's source must.
    source = {"sources/test-article.yaml": source_mapping("knee-pain", "water-backward-walking-thigh-muscles")}
    root = write_kb(tmp_path, {S: STUDY, C: CLAIM, **source, **plain})
    for key, text in files.items():
        if key.endswith("#utf16"):
            (root / key.removesuffix("#utf16")).write_bytes(text.encode("utf-16"))
    return root


def test_the_good_records_pass_without_a_warning_about_them(tmp_path: Path) -> None:
    result = check(_write(tmp_path, {}), today=TODAY)
    assert result.ok
    assert [p.format() for p in result.problems if S in p.path or C in p.path] == []


@pytest.mark.parametrize(("files", "wanted", "unwanted"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_gets_a_message_that_names_the_fix(
    tmp_path: Path, files: dict, wanted: list[str], unwanted: list[str]
) -> None:
    lines = [p.format() for p in check(_write(tmp_path, files), today=TODAY).problems]
    text = "\n".join(lines)
    for message in wanted:
        assert message in text, text
    for message in unwanted:
        assert message not in text, text


def test_crlf_line_endings_are_read_like_lf(tmp_path: Path) -> None:
    crlf = {S: STUDY.replace("\n", "\r\n"), C: CLAIM.replace("\n", "\r\n")}
    assert check(_write(tmp_path, crlf), today=TODAY).ok
    attributes = (Path(__file__).resolve().parent.parent / ".gitattributes").read_text()
    for kind in ("claims", "studies", "sources", "screening"):
        assert f"{kind}/*.yaml text eol=lf" in attributes


def test_suggestions_stay_within_a_small_edit_distance() -> None:
    assert edit_distance("bottom_lien", "bottom_line") == 1  # two letters swapped is one edit
    far = "rose-2018-backward-walking-acute-stroke-balance"
    assert did_you_mean("study", "masumoto-2005-backward-walking-water-dry-land-emg", [far]) == ""
    assert did_you_mean("verdict", "suported", ["supported", "plausible"]) == "did you mean 'supported'?"
    assert did_you_mean("design", "cross-over", ["crossover", "cross-sectional"]) == (
        "'cross-over' is written 'crossover' here"
    )
    assert did_you_mean("design", "quasi-experimental", ["rct", "non-randomised-controlled"]) == (
        "'quasi-experimental' is written 'non-randomised-controlled' here"
    )


def test_a_short_field_moved_out_of_its_block_is_not_taken_for_a_typo(tmp_path: Path) -> None:
    moved = _sub(_sub(STUDY, '  setting: "Japan"\n', ""), "  n: 6\n", "n: 6\n")
    lines = [p.format() for p in check(_write(tmp_path, {S: moved}), today=TODAY).problems]
    assert (
        f"{S}:20:1: n: unknown field 'n' (hint: `n` belongs under `population:`; indent it 2 spaces, like the "
        "other population fields)" in lines
    ), lines
    assert did_you_mean("field", "n", ["id", "url"]) == ""
