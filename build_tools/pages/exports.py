"""Open data and citation downloads: the knowledge base as JSON and CSV, and each study's
reference as BibTeX, RIS and CSL-JSON.

Each format has its own escaping, applied here to every value: JSON is strict (no NaN or
Infinity, which `json.dumps` writes by default and no JSON parser reads); a CSV cell a
spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
is neutralised with a leading apostrophe, as OWASP recommends; and an RIS value is one
line, so a line break in a record can never start a new tag or a new reference.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable

import rispy

from build_tools.pages.citations import OTHERS, incomplete_author_note, named_authors
from build_tools.pages.reader_links import read_on, reader_link, record_links
from build_tools.rating.grade import OutcomeRating
from build_tools.rating.rules import RULES_VERSION, Ratings
from build_tools.rating.verdict import reason_label
from build_tools.records.model import Claim, KnowledgeBase, Study

EXPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Walking Backwards, Checked: knowledge-base export",
    "description": "Every record as written by editors (see the record schemas) with what the build computes.",
    "type": "object",
    "required": ["claims", "studies", "sources"],
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["record", "computed"],
                "properties": {
                    "record": {"$ref": "claim.schema.json"},
                    "computed": {
                        "type": "object",
                        "properties": {
                            "certainty": {"enum": ["high", "moderate", "low", "very low", "no studies"]},
                            "verdict_label": {"type": "string", "description": "e.g. 'Overstated: untested'"},
                            "verdict_ceiling": {"enum": ["supported", "plausible", "overstated"]},
                            "verdict_ceiling_reason": {"type": "string"},
                            "rules_version": {"type": "string"},
                            "outcomes": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "string"},
                                        "certainty": {"enum": ["high", "moderate", "low", "very low", "no studies"]},
                                        "statement": {"type": "string"},
                                        "participants": {"type": ["integer", "null"]},
                                        "studies": {"type": "integer"},
                                        "effect": {"type": ["object", "null"]},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "studies": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["record", "computed"],
                "properties": {
                    "record": {"$ref": "study.schema.json"},
                    "computed": {
                        "type": "object",
                        "properties": {
                            "strength": {"enum": ["strong", "moderate", "limited", "very limited"]},
                            "strength_reasons": {"type": "array", "items": {"type": "string"}},
                            "link": {
                                "type": ["string", "null"],
                                "description": "The paper's record for a reader: doi.org, else PubMed, else PubMed "
                                "Central, else the journal's page (never a copy)",
                            },
                            "record_links": {"type": "array", "items": {"type": "string"}},
                            "read_on_host": {"type": "string", "description": "the host of url, the page read"},
                        },
                    },
                },
            },
        },
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["record"],
                "properties": {"record": {"$ref": "source.schema.json"}},
            },
        },
    },
}


# How a piece of an export is made: `cached(key, make)` may return a piece kept from an
# earlier build with the same key (the serve loop passes its memo); by default it just makes it.
Cache = Callable[[tuple, Callable[[], str]], str]


def _uncached(key: tuple, make: Callable[[], str]) -> str:
    return make()


def _json(value: object) -> str:
    # Compact: the C encoder is ten times faster than pretty-printing at 8,000 records.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _outcome_export(r: OutcomeRating) -> dict:
    e = r.estimate
    effect = None
    if e is not None:
        effect = {"measure": e.measure, "value": e.value, "ci_low": e.ci_low, "ci_high": e.ci_high, "unit": e.unit}
    return {
        "id": r.outcome.id,
        "certainty": r.label,
        "statement": r.statement,
        "participants": r.participants,
        "studies": r.studies_counted if r.links else 0,
        "effect": effect,
    }


def _claim_export(c: Claim, ratings: Ratings) -> dict:
    ceiling = ratings.ceilings[c.id]
    computed = {
        "certainty": ratings.certainties[c.id],
        "verdict_label": reason_label(c),
        "verdict_ceiling": ceiling.verdict,
        "verdict_ceiling_reason": ceiling.reason,
        "rules_version": RULES_VERSION,
        "outcomes": [_outcome_export(r) for r in ratings.outcomes[c.id]],
    }
    return {"record": c.origin.doc.data, "computed": computed}


def _link(s: Study) -> str | None:
    link = reader_link(s)
    return link.href if link else None


def _study_export(s: Study, ratings: Ratings) -> dict:
    strength = ratings.strengths[s.id]
    computed = {
        "strength": strength.level,
        "strength_reasons": list(strength.reasons),
        "link": _link(s),
        "record_links": [link.href for link in record_links(s)],
        "read_on_host": read_on(s).host,
    }
    return {"record": s.origin.doc.data, "computed": computed}


def _claim_inputs(c: Claim, ratings: Ratings) -> tuple:
    outcomes = tuple(r.signature for r in ratings.outcomes[c.id])
    return (c.origin.digest, ratings.certainties[c.id], ratings.ceilings[c.id], outcomes)


def knowledge_base_json(kb: KnowledgeBase, ratings: Ratings, cached: Cache = _uncached) -> str:
    """The whole knowledge base: each record exactly as edited, plus the computed ratings.

    The same text as dumping it in one go (keys sorted, so "claims", "sources", "studies"),
    put together from one piece per record so that an edit re-encodes only its record."""
    claims = [
        cached(("json", *_claim_inputs(c, ratings)), lambda c=c: _json(_claim_export(c, ratings)))
        for c in sorted(kb.claims.values(), key=lambda c: c.id)
    ]
    sources = [
        cached(("json", s.origin.digest), lambda s=s: _json({"record": s.origin.doc.data}))
        for s in sorted(kb.sources.values(), key=lambda s: s.id)
    ]
    studies = [
        cached(("json", s.origin.digest, ratings.strengths[s.id]), lambda s=s: _json(_study_export(s, ratings)))
        for s in sorted(kb.studies.values(), key=lambda s: s.id)
    ]
    parts = [
        f'"{name}":[{",".join(items)}]'
        for name, items in (("claims", claims), ("sources", sources), ("studies", studies))
    ]
    return "{" + ",".join(parts) + "}\n"


# What makes a spreadsheet read a cell as a formula (OWASP's list), checked after NFKC so a
# full-width '＝' counts too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a CSV cell a spreadsheet shows as text: one line, never a formula."""
    if not isinstance(value, str):
        return value  # numbers are written by the csv module; ours are never negative
    text = " ".join(value.split())
    first = unicodedata.normalize("NFKC", value.lstrip()[:1])
    return "'" + text if first and first[0] in FORMULA_STARTS else text


