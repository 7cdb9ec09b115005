"""Forest plots as small, dependency-free SVG, drawn from the effect estimates.

A hand-written SVG template is enough for a forest plot and keeps the build free of a
plotting stack; the output is byte-stable for reproducible builds. The layout is narrow
(each study's name and numbers above its interval, wrapped to the width) so the text stays
legible on a 360 px phone, where the drawing is shown at its own size; colours are classes
the site's stylesheet changes for dark mode (text gets a halo in the page's background
colour, so it reads over the lines), with light-mode fills for the standalone file. Title, description and the page's
"in words" list carry the same numbers for screen readers.
"""

from __future__ import annotations

import math

from build_tools.pages.jinja_env import template_environment
from build_tools.rating.effects import Estimate
from build_tools.rating.findings import OutcomeGroup
from build_tools.records.grammar import UNSAFE_CHARACTER

WIDTH, ROW, SIDE, LINE = 328, 44, 12, 17  # 328: drawn at its own size in a 360 px phone's column
TITLE_SIZE, TEXT_SIZE = 15, 13
# Advance widths in em, rounded up from DejaVu Sans (the widest of the common sans-serif faces
# a browser may pick), so a wrapped line never runs past the drawing in any of them.
NARROW, MIDDLE, WIDE = set("ijlI.,:;'|! "), set("frt()[]-/"), set("mwMW%\u2212\u2014\u2190\u2192")
DEFAULT_EM, UPPER_EM, DIGIT_EM = 0.6, 0.74, 0.64


def svg_text(value: object) -> object:
    """Text as XML allows it, on one line (XML forbids most control characters outright);
    the template's autoescape then escapes it. Numbers must be finite: 'nan' is no coordinate."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a plot cannot place {value}")
    if isinstance(value, str):
        return " ".join(UNSAFE_CHARACTER.sub(" ", value).split())
    return value


_TEMPLATE = template_environment(autoescape=True, finalize=svg_text).get_template("forest_plot.svg.j2")
MEASURE_SHORT = {
    "mean difference": "MD",
    "standardised mean difference": "SMD (Hedges' g)",
    "risk ratio": "RR",
    "odds ratio": "OR",
}


def number(value: float) -> str:
    """Three significant figures at most, with a true minus sign."""
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return text.replace("-", "\u2212")


def _ticks(lo: float, hi: float, ratio: bool) -> list[float]:
    """Round tick values spanning [lo, hi], always including the line of no effect."""
    if ratio:
        candidates = [0.1, 0.2, 0.5, 1, 2, 5, 10]
        return [t for t in candidates if lo <= t <= hi] or [1.0]
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / 2)) if span > 0 else 1
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= 5:
            step *= mult
            break
    start = math.ceil(lo / step) * step
    ticks, t = [], start
    while t <= hi + 1e-9:
        ticks.append(round(t, 10) + 0.0)
        t += step
    return sorted(set(ticks) | {0.0})


def favours(group: OutcomeGroup) -> tuple[str, str]:
    """(left label, right label): which side favours backward walking."""
    backward, other = "favours backward walking", "favours comparison"
    if group.higher_is == "better":
        return other, backward
    if group.higher_is == "worse":
        return backward, other
    return "lower with backward walking", "higher with backward walking"


def _row_text(e: Estimate) -> str:
    text = f"{number(e.value)} [{number(e.ci_low)}, {number(e.ci_high)}]"
    return f"{text} · {e.weight * 100:.0f}%" if e.weight else text


def _label(e: Estimate) -> str:
    if e.is_pooled:
        return f"{e.study.short_citation} (review)"
    return e.study.short_citation


def text_alternative(group: OutcomeGroup) -> str:
    """The plot in words: every estimate with its interval, and the pooled estimate."""
    parts = [f"{_label(r)}: {_row_text(r)}" for r in group.rows]
    if group.pooled:
        p = group.pooled
        parts.append(f"our random-effects pool of {p.pooled_studies} studies: {_row_text(p)}, I² {p.i2:g}%")
    left, right = favours(group)
    return (
        f"Forest plot of {group.outcome} ({MEASURE_SHORT.get(group.measure, group.measure)}, {group.unit}); "
        f"no difference is at {group.null_value:g}; left {left}, right {right}. " + "; ".join(parts) + "."
    )


def _advance(char: str) -> float:
    if char in NARROW:
        return 0.32
    if char in MIDDLE:
        return 0.42
    if char in WIDE:
        return 1.0
    if char.isdigit():
        return DIGIT_EM
    return UPPER_EM if char.isupper() else DEFAULT_EM


def text_width(text: str, size: float) -> float:
    """A generous estimate of a line's width in a sans-serif face (no font metrics in the build)."""
    return sum(_advance(c) for c in text) * size * 1.04


