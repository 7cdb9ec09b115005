"""Scan a built site for anything a record could have turned into code or a forged file:
event-handler attributes, scripts that are not the theme's, script-capable addresses, JSON
that is not strict JSON, SVG that is not well-formed or carries script, CSV cells a
spreadsheet would run, and RIS or BibTeX files with more records than studies."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

from pybtex.database import parse_string

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
JSON_TYPES = ("application/ld+json", "application/json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Words of a script only a record could have put there (the theme's own scripts hold none).
SCRIPT_WORDS = ("alert(", "onerror", "onload", "document.cookie", "hx-")


def strict_json(text: str) -> object:
    """json.loads that refuses NaN, Infinity and -Infinity, which are not JSON."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script: dict | None = None
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcdoc"):
                if value.strip().lower().startswith(SCRIPT_SCHEMES):
                    self.found.append(f"<{tag} {name}={value[:40]!r}>")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):
            self.found.append(f"<{tag}>")
        if tag == "a" and values.get("href", "").startswith(("http://", "https://")):
            if "noopener" not in values.get("rel", ""):
                self.found.append(f"external <a href={values['href'][:40]!r}> without rel=noopener")
        if tag == "script":
            self.script, self.script_text = values, []
            src = values.get("src", "")
            if src and (src.startswith(("http:", "https:", "//")) or ":" in src.split("/")[0]):
                self.found.append(f"<script src={src[:40]!r}> from elsewhere")

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self.script is None:
            return
        text, kind = "".join(self.script_text), self.script.get("type", "")
        if kind in JSON_TYPES:
            try:
                strict_json(text)
            except ValueError as exc:
                self.found.append(f"<script type={kind}> is not strict JSON ({exc})")
        elif any(word in text for word in SCRIPT_WORDS):
            self.found.append(f"a script holds record text: {text[:60]!r}")
        self.script = None


def scan_html(text: str) -> list[str]:
    page = _Page()
    page.feed(text)
    page.close()
    return page.found


def scan_svg(text: str) -> list[str]:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        return [f"not well-formed XML ({exc})"]
    found = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in ("script", "foreignObject", "iframe", "a"):
            found.append(f"<{name}> in an SVG")
        found += [f"<{name} {attr}>" for attr in element.attrib if attr.rsplit("}", 1)[-1].startswith("on")]
    return found


def scan_csv(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text)))
    return [f"formula cell {cell[:30]!r}" for row in rows for cell in row if cell[:1] in FORMULA_STARTS]


def scan_ris(text: str) -> list[str]:
    lines = [line for line in text.split("\n") if line]
    found = [f"not an RIS line: {line[:30]!r}" for line in lines if len(line) < 5 or line[2:6] not in ("  - ", "  -")]
    if not text.startswith("TY  - "):
        found.append("does not start with 'TY  - '")
    starts = sum(line.startswith("TY  - ") for line in lines)
    ends = sum(line.startswith("ER  -") for line in lines)
    if starts != 1 or ends != 1:
        found.append(f"{starts} TY and {ends} ER lines in one study's file")
    return found


def scan_bibtex(text: str, entries: int) -> list[str]:
    try:
        parsed = parse_string(text, "bibtex")
    except Exception as exc:  # noqa: BLE001 - pybtex raises several kinds for malformed input
        return [f"BibTeX does not parse ({exc})"]
    if len(parsed.entries) != entries:
        return [f"{len(parsed.entries)} entries where {entries} were written"]
    return []


def scan_site(site: Path, studies: int) -> dict[str, list[str]]:
    """Every finding, by file (relative to the site)."""
    findings: dict[str, list[str]] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel, suffix = path.relative_to(site).as_posix(), path.suffix
        text = (
            path.read_text(encoding="utf-8")
            if suffix in (".html", ".json", ".svg", ".csv", ".ris", ".bib", ".xml")
            else ""
        )
        found: list[str] = []
        if suffix == ".html":
            found = scan_html(text)
        elif suffix == ".json":
            try:
                strict_json(text)
            except ValueError as exc:
                found = [f"not strict JSON ({exc})"]
        elif suffix == ".svg":
            found = scan_svg(text)
        elif suffix == ".csv":
            found = scan_csv(text)
        elif suffix == ".ris":
            found = scan_ris(text)
        elif suffix == ".bib":
            found = scan_bibtex(text, studies if path.name == "bibliography.bib" else 1)
        elif suffix == ".xml":
            try:
                ElementTree.fromstring(text)
            except ElementTree.ParseError as exc:
                found = [f"not well-formed XML ({exc})"]
        if found:
            findings[rel] = found
    return findings
