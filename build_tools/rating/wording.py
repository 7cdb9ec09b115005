"""How big an effect is, and the plain-language statement for an outcome, as Cochrane words it
(certainty decides the verb's hedge, size decides "slightly" or "little or no difference")."""

from __future__ import annotations

from build_tools.rating.effects import MD, SMD, Estimate
from build_tools.records.model import ClaimOutcome

# Standardised mean differences (Cochrane Handbook 15.5.3.1, after Cohen): below 0.2 trivial,
# 0.2 small, 0.5 moderate, 0.8 large.
SMD_SIZES = ((0.8, "large"), (0.5, "moderate"), (0.2, "small"), (0.0, "trivial"))
SIZE_WORDS = {
    "trivial": "trivial",
    "small": "small",
    "moderate": "moderate",
    "large": "large",
    "below-mid": "smaller than the minimal important difference",
    "at-least-mid": "at least the minimal important difference",
}
HEDGE = {"high": "", "moderate": "probably ", "low": "may "}
VERB = {
    "reduces": ("reduces", "reduce"),
    "improves": ("improves", "improve"),
    "increases": ("increases", "increase"),
}


def effect_size(estimate: Estimate, outcome: ClaimOutcome) -> str | None:
    """trivial / small / moderate / large for an SMD; below-mid / at-least-mid for a mean
    difference in the unit of a known minimal important difference; None otherwise."""
    magnitude = abs(estimate.value)
    if estimate.measure == SMD:
        return next(size for floor, size in SMD_SIZES if magnitude >= floor)
    if estimate.measure == MD and outcome.mid and outcome.mid.unit.strip().lower() == estimate.unit.strip().lower():
        return "at-least-mid" if magnitude >= outcome.mid.value else "below-mid"
    return None


def small(size: str | None) -> bool:
    return size in ("trivial", "small", "below-mid")


def statement(
    subject: str, outcome: ClaimOutcome, certainty: str | None, estimate: Estimate | None, size: str | None, usable: int
) -> str:
    """e.g. 'Backward walking added to physiotherapy probably reduces knee pain slightly.'"""
    name = outcome.name
    if certainty is None:
        if usable == 0:
            return f"No study measured {name} with a usable result."
        # Studies measured it, but no page we read shows the comparison.
        which = "One study" if usable == 1 else f"{usable} studies"
        return f"{which} measured {name}, but no page we read shows the result."
    third, base = VERB[outcome.change]
    null = estimate is not None and not estimate.excludes_null
    if certainty == "very low":
        if null:
            return f"We are very uncertain whether {subject[0].lower() + subject[1:]} changes {name}."
        return f"We are very uncertain whether {subject[0].lower() + subject[1:]} {third} {name}."
    hedge = HEDGE[certainty]
    if null or size == "trivial":
        verb = "make" if certainty == "low" else "makes"
        return f"{subject} {hedge}{verb} little or no difference to {name}."
    verb = base if certainty == "low" else third
    slightly = " slightly" if small(size) else ""
    return f"{subject} {hedge}{verb} {name}{slightly}."