def _csv_line(values: list) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([csv_cell(v) for v in values])
    return out.getvalue()


def _csv(header: list[str], lines: list[str]) -> str:
    return _csv_line(header) + "".join(lines)


CLAIM_COLUMNS = [
    "id", "title", "topic", "verdict", "verdict_reason", "verdict_ceiling", "certainty", "studies", "last_reviewed",
    "claim",
]  # fmt: skip
STUDY_COLUMNS = [
    "id", "authors", "year", "title", "journal", "doi", "pmid", "pmcid", "design", "n", "condition", "strength",
    "link", "url_read", "read_on",
]  # fmt: skip


def _claim_row(c: Claim, ratings: Ratings) -> list:
    studies = " ".join(link.study for link in c.evidence)
    return [
        c.id, c.title, c.topic, c.verdict, c.verdict_reason, ratings.ceilings[c.id].verdict, ratings.certainties[c.id],
        studies, c.last_reviewed, " ".join(c.claim.split()),
    ]  # fmt: skip


def _study_row(s: Study, ratings: Ratings) -> list:
    n = "" if s.population.n is None else s.population.n
    return [
        s.id, "; ".join(s.authors), s.year, s.title, s.journal, s.doi, s.pmid, s.pmcid, s.design, n,
        s.population.condition, ratings.strengths[s.id].level, _link(s) or "", s.url, s.read_on,
    ]  # fmt: skip


def claims_csv(kb: KnowledgeBase, ratings: Ratings, cached: Cache = _uncached) -> str:
    """One row per claim."""
    lines = [
        cached(("csv", *_claim_inputs(c, ratings)), lambda c=c: _csv_line(_claim_row(c, ratings)))
        for c in sorted(kb.claims.values(), key=lambda c: c.id)
    ]
    return _csv(CLAIM_COLUMNS, lines)


def studies_csv(kb: KnowledgeBase, ratings: Ratings, cached: Cache = _uncached) -> str:
    """One row per study."""
    lines = [
        cached(("csv", s.origin.digest, ratings.strengths[s.id]), lambda s=s: _csv_line(_study_row(s, ratings)))
        for s in sorted(kb.studies.values(), key=lambda s: s.id)
    ]
    return _csv(STUDY_COLUMNS, lines)


def _pages(study: Study) -> tuple[str, str]:
    first, _, last = study.pages.partition("-")
    return first, last


def to_ris(study: Study) -> str:
    """An RIS record (rispy writes the format)."""
    first, last = _pages(study)
    entry = {
        "type_of_reference": "JOUR",
        "authors": named_authors(study),
        "title": study.title,
        "year": str(study.year),
    }
    optional = {
        "secondary_title": study.journal,
        "volume": study.volume,
        "number": study.issue,
        "start_page": first,
        "end_page": last,
        "doi": study.doi,
    }
    entry.update({k: v for k, v in optional.items() if v})
    # UR: the paper's records a reader opens (doi.org, PubMed, PubMed Central, the journal), the
    # first choice first, never the copy it was read on. RIS has no tag for a PMID or PMCID that
    # every reader agrees on (EndNote's C2 is JabRef's eprint, JabRef's AN is an issue number):
    # both also go in a note.
    urls = [link.href for link in record_links(study)]
    if urls:
        entry["urls"] = urls
    ids = [f"PMID: {study.pmid}"] * bool(study.pmid) + [f"PMCID: {study.pmcid}"] * bool(study.pmcid)
    notes = ["; ".join(ids)] * bool(ids) + [incomplete_author_note(study)] * (OTHERS in study.authors)
    if notes:
        entry["notes"] = notes
    return _RisWriter().formats([entry])


class _RisWriter(rispy.RisWriter):
    """rispy's writer with RIS's own first line (rispy puts a '1.' line before each reference,
    which readers take for a broken file) and every value on one line."""

    def set_header(self, count: int) -> str:
        return ""

    def _format_line(self, tag: str, value: object = "") -> str:
        return super()._format_line(tag, " ".join(str(value).split()))


def to_csl_json(study: Study) -> str:
    """A CSL-JSON item, for Zotero, Pandoc and most citation processors."""

    def name(author: str) -> dict:
        family, _, given = author.partition(", ")
        return {"family": family, "given": given} if given else {"family": family}

    item = {
        "id": study.id,
        "type": "article-journal",
        "title": study.title,
        "author": [name(a) for a in named_authors(study)],
        "issued": {"date-parts": [[study.year]]},
    }
    optional = {
        "container-title": study.journal,
        "volume": study.volume,
        "issue": study.issue,
        "page": study.pages,
        "DOI": study.doi,
        "PMID": study.pmid,
        "PMCID": study.pmcid,
        "URL": _link(study),
        "note": incomplete_author_note(study),
    }
    item.update({k: v for k, v in optional.items() if v})
    return json.dumps([item], ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n"
