"""Start new records: a study from a pasted BibTeX entry or RIS record (parsed, not
re-typed), or a claim or a source from its annotated template. Every value an editor must
choose or copy is written as a TODO placeholder, which the check refuses."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import rispy
from jinja2 import Environment
from pybtex.database import parse_string
from pybtex.scanner import PybtexSyntaxError

from build_tools.checks.files import load_checked as load
from build_tools.pages.jinja_env import template_environment

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Words that say nothing about a study, left out of the id made from its title.
STOP_WORDS = frozenset(
    "a an the and or but nor of in on at to for with without by from as into onto over under during between "
    "among versus vs than after before while within about its their his her our is are was were be been being "
    "do does did how what which who whom whose why when where this that these those effect effects study".split()
)
ID_TITLE_WORDS = 4


class ScaffoldError(Exception):
    """The input cannot become a new record; the message says why and what to do."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _plain(text: str) -> str:
    """BibTeX text as Unicode: LaTeX escapes decoded (latexcodec ships with pybtex), braces dropped."""
    try:
        text = codecs.decode(text, "ulatex")
    except (UnicodeDecodeError, TypeError, ValueError):
        pass
    return re.sub(r"[{}]", "", text).strip()


def fields_from_bibtex(text: str) -> dict:
    """Bibliographic fields of the one entry in a BibTeX string."""
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as exc:
        raise ScaffoldError(f"could not read the BibTeX entry: {exc}") from None
    if len(data.entries) != 1:
        raise ScaffoldError(f"expected one BibTeX entry, found {len(data.entries)}")
    entry = next(iter(data.entries.values()))
    # "--" is a page-range dash in BibTeX: keep it a plain hyphen rather than an en dash.
    fields = {k.lower(): _plain(v.replace("--", "-") if k.lower() == "pages" else v) for k, v in entry.fields.items()}
    authors = [
        f"{_plain(' '.join(p.last_names))}, {_plain(' '.join(p.first_names + p.middle_names))}".rstrip(", ")
        for p in entry.persons.get("author", [])
    ]
    return {
        "authors": authors,
        "title": fields.get("title", ""),
        "journal": fields.get("journal", ""),
        "year": fields.get("year", ""),
        "volume": fields.get("volume", ""),
        "issue": fields.get("number", ""),
        "pages": fields.get("pages", "").replace("--", "-"),
        "doi": fields.get("doi", ""),
        "pmid": fields.get("pmid", fields.get("pubmed", "")),
    }


def fields_from_ris(text: str) -> dict:
    """Bibliographic fields of the one record in an RIS string."""
    try:
        records = rispy.loads(text)
    except Exception as exc:  # rispy raises plain exceptions for malformed input
        raise ScaffoldError(f"could not read the RIS record: {exc}") from None
    if len(records) != 1:
        raise ScaffoldError(f"expected one RIS record, found {len(records)}")
    r = records[0]
    pages = "-".join(p for p in (r.get("start_page", ""), r.get("end_page", "")) if p)
    return {
        "authors": list(r.get("authors", []) or r.get("first_authors", [])),
        "title": r.get("title", "") or r.get("primary_title", ""),
        "journal": r.get("secondary_title", "") or r.get("journal_name", ""),
        "year": str(r.get("year", "") or r.get("publication_year", ""))[:4],
        "volume": r.get("volume", ""),
        "issue": r.get("number", ""),
        "pages": pages,
        "doi": r.get("doi", ""),
        "pmid": "",
    }


def _environment() -> Environment:
    env = template_environment("build_tools.editor", keep_trailing_newline=True)
    # A JSON string is a valid YAML double-quoted string; keep non-ASCII letters readable.
    env.filters["yaml_str"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env


def study_from_citation(text: str, root: Path, today: dt.date | None = None) -> tuple[str, str]:
    """Return (id, YAML text) for a new study from BibTeX or RIS; refuse an existing id or DOI."""
    is_ris = re.search(r"^TY  - ", text, re.M) is not None
    fields = fields_from_ris(text) if is_ris else fields_from_bibtex(text)
    if not fields["authors"] or not fields["title"] or not str(fields["year"]).isdigit():
        raise ScaffoldError("the entry needs authors, a title and a numeric year")
    fields["doi"] = re.sub(r"^https?://(dx\.)?doi\.org/", "", fields["doi"].strip())
    family = fields["authors"][0].split(",")[0]
    title_words = _slug(fields["title"]).split("-")
    words = [w for w in title_words if w not in STOP_WORDS] or title_words
    first_words = "-".join(words[:ID_TITLE_WORDS])
    study_id = f"{_slug(family)}-{fields['year']}-{first_words}"
    if (root / "studies" / f"{study_id}.yaml").exists():
        raise ScaffoldError(f"studies/{study_id}.yaml already exists")
    kb, _ = load(root)
    for other in kb.studies.values():
        if fields["doi"] and other.doi.lower() == fields["doi"].lower():
            raise ScaffoldError(f"doi {fields['doi']} is already in the knowledge base as {other.origin.shown}")
    text = (
        _environment()
        .get_template("new_study.yaml.j2")
        .render(id=study_id, fields=fields, today=(today or dt.date.today()).isoformat())
    )
    return study_id, text


def _new_id(kind: str, record_id: str, root: Path) -> None:
    """Refuse an id that is not one, or that a record (of any file ending) already has."""
    if not ID_PATTERN.match(record_id):
        raise ScaffoldError(f"'{record_id}' is not a valid id: lowercase words and digits joined by hyphens")
    for ending in (".yaml", ".yml"):
        if (root / kind / f"{record_id}{ending}").exists():
            raise ScaffoldError(f"{kind}/{record_id}{ending} already exists")


def claim_template(claim_id: str, root: Path, today: dt.date | None = None) -> str:
    """YAML text for a new claim from the annotated template; refuse a bad or existing id."""
    _new_id("claims", claim_id, root)
    return (
        _environment()
        .get_template("new_claim.yaml.j2")
        .render(id=claim_id, today=(today or dt.date.today()).isoformat())
    )


def source_template(source_id: str, root: Path) -> str:
    """YAML text for a new source (a popular article) from the annotated template."""
    _new_id("sources", source_id, root)
    return _environment().get_template("new_source.yaml.j2").render(id=source_id)
