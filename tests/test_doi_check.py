"""The scheduled DOI check, fed recorded Crossref answers (the real one needs the network)."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY

from build_tools.ops.doi_check import check_dois, report
from build_tools.pipeline import check


def studies(kb_root: Path):
    return list(check(kb_root, today=TODAY).kb.studies.values())


def test_clean_answers_give_a_clean_report(kb_root: Path) -> None:
    findings = check_dois(studies(kb_root), lambda doi: (200, {"message": {"DOI": doi}}))
    assert findings == []
    assert report(findings, 1) == ("All 1 DOIs resolve on Crossref, with no retraction, correction or concern notices.")


def test_unknown_doi_and_retraction_notices_are_reported(kb_root: Path) -> None:
    answers = {
        "10.1234/test.2020.1": (
            200,
            {
                "message": {
                    "updated-by": [{"type": "retraction", "DOI": "10.1234/retraction"}],
                    "relation": {"is-corrected-by": [{"id": "10.1234/fix"}]},
                }
            },
        ),
    }
    findings = check_dois(studies(kb_root), lambda doi: answers.get(doi, (404, None)))
    text = report(findings, 1)
    assert [f.message for f in findings] == ["retraction notice: 10.1234/retraction", "is corrected by: 10.1234/fix"]
    assert "- `studies/smith-2020-test.yaml` (doi 10.1234/test.2020.1): retraction notice: 10.1234/retraction" in text


def test_a_missing_doi_is_reported_not_raised(kb_root: Path) -> None:
    findings = check_dois(studies(kb_root), lambda doi: (404, None))
    assert findings[0].message.startswith("Crossref does not know this DOI (404)")


def test_a_doi_crossref_did_not_answer_for_is_not_checked_not_a_finding(kb_root: Path) -> None:
    from build_tools.ops.doi_check import run_doi_check

    two = studies(kb_root) * 2  # the same study twice stands in for two DOIs
    answers = iter([(200, {"message": {}}), (503, None)])
    result = run_doi_check(two, lambda doi: next(answers))
    assert result.findings == [] and result.checked == 1
    assert [f.message for f in result.unchecked] == ["no answer from Crossref (status 503)"]
    text = report(result.findings, result.checked, result.unchecked)
    assert "Not checked (1, Crossref did not answer; not a problem with the record)" in text


def test_offline_it_stops_asking_after_three_unanswered_dois(kb_root: Path) -> None:
    from build_tools.ops.doi_check import GIVE_UP_AFTER, run_doi_check

    asked = []
    result = run_doi_check(studies(kb_root) * 10, lambda doi: asked.append(doi) or (0, {"error": "offline"}))
    assert len(asked) == GIVE_UP_AFTER == 3
    assert len(result.unchecked) == 10 and result.findings == []
