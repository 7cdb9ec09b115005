"""Tables that become stacked cards on a phone: each data cell carries its column's heading.

A Python-Markdown extension (listed in mkdocs.yml). For every table of three or more columns
it copies each column heading into a `data-label` attribute on the cells below it and marks
the table `data-stack`; the site's stylesheet shows such a table as one card per row on a
narrow screen, each value under its label, so no page scrolls sideways and no column is cut
off. Two-column tables (a label and a value) fit a phone as they are.

The attribute is set in the document tree Markdown builds, so no HTML is parsed back; Material
styles `table:not([class])`, which is why the mark is an attribute and not a class.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

STACK_FROM_COLUMNS = 3
# Placeholders Python-Markdown leaves in the tree for inline HTML until it writes the page.
_PLACEHOLDER = re.compile("\x02wzxhzdk:[0-9]+\x03")


def heading_text(cell: etree.Element) -> str:
    """A heading cell's text, as a reader sees it (inline HTML left out)."""
    return " ".join(_PLACEHOLDER.sub("", "".join(cell.itertext())).split())


def stack_table(table: etree.Element) -> bool:
    """Label one table's cells with their column headings; False when it stays a table."""
    head = table.find("thead")
    row = head.find("tr") if head is not None else None
    if row is None:
        return False
    labels = [heading_text(th) for th in row.findall("th")]
    if len(labels) < STACK_FROM_COLUMNS:
        return False
    table.set("data-stack", "")
    for body in table.findall("tbody"):
        for tr in body.findall("tr"):
            for label, cell in zip(labels, tr.findall("td"), strict=False):
                if label:
                    cell.set("data-label", label)
    return True


class TableCards(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            stack_table(table)


class TableCardsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After the inline processor (priority 20), so the headings hold their final text.
        md.treeprocessors.register(TableCards(md), "table_cards", 7)


def makeExtension(**kwargs) -> TableCardsExtension:  # noqa: N802 - the name Python-Markdown looks for
    """The extension, as Python-Markdown loads it from a module name."""
    return TableCardsExtension(**kwargs)
