"""Format references with pybtex: author-year text, then the links to the paper's record
(DOI, PubMed, PubMed Central, in that order: pages.reader_links), and BibTeX.

pybtex costs milliseconds per entry (30x a page render), so each reference is formatted
once per build and reused by every page that shows it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pybtex.backends.html import Backend as HtmlBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibtexWriter
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, first_of, join, optional, sentence, tag, words

from build_tools.pages.reader_links import record_links
from build_tools.pages.text_escape import markdown_attribute, markdown_inline
from build_tools.records.model import Study


def text_field(name: str):
    """A field taken as written. Records hold plain text, not LaTeX: read as LaTeX, '50%'
    would start a comment that swallows the rest of a title, and '--' would become a dash.
    (It is also several times faster.)"""
    return field(name, raw=True)


class AuthorYearStyle(UnsrtStyle):
    """unsrt, but 'Authors (Year). Title.' and titles kept in their published case."""

    default_name_style = "lastfirst"
    _article_template = None

    def __init__(self) -> None:
        super().__init__(abbreviate_names=True)

    def format_title(self, e, which_field, as_sentence=True):
        return sentence[text_field(which_field)] if as_sentence else text_field(which_field)

    def get_article_template(self, e):
        # The template does not depend on the entry: built once, not once per reference.
        if self._article_template is None:
            self._article_template = self._make_article_template()
        return self._article_template

    def _make_article_template(self):
        e = None  # unsrt's helpers take the entry but do not use it for these parts
        pages = text_field("pages")
        volume_and_pages = first_of[
            optional[join[text_field("volume"), optional["(", text_field("number"), ")"], optional[":", pages]]],
            optional[words["article", pages]],
        ]
        return toplevel[
            join(sep=" ")[self.format_names("author", as_sentence=False), join["(", text_field("year"), ")."]],
            self.format_title(e, "title"),
            optional[sentence[tag("em")[text_field("journal")], optional[volume_and_pages]]],
        ]


# Characters an address may hold as it is; anything else is percent-encoded before it is
# placed, HTML-escaped, in the attribute.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


class ReferenceBackend(HtmlBackend):
    """pybtex's HTML backend, with each value escaped for where it goes: text as Markdown and
    HTML (the reference sits in a Markdown page), an address as a quoted attribute. pybtex's own
    backend writes `href` values unescaped, so a quote in a DOI ended the attribute."""

    symbols = {**HtmlBackend.symbols, "newblock": " "}

    def format_str(self, text: str) -> str:
        return markdown_inline(text)

    @staticmethod
    def format_href(url: str, text: str, external: bool = False) -> str:
        if not text:
            return ""
        address = markdown_attribute(quote(url, safe=_URL_SAFE))
        # External links give the target page no handle on ours (no regex pass over HTML later).
        return f'<a href="{address}" rel="noopener noreferrer">{text}</a>'


_STYLE = AuthorYearStyle()
_HTML = ReferenceBackend()


def to_entry(study: Study) -> Entry:
    """A pybtex article entry for one study."""
    fields = {"title": study.title, "year": str(study.year)}
    optional_fields = {
        "journal": study.journal,
        "volume": study.volume,
        "number": study.issue,
        "pages": study.pages,
        "doi": study.doi,
        "pubmed": study.pmid,
    }
    fields.update({k: v for k, v in optional_fields.items() if v})
    # pybtex reads the name "others" as BibTeX's "and others", printed as "et al.".
    return Entry("article", fields=fields, persons={"author": [Person(a) for a in study.authors]})


# The words each link shows in a reference, by the kind of record it opens.
_LINK_TEXT = {"doi": "doi:{}", "pubmed": "PMID: {}", "pmc": "{}"}


def _links_html(study: Study) -> str:
    """The links to the paper's record (DOI, PubMed, PubMed Central), each escaped as it is written."""
    values = {"doi": study.doi, "pubmed": study.pmid, "pmc": study.pmcid}
    links = [
        ReferenceBackend.format_href(link.href, markdown_inline(_LINK_TEXT[link.kind].format(values[link.kind])))
        for link in record_links(study)
        if link.kind in _LINK_TEXT
    ]
    return ", ".join(links) + "." if links else ""


def format_reference_html(study: Study) -> str:
    """One formatted reference as an HTML fragment for a Markdown page, every piece escaped as
    it is written (nothing is parsed back out of the HTML afterwards)."""
    entry = to_entry(study)
    entry.key = study.id
    formatted = next(iter(_STYLE.format_entries([entry])))
    links = _links_html(study)
    # In a span, so an author's name at the start of a line cannot open a Markdown list or heading.
    return f'<span class="reference">{formatted.text.render(_HTML)}{" " + links if links else ""}</span>'


_BIBTEX_UNSAFE = re.compile(r"[\\{}]|\s+")
_BIBTEX_INERT = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


def bibtex_safe(text: str) -> str:
    """One line, with no brace or backslash of the record's own: a '}' would end the field early,
    so that what follows (a line break and '@misc{...') could start a new entry."""
    return _BIBTEX_UNSAFE.sub(lambda m: _BIBTEX_INERT.get(m.group(), " "), text)


class _BibtexWriter(BibtexWriter):
    """pybtex's BibTeX writer, with a shortcut: ASCII text holding none of the characters
    its LaTeX encoder changes is returned as it is (what the encoder would return, a
    property test checks), instead of going through the encoder character by character."""

    def _encode(self, text: str) -> str:
        text = bibtex_safe(text)
        if text.isascii() and _LATEX_SPECIAL.isdisjoint(text):
            return text
        return super()._encode(text)


# The writer is created once: BibliographyData.to_string looks the plugin up through
# package entry points on every call, which costs milliseconds per study.
_BIBTEX_WRITER = _BibtexWriter()
# Asked of the encoder itself, not listed by hand: in UTF-8 these are # % & _ ~.
_LATEX_SPECIAL = frozenset(c for c in map(chr, range(128)) if BibtexWriter._encode(_BIBTEX_WRITER, c) != c)


def to_bibtex(studies: list[Study]) -> str:
    """A BibTeX file for the given studies, keyed by study id."""
    data = BibliographyData(entries={s.id: to_entry(s) for s in studies})
    return _BIBTEX_WRITER.to_string(data)
