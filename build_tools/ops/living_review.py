"""Scheduled living review: ask Crossref for works published since the last search that match
the recorded terms (screening/living-terms.yaml), keep those whose title is about walking or
running backwards, and list the ones no screening log has yet, for an editor to screen.

It only reports; nothing is added to a log automatically. It needs the network, so it runs
in the weekly workflow, and the tests feed it recorded Crossref answers.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from build_tools.ops.doi_check import UNREACHABLE_EXIT
from build_tools.ops.doi_check import fetch_json as crossref_json
from build_tools.pages.text_escape import markdown_literal
from build_tools.records.model import KnowledgeBase, LivingTerms

CROSSREF_WORKS = "https://api.crossref.org/works"
NEW_WORKS_EXIT = 1
MAX_PAGES = 5  # per query: at `rows` a page, a week's new works fit many times over
# Within this many words of each other, a direction word and a movement word are one phrase.
NEAR = 3
# A fetcher returns (HTTP status, parsed JSON or None) for a URL; status 0: no answer at all.
Fetch = Callable[[str], tuple[int, dict | None]]

__all__ = ["NEW_WORKS_EXIT", "UNREACHABLE_EXIT", "Work", "living_review", "query_url", "report", "since_date"]


@dataclass(frozen=True)
class Work:
    doi: str
    title: str
    authors: tuple[str, ...]
    year: int | None


@dataclass(frozen=True)
class LivingResult:
    since: str
    new: list[Work]  # about backward locomotion and in no log
    known: int  # about backward locomotion, already screened
    kept_out: int  # returned, but the title is not about backward locomotion
    failed: list[str]  # queries Crossref did not answer
    truncated: list[str]  # queries with more results than were fetched
    asked: int = 0  # queries sent

    @property
    def unreachable(self) -> bool:
        """No query was answered at all."""
        return bool(self.failed) and len(self.failed) == self.asked


def fetch_json(url: str, timeout: float = 30.0, agent: str = "backwards-walking-evidence living-review") -> tuple:
    """GET a Crossref URL and parse its JSON (the DOI check's client, with this job's name)."""
    return crossref_json(url, timeout, agent)


def since_date(kb: KnowledgeBase) -> str | None:
    """The last recorded search's date: the living review asks for what was published from then on."""
    dates = [s.date for log in kb.screening.values() for s in log.searches]
    return max(dates) if dates else None


def query_url(terms: LivingTerms, query: str, since: str, cursor: str = "*") -> str:
    """A Crossref works query: bibliographic match, published on or after `since`, deep paging."""
    params = {
        "query.bibliographic": query,
        "filter": f"from-pub-date:{since}",
        "rows": str(terms.rows),
        "select": "DOI,title,author,issued",
        "cursor": cursor,
    }
    if terms.mailto:
        params["mailto"] = terms.mailto  # Crossref's "polite pool"
    return CROSSREF_WORKS + "?" + urllib.parse.urlencode(params)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def about_backward_locomotion(title: str, terms: LivingTerms) -> bool:
    """A direction word (backward, retro...) within NEAR words of a movement word (walk, run...).
    A direction is a whole word (a final s allowed: 'retrospective' is not 'retro'), or the start
    of a word that goes on with a movement ('retrowalking'); a movement is the start of a word."""
    direction, movement = terms.title_words.direction, terms.title_words.movement
    words = _words(title)
    directions, movements = [], []
    for i, word in enumerate(words):
        if any(word.startswith(d) and word[len(d) :].startswith(movement) for d in direction):
            return True
        if word in direction or (word.endswith("s") and word[:-1] in direction):
            directions.append(i)
        if word.startswith(movement):
            movements.append(i)
    return any(0 < abs(d - m) <= NEAR for d in directions for m in movements)


