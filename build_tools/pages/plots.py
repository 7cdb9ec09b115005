"""Forest plots as small, dependency-free SVG, drawn from the effect estimates.

A hand-written SVG template is enough for a forest plot and keeps the build free of a
plotting stack; the output is byte-stable for reproducible builds. The layout is narrow
(each study's name and numbers on one line, its interval on the next) so the text stays
legible on a 360 px phone; colours are classes the site's stylesheet can change for dark
mode, with light-mode fills for the standalone file. Title, description and the page's
"in words" list carry the same numbers for screen readers.
"""

from __future__ import annotations

import math

from build_tools.pages.jinja_env import template_environment
from build_tools.rating.effects import Estimate
from build_tools.rating.findings import OutcomeGroup
from build_tools.records.grammar import UNSAFE_CHARACTER

WIDTH, ROW, TOP, SIDE = 360, 44, 58, 16


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


def forest_plot_svg(group: OutcomeGroup, ident: str = "fp") -> str:
    """An SVG forest plot for one outcome group; `ident` keeps its element ids unique on a page."""
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
    rows = []
    for i, r in enumerate(group.rows):
        y = TOP + i * ROW
        size = 5 + 7 * math.sqrt(r.weight) if r.weight else 6
        rows.append(
            {
                "label": _label(r),
                "text": _row_text(r),
                "y": y,
                "line_y": y + 16,
                "x": x(r.value),
                "x1": x(r.ci_low),
                "x2": x(r.ci_high),
                "size": size,
                "review": r.is_pooled,
            }
        )
    bottom = TOP + len(rows) * ROW
    diamond = None
    if group.pooled:
        p = group.pooled
        y = bottom + 8
        diamond = {
            "y": y,
            "line_y": y + 16,
            "text": f"{_row_text(p)} · I² {p.i2:g}%",
            "label": f"Pooled, {p.pooled_studies} studies",
            "points": f"{x(p.ci_low):.1f},{y + 16} {x(p.value):.1f},{y + 10} {x(p.ci_high):.1f},{y + 16} "
            f"{x(p.value):.1f},{y + 22}",
        }
        bottom += ROW
    axis_y = bottom + 6
    left, right = favours(group)
    return _TEMPLATE.render(
        title=f"{group.outcome}: {MEASURE_SHORT.get(group.measure, group.measure)}, {group.unit}",
        rows=rows,
        diamond=diamond,
        width=WIDTH,
        height=axis_y + 52,
        null_x=x(group.null_value),
        top=TOP - 10,
        axis_y=axis_y,
        ticks=[{"x": x(t), "label": number(t)} for t in ticks],
        side=SIDE,
        left=left,
        right=right,
        description=text_alternative(group),
        ident=ident,
    )
