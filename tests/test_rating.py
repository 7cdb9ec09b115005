"""Rating rules: each rule in the published rubric moves a rating, and breaking it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIM, STUDY, TODAY, write_kb

from build_tools.pipeline import check


def rated(tmp_path: Path, files: dict[str, str]) -> tuple:
    result = check(write_kb(tmp_path, files), today=TODAY)
    return result, result.ratings


@pytest.mark.parametrize(
    ("study_text", "expected"),
    [
        (STUDY, "moderate"),  # an RCT of 60
        (STUDY.replace("n: 60", "n: 12"), "limited"),  # small: one step down
        (STUDY.replace("  n: 60\n", ""), "limited"),  # size not reported: one step down
        (
            STUDY.replace("n: 60", "n: 150") + "appraisal:\n  tool: PEDro\n  score: 7\n  max: 10\n  basis: PEDro\n",
            "strong",
        ),  # large, well-appraised trial: one step up
        (STUDY.replace("n: 60", "n: 150"), "moderate"),  # large but unappraised: no step up
        (STUDY + "appraisal:\n  tool: PEDro\n  score: 3\n  max: 10\n  basis: PEDro\n", "limited"),  # poor appraisal
        (STUDY.replace("design: rct", "design: crossover").replace("n: 60", "n: 12"), "moderate"),  # own control
        (STUDY.replace("design: rct", "design: crossover").replace("n: 60", "n: 8"), "limited"),
        (STUDY.replace("design: rct", "design: pre-post"), "very limited"),
        (STUDY.replace("design: rct", "design: pre-post").replace("n: 60", "n: 5"), "very limited"),  # floor
        (
            STUDY.replace("design: rct", "design: systematic-review") + "included_studies:\n  count: 5\n  rcts: 5\n",
            "strong",
        ),
        (
            STUDY.replace("design: rct", "design: systematic-review") + "included_studies:\n  count: 2\n  rcts: 2\n",
            "moderate",
        ),  # too few studies
        (
            STUDY.replace("design: rct", "design: systematic-review") + "included_studies:\n  count: 6\n  rcts: 2\n",
            "moderate",
        ),  # mostly non-randomised
    ],
    ids=[
        "rct",
        "small",
        "n-unknown",
        "large-appraised",
        "large-unappraised",
        "poor-appraisal",
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
    assert result.ok, [p.format() for p in result.problems]
    assert ratings.strengths["smith-2020-test"].level == expected


def claim_with(verdict: str, evidence: str, downgrades: str = "") -> str:
    head, _, tail = CLAIM.partition("evidence:\n")
    _, _, rest = tail.partition("verdict: plausible\n")
    return f"{head}evidence:\n{evidence}verdict: {verdict}\n{downgrades}{rest}"


def link(study: str, direction: str = "supports", applies_to: str = "same") -> str:
    return f"  - study: {study}\n    direction: {direction}\n    applies_to: {applies_to}\n    note: n.\n"


@pytest.mark.parametrize(
    ("evidence", "downgrades", "ceiling"),
    [
        (link("smith-2020-test"), "", "supported"),
        (link("smith-2020-test", applies_to="different"), "", "plausible"),  # other population
        (link("jones-2018-lab"), "", "plausible"),  # lab study only
        (link("smith-2020-test", "mixed"), "", "plausible"),
        (link("smith-2020-test", "no-effect"), "", "overstated"),
        (link("smith-2020-test", "related"), "", "overstated"),  # untested claim
        (link("jones-2018-lab", "contradicts"), "", "overstated"),
        # as strong against as for, in the same population: not supported
        (link("smith-2020-test") + link("smith-2021-other", "contradicts"), "", "plausible"),
        # weaker evidence against does not pull it down
        (link("smith-2020-test") + link("jones-2018-lab", "contradicts"), "", "supported"),
        # stronger evidence against wins
        (link("jones-2018-lab") + link("smith-2021-other", "no-effect"), "", "overstated"),
        # certainty below moderate caps the verdict at plausible
        (
            link("smith-2020-test"),
            "downgrades:\n  - domain: imprecision\n    severity: very-serious\n    reason: r.\n",
            "plausible",
        ),
    ],
    ids=[
        "rct-same",
        "rct-other-population",
        "lab-only",
        "mixed",
        "no-effect",
        "related-only",
        "contradicted",
        "tie-against",
        "weaker-against",
        "stronger-against",
        "low-certainty",
    ],
)
def test_verdict_ceiling(tmp_path: Path, evidence: str, downgrades: str, ceiling: str) -> None:
    other = STUDY.replace("smith-2020-test", "smith-2021-other").replace("10.1234/test.2020.1", "10.1234/o")
    files = {
        "studies/smith-2021-other.yaml": other,
        "claims/knee-pain.yaml": claim_with("overstated", evidence, downgrades),
    }
    result, ratings = rated(tmp_path, files)
    assert result.ok, [p.format() for p in result.problems]
    assert ratings.ceilings["knee-pain"].verdict == ceiling


def test_editor_may_be_more_cautious_than_the_ceiling(tmp_path: Path) -> None:
    result, ratings = rated(tmp_path, {"claims/knee-pain.yaml": claim_with("overstated", link("smith-2020-test"))})
    assert result.ok and ratings.ceilings["knee-pain"].verdict == "supported"


@pytest.mark.parametrize(
    ("evidence", "downgrades", "expected"),
    [
        (link("smith-2020-test"), "", "high"),
        (link("jones-2018-lab"), "", "low"),
        (
            link("smith-2020-test"),
            "downgrades:\n  - domain: risk-of-bias\n    severity: serious\n    reason: r.\n",
            "moderate",
        ),
        (
            link("smith-2020-test"),
            "downgrades:\n  - domain: risk-of-bias\n    severity: serious\n    reason: r.\n"
            "  - domain: imprecision\n    severity: very-serious\n    reason: r.\n",
            "very low",
        ),
    ],
    ids=["randomised", "observational", "one-serious", "floor"],
)
def test_certainty_follows_grade(tmp_path: Path, evidence: str, downgrades: str, expected: str) -> None:
    result, ratings = rated(tmp_path, {"claims/knee-pain.yaml": claim_with("overstated", evidence, downgrades)})
    assert result.ok, [p.format() for p in result.problems]
    assert ratings.certainties["knee-pain"] == expected
