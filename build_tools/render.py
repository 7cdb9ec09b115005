"""Render step: validated, rated records -> Markdown pages (in memory), then synced to disk.

Pages are written into docs/kb/ (git-ignored), so any generator that reads mkdocs.yml
builds the site. Only pages whose text changed are rewritten: `mkdocs serve` watches
docs/, and rewriting unchanged files would make it rebuild for ever.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from . import rating
from .citations import format_reference_html, to_bibtex
from .exports import EXPORT_SCHEMA, claims_csv, knowledge_base_json, studies_csv, to_csl_json, to_ris
from .findings import (
    EVIDENCE_KINDS,
    MapCell,
    OutcomeGroup,
    evidence_map,
    outcome_groups,
    studies_without_estimates,
    total_participants,
)
from .history import Change, atom_feed, history_by_record
from .jinja_env import template_environment
from .plots import forest_plot_svg, text_alternative
from .records import DESIGN_LABELS, TOPICS, VERDICTS, Claim, KnowledgeBase, Study
from .schema_check import SCHEMA_FILES, load_schema
from .structured_data import RATING_SCALE, claim_review, front_matter, inert_json, plain_attribute
from .text_escape import markdown_literal

GENERATED_DIR = Path("docs") / "kb"
TEMPLATES = Path(__file__).resolve().parent / "templates"
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


VERDICT_INFO = {
    "supported": {
        "label": "Supported",
        "admonition": "success",
        "icon": "✔",
        "meaning": "Controlled studies of at least moderate strength, in the people the claim is about, back it, "
        "and the evidence as a whole is at least moderately certain.",
    },
    "plausible": {
        "label": "Plausible",
        "admonition": "warning",
        "icon": "◐",
        "meaning": "Some evidence points this way, but only in other groups of people, "
        "or only from small, uncontrolled or lab studies.",
    },
    "overstated": {
        "label": "Overstated",
        "admonition": "failure",
        "icon": "✘",
        "meaning": "No study points this way, stronger evidence points against it, "
        "or the claim's wording goes beyond what was found.",
    },
}
DIRECTION_LABELS = {
    "supports": "Supports",
    "mixed": "Mixed",
    "contradicts": "Contradicts",
    "no-effect": "No effect",
    "related": "Related only (did not test the claim)",
}


def _cell(value: object) -> str:
    """Text safe on one line of a Markdown table (escaping is done by markdown_literal)."""
    return str(value).replace("\n", " ")


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
    env.filters["heading"] = _heading
    env.globals.update(
        VERDICTS=VERDICTS,
        VERDICT_INFO=VERDICT_INFO,
        TOPICS=TOPICS,
        DESIGN_LABELS=DESIGN_LABELS,
        DIRECTION_LABELS=DIRECTION_LABELS,
        rating=rating,
        RATING_SCALE=RATING_SCALE,
        EVIDENCE_KINDS=EVIDENCE_KINDS,
        nav_lists_pages=nav_lists_pages,
    )
    return env


@dataclass(frozen=True)
class SiteModel:
    """Everything the templates see, computed once."""

    kb: KnowledgeBase
    ratings: rating.Ratings
    references: dict[str, str]  # study id -> formatted HTML reference
    bibtex: dict[str, str]  # study id -> its BibTeX entry
    cited_by: dict[str, list[tuple[Claim, str]]]  # study id -> [(claim, direction)]
    changes: tuple[Change, ...] = ()  # git history of the records, newest first
    site_url: str = ""
    memo: RenderMemo | None = None

    @property
    def history(self) -> dict[str, list[Change]]:
        return history_by_record(list(self.changes))

    def findings(self, claim: Claim) -> list[OutcomeGroup]:
        return outcome_groups(claim, self.kb)

    def without_estimates(self, claim: Claim) -> list[Study]:
        return studies_without_estimates(claim, self.kb)

    def evidence_map(self, claim: Claim) -> dict[str, MapCell]:
        return evidence_map(claim, self.kb, self.ratings)

    def participants(self, studies: list[Study]) -> tuple[int, int]:
        return total_participants(studies)

    def page_url(self, kind: str, rid: str) -> str:
        base = self.site_url.rstrip("/") + "/" if self.site_url else ""
        return f"{base}kb/{kind}/{rid}/"

    @property
    def claims_by_source(self) -> dict[str, list[Claim]]:
        return {
            sid: sorted(
                (c for c in self.kb.claims.values() if any(s.source == sid for s in c.claimed_by)),
                key=lambda c: c.title,
            )
            for sid in self.kb.sources
        }

    @property
    def miscitations_by_source(self) -> dict[str, list[Claim]]:
        return {
            sid: [c for c in self.kb.claims.values() for s in c.claimed_by if s.source == sid and s.miscitation]
            for sid in self.kb.sources
        }

    def sources_sorted(self) -> list:
        return sorted(self.kb.sources.values(), key=lambda s: s.headline)

    @staticmethod
    def verdict_counts(claims: list[Claim]) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}

    def claims_by_verdict(self) -> dict[str, list[Claim]]:
        return {
            v: sorted((c for c in self.kb.claims.values() if c.verdict == v), key=lambda c: c.title) for v in VERDICTS
        }

    def claims_by_topic(self) -> dict[str, list[Claim]]:
        groups = {
            t: sorted((c for c in self.kb.claims.values() if c.topic == t), key=lambda c: c.title) for t in TOPICS
        }
        return {t: cs for t, cs in groups.items() if cs}

    def studies_by_design(self) -> dict[str, list[Study]]:
        groups = {
            d: sorted((s for s in self.kb.studies.values() if s.design == d), key=lambda s: (s.short_citation, s.id))
            for d in DESIGN_LABELS
        }
        return {d: ss for d, ss in groups.items() if ss}


class RenderMemo:
    """Rendered text kept between builds of a long-running process (mkdocs serve).

    Each entry's key is made of the content digests of every record the text depends on,
    the computed ratings it shows, and its history, so an entry is reused only when its
    inputs are unchanged. Entries no build used are dropped once they outnumber the used ones.
    """

    def __init__(self) -> None:
        # key -> [value, the build that last used it]: one hash per lookup, at tens of
        # thousands of lookups per rebuild.
        self.entries: dict[tuple, list] = {}
        self.build = 0
        self.used = 0
        self.templates_stamp: list = []
        self.written: dict[str, str] = {}  # what sync_pages wrote last time, and where
        self.written_to: Path | None = None

    def start(self) -> None:
        """Forget everything when a template changed (`mkdocs serve` watches them): the keys
        describe the records a text shows, not how it is shown."""
        stamp = sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES.iterdir())
        if stamp != self.templates_stamp:
            self.entries.clear()
            self.templates_stamp = stamp

    def get(self, key: tuple, make):
        self.used += 1
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = [make(), self.build]
        else:
            entry[1] = self.build
        return entry[0]

    def prune(self) -> None:
        # Rebuilding the table costs time at thousands of entries: only once it has doubled.
        if len(self.entries) > 2 * self.used:
            self.entries = {k: e for k, e in self.entries.items() if e[1] == self.build}
        self.build += 1
        self.used = 0


def _memo(memo: RenderMemo | None, key: tuple, make):
    # Records built without a digest (tests build some by hand) are never memoised.
    return memo.get(key, make) if memo is not None and key[1] else make()


def build_model(
    kb: KnowledgeBase,
    ratings: rating.Ratings,
    changes: list[Change] | None = None,
    site_url: str = "",
    memo: RenderMemo | None = None,
) -> SiteModel:
    """Format references once and compute back-links."""
    if memo is not None:
        memo.start()
    cited_by: dict[str, list[tuple[Claim, str]]] = {sid: [] for sid in kb.studies}
    for claim in sorted(kb.claims.values(), key=lambda c: c.title):
        for link in claim.evidence:
            cited_by[link.study].append((claim, link.direction))
    references = {
        sid: _memo(memo, ("ref", s.origin.digest), lambda s=s: format_reference_html(s))
        for sid, s in kb.studies.items()
    }
    bibtex = {sid: _memo(memo, ("bib", s.origin.digest), lambda s=s: to_bibtex([s])) for sid, s in kb.studies.items()}
    return SiteModel(kb, ratings, references, bibtex, cited_by, tuple(changes or ()), site_url, memo)


def _claims_projection(model: SiteModel) -> tuple:
    """The claim fields that list pages show."""
    r = model.ratings
    return tuple(
        sorted(
            (c.id, c.title, c.verdict, c.topic, r.certainties[c.id], len(c.evidence)) for c in model.kb.claims.values()
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
        tuple(ratings.strengths[s.id] for s in studies),
        tuple(history.get(f"claims/{claim.id}.yaml", ())),
        model.site_url or "-",
    )


def _study_key(model: SiteModel, study: Study) -> tuple:
    cited = tuple((c.id, c.title, direction) for c, direction in model.cited_by[study.id])
    return ("study", study.origin.digest, model.ratings.strengths[study.id], cited or ("uncited",))


def _claim_pages(model: SiteModel, env, claim: Claim) -> dict[str, str]:
    """A claim's page and its forest plots."""
    kb, out, plots = model.kb, {}, []
    for group in model.findings(claim):
        if group.plottable:
            name = f"plots/{claim.id}-{len(plots) + 1}.svg"
            out[name] = forest_plot_svg(group)
            plots.append((name, text_alternative(group)))
    meta = {
        "tags": [VERDICT_INFO[claim.verdict]["label"], TOPICS[claim.topic]],
        "search": {"boost": 3},
        "description": plain_attribute(claim.bottom_line),
        "claimreview": inert_json(claim_review(claim, kb, model.page_url("claims", claim.id))),
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
    meta = {"description": plain_attribute(f"{study.short_citation}: {study.title}")}
    bibtex = model.bibtex[study.id]
    return {
        f"studies/{study.id}.md": env.get_template("study.md.j2").render(
            m=model, study=study, bibtex=bibtex, front=Markup(front_matter(meta))
        ),
        f"downloads/{study.id}.bib": bibtex,
        f"downloads/{study.id}.ris": to_ris(study),
        f"downloads/{study.id}.json": to_csl_json(study),
    }


def render_pages(model: SiteModel) -> dict[str, str]:
    """Every generated page, as {path relative to docs/kb: text}."""
    env = make_environment()
    kb = model.kb
    pages: dict[str, str] = {}

    def page(name: str, template: str, **context) -> None:
        pages[name] = env.get_template(template).render(m=model, **context)

    history = model.history
    for claim in kb.claims.values():
        pages.update(_memo(model.memo, _claim_key(model, claim, history), lambda c=claim: _claim_pages(model, env, c)))
    for study in kb.studies.values():
        pages.update(_memo(model.memo, _study_key(model, study), lambda s=study: _study_pages(model, env, s)))
    # Pages that list many records are keyed on just the fields they show, so editing the
    # prose of one record does not re-render every list.
    claims_shown = _claims_projection(model)
    studies_shown = _studies_projection(model)

    def listing(name: str, template: str, key: tuple, **context) -> None:
        pages[name] = _memo(
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
    page("_includes/rubric.md", "rubric.md.j2")
    # The JSON Schemas editors use, published beside the pages (the same files the check runs).
    for kind, name in SCHEMA_FILES.items():
        pages[f"schemas/{name}.schema.json"] = json.dumps(load_schema(kind), indent=2, ensure_ascii=False) + "\n"
    pages["schemas/knowledge-base.schema.json"] = json.dumps(EXPORT_SCHEMA, indent=2) + "\n"

    # Open data: put together from per-record pieces, so an edit re-encodes one record.
    def cached(key: tuple, make):
        return _memo(model.memo, key, make)

    pages["downloads/knowledge-base.json"] = knowledge_base_json(kb, model.ratings, cached)
    pages["downloads/claims.csv"] = claims_csv(kb, model.ratings, cached)
    pages["downloads/studies.csv"] = studies_csv(kb, model.ratings, cached)
    pages["feed.xml"] = atom_feed(list(model.changes), kb, model.site_url)
    evidence_shown = (
        claims_shown,
        tuple((c.id, tuple((link.study, link.direction) for link in c.evidence)) for c in kb.claims.values()),
        studies_shown,
    )
    listing("_includes/evidence-map.md", "evidence_map.md.j2", evidence_shown)
    # Concatenating the per-study entries gives the same file as writing them together, at no extra cost.
    pages["downloads/bibliography.bib"] = "\n".join(model.bibtex[sid] for sid in sorted(kb.studies))
    if model.memo is not None:
        model.memo.prune()
    return pages


def sync_pages(pages: dict[str, str], out_dir: Path, memo: RenderMemo | None = None) -> tuple[int, int]:
    """Write changed pages and remove stale ones; return (written, removed).

    With a memo from the previous build of the same process, pages are compared with what
    was written last time instead of being read back from disk."""
    written = removed = 0
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = memo.written if memo is not None and memo.written_to == out_dir else None
    folders_made: set[Path] = set()
    for rel, text in sorted(pages.items()):
        if previous is not None and previous.get(rel) == text:
            continue  # checked without touching the disk: this is the fast path of `serve`
        target = out_dir / rel
        if previous is None and target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        if target.parent not in folders_made:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders_made.add(target.parent)
        # Write beside the target, then rename: a reader of the folder never sees half a page.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
        written += 1
    if previous is not None:
        stale = [out_dir / rel for rel in previous if rel not in pages]
    else:
        wanted = {str(out_dir / rel) for rel in pages}
        stale = [p for p in out_dir.rglob("*") if p.is_file() and str(p) not in wanted]
    for path in stale:
        path.unlink(missing_ok=True)
        removed += 1
    if stale or previous is None:
        for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    if memo is not None:
        memo.written, memo.written_to = dict(pages), out_dir
    return written, removed
