"""The PRISMA 2020 flow diagram as small, dependency-free SVG, drawn at build time.

PRISMA's diagram runs down the page with the exclusions to the side; at 360 px there is no
side, so every box is stacked: the main flow at the left edge, each exclusion indented below
the box it leaves, joined by arrows along a spine. Colours are classes the site's stylesheet
changes for dark mode (with light-mode fills for the file on its own, as the forest plots
do). Every number is a text element carrying its stage's key (data-stage), so a test can
read the diagram's numbers back and compare them with the table beside it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from build_tools.pages.flow import Flow
from build_tools.pages.formats import plural
from build_tools.pages.jinja_env import template_environment

WIDTH, MARGIN, INDENT, SPINE, GAP = 360, 8, 40, 24, 22
LINE, PAD = 18, 10
CHAR_PX = 7.0  # average width of a 13 px sans-serif character, for wrapping
_TEMPLATE = template_environment(autoescape=True).get_template("prisma.svg.j2")


@dataclass(frozen=True)
class Line:
    text: str
    stage: str = ""  # the stage whose number this line shows, if any
    bold: bool = False


def _wrap(text: str, width_px: float, stage: str = "", bold: bool = False) -> list[Line]:
    lines = textwrap.wrap(text, int((width_px - 2 * PAD) / CHAR_PX)) or [""]
    # The number sits on the first line, so only that line carries the stage.
    return [Line(t, stage if i == 0 else "", bold) for i, t in enumerate(lines)]


def reason_label(reason: str) -> str:
    return reason.replace("-", " ")


def boxes(flow: Flow) -> list[tuple[bool, list[Line]]]:
    """(is it on the main flow, its lines), top to bottom."""
    main_w, side_w = WIDTH - 2 * MARGIN, WIDTH - INDENT - MARGIN
    results = (
        f"from {plural(flow.searches, 'search', 'searches')}, which returned {plural(flow.results, 'result')}; "
        "results not about backward walking or running were set aside at the search, without an entry"
    )
    out = [
        (True, _wrap(f"Records identified: {flow.identified}", main_w, "identified", True) + _wrap(results, main_w)),
        (False, _wrap(f"Duplicates removed: {flow.duplicates}", side_w, "duplicates")),
        (True, _wrap(f"Records screened: {flow.screened}", main_w, "screened", True)),
    ]
    retrieved = _wrap(f"Reports not retrieved: {flow.not_retrieved_total}", side_w, "not-retrieved")
    for reason, n in flow.not_retrieved.items():
        retrieved += _wrap(f"– {reason_label(reason)}: {n}", side_w, f"reason-{reason}")
    out.append((False, retrieved))
    out.append((True, _wrap(f"Reports assessed for eligibility: {flow.assessed}", main_w, "assessed", True)))
    excluded = _wrap(f"Reports excluded, with reasons: {flow.excluded_total}", side_w, "excluded")
    for reason, n in flow.excluded.items():
        excluded += _wrap(f"– {reason_label(reason)}: {n}", side_w, f"reason-{reason}")
    out.append((False, excluded))
    out.append((False, _wrap(f"Awaiting reading: {flow.awaiting}", side_w, "awaiting")))
    out.append(
        (
            True,
            _wrap(f"Studies included: {flow.included}", main_w, "included", True)
            + _wrap(f"of which randomised or crossover trials: {flow.included_trials}", main_w, "included-trials"),
        )
    )
    return out


def text_alternative(flow: Flow, scope: str) -> str:
    """The diagram in words, with every number."""
    reasons = "; ".join(f"{reason_label(r)} {n}" for r, n in flow.excluded.items())
    missing = "; ".join(f"{reason_label(r)} {n}" for r, n in flow.not_retrieved.items())
    return (
        f"PRISMA 2020 flow, {scope}: {plural(flow.searches, 'search', 'searches')} returned "
        f"{plural(flow.results, 'result')}; {flow.identified} records identified; {flow.duplicates} duplicates "
        f"removed; {flow.screened} records screened; {flow.not_retrieved_total} reports not retrieved ({missing}); "
        f"{flow.assessed} assessed for eligibility; {flow.excluded_total} excluded with reasons ({reasons}); "
        f"{flow.awaiting} awaiting reading; {flow.included} studies included, of which {flow.included_trials} "
        "randomised or crossover trials."
    )


def flow_svg(flow: Flow, scope: str, ident: str = "pf") -> str:
    """The flow diagram; `ident` keeps its element ids unique on a page."""
    y, drawn, arrows = MARGIN, [], []
    previous_main_bottom = None
    for on_main, lines in boxes(flow):
        x = MARGIN if on_main else INDENT
        height = 2 * PAD + len(lines) * LINE - 4
        if drawn:
            y += GAP
        if on_main and previous_main_bottom is not None:
            arrows.append({"x1": SPINE, "y1": previous_main_bottom, "x2": SPINE, "y2": y, "kind": "down"})
        if not on_main:
            arrows.append({"x1": SPINE, "y1": y + height / 2, "x2": x, "y2": y + height / 2, "kind": "side"})
        texts = [
            {"x": x + PAD, "y": y + PAD + 9 + k * LINE, "text": line.text, "stage": line.stage, "bold": line.bold}
            for k, line in enumerate(lines)
        ]
        drawn.append({"x": x, "y": y, "w": WIDTH - x - MARGIN, "h": height, "main": on_main, "texts": texts})
        y += height
        if on_main:
            previous_main_bottom = y
    # Every side box sits between two main boxes, so the arrow down between them is its spine.
    return _TEMPLATE.render(
        width=WIDTH,
        height=y + MARGIN,
        boxes=drawn,
        arrows=arrows,
        ident=ident,
        title=f"PRISMA 2020 flow diagram, {scope}",
        description=text_alternative(flow, scope),
    )
