"""External links open without giving the target page a handle on ours (rel="noopener noreferrer").

A Python-Markdown extension (listed in mkdocs.yml), so the links are changed in the document
tree Markdown builds, never by parsing HTML text back with a regular expression. The raw HTML
links the templates write (references, the page a study was read on) carry the attribute already.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

REL = "noopener noreferrer"


class ExternalLinks(Treeprocessor):
    """Add rel="noopener noreferrer" to every external <a> that has no rel yet."""

    def run(self, root: etree.Element) -> None:
        for anchor in root.iter("a"):
            if anchor.get("href", "").startswith(("https://", "http://")) and "rel" not in anchor.attrib:
                anchor.set("rel", REL)


class ExternalLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the inline processor (priority 20), which makes the <a> elements of [text](url) links.
        md.treeprocessors.register(ExternalLinks(md), "external_links", 8)


def makeExtension(**kwargs) -> ExternalLinksExtension:  # noqa: N802 - the name Python-Markdown looks for
    """The extension, as Python-Markdown loads it from a module name."""
    return ExternalLinksExtension(**kwargs)
