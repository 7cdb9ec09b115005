"""Rating rules: each rule in the published rubric moves a rating, and breaking it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import STUDY, TODAY, write_kb
from records_builder import HIGH_RISK, LOW_RISK, UNCLEAR_RISK, claim, grade, link, outcome, serious, study

from build_tools.pipeline import check


def rated(tmp_path: Path, files: dict[str, str]) -> tuple:
    result = check(write_kb(tmp_path, files), today=TODAY)
    return result, result.ratings


POOR = {**UNCLEAR_RISK, "baseline_similar": "unclear", "intention_to_treat": "unclear", "adequate_follow_up": "unclear"}


@pytest.mark.parametrize(
    ("study_text", "expected"),
    [
        (STUDY, "moderate"),  # an RCT of 60
        (study("smith-2020-test", n=12, items=LOW_RISK), "limited"),  # small: one step down
        (study("smith-2020-test", n=None, items=LOW_RISK), "limited"),  # size not reported: one step down
        (study("smith-2020-test", n=150, items=LOW_RISK), "strong"),  # large, well-appraised: one step up
        (study("smith-2020-test", n=150, items={**UNCLEAR_RISK, "baseline_similar": "unclear"}), "moderate"),
        # large, but only 5 of 10 items met
        (study("smith-2020-test", n=60, items=POOR), "limited"),  # 3 of 10 items met: poor appraisal
        (
            study(
                "smith-2020-test",
                n=60,
                items=LOW_RISK,
                appraisal={"tool": "PEDro", "score": 3, "max": 10, "basis": "PEDro"},
            ),
            "limited",
        ),  # a published score below half
        (study("smith-2020-test", design="crossover", n=12, items=LOW_RISK), "moderate"),  # own control
        (study("smith-2020-test", design="crossover", n=8, items=LOW_RISK), "limited"),
        (study("smith-2020-test", design="pre-post"), "very limited"),
        (study("smith-2020-test", design="pre-post", n=5), "very limited"),  # floor
        (study("smith-2020-test", design="systematic-review", included_studies={"count": 5, "rcts": 5}), "strong"),
        (
            study("smith-2020-test", design="systematic-review", included_studies={"count": 2, "rcts": 2}),
            "moderate",
        ),  # too few studies
        (
            study("smith-2020-test", design="systematic-review", included_studies={"count": 6, "rcts": 2}),
            "moderate",
        ),  # mostly non-randomised
    ],
    ids=[
        "rct",
        "small",
        "n-unknown",
        "large-appraised",
        "large-poorly-reported",
        "poor-appraisal",
        "published-low-score",
        "crossover-12",
        "crossover-8",
        "pre-post",
        "floor",
        "review",
        "review-few",
        "review-nonrandomised",
    ],
)
def test_study_strength_rubric(tmp_path: Path, study_text: str, expected: str) -> None:
    result, ratings = rated(tmp_path, {"studies/smith-2020-test.yaml": study_text})
    problems = [p for p in result.problems if p.path.startswith("studies/smith") and p.severity == "error"]
    assert problems == []
    assert ratings.strengths["smith-2020-test"].level == expected


@pytest.mark.parametrize(
    ("items", "design", "risk"),
    [
        (LOW_RISK, "rct", "low"),
        (UNCLEAR_RISK, "rct", "some-concerns"),  # a page that does not say is not a "yes"
        (HIGH_RISK, "rct", "high"),  # two key items not met
        ({**LOW_RISK, "random_allocation": "no"}, "rct", "high"),  # not randomised after all
        # A non-randomised study is not judged again on its allocation: it already starts low.
        ({**LOW_RISK, "random_allocation": "no", "concealed_allocation": "no"}, "cross-sectional", "low"),
    ],
    ids=["low", "unclear-items", "two-key-items-missed", "not-random", "non-randomised-design"],
)
def test_trial_risk_of_bias_from_items(tmp_path: Path, items: dict, design: str, risk: str) -> None:
    _, ratings = rated(tmp_path, {"studies/smith-2020-test.yaml": study("smith-2020-test", design=design, items=items)})
    assert ratings.risks["smith-2020-test"] == risk


def test_every_randomised_trial_needs_an_item_level_appraisal(tmp_path: Path) -> None:
    result, _ = rated(tmp_path, {"studies/smith-2020-test.yaml": study("smith-2020-test", items=None)})
    assert any(
        p.path == "studies/smith-2020-test.yaml" and "needs an item-level appraisal" in p.message
        for p in result.problems
    )


def test_a_pedro_total_must_match_its_items(tmp_path: Path) -> None:
    text = study("smith-2020-test", items=LOW_RISK).replace("  source: ours\n", "  source: ours\n  pedro_total: 9\n")
    result, _ = rated(tmp_path, {"studies/smith-2020-test.yaml": text})
    assert any("the PEDro total 9 is not the number of items met (8)" in p.message for p in result.problems)


OTHER = study("smith-2021-other", items=LOW_RISK)


@pytest.mark.parametrize(
    ("evidence", "grading", "ceiling"),
    [
        ([link("smith-2020-test")], grade(imprecision=serious()), "supported"),
        (
            [link("smith-2020-test", applies_to="different")],
            grade(imprecision=serious(), indirectness=serious()),
            "plausible",
        ),  # other population
        (
            [link("smith-2020-test", exercise="different")],
            grade(imprecision=serious(), indirectness=serious()),
            "plausible",
        ),  # another exercise (backward running for a walking claim)
        ([link("jones-2018-lab")], grade(imprecision=serious()), "plausible"),  # lab study only
        ([link("smith-2020-test", "mixed")], grade(imprecision=serious()), "plausible"),
        ([link("smith-2020-test", "no-effect")], grade(imprecision=serious()), "overstated"),
        ([link("smith-2020-test", "related")], None, "overstated"),  # untested claim
        ([link("jones-2018-lab", "contradicts")], grade(imprecision=serious()), "overstated"),
        # as strong against as for, in the same population: not supported
        (
            [link("smith-2020-test"), link("smith-2021-other", "contradicts")],
            grade(imprecision=serious(), inconsistency=serious()),
            "plausible",
        ),
        # weaker evidence against does not pull it down
        (
            [link("smith-2020-test"), link("jones-2018-lab", "contradicts")],
            grade(imprecision=serious(), inconsistency=serious()),
            "plausible",
        ),
        # stronger evidence against wins
        (
            [link("jones-2018-lab"), link("smith-2021-other", "no-effect")],
            grade(imprecision=serious(), inconsistency=serious()),
            "overstated",
        ),
        # certainty below moderate caps the verdict at plausible
        ([link("smith-2020-test")], grade(imprecision=serious("very-serious")), "plausible"),
    ],
    ids=[
        "rct-same",
        "rct-other-population",
        "rct-other-exercise",
        "lab-only",
        "mixed",
        "no-effect",
        "related-only",
        "contradicted",
        "tie-against",
        "weaker-against-but-inconsistent",
        "stronger-against",
        "low-certainty",
    ],
)
def test_verdict_ceiling(tmp_path: Path, evidence: list, grading: dict | None, ceiling: str) -> None:
    directions = [e["direction"] for e in evidence]
    if any(d in ("supports", "mixed") for d in directions):
        reason = "beyond-findings"  # something points the claim's way
    else:
        reason = {"no-effect": "no-effect", "contradicts": "contradicted"}.get(directions[-1], "untested")
    files = {
        "studies/smith-2021-other.yaml": OTHER,
        "claims/knee-pain.yaml": claim(evidence, [outcome(grading=grading)], "overstated", reason),
    }
    result, ratings = rated(tmp_path, files)
    assert result.ok, [p.format() for p in result.problems]
    assert ratings.ceilings["knee-pain"].verdict == ceiling


def test_editor_may_be_more_cautious_than_the_ceiling(tmp_path: Path) -> None:
    text = claim([link("smith-2020-test")], verdict="overstated", reason="beyond-findings")
    result, ratings = rated(tmp_path, {"claims/knee-pain.yaml": text})
    assert result.ok and ratings.ceilings["knee-pain"].verdict == "supported"


def test_supported_needs_every_critical_outcome_tested(tmp_path: Path) -> None:
    outcomes = [outcome(grading=grade(imprecision=serious())), outcome("function")]
    text = claim([link("smith-2020-test")], outcomes, "supported", "shown-in-trials")
    result, ratings = rated(tmp_path, {"claims/knee-pain.yaml": text})
    assert ratings.ceilings["knee-pain"].verdict == "plausible"
    assert "no study gave a result for function" in ratings.ceilings["knee-pain"].reason
    assert not result.ok


@pytest.mark.parametrize(
    ("evidence", "grading", "verdict", "reason", "fits"),
    [
        ([link("smith-2020-test", "related")], None, "overstated", "untested", True),
        ([link("smith-2020-test")], grade(imprecision=serious()), "overstated", "untested", False),  # it was tested
        ([link("smith-2020-test", "no-effect")], grade(imprecision=serious()), "overstated", "no-effect", True),
        ([link("smith-2020-test")], grade(imprecision=serious()), "overstated", "no-effect", False),
        ([link("jones-2018-lab", "contradicts")], grade(imprecision=serious()), "overstated", "contradicted", True),
        ([link("smith-2020-test", "no-effect")], grade(imprecision=serious()), "overstated", "contradicted", False),
        ([link("smith-2020-test")], grade(imprecision=serious()), "overstated", "beyond-findings", True),
        ([link("smith-2020-test", "related")], None, "overstated", "beyond-findings", False),  # nothing found
        ([link("smith-2020-test")], grade(imprecision=serious()), "plausible", "low-certainty", True),
        ([link("smith-2020-test")], grade(imprecision=serious()), "plausible", "other-groups", False),
        (
            [link("smith-2020-test", applies_to="different")],
            grade(imprecision=serious(), indirectness=serious()),
            "plausible",
            "other-groups",
            True,
        ),
        ([link("smith-2020-test")], grade(imprecision=serious()), "plausible", "untested", False),  # wrong verdict
        ([link("smith-2020-test")], grade(imprecision=serious()), "supported", "shown-in-trials", True),
    ],
)
def test_a_verdict_reason_must_fit_the_evidence(
    tmp_path: Path, evidence: list, grading: dict | None, verdict: str, reason: str, fits: bool
) -> None:
    text = claim(evidence, [outcome(grading=grading)], verdict, reason)
    result, _ = rated(tmp_path, {"claims/knee-pain.yaml": text})
    wrong = [p for p in result.problems if p.field == "verdict_reason"]
    assert (wrong == []) == fits, [p.format() for p in wrong]


def test_a_related_study_lists_no_outcomes_and_a_tested_one_lists_them(tmp_path: Path) -> None:
    related = {**link("smith-2020-test", "related"), "outcomes": {"pain": "supports"}}
    result, _ = rated(tmp_path, {"claims/knee-pain.yaml": claim([related], [outcome()], "overstated", "untested")})
    assert any("a 'related' study measured none of the claim's outcomes" in p.message for p in result.problems)
    bare = {k: v for k, v in link("smith-2020-test").items() if k != "outcomes"}
    result, _ = rated(tmp_path, {"claims/knee-pain.yaml": claim([bare])})
    assert any("must say which of the claim's outcomes it measured" in p.message for p in result.problems)
    typo = link("smith-2020-test", outcomes={"pian": "supports"})
    result, _ = rated(tmp_path, {"claims/knee-pain.yaml": claim([typo])})
    assert any("unknown outcome 'pian'" in p.message and "did you mean 'pain'" in p.hint for p in result.problems)


def test_a_direction_must_agree_with_its_outcomes(tmp_path: Path) -> None:
    wrong = link("smith-2020-test", "supports", outcomes={"pain": "no-effect"})
    result, _ = rated(tmp_path, {"claims/knee-pain.yaml": claim([wrong])})
    assert any("disagrees with what the study found per outcome" in p.message for p in result.problems)
