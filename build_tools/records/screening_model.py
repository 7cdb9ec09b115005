"""Typed screening logs: for one topic, the searches run and every candidate they found, each
with its decision; and the terms the living review asks Crossref about.

The fixed lists (where a search ran, the decisions, the reasons for excluding a candidate)
live here, once: the schema's allowed values are tested against them, and the methods page
prints their meanings from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from build_tools.records.base import Located, trimmed

# Where a search ran: value -> what it means (shown on the methods page).
WHERE = {
    "stored-pages": "stored public pages: journal sites, PubMed, PubMed Central, PEDro, trial registries, "
    "thesis and conference pages",
    "reference-list": "the reference list or included-studies table of a review (named in of_study)",
    "source-articles": "the studies the popular articles we checked name, link or describe, followed to their pages",
    "crossref": "Crossref's bibliographic search (the living review)",
}
DECISIONS = ("included", "excluded", "awaiting")
# Why a candidate was excluded: value -> its meaning, in one line.
EXCLUSION_REASONS = {
    "not-backward-locomotion": "the study is not about walking or running backwards",
    "no-claim-outcome": "it measured no outcome of any claim reviewed here",
    "duplicate-publication": "the same study published again (the other report is screened)",
    "not-primary-study": "a narrative review, commentary or news item, not a study",
    "protocol-only": "a trial protocol or registration, with no results yet",
    "results-not-visible": "found, but no stored page shows its results",
    "citation-not-confirmed": "no stored page shows a DOI, PMID or journal record for it",
    "review-not-usable": "a systematic review whose synthesis no stored page shows, or which adds nothing "
    "beyond reviews already included",
}
# Exclusions for a report that could not be read: PRISMA's "reports not retrieved".
NOT_RETRIEVED = ("results-not-visible", "citation-not-confirmed")
# Designs counted as randomised trials in the flow and on the coverage page (study records' designs).
TRIAL_DESIGNS = ("rct", "crossover")
LIVING_TERMS_FILE = "living-terms.yaml"  # in screening/, beside the topic logs; not a log itself


@dataclass(frozen=True)
class Search:
    id: str
    date: str
    where: str
    query: str
    hits: int
    of_study: str = ""


@dataclass(frozen=True)
class Candidate:
    id: str
    first_author: str
    year: int | None
    title: str
    found_by: tuple[str, ...]
    design: str
    decision: str
    doi: str = ""
    pmid: str = ""
    url: str = ""
    study: str = ""
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class ScreeningLog:
    topic: str
    title: str
    claims: tuple[str, ...]
    searches: tuple[Search, ...]
    candidates: tuple[Candidate, ...]
    origin: Located = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        """The topic is the log's id (and its file name)."""
        return self.topic


@dataclass(frozen=True)
class TitleWords:
    direction: tuple[str, ...]
    movement: tuple[str, ...]


@dataclass(frozen=True)
class LivingTerms:
    """What the living review asks Crossref, and which titles it keeps."""

    queries: tuple[str, ...]
    title_words: TitleWords
    origin: Located = field(repr=False, compare=False)
    rows: int = 100
    mailto: str = ""


def screening_from_dict(data: dict, origin: Located) -> ScreeningLog:
    """Build a ScreeningLog from schema-valid data."""
    data = trimmed(data)
    candidates = tuple(Candidate(**{**c, "found_by": tuple(c["found_by"])}) for c in data.get("candidates", ()) or ())
    return ScreeningLog(
        topic=data["topic"],
        title=data["title"],
        claims=tuple(data["claims"]),
        searches=tuple(Search(**s) for s in data["searches"]),
        candidates=candidates,
        origin=origin,
    )


def living_terms_from_dict(data: dict, origin: Located) -> LivingTerms:
    """Build the living review's terms from schema-valid data."""
    data = trimmed(data)
    words = data["title_words"]
    return LivingTerms(
        queries=tuple(data["queries"]),
        title_words=TitleWords(tuple(words["direction"]), tuple(words["movement"])),
        origin=origin,
        rows=data.get("rows", 100),
        mailto=data.get("mailto", ""),
    )
