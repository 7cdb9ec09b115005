"""Turn a generated Markdown page into the HTML a reader gets, with mkdocs.yml's Markdown
extensions (no site build), and list what in it a browser could run."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from conftest import ROOT

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def markdown_config(root: Path = ROOT) -> tuple[list[str], dict]:
    """mkdocs.yml's extension names and their settings."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader: the file holds !!python tags for Material
    names, settings = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        settings[name] = {k: (v == "true" if v in ("true", "false") else v) for k, v in (options or {}).items()}
    return names, settings


def to_html(text: str) -> str:
    """A page's Markdown (front matter removed) as HTML, as MkDocs would convert it."""
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    names, settings = markdown_config()
    return markdown.Markdown(extensions=names, extension_configs=settings).convert(text)


class Runnable(HTMLParser):
    """Every element, attribute and address in a page that could run code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag in ("script", "iframe", "object", "embed", "img", "svg", "form", "base", "meta", "link", "style"):
            self.found.append(f"<{tag}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(SCRIPT_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:30]}>")


def runnable(html: str) -> Runnable:
    parser = Runnable()
    parser.feed(html)
    parser.close()
    return parser
