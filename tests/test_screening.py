"""The screening logs: each rule the check applies to them, broken one at a time, with the
message and location it gives (and a valid log that passes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLAIM, FIXTURE_LOG, TODAY, write_kb

from build_tools.checks.schema import load_schema
from build_tools.pipeline import check
from build_tools.records.model import EXCLUSION_REASONS, WHERE

# A log that passes: both fixture studies included, one excluded and one awaiting candidate,
# a reference-list search of the included trial.
LOG = """\
topic: knee
title: "Knee: osteoarthritis and pain"
claims: [knee-pain]
searches:
  - id: knee-01
    date: 2026-10-01
    where: stored-pages
    query: "backward walking knee osteoarthritis"
    hits: 8
  - id: knee-02
    date: 2026-10-02
    where: reference-list
    query: "included studies of the trial"
    hits: 3
    of_study: smith-2020-test
candidates:
  - id: smith-2020-test
    first_author: Smith
    year: 2020
    title: "A test trial of backward walking"
    doi: "10.1234/test.2020.1"
    found_by: [knee-01, knee-02]
    design: rct
    decision: included
    study: smith-2020-test
  - id: jones-2018-lab
    first_author: Jones
    year: 2018
    title: "A lab comparison of forward and backward walking"
    pmid: "12345678"
    found_by: [knee-01]
    design: cross-sectional
    decision: included
    study: jones-2018-lab
  - id: brown-2015-forward-walking
    first_author: Brown
    year: 2015
    title: "Forward walking and knee pain"
    url: "https://pubmed.ncbi.nlm.nih.gov/11111111/"
    found_by: [knee-01]
    design: rct
    decision: excluded
    reason: not-backward-locomotion
    note: "Forward walking only."
  - id: lee-2024-retro-walking-protocol
    first_author: Lee
    year: null
    title: "Retro walking for knee pain"
    doi: "10.9999/lee.2024"
    found_by: [knee-02]
    design: protocol
    decision: awaiting
    note: "Only the registry page was found; results not yet seen."
