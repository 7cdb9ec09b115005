"""Start a new study record from a pasted BibTeX entry (parsed by pybtex, not re-typed)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from pybtex.database import parse_string
from pybtex.scanner import PybtexSyntaxError

from .loading import load


class ScaffoldError(Exception):
    """The entry cannot become a new record; the message says why and what to do."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _plain(text: str) -> str:
    """BibTeX text without braces used for case protection."""
    return re.sub(r"[{}]", "", text).strip()


def study_from_bibtex(bibtex: str, root: Path, today: dt.date | None = None) -> tuple[str, str]:
    """Return (id, YAML text) for a new study; refuse an existing id or DOI."""
    try:
        data = parse_string(bibtex, "bibtex")
    except PybtexSyntaxError as exc:
        raise ScaffoldError(f"could not read the BibTeX entry: {exc}") from None
    if len(data.entries) != 1:
        raise ScaffoldError(f"expected one BibTeX entry, found {len(data.entries)}")
    entry = next(iter(data.entries.values()))
    fields = {k.lower(): _plain(v) for k, v in entry.fields.items()}
    people = entry.persons.get("author", [])
    if not people or "title" not in fields or not fields.get("year", "").isdigit():
        raise ScaffoldError("the entry needs author, title and a numeric year")
    authors = [
        f"{_plain(' '.join(p.last_names))}, {_plain(' '.join(p.first_names + p.middle_names))}".rstrip(", ")
        for p in people
    ]
    first_words = "-".join(_slug(fields["title"]).split("-")[:4])
    study_id = f"{_slug(people[0].last_names[0])}-{fields['year']}-{first_words}"
    kb, _ = load(root)
    if (root / "studies" / f"{study_id}.yaml").exists():
        raise ScaffoldError(f"studies/{study_id}.yaml already exists")
    doi = fields.get("doi", "").removeprefix("https://doi.org/")
    for other in kb.studies.values():
        if doi and other.doi.lower() == doi.lower():
            raise ScaffoldError(f"doi {doi} is already in the knowledge base as {other.origin.shown}")
    fields = {
        "volume": fields.get("volume", ""),
        "issue": fields.get("number", ""),
        "pages": fields.get("pages", "").replace("--", "-"),
        "doi": doi,
        "pmid": fields.get("pmid", fields.get("pubmed", "")),
        **{"journal": fields.get("journal", "")},
        "title": fields["title"],
        "year": fields["year"],
    }
    env = Environment(
        loader=PackageLoader("build_tools", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    text = env.get_template("new_study.yaml.j2").render(
        id=study_id,
        title=fields["title"],
        authors=authors,
        journal=fields["journal"],
        year=fields["year"],
        fields=fields,
        today=(today or dt.date.today()).isoformat(),
    )
    return study_id, text
