"""Render step: the site model -> every generated page, in memory, as {path: text}.

Pages land in docs/kb/ (git-ignored) when written (pages.sync), so any generator that reads
mkdocs.yml builds the site; the MkDocs hook hands them over from memory instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from build_tools.checks.schema import SCHEMA_FILES, load_schema
from build_tools.pages import formats, labels
from build_tools.pages.exports import EXPORT_SCHEMA, claims_csv, knowledge_base_json, studies_csv, to_csl_json, to_ris
from build_tools.pages.history import atom_feed
from build_tools.pages.jinja_env import template_environment
from build_tools.pages.labels import DIRECTION_LABELS, VERDICT_INFO
from build_tools.pages.memo import memoised
from build_tools.pages.model import SiteModel
from build_tools.pages.plots import forest_plot_svg, number, text_alternative
from build_tools.pages.reader_links import read_on, read_on_page, reader_link, record_links
from build_tools.pages.review import review_pages
from build_tools.pages.structured_data import RATING_SCALE, claim_review, front_matter, inert_json, plain_attribute
from build_tools.pages.text_escape import markdown_attribute, markdown_literal, one_line
from build_tools.rating import rules as rating
from build_tools.rating.findings import EVIDENCE_KINDS
from build_tools.rating.method_checks import LARGE_SMD, OPTIMAL_INFORMATION_SIZE, SMALL_TRIAL
from build_tools.rating.verdict import REASONS
from build_tools.records.model import DESIGN_LABELS, TOPICS, VERDICTS, Claim, Source, Study

GENERATED_DIR = Path("docs") / "kb"
# Pieces of hand-written pages (pymdownx.snippets reads them from disk), not pages themselves.
INCLUDES = "_includes/"
# Past this many claims (or studies), the navigation lists their index pages, not every
# page: a side bar of thousands of links helps no reader, and every page carries it, so
# MkDocs' build time grew with the square of the number of records (79 ms a page at 2,000
# claims against 20 ms at 200). The pages stay reachable from the index pages, the claims
# and search.
NAV_LIMIT = 200


def nav_lists_pages(records: dict) -> bool:
    """Whether the navigation lists each of these records' pages."""
    return len(records) <= NAV_LIMIT


def _cell(value: object) -> str:
    """Text safe on one line of a Markdown table: every line break (\\r too) as a space; the
    escaping is done by markdown_literal."""
    return one_line(str(value))


def _heading(value: object) -> str:
    """Text for a heading or a nav title: MkDocs copies these unescaped into <title>, so no < or >."""
    return str(value).replace("<", "").replace(">", "")