"""


def run(tmp_path: Path, log: str = LOG, more: dict | None = None) -> list[str]:
    """Every problem, formatted, for the fixture knowledge base with this knee log."""
    root = write_kb(tmp_path, {FIXTURE_LOG: None, "screening/knee.yaml": log, **(more or {})})
    # The fixture's lab study is cited by no claim: that warning is not about screening.
    return [p.format() for p in check(root, TODAY, use_cache=False).problems if "no claim cites" not in p.message]


def broken(tmp_path: Path, old: str, new: str, log: str = LOG, **more) -> list[str]:
    assert old in log, old
    return run(tmp_path, log.replace(old, new, 1), more or None)


def test_a_complete_log_passes(tmp_path: Path) -> None:
    assert run(tmp_path) == []


def test_a_study_without_an_included_candidate_is_refused_and_told_where_to_add_it(tmp_path: Path) -> None:
    start = LOG.index("  - id: jones-2018-lab")
    end = LOG.index("  - id: brown-2015")
    problems = run(tmp_path, LOG[:start] + LOG[end:])
    assert problems == [
        "studies/jones-2018-lab.yaml:1:5: id: no screening log includes this study: every study record needs an "
        "included candidate (hint: add under candidates: in screening/knee.yaml (the log of the topic whose search "
        'found it): - {id: jones-2018-lab, first_author: "Jones", year: 2018, title: "A lab comparison of forward '
        'and backward walking", pmid: "12345678", found_by: ["TODO-search-id"], design: cross-sectional, '
        "decision: included, study: jones-2018-lab}, with found_by naming that search's id)"
    ]


def test_a_study_whose_candidate_is_still_awaiting_is_pointed_at_that_entry(tmp_path: Path) -> None:
    problems = broken(
        tmp_path, "    decision: included\n    study: jones-2018-lab\n", "    decision: awaiting\n    note: Not read.\n"
    )
    assert problems == [
        "studies/jones-2018-lab.yaml:1:5: id: no screening log includes this study: screening/knee.yaml:26 has it "
        "as candidate 'jones-2018-lab' (the same id), decision awaiting (hint: in screening/knee.yaml at line 26, "
        "set `decision: included` and add `study: jones-2018-lab`)"
    ]


def test_the_same_study_under_another_candidate_id_is_found_by_its_identifier(tmp_path: Path) -> None:
    log = LOG.replace("  - id: jones-2018-lab", "  - id: jones-2018-forward-backward").replace(
        "    decision: included\n    study: jones-2018-lab\n",
        "    decision: excluded\n    reason: no-claim-outcome\n    note: Heart rate only.\n",
    )
    (problem,) = run(tmp_path, log)
    assert "has it as candidate 'jones-2018-forward-backward' (the same pmid), decision excluded" in problem
    assert "and remove its reason; and use one id for both: rename the candidate to jones-2018-lab" in problem


def test_an_included_candidate_needs_a_study_that_exists(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    study: smith-2020-test\n", "    study: smith-2020-tset\n")
    assert (
        "screening/knee.yaml:25:12: candidates[0].study: unknown study 'smith-2020-tset' "
        "(hint: did you mean 'smith-2020-test'?)"
    ) in problems
    missing = broken(tmp_path, "    study: smith-2020-test\n", "")
    assert "screening/knee.yaml:24:15: candidates[0].decision: an included candidate needs study" in missing[0]


def test_a_candidate_without_a_decision_is_refused(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    decision: excluded\n", "")
    assert any(
        "candidates[2].decision: missing required field 'decision' (hint: add `decision:` after `design`" in p
        for p in problems
    ), problems


def test_a_decision_outside_the_list_is_refused_with_the_allowed_values(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    decision: excluded\n", "    decision: exclude\n")
    assert (
        "screening/knee.yaml:42:15: candidates[2].decision: 'exclude' is not an allowed value "
        "(hint: did you mean 'excluded'? allowed: included, excluded, awaiting)"
    ) in problems


def test_an_excluded_candidate_needs_a_reason_from_the_list(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    reason: not-backward-locomotion\n", "")
    assert "screening/knee.yaml:42:15: candidates[2].decision: an excluded candidate needs a reason" in problems[0]
    outside = broken(tmp_path, "reason: not-backward-locomotion", "reason: forward-walking")
    assert outside[0].startswith(
        "screening/knee.yaml:43:13: candidates[2].reason: 'forward-walking' is not an allowed value"
    )
    assert "allowed: " + ", ".join(EXCLUSION_REASONS) in outside[0]


def test_reason_and_study_only_go_with_their_decision(tmp_path: Path) -> None:
    on_included = broken(
        tmp_path, "    study: smith-2020-test\n", "    study: smith-2020-test\n    reason: protocol-only\n"
    )
    assert "candidates[0].reason: reason is only for excluded candidates" in on_included[0]
    on_excluded = broken(
        tmp_path,
        "    reason: not-backward-locomotion\n",
        "    reason: not-backward-locomotion\n    study: smith-2020-test\n",
    )
    assert any(
        "candidates[2].study: study is only for included candidates (this one is excluded)" in p for p in on_excluded
    )
    on_awaiting = broken(tmp_path, "    decision: awaiting\n", "    decision: awaiting\n    reason: protocol-only\n")
    assert "candidates[3].reason: reason is only for excluded candidates" in on_awaiting[0]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ('    note: "Forward walking only."\n', "candidates[2].decision: an excluded candidate needs a note"),
        (
            '    note: "Only the registry page was found; results not yet seen."\n',
            "candidates[3].decision: an awaiting candidate needs a note "
            "(hint: add `note:` saying what is still missing)",
        ),
    ],
)
def test_excluded_and_awaiting_candidates_need_a_note(tmp_path: Path, note: str, expected: str) -> None:
    assert any(expected in p for p in broken(tmp_path, note, ""))


def test_found_by_must_name_a_search(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    found_by: [knee-01]\n    design: rct", "    found_by: [knee-10]\n    design: rct")
    assert problems == [
        "screening/knee.yaml:40:16: candidates[2].found_by[0]: unknown search 'knee-10' (hint: did you mean "
        "'knee-01'?; found_by names searches[].id of any log)"
    ]


def test_a_search_id_is_unique_across_logs(tmp_path: Path) -> None:
    other = (
        "topic: balance\ntitle: Balance\nclaims: [knee-pain]\nsearches:\n"
        '  - {id: knee-01, date: 2026-10-03, where: crossref, query: "retro walking", hits: 2}\ncandidates: []\n'
    )
    problems = run(tmp_path, more={"screening/balance.yaml": other})
    assert problems == [
        "screening/knee.yaml:5:9: searches[0].id: search id 'knee-01' is already used at screening/balance.yaml:5 "
        "(hint: search ids are unique across every log: give this search the next free number)"
    ]


def test_two_candidate_ids_cannot_share_a_doi_or_a_pmid(tmp_path: Path) -> None:
    doi = broken(tmp_path, 'doi: "10.9999/lee.2024"', 'doi: "10.1234/TEST.2020.1"')
    assert any(
        "candidates[3].doi: candidate 'lee-2024-retro-walking-protocol' has doi 10.1234/TEST.2020.1, like candidate "
        "'smith-2020-test' at screening/knee.yaml:17" in p
        for p in doi
    ), doi
    pmid = broken(tmp_path, '    url: "https://pubmed.ncbi.nlm.nih.gov/11111111/"\n', '    pmid: "12345678"\n')
    assert any(
        "candidates[2].pmid: candidate 'brown-2015-forward-walking' has pmid 12345678, like candidate 'jones-2018-lab'"
        in p
        for p in pmid
    )


def test_the_same_candidate_in_two_logs_agrees_on_its_doi_and_decision(tmp_path: Path) -> None:
    other = (
        "topic: balance\ntitle: Balance\nclaims: [knee-pain]\nsearches:\n"
        '  - {id: balance-01, date: 2026-10-03, where: stored-pages, query: "backward walking balance", hits: 2}\n'
        "candidates:\n"
        '  - {id: lee-2024-retro-walking-protocol, first_author: Lee, year: null, title: "Retro walking for knee pain",'
        ' doi: "10.9999/lee.2025", found_by: [balance-01], design: protocol, decision: excluded, reason: protocol-only,'
        ' note: "A protocol."}\n'
    )
    problems = run(tmp_path, more={"screening/balance.yaml": other})
    assert any(
        "candidates[3].doi: candidate 'lee-2024-retro-walking-protocol' has doi 10.9999/lee.2024 here but "
        "10.9999/lee.2025 at screening/balance.yaml:7" in p
        for p in problems
    ), problems
    assert any("has decision awaiting here but excluded at screening/balance.yaml:7" in p for p in problems), problems
    consistent = other.replace("10.9999/lee.2025", "10.9999/lee.2024").replace(
        "decision: excluded, reason: protocol-only,", "decision: awaiting,"
    )
    assert run(tmp_path, more={"screening/balance.yaml": consistent}) == []


def test_two_candidate_ids_cannot_include_the_same_study(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        '    decision: awaiting\n    note: "Only the registry page was found; results not yet seen."\n',
        "    decision: included\n    study: smith-2020-test\n",
    )
    assert any(
        "candidates[3].study: candidate 'lee-2024-retro-walking-protocol' includes study smith-2020-test" in p
        for p in problems
    )


def test_an_included_candidates_identifiers_are_its_studys(tmp_path: Path) -> None:
    problems = broken(tmp_path, 'doi: "10.1234/test.2020.1"', 'doi: "10.1234/test.2020.2"')
    assert problems == [
        "screening/knee.yaml:21:10: candidates[0].doi: doi 10.1234/test.2020.2 differs from "
        "studies/smith-2020-test.yaml's doi 10.1234/test.2020.1 (hint: copy the identifier exactly as the page "
        "shows it, in both files)"
    ]


def test_a_claim_the_topic_serves_must_exist(tmp_path: Path) -> None:
    assert broken(tmp_path, "claims: [knee-pain]", "claims: [knee-pian]") == [
        "claims/knee-pain.yaml:1:5: warning: id: no screening log lists this claim (hint: add its id to `claims:` "
        "in the log of the topic whose searches serve it)",
        "screening/knee.yaml:3:10: claims[0]: unknown claim 'knee-pian' (hint: did you mean 'knee-pain'?)",
    ]


def test_unknown_fields_get_a_typo_hint(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    design: protocol\n", "    desing: protocol\n")
    assert (
        "screening/knee.yaml:51:5: candidates[3].desing: unknown field 'desing' (hint: did you mean 'design'? "
        "(design is required and missing))"
    ) in problems
    top = broken(tmp_path, "claims: [knee-pain]", "claim: [knee-pain]")
    assert any("(record)" not in p and "claim: unknown field 'claim' (hint: did you mean 'claims'?" in p for p in top)


def test_a_reference_list_search_names_the_study_whose_list_it_followed(tmp_path: Path) -> None:
    assert broken(tmp_path, "    of_study: smith-2020-test\n", "") == [
        "screening/knee.yaml:12:12: searches[1].where: a reference-list search needs of_study (hint: add "
        "`of_study:` with the id of the study record whose reference list you followed)"
    ]
    wrong_kind = broken(tmp_path, "    where: reference-list\n", "    where: stored-pages\n")
    assert any("searches[1].of_study: of_study is only for where: reference-list" in p for p in wrong_kind)
    unknown = broken(tmp_path, "of_study: smith-2020-test", "of_study: smith-2021-test")
    assert any(
        "searches[1].of_study: unknown study 'smith-2021-test' (hint: did you mean 'smith-2020-test'?)" in p
        for p in unknown
    )


def test_the_topic_is_the_file_name(tmp_path: Path) -> None:
    assert broken(tmp_path, "topic: knee", "topic: knees") == [
        "screening/knee.yaml:1:8: topic: topic 'knees' does not match the file name 'knee.yaml' "
        "(hint: rename the file to knees.yaml or set topic: knee)"
    ]


def test_the_methods_page_name_is_not_a_topic(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {FIXTURE_LOG: None, "screening/index.yaml": LOG.replace("topic: knee", "topic: index")})
    problems = [p.format() for p in check(root, TODAY, use_cache=False).problems]
    assert any(
        p.startswith("screening/index.yaml:1:8: topic: topic 'index' is reserved: the build makes a page")
        for p in problems
    ), problems


def test_a_candidate_needs_somewhere_to_check_it(tmp_path: Path) -> None:
    problems = broken(tmp_path, '    url: "https://pubmed.ncbi.nlm.nih.gov/11111111/"\n', "")
    assert problems == [
        "screening/knee.yaml:35:9: candidates[2].id: a candidate needs a doi, a pmid or a url (hint: add the "
        "address of the page where you saw it)"
    ]


def test_a_candidate_listed_twice_in_one_log_is_refused(tmp_path: Path) -> None:
    start, end = LOG.index("  - id: brown-2015"), LOG.index("  - id: lee-2024")
    problems = run(tmp_path, LOG + LOG[start:end])
    assert any(
        "candidates[4].id: candidate 'brown-2015-forward-walking' is listed twice in this log (first at line 35)" in p
        for p in problems
    )


def test_dates_and_years_in_the_future_are_refused(tmp_path: Path) -> None:
    assert broken(tmp_path, "date: 2026-10-01", "date: 2027-01-01") == [
        "screening/knee.yaml:6:11: searches[0].date: 2027-01-01 is in the future"
    ]
    assert broken(tmp_path, "    year: 2015\n", "    year: 2030\n") == [
        "screening/knee.yaml:37:11: candidates[2].year: 2030 is in the future"
    ]


def test_a_log_with_errors_does_not_flood_the_check_with_unscreened_studies(tmp_path: Path) -> None:
    problems = broken(tmp_path, "    hits: 8\n", "    hits: eight\n")
    assert [p for p in problems if "warning" not in p] == [
        "screening/knee.yaml:9:11: searches[0].hits: expected a whole number, got text (hint: write hits as a "
        "plain number: digits only, without quotes or words)"
    ]
    assert sum("not checked: a screening log that names this study has errors" in p for p in problems) == 2


def test_the_fixed_lists_are_one_list_each(tmp_path: Path) -> None:
    schema = load_schema("screening")
    candidate = schema["properties"]["candidates"]["items"]["properties"]
    assert candidate["reason"]["enum"] == list(EXCLUSION_REASONS)
    assert schema["properties"]["searches"]["items"]["properties"]["where"]["enum"] == list(WHERE)
    assert all(meaning and "\n" not in meaning for meaning in EXCLUSION_REASONS.values())
    published = json.loads(
        (Path(__file__).resolve().parent.parent / "build_tools" / "schemas" / "screening.schema.json").read_text()
    )
    assert published == schema


def test_what_real_logs_hold_passes(tmp_path: Path) -> None:
    """A page seen over http, a design the page did not show, a truncated title's own brackets, a
    search of the source articles, and no address where none can be given all pass."""
    log = (
        LOG.replace('url: "https://pubmed.ncbi.nlm.nih.gov/11111111/"', 'url: "http://journal.example.org/a?id=1"')
        .replace("    design: protocol\n", "    design: not shown\n")
        .replace('title: "Forward walking and knee pain"', 'title: "Forward walking and knee pai[n] (truncated)"')
        .replace("    where: stored-pages\n", "    where: source-articles\n", 1)
        .replace('    doi: "10.1234/test.2020.1"\n', "")
    )
    no_address = (
        "  - id: kurz-nd-stride-time\n    first_author: Kurz\n    year: null\n    title: Stride time\n"
        "    found_by: [knee-01]\n    design: cross-sectional\n    decision: excluded\n"
        "    reason: citation-not-confirmed\n    note: The result showed no address at all.\n"
    )
    assert run(tmp_path, log + no_address) == []
    # The same title brackets in a claim are still refused: there, text is ours.
    refused = run(tmp_path, more={"claims/knee-pain.yaml": CLAIM.replace("title: Knee pain", "title: Knee pai[n] (x)")})
    assert any("claims/knee-pain.yaml:2:8: title: contains Markdown link syntax" in p for p in refused), refused
    # Without its reason, a candidate with no address is refused again.
    excluded = no_address.replace("reason: citation-not-confirmed", "reason: results-not-visible")
    assert any("a candidate needs a doi, a pmid or a url" in p for p in run(tmp_path, LOG + excluded))


def test_a_search_placeholder_left_in_found_by_says_what_goes_there(tmp_path: Path) -> None:
    problems = broken(
        tmp_path, "    found_by: [knee-01]\n    design: rct", '    found_by: ["TODO-search-id"]\n    design: rct'
    )
    assert [p for p in problems if "warning" not in p] == [
        "screening/knee.yaml:40:16: candidates[2].found_by[0]: still holds the TODO placeholder (hint: replace it "
        "with the id of the search that found it (a searches[].id in any screening log))"
    ]


def test_new_study_names_the_line_to_change_when_a_log_already_has_it(tmp_path: Path) -> None:
    from build_tools.editor.screening_step import screening_step

    log = LOG.replace(
        "    decision: included\n    study: jones-2018-lab\n", "    decision: awaiting\n    note: Not read.\n"
    )
    root = write_kb(tmp_path, {FIXTURE_LOG: None, "screening/knee.yaml": log})
    assert screening_step("jones-2018-lab", root) == (
        "screening: screening/knee.yaml:26 has it as candidate 'jones-2018-lab' (the same id), decision awaiting: "
        "screening/knee.yaml at line 26, set `decision: included` and add `study: jones-2018-lab`."
    )
