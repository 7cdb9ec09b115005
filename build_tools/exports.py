"""Open data and citation downloads: the knowledge base as JSON and CSV, and each study's
reference as BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import csv
import io
import json

import rispy

from .rating import Ratings
from .records import KnowledgeBase, Study

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
                            "certainty": {"enum": ["high", "moderate", "low", "very low"]},
                            "verdict_ceiling": {"enum": ["supported", "plausible", "overstated"]},
                            "verdict_ceiling_reason": {"type": "string"},
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


def knowledge_base_json(kb: KnowledgeBase, ratings: Ratings) -> str:
    """The whole knowledge base: each record exactly as edited, plus the computed ratings."""
    data = {
        "claims": [
            {
                "record": c.origin.doc.data,
                "computed": {
                    "certainty": ratings.certainties[c.id],
                    "verdict_ceiling": ratings.ceilings[c.id].verdict,
                    "verdict_ceiling_reason": ratings.ceilings[c.id].reason,
                },
            }
            for c in sorted(kb.claims.values(), key=lambda c: c.id)
        ],
        "studies": [
            {
                "record": s.origin.doc.data,
                "computed": {
                    "strength": ratings.strengths[s.id].level,
                    "strength_reasons": list(ratings.strengths[s.id].reasons),
                },
            }
            for s in sorted(kb.studies.values(), key=lambda s: s.id)
        ],
        "sources": [{"record": s.origin.doc.data} for s in sorted(kb.sources.values(), key=lambda s: s.id)],
    }
    # Compact: the C encoder is ten times faster than pretty-printing at 8,000 records.
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def claims_csv(kb: KnowledgeBase, ratings: Ratings) -> str:
    """One row per claim."""
    return _csv(
        [
            {
                "id": c.id,
                "title": c.title,
                "topic": c.topic,
                "verdict": c.verdict,
                "verdict_ceiling": ratings.ceilings[c.id].verdict,
                "certainty": ratings.certainties[c.id],
                "studies": " ".join(link.study for link in c.evidence),
                "last_reviewed": c.last_reviewed,
                "claim": " ".join(c.claim.split()),
            }
            for c in sorted(kb.claims.values(), key=lambda c: c.id)
        ]
    )


def studies_csv(kb: KnowledgeBase, ratings: Ratings) -> str:
    """One row per study."""
    return _csv(
        [
            {
                "id": s.id,
                "authors": "; ".join(s.authors),
                "year": s.year,
                "title": s.title,
                "journal": s.journal,
                "doi": s.doi,
                "pmid": s.pmid,
                "design": s.design,
                "n": "" if s.population.n is None else s.population.n,
                "condition": s.population.condition,
                "strength": ratings.strengths[s.id].level,
                "url_read": s.url,
                "read_on": s.read_on,
            }
            for s in sorted(kb.studies.values(), key=lambda s: s.id)
        ]
    )


def _pages(study: Study) -> tuple[str, str]:
    first, _, last = study.pages.partition("-")
    return first, last


def to_ris(study: Study) -> str:
    """An RIS record (rispy writes the format)."""
    first, last = _pages(study)
    entry = {
        "type_of_reference": "JOUR",
        "authors": [a for a in study.authors if a != "others"],
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
    entry["urls"] = [study.url]
    return rispy.dumps([entry])


def to_csl_json(study: Study) -> str:
    """A CSL-JSON item, for Zotero, Pandoc and most citation processors."""

    def name(author: str) -> dict:
        family, _, given = author.partition(", ")
        return {"family": family, "given": given} if given else {"family": family}

    item = {
        "id": study.id,
        "type": "article-journal",
        "title": study.title,
        "author": [name(a) for a in study.authors if a != "others"],
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
        "URL": study.url,
    }
    item.update({k: v for k, v in optional.items() if v})
    return json.dumps([item], ensure_ascii=False, indent=1, sort_keys=True) + "\n"
