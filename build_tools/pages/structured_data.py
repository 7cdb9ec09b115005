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


# Google asks for a claimReviewed of at most about 75 characters: a longer claim is summarised by
# its title (written as the claim), and the full wording goes in the Claim's text.
CLAIM_REVIEWED_LIMIT = 75
# Outlets the records could not name: not an organisation to credit with the claim.
UNNAMED = ("unnamed", "a ")


def _appearance(source: Source) -> dict:
    """The article the claim appeared in, as a schema.org CreativeWork: its own page when a copy
    of it was found (page_url), else the address its record gives."""
    work: dict = {"@type": "CreativeWork", "headline": source.headline}
    if not source.outlet.lower().startswith(UNNAMED):
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    address = source.page_url or source.url
    if address:
        work["url"] = address
    if source.published:
        work["datePublished"] = source.published
    return work


def _citation(study: Study) -> dict:
    """A cited study, linked to the record of the paper (never to a copy it was read on)."""
    work = {"@type": "ScholarlyArticle", "headline": study.title, "datePublished": str(study.year)}
    links = [link.href for link in record_links(study)]
    if links:
        work["url"] = links[0]
    if len(links) > 1:
        work["sameAs"] = links[1:]
    return work


def claim_review(claim: Claim, kb: KnowledgeBase, page_url: str, site_url: str = "", published: str = "") -> dict:
    """A schema.org ClaimReview for one claim, with the properties Google's fact-check
    documentation asks for: the page's address, the claim (short), who made it and when and
    where it appeared, our organisation with its address, the rating with its name, and the
    studies cited.

    `published` is the date the review first appeared (from the change log); the date it was
    last reviewed is `dateModified`."""
    # An article that doubts or disputes the claim is not where it appears.
    appears = [kb.sources[said.source] for said in claim.claimed_by if said.appears]
    appearances = [_appearance(source) for source in appears]
    item: dict = {"@type": "Claim", "text": " ".join(claim.claim.split())}
    named = [s for s in appears if not s.outlet.lower().startswith(UNNAMED)]
    if named:
        item["author"] = {"@type": "Organization", "name": named[0].outlet}
    dated = sorted((s.published, i) for i, s in enumerate(appears) if s.published)
    if dated:
        item["datePublished"] = dated[0][0]
        item["firstAppearance"] = appearances[dated[0][1]]
    if appearances:
        item["appearance"] = appearances
    citations = [_citation(kb.studies[link.study]) for link in claim.evidence if link.study in kb.studies]
    title = " ".join(claim.title.split())
    author = {"@type": "Organization", "name": SITE_NAME, **({"url": site_url} if site_url else {})}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": item["text"] if len(item["text"]) <= CLAIM_REVIEWED_LIMIT else title,
        "datePublished": published or claim.last_reviewed,
        "dateModified": claim.last_reviewed,
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_SCALE[claim.verdict],
            "bestRating": max(RATING_SCALE.values()),
            "worstRating": min(RATING_SCALE.values()),
            "name": claim.verdict.capitalize(),
            "alternateName": reason_label(claim),
        },
        "itemReviewed": item,
        **({"citation": citations} if citations else {}),
    }


def front_matter(meta: dict) -> str:
    """A YAML front-matter block for a generated page."""
    # The C emitter when PyYAML has it: the pure-Python one took a third of the render time.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=True, width=10_000)
    return "---\n" + text + "---\n\n"
