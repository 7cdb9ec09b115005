"""GRADE's textbook cases, written from GRADE's published rules (the GRADE Handbook): the engine
must give GRADE's answer, and refuse what GRADE forbids."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, write_kb
from records_builder import LOW_RISK, UNCLEAR_RISK, claim, grade, link, outcome, serious, study

from build_tools.pipeline import check

BIG_TRIAL = study("big-trial", n=500, items=LOW_RISK)
BIG_LAB = study("big-lab", design="cross-sectional", n=500)
UNCLEAR_TRIAL = study("unclear-trial", n=500, items=UNCLEAR_RISK)
SECOND_TRIAL = study("second-trial", n=500, items=LOW_RISK)


def run(tmp_path: Path, evidence: list, grading: dict | None, *, outcomes: list | None = None):
    files = {
        "studies/big-trial.yaml": BIG_TRIAL,
        "studies/big-lab.yaml": BIG_LAB,
        "studies/unclear-trial.yaml": UNCLEAR_TRIAL,
        "studies/second-trial.yaml": SECOND_TRIAL,
        "claims/knee-pain.yaml": claim(
            evidence, outcomes or [outcome(grading=grading)], "overstated", "beyond-findings"
        ),
    }
    result = check(write_kb(tmp_path, files), today=TODAY)
    grade_problems = [p for p in result.problems if p.field.startswith("outcomes") and p.severity == "error"]
    return result, grade_problems


def certainty(result) -> str:
    return result.ratings.outcomes["knee-pain"][0].label


@pytest.mark.parametrize(
    ("evidence", "grading", "expected"),
    [
        ([link("big-trial")], grade(), "high"),  # randomised evidence starts high
        ([link("big-lab")], grade(), "low"),  # non-randomised evidence starts low
        ([link("unclear-trial")], grade(risk_of_bias=serious()), "moderate"),
        ([link("big-trial")], grade(inconsistency=serious()), "moderate"),
        ([link("big-trial")], grade(indirectness=serious()), "moderate"),
        ([link("big-trial")], grade(imprecision=serious()), "moderate"),
        ([link("big-trial")], grade(publication_bias={"judgement": "suspected", "reason": "r"}), "moderate"),
        ([link("big-trial")], grade(publication_bias={"judgement": "strongly-suspected", "reason": "r"}), "low"),
        # two at once: one serious and one very serious is three levels; the floor is very low
        ([link("unclear-trial")], grade(risk_of_bias=serious(), imprecision=serious("very-serious")), "very low"),
        (
            [link("unclear-trial")],
            grade(risk_of_bias=serious("very-serious"), imprecision=serious("very-serious")),
            "very low",
        ),
        ([link("big-lab")], grade(large_effect={"judgement": "large", "reason": "r"}), "moderate"),
        ([link("big-lab")], grade(large_effect={"judgement": "very-large", "reason": "r"}), "high"),
        ([link("big-lab")], grade(dose_response={"judgement": "present", "reason": "r"}), "moderate"),
        ([link("big-lab")], grade(plausible_confounding={"judgement": "present", "reason": "r"}), "moderate"),
        # a related study never sets the start: the lab study alone does
        ([link("big-trial", "related"), link("big-lab")], grade(), "low"),
    ],
    ids=[
        "randomised-start",
        "observational-start",
        "risk-of-bias",
        "inconsistency",
        "indirectness",
        "imprecision",
        "publication-bias",
        "publication-bias-strongly",
        "two-at-once",
        "floor",
        "upgrade-large-effect",
        "upgrade-very-large-effect",
        "upgrade-dose-response",
        "upgrade-plausible-confounding",
        "related-does-not-set-the-start",
    ],
)
def test_grade_certainty(tmp_path: Path, evidence: list, grading: dict, expected: str) -> None:
    result, problems = run(tmp_path, evidence, grading)
    assert problems == []
    assert certainty(result) == expected


def test_no_studies_is_not_very_low(tmp_path: Path) -> None:
    result, problems = run(tmp_path, [link("big-trial", "related")], None)
    assert problems == []
    rating = result.ratings.outcomes["knee-pain"][0]
    assert rating.certainty is None and rating.label == "no studies"
    assert result.ratings.certainties["knee-pain"] == "no studies"
    assert rating.statement.startswith("No study measured pain")


def test_an_outcome_with_no_studies_cannot_be_judged(tmp_path: Path) -> None:
    _, problems = run(tmp_path, [link("big-trial", "related")], grade(indirectness=serious("very-serious")))
    assert any("no cited study gave a result for 'pain'" in p.message for p in problems)


def test_an_outcome_with_results_must_be_judged(tmp_path: Path) -> None:
    _, problems = run(tmp_path, [link("big-trial")], None)
    assert any("has results from cited studies but no GRADE judgements" in p.message for p in problems)


def test_upgrades_are_for_non_randomised_evidence(tmp_path: Path) -> None:
    _, problems = run(tmp_path, [link("big-trial")], grade(large_effect={"judgement": "large", "reason": "r"}))
    assert any("already starts at high" in p.message for p in problems)


def test_upgrades_are_refused_beside_a_serious_concern(tmp_path: Path) -> None:
    grading = grade(indirectness=serious(), dose_response={"judgement": "present", "reason": "r"})
    _, problems = run(tmp_path, [link("big-lab")], grading)
    assert any("allowed only without serious concerns, but indirectness lowers it" in p.message for p in problems)


def test_conflicting_trials_need_an_inconsistency_judgement(tmp_path: Path) -> None:
    evidence = [link("big-trial"), link("second-trial", "no-effect")]
    _, problems = run(tmp_path, evidence, grade())
    assert any(p.field == "outcomes[0].grade.inconsistency.judgement" for p in problems)
    _, problems = run(tmp_path, evidence, grade(inconsistency=serious()))
    assert problems == []


def test_non_randomisation_is_not_counted_twice(tmp_path: Path) -> None:
    _, problems = run(tmp_path, [link("big-lab")], grade(risk_of_bias=serious()))
    assert any("would count it twice" in p.message for p in problems)


def test_a_domain_cannot_be_judged_twice(tmp_path: Path) -> None:
    text = claim([link("big-trial")], [outcome(grading=grade())], "overstated", "beyond-findings")
    text = text.replace(
        "    inconsistency:", "    imprecision:\n      judgement: serious\n      reason: r\n    inconsistency:", 1
    )
    result = check(
        write_kb(tmp_path, {"studies/big-trial.yaml": BIG_TRIAL, "claims/knee-pain.yaml": text}), today=TODAY
    )
    assert any("duplicate key 'imprecision'" in p.message for p in result.problems)


def test_risk_of_bias_must_agree_with_the_trials_appraisals(tmp_path: Path) -> None:
    _, problems = run(tmp_path, [link("unclear-trial")], grade())
    assert any("unclear-trial (some-concerns)" in p.message for p in problems)
    _, problems = run(tmp_path, [link("big-trial")], grade(risk_of_bias=serious()))
    assert any("every appraised trial is at low risk" in p.message for p in problems)


def test_self_reported_outcomes_may_be_downgraded_for_unblinded_participants(tmp_path: Path) -> None:
    outcomes = [outcome(grading=grade(risk_of_bias=serious()), self_reported=True)]
    _, problems = run(tmp_path, [link("big-trial")], None, outcomes=outcomes)
    assert problems == []


def test_a_small_body_of_evidence_is_imprecise(tmp_path: Path) -> None:
    small = study("small-trial", n=60, items=LOW_RISK)
    text = claim([link("small-trial")], [outcome(grading=grade())], "overstated", "beyond-findings")
    result = check(write_kb(tmp_path, {"studies/small-trial.yaml": small, "claims/knee-pain.yaml": text}), today=TODAY)
    assert any("60 participants is below GRADE's optimal information size (400)" in p.message for p in result.problems)


def test_small_trials_with_a_large_effect_are_judged_for_small_study_effects(tmp_path: Path) -> None:
    effect = {
        "key": "pain",
        "outcome": "pain",
        "comparison": "bw vs usual",
        "measure": "standardised mean difference",
        "value": -1.1,
        "ci_low": -1.6,
        "ci_high": -0.6,
        "unit": "SD units",
    }
    small = study("small-trial", n=60, items=LOW_RISK, effects=[effect])
    grading = grade(imprecision=serious())
    text = claim(
        [link("small-trial")], [outcome(grading=grading, effect_keys=["pain"])], "overstated", "beyond-findings"
    )
    result = check(write_kb(tmp_path, {"studies/small-trial.yaml": small, "claims/knee-pain.yaml": text}), today=TODAY)
    assert any("small-study effects are likely" in p.message for p in result.problems)


def test_claim_certainty_is_the_lowest_critical_outcome(tmp_path: Path) -> None:
    outcomes = [
        outcome("pain", grading=grade()),
        outcome("function", grading=grade(imprecision=serious())),
        outcome("stiffness", "important", grading=grade(imprecision=serious("very-serious"))),
    ]
    evidence = [link("big-trial", outcomes={"pain": "supports", "function": "supports", "stiffness": "supports"})]
    result, problems = run(tmp_path, evidence, None, outcomes=outcomes)
    assert problems == []
    assert [r.label for r in result.ratings.outcomes["knee-pain"]] == ["high", "moderate", "low"]
    assert result.ratings.certainties["knee-pain"] == "moderate"  # the important outcome does not lower it


def test_participants_inside_a_cited_review_are_counted_once(tmp_path: Path) -> None:
    review = study(
        "big-review",
        design="systematic-review",
        n=300,
        year=2019,
        included_studies={"count": 6, "rcts": 6, "participants": 300},
    )
    inside = study("old-trial", n=40, items=LOW_RISK, year=2018)
    later = study("new-trial", n=50, items=LOW_RISK, year=2022)
    evidence = [link("big-review"), link("old-trial"), link("new-trial")]
    files = {
        "studies/big-review.yaml": review,
        "studies/old-trial.yaml": inside,
        "studies/new-trial.yaml": later,
        "claims/knee-pain.yaml": claim(evidence, [outcome(grading=grade(imprecision=serious()))]),
    }
    result = check(write_kb(tmp_path, files), today=TODAY)
    rating = result.ratings.outcomes["knee-pain"][0]
    assert (rating.participants, rating.studies_counted, rating.not_added) == (350, 7, ("old-trial",))
