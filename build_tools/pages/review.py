"""The pages that show how the review was done: how we searched (the overall PRISMA flow, the
reasons, every search), one screening page per topic (its flow, searches and candidates), the
coverage page (the next editing targets) and the evidence gaps (what would settle each claim)."""

from __future__ import annotations

import urllib.parse

from markupsafe import Markup

from build_tools.pages.flow import Coverage, Flow, count_flow, coverage_table
from build_tools.pages.flow_plot import flow_svg, reason_label, text_alternative
from build_tools.pages.memo import memoised
from build_tools.pages.model import SiteModel
from build_tools.records.model import EXCLUSION_REASONS, VERDICTS, WHERE, Candidate, ScreeningLog

# The flow diagrams, beside the pages (forest plots are in plots/).
OVERALL_PLOT = "diagrams/flow-all-topics.svg"


def topic_plot(topic: str) -> str:
    return f"diagrams/flow-topic-{topic}.svg"


def _href(url: str) -> str:
    """An address safe inside an attribute and a Markdown table cell."""
    return Markup.escape(urllib.parse.quote(url, safe=":/?&=#%~+@,;!$*'-._"))


# Inside raw HTML on a Markdown page, these would still act (emphasis, code, a table cell's end):
# written as character references, they are only shown.
_MD_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_[]|"}


def _html_text(text: str) -> Markup:
    """Text for inside an HTML element on a Markdown page: HTML-escaped, Markdown made inert."""
    escaped = str(Markup.escape(text))
    return Markup("".join(_MD_ENTITIES.get(c, c) for c in escaped))


def _link(url: str, text: str) -> Markup:
    """A link to a web address; anything else (the schema allows only http and https) as plain text."""
    if not url.lower().startswith(("https://", "http://")):
        return _html_text(text)
    return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(_href(url), _html_text(text))


def candidate_links(c: Candidate) -> Markup:
    """Links to where a candidate can be checked: its DOI, PubMed record and the page it was seen on."""
    links = []
    if c.doi:
        links.append(_link("https://doi.org/" + c.doi, f"doi:{c.doi}"))
    if c.pmid:
        links.append(_link(f"https://pubmed.ncbi.nlm.nih.gov/{c.pmid}/", f"PMID {c.pmid}"))
    if c.url:
        links.append(_link(c.url, "page seen"))
    return Markup(" · ").join(links)


def figure(flow: Flow, scope: str, ident: str, download: str) -> Markup:
    """The flow diagram inline (so the stylesheet can colour it) with its text alternative."""
    inline = flow_svg(flow, scope, ident).replace("\n", "")
    html = '<figure class="prisma">{}<figcaption>{} <a href="{}">Download the diagram (SVG)</a></figcaption></figure>'
    return Markup(html).format(Markup(inline), text_alternative(flow, scope), download)


def _key(model: SiteModel) -> tuple:
    kb = model.kb
    return (
        "review",
        tuple(sorted((g.topic, g.origin.digest) for g in kb.screening.values())),
        tuple(sorted((s.id, s.origin.digest) for s in kb.studies.values())),
        tuple(sorted((c.id, c.origin.digest) for c in kb.claims.values())),
    )


def _render(model: SiteModel, env) -> dict[str, str]:
    kb = model.kb
    logs: list[ScreeningLog] = sorted(kb.screening.values(), key=lambda g: g.topic)
    overall = count_flow(logs, kb)
    flows = {g.topic: count_flow([g], kb) for g in logs}
    context = {
        "m": model,
        "logs": logs,
        "flows": flows,
        "overall": overall,
        "REASONS_MEANING": EXCLUSION_REASONS,
        "WHERE": WHERE,
        "reason_label": reason_label,
        "candidate_links": candidate_links,
    }
    pages = {OVERALL_PLOT: flow_svg(overall, "all topics")}
    pages["screening/index.md"] = env.get_template("screening_index.md.j2").render(
        figure=figure(overall, "all topics", "pf0", f"../{OVERALL_PLOT}"), **context
    )
    pages["screening/SUMMARY.md"] = env.get_template("screening_nav.md.j2").render(**context)
    for log in logs:
        flow = flows[log.topic]
        pages[topic_plot(log.topic)] = flow_svg(flow, f"topic {log.topic}")
        pages[f"screening/{log.topic}.md"] = env.get_template("screening_topic.md.j2").render(
            log=log,
            flow=flow,
            figure=figure(flow, f"topic {log.topic}", "pf1", f"../{topic_plot(log.topic)}"),
            **context,
        )
    rows: list[Coverage] = coverage_table(kb)
    pages["coverage.md"] = env.get_template("coverage.md.j2").render(rows=rows, **context)
    by_verdict = {v: sorted((c for c in kb.claims.values() if c.verdict == v), key=lambda c: c.title) for v in VERDICTS}
    pages["gaps.md"] = env.get_template("gaps.md.j2").render(by_verdict=by_verdict, **context)
    return pages


def review_pages(model: SiteModel, env) -> dict[str, str]:
    """Every review page and diagram, re-rendered only when a log, a study or a claim changed."""
    return memoised(model.memo, _key(model), lambda: _render(model, env))
