"""Notes for editors never reach readers: the check refuses them in every published field."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIM, SOURCE, STUDY, TODAY, write_kb

from build_tools.checks.editor_notes import NOTE_RULES, find_notes
from build_tools.pipeline import check

# (text, the rule it breaks): every rule is broken at least once (checked below).
NOTES = [
    ("Lead should confirm the results on the journal page before publishing.", "an instruction to the lead"),
    ("The PMID is left out for the lead to verify.", "an instruction to the lead"),
    ("The lead must check the journal name.", "an instruction to the lead"),
    ("The journal name is inferred. Please verify it.", "a request to an editor"),
    ("Results seen in an excerpt, to fix before publication.", "a step before publishing"),
    ("Pain fell in both groups (NOT CONFIRMED).", "a note in capitals"),
    ("Sample size UNVERIFIED.", "a note in capitals"),
    ("read on a third-party copy; see issue 15", "a reference to the issue tracker"),
    ("Whether 20 were recruited is open (issue #15).", "a reference to the issue tracker"),
    ("Sixteen analysed, to be confirmed.", "a result left to confirm"),
    ("Journal name TBC.", "a result left to confirm"),
    ("Ages FIXME.", "a marker for unfinished work"),
    ("Participants: XXX adults.", "a marker for unfinished work"),
    ("Editor: the n comes from the abstract.", "a note addressed to editors"),
    ("Note to the lead: the copy had no address.", "a note addressed to editors"),
    ("Internal note, not for the page.", "a note addressed to editors"),
    ("Confirm the group sizes on PubMed before this goes out.", "an instruction to confirm something first"),
    ("The abstract gives 16. Verify the count before the next review.", "an instruction to confirm something first"),
    ("The year needs checking against the issue date.", "a note that something needs checking"),
    ("The dose needs to be verified.", "a note that something needs checking"),
    ("Placeholder until the full text is read.", "a placeholder"),
]

# Ordinary prose that says similar things to a reader: none of it is a note for editors.
PROSE = [
    "The study did not confirm that pain fell more with backward walking.",
    "The trial could not confirm an effect before week 6.",
    "It looked at issues of balance and gait in older adults.",
    "Backward walking can lead to less discomfort, the article says.",
    "The lead author is a physiotherapist in Riyadh.",
    "The finding needs confirmation in a larger trial.",
    "Published in issue 6 of volume 28.",
    "Participants were asked to confirm their consent before the first session.",
    "Results were checked by two assessors before analysis.",
    "Not confirmed on any page we read: the article's figure of 20 participants.",
    "Checked against the PEDro record on 2026-11-22.",
    "Before publication of the trial, the protocol was registered.",
    "Pain, as people with knee osteoarthritis report it, fell.",
]


def test_every_rule_has_a_phrase_that_breaks_it() -> None:
    assert {rule for _, rule in NOTES} == {name for name, _ in NOTE_RULES}


@pytest.mark.parametrize(("text", "rule"), NOTES, ids=[t for t, _ in NOTES])
def test_each_note_is_found_with_its_words(text: str, rule: str) -> None:
    found = dict(find_notes(text))
    assert rule in found, find_notes(text)
    assert found[rule] and found[rule].lower() in " ".join(text.split()).lower()


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_is_not_a_note(text: str) -> None:
    assert find_notes(text) == []


def _problems(root: Path) -> list[str]:
    return [p.format() for p in check(root, TODAY, use_cache=False).problems]


def test_a_note_in_a_study_field_fails_the_check_at_its_line(tmp_path: Path) -> None:
    study = STUDY.replace("  - Small trial\n", '  - "Small trial. Lead should confirm the n before publishing."\n')
    problems = _problems(write_kb(tmp_path, {"studies/smith-2020-test.yaml": study}))
    line = study.splitlines().index('  - "Small trial. Lead should confirm the n before publishing."') + 1
    expected = (
        f"studies/smith-2020-test.yaml:{line}:5: limitations[0]: contains an instruction to the lead "
        "('Lead should'): notes for editors never reach readers (hint: published fields are shown to readers: "
        "move the note to a YAML comment (# ...) or to the pull request; a result that is not confirmed is "
        "confirmed on a stored page or removed)"
    )
    assert expected in problems
    # The same value breaks a second rule, reported as its own problem on the same line.
    assert any("a step before publishing ('before publishing')" in p for p in problems)
    assert not check(tmp_path, TODAY, use_cache=False).ok


@pytest.mark.parametrize(
    ("rel", "text", "old", "new", "field"),
    [
        (
            "claims/knee-pain.yaml",
            CLAIM,
            "bottom_line: One trial found less pain.",
            "bottom_line: One trial (TBC).",
            "bottom_line",
        ),
        (
            "claims/knee-pain.yaml",
            CLAIM,
            "    said: It says backwards walking helps sore knees.",
            "    said: It says backwards walking helps sore knees; see issue 12.",
            "claimed_by[0].said",
        ),
        (
            "sources/test-article.yaml",
            SOURCE,
            "summary: An article that makes claims about walking backwards.",
            "summary: An article; the byline needs checking.",
            "summary",
        ),
        (
            "studies/smith-2020-test.yaml",
            STUDY,
            "    finding: Pain fell more with backward walking (p = 0.01)",
            "    finding: Pain fell more with backward walking (p = 0.01), NOT VERIFIED",
            "outcomes[0].finding",
        ),
        (
            "studies/smith-2020-test.yaml",
            STUDY,
            "  - Joint forces\n",
            "  - Joint forces\n  - Confirm the n on PubMed before the next review.\n",
            "not_measured[1]",
        ),
    ],
    ids=["claim", "claimed-by", "source", "study-outcome", "sentence-start-in-a-later-field"],
)
def test_notes_are_refused_in_claims_sources_and_studies(
    tmp_path: Path, rel: str, text: str, old: str, new: str, field: str
) -> None:
    assert old in text
    problems = _problems(write_kb(tmp_path, {rel: text.replace(old, new)}))
    assert any(p.startswith(rel + ":") and f": {field}: contains " in p for p in problems), problems


def test_a_note_in_a_comment_is_allowed(tmp_path: Path) -> None:
    study = STUDY.replace("year: 2020\n", "year: 2020  # lead should confirm the year before publishing\n")
    assert check(write_kb(tmp_path, {"studies/smith-2020-test.yaml": study}), TODAY, use_cache=False).ok


def test_a_note_in_an_address_is_not_prose(tmp_path: Path) -> None:
    url = "https://example.org/placeholder-see-issue"
    study = STUDY.replace('url: "https://doi.org/10.1234/test.2020.1"', f'url: "{url}"\nthird_party_copy: "Only copy."')
    problems = _problems(write_kb(tmp_path, {"studies/smith-2020-test.yaml": study}))
    assert not any("notes for editors" in p for p in problems), problems
