"""How computed facts read on a page: certainty as circles with its plain meaning, effects
with their intervals and units, participant counts in words."""

from __future__ import annotations

from build_tools.pages.plots import MEASURE_SHORT, number
from build_tools.rating.effects import Estimate
from build_tools.rating.grade import CERTAINTIES, OutcomeRating
from build_tools.rating.wording import SIZE_WORDS

# GRADE's meaning of each level, for readers (GRADE Handbook 5.1, in our words).
CERTAINTY_MEANING = {
    "high": "we are very confident that the true effect is close to the estimate",
    "moderate": "the true effect is probably close to the estimate, but it could be substantially different",
    "low": "the true effect may be substantially different from the estimate",
    "very low": "the true effect is probably substantially different from the estimate",
    "no studies": "no cited study gave a result, so there is nothing to rate",
}


def circles(level: str) -> str:
    """'●●○○' for low; four empty circles for no studies."""
    filled = CERTAINTIES.index(level) + 1 if level in CERTAINTIES else 0
    return "●" * filled + "○" * (4 - filled)


def estimate_text(e: Estimate | None) -> str:
    """'SMD (Hedges' g) −1.02 (95% CI −1.33 to −0.70), SD units'."""
    if e is None:
        return "no estimate with a confidence interval"
    unit = "" if e.unit.lower() in ("sd units", "ratio") else f" {e.unit}"
    return (
        f"{MEASURE_SHORT.get(e.measure, e.measure)} {number(e.value)} "
        f"(95% CI {number(e.ci_low)} to {number(e.ci_high)}){unit}"
    )


def estimate_source(e: Estimate | None) -> str:
    if e is None:
        return ""
    if e.study is None:
        i2 = f", I² {e.i2:g}%" if e.i2 is not None else ""
        return f"our random-effects pool of {e.pooled_studies} trials{i2}"
    what = f"pooled over {e.pooled_studies} studies by " if e.pooled_studies else ("pooled by " if e.is_pooled else "")
    how = ", computed by us from its group means" if e.computed else ""
    i2 = f", I² {e.i2:g}%" if e.i2 is not None else ""
    return f"{what}{e.study.short_citation}{how}{i2}"


def size_text(rating: OutcomeRating) -> str:
    if rating.estimate is None or rating.size is None:
        return ""
    if not rating.estimate.excludes_null:
        return "its confidence interval includes no effect"
    return (
        f"{SIZE_WORDS[rating.size]} effect"
        if rating.size in ("trivial", "small", "moderate", "large")
        else SIZE_WORDS[rating.size]
    )


def participants_text(rating: OutcomeRating) -> str:
    """'635 (13 studies)' or 'not all reported (3 studies)'."""
    n = "not all reported" if rating.participants is None else f"{rating.participants:,}"
    studies = f"{rating.studies_counted} stud{'y' if rating.studies_counted == 1 else 'ies'}"
    return f"{n} ({studies})"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 study', '2 studies'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
