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
from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import FieldIsMissing, field, first_of, join, node, optional, sentence, tag, words

from build_tools.pages.reader_links import reader_link, record_links
from build_tools.pages.text_escape import markdown_attribute, markdown_inline
from build_tools.records.model import Study


def text_field(name: str):
    """A field taken as written. Records hold plain text, not LaTeX: read as LaTeX, '50%'
    would start a comment that swallows the rest of a title, and '--' would become a dash.
    (It is also several times faster.)"""
    return field(name, raw=True)


OTHERS = "others"  # a record's author list ends with it where the page did not show the rest


@node
def names_et_al(children, context, role, **kwargs):
    """pybtex's `names`, but a list that ends with "others" (BibTeX's "and others") ends with
    "et al." instead of "and others": 'Winter, D. A. et al.', 'Zhang, X., Zhang, Y., Gao, X. et al.'."""
    if children:
        raise ValueError(children)
    try:
        persons = context["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, context["entry"]) from None
    style = context["style"]
    shown = [p for p in persons if str(p) != OTHERS]
    formatted = [style.format_name(p, style.abbreviate_names) for p in shown]
    if len(shown) == len(persons):
        return join(**kwargs)[formatted].format_data(context)
    # The list goes on: no "and" before its last shown name.
    if not shown:
        return Text("et al.")
    return Text(join(sep=kwargs.get("sep", ", "))[formatted].format_data(context), " et al.")


class AuthorYearStyle(UnsrtStyle):
    """unsrt, but 'Authors (Year). Title.' and titles kept in their published case."""

    default_name_style = "lastfirst"
    _article_template = None

    def __init__(self) -> None:
        super().__init__(abbreviate_names=True)

    def format_names(self, role, as_sentence=True):
        formatted = names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted

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


_INITIALS = re.compile(r"[A-Z]{2,3}")


def author_name(author: str) -> str:
    """'Hooper, TL' -> 'Hooper, T. L.': run-together initials (as PubMed lists them) split, so
    citation tools keep every initial; any other name as written."""
    family, sep, given = author.partition(", ")
    if sep and _INITIALS.fullmatch(given):
        given = " ".join(f"{letter}." for letter in given)
    return f"{family}{sep}{given}"


def named_authors(study: Study) -> list[str]:
    """The authors a reference manager should list: every name, without the closing "others"
    (RIS and CSL-JSON have no "et al." marker; an author called "others" is what clients made of it)."""
    return [author_name(a) for a in study.authors if a != OTHERS]


def incomplete_author_note(study: Study) -> str:
    """A note for exports whose author list had to stop short (empty when the list is whole)."""
    if OTHERS not in study.authors:
        return ""
    shown = len(study.authors) - study.authors.count(OTHERS)
    return f"Author list incomplete: the pages we read name {shown} author{'s' * (shown != 1)}, then 'et al.'"


def to_entry(study: Study) -> Entry:
    """A pybtex article entry for one study (the site's own reference style reads `pubmed`)."""
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
    # "others" stays a name: the BibTeX export writes it as BibTeX's "and others"; the page's
    # style prints "et al." (names_et_al).
    return Entry("article", fields=fields, persons={"author": [Person(author_name(a)) for a in study.authors]})


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


# Fields reference managers read verbatim (biblatex, pandoc and citation-js keep a LaTeX escape
# in a DOI as part of it, so `IJPVM\_403` linked nowhere): written as they are.
VERBATIM = frozenset({"doi", "url", "eprint", "eprinttype", "pmid", "pmcid"})
# A capital a sentence-casing style must keep: inside a word (ACL, VO2, McDonald) or a letter
# before a hyphen (the C of C-reactive).
_KEEP_CASE = re.compile(r"(?<![\w{])([A-Za-z0-9]*[A-Z][A-Za-z0-9]*)(?![\w}])")


def protect_case(title: str) -> str:
    """Brace-protect the words of an encoded title whose capitals must survive sentence case."""

    def protect(match: re.Match[str]) -> str:
        word = match.group(1)
        start = match.start(1)
        escaped = start > 0 and title[start - 1] == "\\"  # a LaTeX command, left alone
        letter = len(word) == 1 and title[match.end(1) : match.end(1) + 1] == "-"  # C-reactive, T-cell
        if escaped or not (any(c.isupper() for c in word[1:]) or letter):
            return word
        return "{" + word + "}"

    return _KEEP_CASE.sub(protect, title)


class _BibtexWriter(BibtexWriter):
    """pybtex's BibTeX writer, with a shortcut: ASCII text holding none of the characters
    its LaTeX encoder changes is returned as it is (what the encoder would return, a
    property test checks), instead of going through the encoder character by character.
    Identifiers and addresses are written verbatim, and titles keep their acronyms' case."""

    def _encode(self, text: str) -> str:
        text = bibtex_safe(text)
        if text.isascii() and _LATEX_SPECIAL.isdisjoint(text):
            return text
        return super()._encode(text)

    def _write_field(self, stream, type, value):  # noqa: A002 - pybtex's signature
        if type in VERBATIM:
            stream.write(f",\n    {type} = {self.quote(bibtex_safe(value))}")
        elif type == "title":
            stream.write(f",\n    {type} = {self.quote(protect_case(self._encode(value)))}")
        else:
            super()._write_field(stream, type, value)


# The writer is created once: BibliographyData.to_string looks the plugin up through
# package entry points on every call, which costs milliseconds per study.
_BIBTEX_WRITER = _BibtexWriter()
# Asked of the encoder itself, not listed by hand: in UTF-8 these are # % & _ ~.
_LATEX_SPECIAL = frozenset(c for c in map(chr, range(128)) if BibtexWriter._encode(_BIBTEX_WRITER, c) != c)


def export_entry(study: Study) -> Entry:
    """The entry as reference managers read it: the PMID as `pmid` (Zotero, pandoc, JabRef) and
    as biblatex's `eprint` with `eprinttype = pubmed`, the PMCID, and an address when there is
    no DOI. (`pubmed`, which the site's own style reads, is known to none of them.)"""
    entry = to_entry(study)
    fields = entry.fields
    pmid = fields.pop("pubmed", "")
    if pmid:
        fields.update({"pmid": pmid, "eprint": pmid, "eprinttype": "pubmed"})
    if study.pmcid:
        fields["pmcid"] = study.pmcid
    link = reader_link(study)
    if not study.doi and link:
        fields["url"] = link.href  # the paper's record, never the copy it was read on
    return entry


def to_bibtex(studies: list[Study]) -> str:
    """A BibTeX file for the given studies, keyed by study id."""
    data = BibliographyData(entries={s.id: export_entry(s) for s in studies})
    return _BIBTEX_WRITER.to_string(data)
