"""Machine-readable verdicts: schema.org ClaimReview JSON-LD, and each page's front matter.

MkDocs copies front-matter values into the page head without escaping, so every value
placed there is made inert here: JSON with '<', '>' and '&' escaped, plain text without
quotes or angle brackets.
"""

from __future__ import annotations

import json

import yaml

from build_tools.pages.reader_links import record_links
from build_tools.rating.verdict import reason_label
from build_tools.records.grammar import UNSAFE_CHARACTER
from build_tools.records.model import Claim, KnowledgeBase, Source, Study

SITE_NAME = "Walking Backwards, Checked"
# Published on the methodology page: the number each verdict maps to (higher = better supported).
RATING_SCALE = {"supported": 3, "plausible": 2, "overstated": 1}


def inert_json(data: object) -> str:
    """Strict JSON (no NaN or Infinity) safe inside a <script> element and an unescaped template."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def plain_attribute(text: str, limit: int = 300) -> str:
    """One line of text safe inside an HTML attribute that is not escaped."""
    flat = " ".join(UNSAFE_CHARACTER.sub(" ", text).split())
    for bad in ('"', "<", ">", "&"):
        flat = flat.replace(bad, "'" if bad == '"' else "")
    return flat[:limit].rstrip()


def _appearance(source: Source) -> dict:
    work = {
        "@type": "CreativeWork",
        "headline": source.headline,
        "publisher": {"@type": "Organization", "name": source.outlet},
    }
    address = source.page_url or source.url
    return {**work, "url": address} if address else work


def _citation(study: Study) -> dict:
    """A cited study, linked to the record of the paper (never to a copy it was read on)."""
    work = {"@type": "ScholarlyArticle", "headline": study.title, "datePublished": str(study.year)}
    links = [link.href for link in record_links(study)]
    if links:
        work["url"] = links[0]
    if len(links) > 1:
        work["sameAs"] = links[1:]
    return work


def claim_review(claim: Claim, kb: KnowledgeBase, page_url: str) -> dict:
    """A schema.org ClaimReview for one claim."""
    appearances = [
        _appearance(kb.sources[said.source])
        for said in claim.claimed_by
        if said.appears  # an article that doubts or disputes the claim is not where it appears
    ]
    citations = [_citation(kb.studies[link.study]) for link in claim.evidence if link.study in kb.studies]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": " ".join(claim.claim.split()),
        "datePublished": claim.last_reviewed,
        "author": {"@type": "Organization", "name": SITE_NAME},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_SCALE[claim.verdict],
            "bestRating": max(RATING_SCALE.values()),
            "worstRating": min(RATING_SCALE.values()),
            "alternateName": reason_label(claim),
        },
        "itemReviewed": {"@type": "Claim", **({"appearance": appearances} if appearances else {})},
        **({"citation": citations} if citations else {}),
    }


def front_matter(meta: dict) -> str:
    """A YAML front-matter block for a generated page."""
    # The C emitter when PyYAML has it: the pure-Python one took a third of the render time.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=True, width=10_000)
    return "---\n" + text + "---\n\n"
