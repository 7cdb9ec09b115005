"""Forest plots as small, dependency-free SVG files, drawn from recorded effect estimates.

A hand-written SVG template is enough for a forest plot (a line and a square per study)
and keeps the build free of a plotting stack; the output is byte-stable for reproducible
builds and carries its own title and description for screen readers.
"""

from __future__ import annotations

import math

from build_tools.pages.jinja_env import template_environment
from build_tools.rating.findings import OutcomeGroup
from build_tools.records.grammar import UNSAFE_CHARACTER

WIDTH, ROW, TOP, LEFT, PLOT = 640, 28, 64, 230, 300


def svg_text(value: object) -> object:
    """Text as XML allows it, on one line (XML forbids most control characters outright);
    the template's autoescape then escapes it. Numbers must be finite: 'nan' is no coordinate."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a plot cannot place {value}")
    if isinstance(value, str):
        return " ".join(UNSAFE_CHARACTER.sub("", value).split())
    return value


_TEMPLATE = template_environment(autoescape=True, finalize=svg_text).get_template("forest_plot.svg.j2")


def _scale(lo: float, hi: float):
    span = hi - lo or 1.0
    return lambda v: LEFT + (v - lo) / span * PLOT


def text_alternative(group: OutcomeGroup) -> str:
    """The plot in words: every estimate with its interval."""
    parts = [
        f"{r.study.short_citation}: {r.effect.value:g} ({r.effect.ci_low:g} to {r.effect.ci_high:g})"
        for r in group.rows
    ]
    return (
        f"Forest plot of {group.outcome} ({group.measure}, {group.unit}); no difference is at "
        f"{group.null_value:g}. " + "; ".join(parts) + "."
    )


def forest_plot_svg(group: OutcomeGroup) -> str:
    """An SVG forest plot for one outcome group."""
    lo = min([r.effect.ci_low for r in group.rows] + [group.null_value])
    hi = max([r.effect.ci_high for r in group.rows] + [group.null_value])
    pad = (hi - lo) * 0.08 or 0.5
    x = _scale(lo - pad, hi + pad)
    rows = [
        {
            "label": r.study.short_citation,
            "y": TOP + i * ROW,
            "x": x(r.effect.value),
            "x1": x(r.effect.ci_low),
            "x2": x(r.effect.ci_high),
            "text": f"{r.effect.value:g} [{r.effect.ci_low:g}, {r.effect.ci_high:g}]",
        }
        for i, r in enumerate(group.rows)
    ]
    height = TOP + len(rows) * ROW + 30
    return _TEMPLATE.render(
        group=group,
        rows=rows,
        width=WIDTH,
        height=height,
        null_x=x(group.null_value),
        top=TOP - 16,
        bottom=height - 26,
        left=LEFT,
        plot=PLOT,
        description=text_alternative(group),
        lo=f"{lo - pad:.2g}",
        hi=f"{hi + pad:.2g}",
    )
