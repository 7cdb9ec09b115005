"""How computed facts read on a page: certainty as circles with its plain meaning, effects
with their intervals and units, participant counts in words."""

from __future__ import annotations

import math

from build_tools.pages.plots import MEASURE_SHORT, number
from build_tools.rating.effects import SMD, Estimate
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


def participants_text(rating: OutcomeRating) -> str:
    """'635 (13 studies)', 'not all reported (3 studies)', '30 (1 study; no result shown)'."""
    n = "not all reported" if rating.participants is None else f"{rating.participants:,}"
    studies = f"{rating.studies_counted} stud{'y' if rating.studies_counted == 1 else 'ies'}"
    if rating.links and not rating.usable:
        studies += "; no result shown"
    return f"{n} ({studies})"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 study', '2 studies'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: object) -> str:
    """'2026-12-01' -> '1 December 2026' (a reader's date; the ISO form stays in the data)."""
    text = str(value)
    try:
        year, month, day = (int(part) for part in text[:10].split("-"))
        return f"{day} {MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return text


def effect_words(rating: OutcomeRating) -> str:
    """The effect in words a reader can use: natural units for a mean difference, standard
    deviations with Cohen's rule of thumb for an SMD, 'times' for a ratio; whether that is
    better, and whether the interval includes no difference."""
    e = rating.estimate
    if e is None:
        return ""
    if e.ratio:
        text = f"{number(e.value)} times the comparison's {e.outcome}"
    else:
        direction = "lower" if e.value < 0 else "higher"
        if e.higher_is in ("better", "worse"):
            good = (e.value > 0) == (e.higher_is == "better")
            direction += f" with backward walking ({'better' if good else 'worse'})"
        else:
            direction += " with backward walking"
        if e.measure == SMD:
            size = abs(e.value)
            sds = f"{size:.1f} standard deviation{'' if f'{size:.1f}' == '1.0' else 's'}"
            text = f"About {sds} {direction}"
            if rating.size in SIZE_WORDS and e.excludes_null:
                text += f": a {SIZE_WORDS[rating.size]} difference (for SMDs, 0.2 is small, 0.5 moderate, 0.8 large)"
        else:
            unit = "" if e.unit.lower() in ("sd units", "ratio") else f" {e.unit}"
            text = f"{number(abs(e.value))}{unit} {direction}"
            if rating.size in ("below-mid", "at-least-mid") and e.excludes_null:
                text += f": {SIZE_WORDS[rating.size]}"
    if not e.excludes_null:
        text += "; its confidence interval includes no difference"
    return text


def disc_size(people: int) -> str:
    """The evidence map's disc diameter in pixels: its area grows with the people studied."""
    return f"{min(40.0, 4 + 1.2 * math.sqrt(max(people, 0))):.0f}"