def wrap(text: str, size: float, width: float = WIDTH - 2 * SIDE) -> list[str]:
    """Words on as few lines as fit `width` at font `size`."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def forest_plot_svg(group: OutcomeGroup, ident: str = "fp") -> str:
    """An SVG forest plot for one outcome group; `ident` keeps its element ids unique on a page.

    Every line of text is wrapped to the drawing's width (a label and its numbers share a line
    only when both fit), so nothing is clipped at any size; the axis has round ticks with the
    line of no effect, and which side favours backward walking is written under it."""
    ratio = group.rows[0].ratio
    f = math.log if ratio else (lambda v: v)
    values = [r.ci_low for r in group.rows] + [r.ci_high for r in group.rows] + [group.null_value]
    if group.pooled:
        values += [group.pooled.ci_low, group.pooled.ci_high]
    lo, hi = min(values), max(values)
    ticks = _ticks(lo, hi, ratio)
    lo, hi = min([lo, *ticks]), max([hi, *ticks])
    span = (f(hi) - f(lo)) or 1.0
    x = lambda v: SIDE + (f(v) - f(lo)) / span * (WIDTH - 2 * SIDE)  # noqa: E731
    measure = MEASURE_SHORT.get(group.measure, group.measure)
    y = 22
    heading = []
    for line in wrap(group.outcome[:1].upper() + group.outcome[1:], TITLE_SIZE):
        heading.append({"y": y, "text": line, "bold": True})
        y += TITLE_SIZE + 4
    for line in wrap(f"{measure}, {group.unit}", TEXT_SIZE):
        heading.append({"y": y, "text": line, "bold": False})
        y += TEXT_SIZE + 4
    top = y - TEXT_SIZE + 2
    y += 10

    def text_lines(label: str, numbers: str) -> list[str]:
        one = f"{label}: {numbers}"
        if text_width(one, TEXT_SIZE) <= WIDTH - 2 * SIDE:
            return [one]
        return wrap(f"{label}:", TEXT_SIZE) + wrap(numbers, TEXT_SIZE)

    rows = []
    for r in group.rows:
        lines = text_lines(_label(r), _row_text(r))
        rows.append(
            {
                "lines": [{"y": y + k * LINE, "text": t} for k, t in enumerate(lines)],
                "line_y": y + (len(lines) - 1) * LINE + 16,
                "x": x(r.value),
                "x1": x(r.ci_low),
                "x2": x(r.ci_high),
                "size": 5 + 7 * math.sqrt(r.weight) if r.weight else 6,
                "review": r.is_pooled,
            }
        )
        y += (len(lines) - 1) * LINE + ROW
    diamond = None
    if group.pooled:
        p = group.pooled
        lines = text_lines(f"Pooled, {p.pooled_studies} studies", f"{_row_text(p)} · I² {p.i2:g}%")
        mid = y + (len(lines) - 1) * LINE + 16
        diamond = {
            "lines": [{"y": y + k * LINE, "text": t} for k, t in enumerate(lines)],
            "points": f"{x(p.ci_low):.1f},{mid} {x(p.value):.1f},{mid - 6} {x(p.ci_high):.1f},{mid} "
            f"{x(p.value):.1f},{mid + 6}",
        }
        y += (len(lines) - 1) * LINE + ROW
    axis_y = y - 16
    left, right = favours(group)
    tick_marks = []
    for t in ticks:
        tx, label = x(t), number(t)
        half = text_width(label, TEXT_SIZE) / 2
        anchor = "start" if tx - half < 2 else "end" if tx + half > WIDTH - 2 else "middle"
        tick_marks.append({"x": tx, "label": label, "anchor": anchor, "null": t == group.null_value})
    favour_y = axis_y + 42
    # Both directions on one line when they fit; otherwise the right-hand one on the next line.
    fits = text_width(f"\u2190 {left}    {right} \u2192", TEXT_SIZE) <= WIDTH - 2 * SIDE
    favour = [
        {"text": f"\u2190 {left}", "x": SIDE, "y": favour_y, "anchor": "start"},
        {"text": f"{right} \u2192", "x": WIDTH - SIDE, "y": favour_y + (0 if fits else LINE), "anchor": "end"},
    ]
    height = favour[-1]["y"] + 12
    return _TEMPLATE.render(
        title=f"{group.outcome}: {measure}, {group.unit}",
        heading=heading,
        rows=rows,
        diamond=diamond,
        width=WIDTH,
        height=height,
        null_x=x(group.null_value),
        top=top,
        axis_y=axis_y,
        ticks=tick_marks,
        side=SIDE,
        favour=favour,
        description=text_alternative(group),
        ident=ident,
        text_size=TEXT_SIZE,
        title_size=TITLE_SIZE,
    )
