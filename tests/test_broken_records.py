"""Each rule, broken once: the check fails with its exact message at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIM, LAB_STUDY, STUDY, TODAY, write_kb

from build_tools.pipeline import check

# (case id, files to write over the valid knowledge base, expected problem line)
CASES = [
    (
        "missing-study-file",
        {"studies/smith-2020-test.yaml": None},
        "claims/knee-pain.yaml:10:12: evidence[0].study: unknown study 'smith-2020-test' "
        "(hint: no similar id exists; add the record first)",
    ),
    (
        "unknown-study-id-typo",
        {"claims/knee-pain.yaml": CLAIM.replace("study: smith-2020-test", "study: smith-2020-tset")},
        "claims/knee-pain.yaml:10:12: evidence[0].study: unknown study 'smith-2020-tset' "
        "(hint: did you mean 'smith-2020-test'?)",
    ),
    (
        "unknown-source",
        {"claims/knee-pain.yaml": CLAIM.replace("source: test-article", "source: test-artcle")},
        "claims/knee-pain.yaml:6:13: claimed_by[0].source: unknown source 'test-artcle' "
        "(hint: did you mean 'test-article'?)",
    ),
    (
        "claim-citing-nothing",
        {
            "claims/knee-pain.yaml": CLAIM.replace(
                "evidence:\n  - study: smith-2020-test\n    direction: supports\n    applies_to: same\n"
                "    outcomes: {pain: supports}\n    note: A trial in knee osteoarthritis found less pain.\n",
                "evidence: []\n",
            )
        },
        "claims/knee-pain.yaml:9:11: evidence: a claim must cite at least one study "
        "(hint: add an entry with study, direction, applies_to and note)",
    ),
    (
        "duplicate-key",
        {"studies/smith-2020-test.yaml": STUDY.replace("year: 2020\n", "year: 2020\nyear: 2021\n")},
        "studies/smith-2020-test.yaml:8:1: year: duplicate key 'year' (first given on line 7) "
        "(hint: keep one of the two; YAML would silently drop the first)",
    ),
    (
        "unknown-key",
        {"studies/smith-2020-test.yaml": STUDY.replace("journal:", "jornal:")},
        "studies/smith-2020-test.yaml:6:1: jornal: unknown field 'jornal' (hint: did you mean 'journal'?)",
    ),
    (
        "bad-enum",
        {"studies/smith-2020-test.yaml": STUDY.replace("design: rct", "design: randomised")},
        "studies/smith-2020-test.yaml:11:9: design: 'randomised' is not an allowed value (hint: allowed: "
        "systematic-review, rct, crossover, non-randomised-controlled, pre-post, cross-sectional, narrative-review)",
    ),
    (
        "id-file-name-mismatch",
        {"studies/smith-2020-test.yaml": STUDY.replace("id: smith-2020-test", "id: smith-2020-trial")},
        "studies/smith-2020-test.yaml:1:5: id: id 'smith-2020-trial' does not match the file name "
        "'smith-2020-test.yaml' (hint: rename the file to smith-2020-trial.yaml or set id: smith-2020-test)",
    ),
    (
        "two-studies-one-doi",
        {
            "studies/smith-2020-copy.yaml": STUDY.replace("id: smith-2020-test", "id: smith-2020-copy").replace(
                "10.1234/test.2020.1", "10.1234/TEST.2020.1"
            )
        },
        "studies/smith-2020-test.yaml:8:6: doi: doi 10.1234/test.2020.1 is already used by "
        "studies/smith-2020-copy.yaml (hint: one study, one record: merge the two files)",
    ),
    (
        "verdict-above-ceiling",
        {
            "claims/knee-pain.yaml": CLAIM.replace("study: smith-2020-test", "study: jones-2018-lab").replace(
                "verdict: plausible", "verdict: supported"
            )
        },
        "claims/knee-pain.yaml:15:10: verdict: verdict 'supported' is stronger than the evidence allows "
        "('plausible') (hint: supported needs a randomised trial (or a review of trials) of at least moderate "
        "strength that supports the claim in the people it is about and with the exercise it names; none of the "
        "cited studies is one; cite such evidence or lower the verdict)",
    ),
    (
        "invalid-yaml",
        {"studies/jones-2018-lab.yaml": LAB_STUDY.replace("title: A lab", "title: [A lab")},
        "studies/jones-2018-lab.yaml:3:8: (record): invalid YAML: did not find expected ',' or ']' "
        "(hint: check indentation and quoting; a value with ': ' or ' #' needs double quotes or a folded block (>-))",
    ),
    (
        "missing-required-field",
        {"claims/knee-pain.yaml": CLAIM.replace("bottom_line: One trial found less pain.\n", "")},
        "claims/knee-pain.yaml:1:1: bottom_line: missing required field 'bottom_line' "
        "(hint: add `bottom_line:` after `verdict_reason` (line 20): two or three plain sentences: "
        "the verdict and why.)",
    ),
    (
        "study-listed-twice",
        {
            "claims/knee-pain.yaml": CLAIM.replace(
                "verdict:",
                "  - study: smith-2020-test\n    direction: mixed\n    applies_to: same\n    note: Again.\nverdict:",
            )
        },
        "claims/knee-pain.yaml:15:12: evidence[1].study: study 'smith-2020-test' is listed twice "
        "(first as evidence[0]) (hint: merge the two entries)",
    ),
    (
        "html-in-text",
        {"claims/knee-pain.yaml": CLAIM.replace("One trial found less pain.", "<script>x</script>")},
        "claims/knee-pain.yaml:16:14: bottom_line: '<script>x</script>' looks like it contains an HTML tag "
        "(hint: records hold plain text; write '< ' with a space for 'less than')",
    ),
    (
        "date-in-future",
        {"claims/knee-pain.yaml": CLAIM.replace("last_reviewed: 2026-11-01", "last_reviewed: 2027-01-01")},
        "claims/knee-pain.yaml:20:16: last_reviewed: 2027-01-01 is in the future",
    ),
    (
        "date-that-does-not-exist",
        {"claims/knee-pain.yaml": CLAIM.replace("last_reviewed: 2026-11-01", "last_reviewed: 2026-02-30")},
        "claims/knee-pain.yaml:20:16: last_reviewed: '2026-02-30' is not a real date (hint: write it as YYYY-MM-DD)",
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_record_fails_with_located_message(tmp_path: Path, files: dict, expected: str) -> None:
    result = check(write_kb(tmp_path, files), today=TODAY)
    lines = [p.format() for p in result.problems]
    assert not result.ok
    assert expected in lines, "\n".join(lines)


def test_valid_knowledge_base_passes(kb_root: Path) -> None:
    result = check(kb_root, today=TODAY)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    assert set(result.kb.claims) == {"knee-pain"}
    assert set(result.kb.studies) == {"smith-2020-test", "jones-2018-lab"}


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    files = {
        "studies/smith-2020-test.yaml": STUDY.replace("journal:", "jornal:").replace("design: rct", "design: x"),
        "claims/knee-pain.yaml": CLAIM.replace("topic: knee", "topic: knees"),
    }
    result = check(write_kb(tmp_path, files), today=TODAY)
    fields = sorted(p.field for p in result.problems if p.severity == "error")
    assert fields == ["design", "jornal", "topic"]


def test_uncited_study_is_a_warning_not_an_error(kb_root: Path) -> None:
    result = check(kb_root, today=TODAY)
    warnings = [p.format() for p in result.problems if p.severity == "warning"]
    assert warnings == [
        "studies/jones-2018-lab.yaml:1:5: warning: id: no claim cites or credits this study "
        "(hint: cite it from a claim or remove it)"
    ]


def test_a_claim_not_reviewed_for_18_months_is_a_warning(tmp_path: Path) -> None:
    claim = CLAIM.replace("last_reviewed: 2026-11-01", "last_reviewed: 2025-01-01")
    result = check(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}), today=TODAY)
    assert result.ok
    assert (
        "claims/knee-pain.yaml:20:16: warning: last_reviewed: last reviewed 690 days ago "
        "(hint: check the claim against newer studies and update last_reviewed)"
    ) in [p.format() for p in result.problems]