def _plain(text: str) -> str:
    """Crossref titles carry markup (<i>, &amp;): plain text, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())


def work_from_item(item: dict) -> Work | None:
    """A Work from one Crossref item, or None without a DOI or a title."""
    doi, titles = str(item.get("DOI") or "").strip(), item.get("title") or []
    if not doi or not titles:
        return None
    authors = tuple(
        _plain(" ".join(filter(None, (a.get("given"), a.get("family")))) or a.get("name", ""))
        for a in item.get("author") or []
        if isinstance(a, dict)
    )
    parts = ((item.get("issued") or {}).get("date-parts") or [[None]])[0]
    year = parts[0] if parts and isinstance(parts[0], int) else None
    return Work(doi, _plain(str(titles[0])), tuple(a for a in authors if a), year)


def _normal_title(text: str) -> str:
    return " ".join(_words(text))


def screened(kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    """DOIs (lower case) and titles (normalised) of every candidate in every log, and of every
    study record (an included candidate may leave its identifiers to its study)."""
    dois = {s.doi.lower() for s in kb.studies.values() if s.doi}
    titles = {_normal_title(s.title) for s in kb.studies.values()}
    for log in kb.screening.values():
        for c in log.candidates:
            if c.doi:
                dois.add(c.doi.lower())
            titles.add(_normal_title(c.title))
    return dois, titles


def living_review(kb: KnowledgeBase, terms: LivingTerms, since: str, fetch: Fetch | None = None) -> LivingResult:
    """Ask every query, page by page; sort what comes back into new, known and kept out."""
    if fetch is None:
        agent = "backwards-walking-evidence living-review" + (f" (mailto:{terms.mailto})" if terms.mailto else "")
        fetch = lambda url: fetch_json(url, agent=agent)  # noqa: E731
    dois, titles = screened(kb)
    found: dict[str, Work] = {}
    failed, truncated, kept_out, known = [], [], set(), set()
    for query in terms.queries:
        cursor, fetched = "*", 0
        for _ in range(MAX_PAGES):
            status, payload = fetch(query_url(terms, query, since, cursor))
            if status != 200 or not payload or not isinstance(payload.get("message"), dict):
                failed.append(query)
                break
            message = payload["message"]
            items = message.get("items") or []
            fetched += len(items)
            for item in items:
                work = work_from_item(item)
                if work is None:
                    continue
                key = work.doi.lower()
                if not about_backward_locomotion(work.title, terms):
                    kept_out.add(key)
                elif key in dois or _normal_title(work.title) in titles:
                    known.add(key)
                else:
                    found.setdefault(key, work)
            cursor = message.get("next-cursor") or ""
            if not items or not cursor or fetched >= int(message.get("total-results") or 0):
                break
        else:
            truncated.append(query)
    new = sorted(found.values(), key=lambda w: (-(w.year or 0), w.title.lower()))
    kept = len(kept_out - known - set(found))
    return LivingResult(since, new, len(known), kept, failed, truncated, len(terms.queries))


def _line(work: Work) -> str:
    safe = lambda text: markdown_literal(text.replace("<", "&lt;"))  # noqa: E731 - the issue body is Markdown
    authors = ", ".join(work.authors[:3]) + (" et al." if len(work.authors) > 3 else "")
    doi = urllib.parse.quote(work.doi, safe="/:;()._-")
    return (
        f"- **{safe(work.title)}**. {safe(authors or 'authors not given')}; {work.year or 'year not given'}. "
        f"<https://doi.org/{doi}>"
    )


def report(result: LivingResult, today: dt.date | None = None) -> str:
    """The issue body: the new works to screen, then what could not be asked."""
    today = today or dt.date.today()
    if result.unreachable:
        head = f"# Living review: Crossref could not be reached ({today.isoformat()})\n\n"
        return head + "No query was answered, so nothing was learnt about new works. Run it again later.\n"
    lines = [f"# Living review: {len(result.new)} new work(s) to screen, published since {result.since}", ""]
    if result.new:
        lines += [
            "Crossref lists these works, whose titles are about walking or running backwards, and no screening "
            "log has them yet. For each, add a candidate to the topic's log (screening/<topic>.yaml) with its "
            "decision, and record this search there (where: crossref, with today's date and the number of "
            "results), so the next run starts from it.",
            "",
        ]
        lines += [_line(w) for w in result.new]
    else:
        lines.append("Nothing new: every matching work is already in a screening log.")
    lines += [
        "",
        f"Already screened: {result.known}. Returned but not about backward locomotion (by title): {result.kept_out}.",
    ]
    if result.truncated:
        lines.append("More results than were fetched for: " + "; ".join(map(markdown_literal, result.truncated)) + ".")
    if result.failed:
        lines.append("Crossref did not answer for: " + "; ".join(map(markdown_literal, result.failed)) + ".")
    return "\n".join(lines) + "\n"


def exit_code(result: LivingResult) -> int:
    """1: new works to screen; 3: Crossref could not be asked (and nothing new was found); 0: nothing new."""
    if result.new:
        return NEW_WORKS_EXIT
    return UNREACHABLE_EXIT if result.failed else 0