@cache
def make_environment() -> Environment:
    """The one Jinja environment: templates from files, strict about missing values."""
    env = template_environment(
        # Record text is plain text. Every value is Markdown-escaped (finalize) and then
        # HTML-escaped (autoescape), so nothing in a record can become a link, a tag or
        # an attribute in a reader's browser.
        finalize=markdown_literal,
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    env.filters["cell"] = _cell
    # For record text inside a raw HTML block: one line (a blank line would end the block, and
    # Markdown would read the rest), HTML-escaped.
    env.filters["html_line"] = lambda value: escape(one_line(str(value)))
    # For an attribute of raw HTML inside a Markdown line (see markdown_attribute).
    env.filters["attr"] = lambda value: Markup(markdown_attribute(str(value)))
    env.filters["heading"] = _heading
    env.filters.update(
        circles=formats.circles,
        estimate=formats.estimate_text,
        estimate_source=formats.estimate_source,
        participants=formats.participants_text,
        number=number,
        long_date=formats.long_date,
        effect_words=formats.effect_words,
        capitalize_first=lambda text: text[:1].upper() + text[1:],
    )
    env.globals["disc_size"] = formats.disc_size
    env.globals.update(
        plural=formats.plural,
        CERTAINTY_MEANING=formats.CERTAINTY_MEANING,
        DOMAIN_LABELS=labels.DOMAIN_LABELS,
        RISK_LABELS=labels.RISK_LABELS,
        STANCE_LABELS=labels.STANCE_LABELS,
        PEDRO_LABELS=labels.PEDRO_LABELS,
        OIS=OPTIMAL_INFORMATION_SIZE,
        SMALL_TRIAL=SMALL_TRIAL,
        LARGE_SMD=LARGE_SMD,
        REASONS=REASONS,
        VERDICTS=VERDICTS,
        VERDICT_INFO=VERDICT_INFO,
        TOPICS=TOPICS,
        DESIGN_LABELS=DESIGN_LABELS,
        DIRECTION_LABELS=DIRECTION_LABELS,
        rating=rating,
        RATING_SCALE=RATING_SCALE,
        EVIDENCE_KINDS=EVIDENCE_KINDS,
        nav_lists_pages=nav_lists_pages,
        record_links=record_links,
        reader_link=reader_link,
        read_on=read_on,
        read_on_page=read_on_page,
    )
    return env


def _claims_projection(model: SiteModel) -> tuple:
    """The claim fields that list pages show."""
    r = model.ratings
    return tuple(
        sorted(
            (c.id, c.title, c.verdict, c.verdict_reason, c.key_sentence, c.topic, r.certainties[c.id], len(c.evidence))
            for c in model.kb.claims.values()
        )
    )


def _studies_projection(model: SiteModel) -> tuple:
    """The study fields that list pages show."""
    return tuple(
        sorted(
            (
                s.id,
                s.short_citation,
                s.design,
                s.population.condition,
                s.population.n,
                model.ratings.strengths[s.id].level,
                len(model.cited_by[s.id]),
            )
            for s in model.kb.studies.values()
        )
    )


def _claim_key(model: SiteModel, claim: Claim, history: dict) -> tuple:
    """Everything a claim's page shows, by content: its record, the records it draws on, its ratings."""
    kb, ratings = model.kb, model.ratings
    studies = [kb.studies[link.study] for link in claim.evidence]
    credited = [kb.studies[sid] for said in claim.claimed_by for sid in said.credits]
    return (
        "claim",
        claim.origin.digest,
        tuple(s.origin.digest for s in studies + credited),
        tuple(kb.sources[said.source].origin.digest for said in claim.claimed_by),
        ratings.certainties[claim.id],
        ratings.ceilings[claim.id],
        tuple(o.signature for o in ratings.outcomes[claim.id]),
        tuple(ratings.strengths[s.id] for s in studies),
        tuple(history.get(f"claims/{claim.id}", ())),
        model.site_url or "-",
    )


def _study_key(model: SiteModel, study: Study) -> tuple:
    cited = tuple((c.id, c.title, direction) for c, direction in model.cited_by[study.id])
    changed = model.last_changed("studies", study.id)
    return ("study", study.origin.digest, model.ratings.strengths[study.id], cited or ("uncited",), changed)


def _source_key(model: SiteModel, source: Source, claims_shown: tuple) -> tuple:
    """Everything a source's page shows: its record, the claims it maps to, what they say of it."""
    naming = tuple(c.origin.digest for c in model.claims_by_source[source.id])
    return ("source", source.origin.digest, claims_shown, naming)


def _source_page(model: SiteModel, env, source: Source) -> dict[str, str]:
    """A source's page: what the article claims and where each claim is rated."""
    meta = {"description": plain_attribute(f"{source.headline} ({source.outlet}): what it claims, rated")}
    page = env.get_template("source.md.j2").render(m=model, source=source, front=Markup(front_matter(meta)))
    return {f"sources/{source.id}.md": page}


def _claim_pages(model: SiteModel, env, claim: Claim) -> dict[str, str]:
    """A claim's page and its forest plots."""
    kb, out, plots = model.kb, {}, []
    for group in model.findings(claim):
        if group.plottable:
            name = f"plots/{claim.id}-{len(plots) + 1}.svg"
            out[name] = forest_plot_svg(group)
            # Inline on the page, so the site's stylesheet can colour it for dark mode.
            inline = forest_plot_svg(group, f"fp{len(plots) + 1}").replace("\n", "")
            # The figure is raw HTML, which Markdown leaves alone: its caption is HTML-escaped only.
            plots.append((name, Markup(inline), Markup.escape(text_alternative(group))))
    meta = {
        "tags": [VERDICT_INFO[claim.verdict]["label"], TOPICS[claim.topic]],
        # The tags stay in search results and on the tags page; on the page the card says both.
        "hide": ["tags"],
        "search": {"boost": 3},
        "description": plain_attribute(claim.bottom_line),
        "claimreview": inert_json(
            claim_review(
                claim, kb, model.page_url("claims", claim.id), model.site_url, model.first_published("claims", claim.id)
            )
        ),
        # The sitemap's date for this page: its latest review or change.
        "date_modified": max(claim.last_reviewed, model.last_changed("claims", claim.id)),
    }
    out[f"claims/{claim.id}.md"] = env.get_template("claim.md.j2").render(
        m=model,
        claim=claim,
        studies=[kb.studies[link.study] for link in claim.evidence],
        front=Markup(front_matter(meta)),
        plots=plots,
    )
    return out


def _study_pages(model: SiteModel, env, study: Study) -> dict[str, str]:
    """A study's page and its citation downloads."""
    # Below claim pages in search: a reader searching claim words wants the verdict first.
    meta = {
        "description": plain_attribute(f"{study.short_citation}: {study.title}"),
        "search": {"boost": 0.5},
        "date_modified": max(study.read_on, model.last_changed("studies", study.id)),
    }
    bibtex = model.bibtex[study.id]
    return {
        f"studies/{study.id}.md": env.get_template("study.md.j2").render(
            m=model, study=study, bibtex=bibtex, front=Markup(front_matter(meta))
        ),
        f"downloads/{study.id}.bib": bibtex,
        f"downloads/{study.id}.ris": to_ris(study),
        f"downloads/{study.id}.json": to_csl_json(study),
    }


def _published_schema(schema: dict, name: str, model: SiteModel) -> str:
    """A schema as published beside the pages: with a site address, its $id is where it is
    published, so the knowledge-base schema's relative $refs resolve to its neighbours."""
    if model.site_url:
        schema = {**schema, "$id": f"{model.site_url.rstrip('/')}/kb/schemas/{name}"}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


class PageCollision(ValueError):
    """Two generated pages would have the same name (the check refuses reserved ids first)."""


def _add(pages: dict[str, str], new: dict[str, str]) -> None:
    """Add a record's pages; refuse to let one replace a page already made."""
    taken = pages.keys() & new.keys()
    if taken:
        raise PageCollision(f"two generated pages would be named {sorted(taken)[0]}")
    pages.update(new)


def render_pages(model: SiteModel) -> dict[str, str]:
    """Every generated page, as {path relative to docs/kb: text}."""
    env = make_environment()
    kb = model.kb
    pages: dict[str, str] = {}

    def page(name: str, template: str, **context) -> None:
        pages[name] = env.get_template(template).render(m=model, **context)

    history = model.history
    records: dict[str, str] = {}  # each record's own pages, checked against every other page
    for claim in kb.claims.values():
        _add(
            records,
            memoised(model.memo, _claim_key(model, claim, history), lambda c=claim: _claim_pages(model, env, c)),
        )
    for study in kb.studies.values():
        _add(records, memoised(model.memo, _study_key(model, study), lambda s=study: _study_pages(model, env, s)))
    # Pages that list many records are keyed on just the fields they show, so editing the
    # prose of one record does not re-render every list.
    claims_shown = _claims_projection(model)
    studies_shown = _studies_projection(model)

    def listing(name: str, template: str, key: tuple, **context) -> None:
        pages[name] = memoised(
            model.memo, ("list", name, key), lambda: env.get_template(template).render(m=model, **context)
        )

    listing("claims/index.md", "claims_index.md.j2", claims_shown)
    listing("claims/SUMMARY.md", "claims_nav.md.j2", (claims_shown, nav_lists_pages(kb.claims)))
    listing("studies/index.md", "studies_index.md.j2", studies_shown)
    listing("studies/SUMMARY.md", "studies_nav.md.j2", (studies_shown, nav_lists_pages(kb.studies)))
    for verdict in VERDICTS:
        listing(f"verdicts/{verdict}.md", "verdict.md.j2", claims_shown, verdict=verdict)
    listing("_includes/claims-by-verdict.md", "home_claims.md.j2", claims_shown)
    sources_shown = (
        claims_shown,
        tuple(s.origin.digest for s in kb.sources.values()),
        tuple((c.id, tuple((s.source, bool(s.miscitation)) for s in c.claimed_by)) for c in kb.claims.values()),
    )
    listing("sources/index.md", "sources.md.j2", sources_shown)
    listing("sources/SUMMARY.md", "sources_nav.md.j2", tuple((s.id, s.headline) for s in kb.sources.values()))
    for source in kb.sources.values():
        pages.update(
            memoised(model.memo, _source_key(model, source, claims_shown), lambda s=source: _source_page(model, env, s))
        )
    page("_includes/rubric.md", "rubric.md.j2")
    page("_includes/corrections-log.md", "corrections_log.md.j2")
    for part in ("risk", "grade", "reasons", "version"):
        page(f"_includes/method-{part}.md", f"method_{part}.md.j2")
    # The JSON Schemas editors use, published beside the pages (the same files the check runs).
    for kind, name in SCHEMA_FILES.items():
        pages[f"schemas/{name}.schema.json"] = _published_schema(load_schema(kind), f"{name}.schema.json", model)
    pages["schemas/knowledge-base.schema.json"] = _published_schema(EXPORT_SCHEMA, "knowledge-base.schema.json", model)
    page("_includes/contact-links.md", "contact_links.md.j2")

    # Open data: put together from per-record pieces, so an edit re-encodes one record.
    def cached(key: tuple, make):
        return memoised(model.memo, key, make)

    pages["downloads/knowledge-base.json"] = knowledge_base_json(kb, model.ratings, cached)
    pages["downloads/claims.csv"] = claims_csv(kb, model.ratings, cached)
    pages["downloads/studies.csv"] = studies_csv(kb, model.ratings, cached)
    pages["feed.xml"] = atom_feed(list(model.changes), kb, model.site_url)
    evidence_shown = (
        claims_shown,
        tuple((c.id, tuple((link.study, link.direction) for link in c.evidence)) for c in kb.claims.values()),
        studies_shown,
    )
    listing("evidence-map.md", "evidence_map.md.j2", evidence_shown)
    # How the review was done: the searches, the screening, the flow, coverage and gaps.
    pages.update(review_pages(model, env))
    # Concatenating the per-study entries gives the same file as writing them together, at no extra cost.
    pages["downloads/bibliography.bib"] = "\n".join(model.bibtex[sid] for sid in sorted(kb.studies))
    if model.memo is not None:
        model.memo.prune()
    _add(records, pages)
    return records
