"""Escaping for record text placed into Markdown pages: it stays one line of plain text.

A record value is placed inside a Markdown template, sometimes at the start of a line (a
paragraph, an admonition's body). So besides the characters Markdown acts on inside a line
(links, emphasis, code, tables), a value must never be able to start a block: a heading, an
admonition (a fake "Supported" box), a rule, a setext underline, a list, a definition, a
fence, a code block, a snippet include, or a new table row. Every run of white space (line
breaks of every kind included) becomes one space, and a value's first character is made
inert when it could open a block.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Characters Markdown acts on inside a line (links, emphasis, code, tables, attribute lists),
# and '#', which also closes an ATX heading early. All are escapable in Python-Markdown.
_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]()|#])")
# Every kind of white space, line breaks (\r, \v, \f, \x85, U+2028, U+2029) included.
_SPACE = re.compile(r"\s+")
# A start that could open a block, and how its first character is made inert: a backslash
# where Markdown allows one, else a character reference (Markdown shows both as the character).
# ('>', '<' and '&' are HTML-escaped already; '#', '*', '_', '|' and '`' are escaped everywhere.)
# A minus sign before a number ("-1.2") opens nothing and is left alone.
_BLOCK_START = re.compile(
    r"[-+](?:\s|\Z)"  # list item
    r"|-+(?:-|8<)"  # rule, setext underline, snippet include (--8<--)
    r"|[!?=:~]"  # admonition (!!!), collapsible (???), setext (===), definition (: ), fence (~~~)
)
_INERT = {"-": "\\-", "+": "\\+", "!": "\\!", "?": "&#63;", "=": "&#61;", ":": "&#58;", "~": "&#126;"}
_ORDERED = re.compile(r"([0-9]+)([.)])(?=\s|\Z)")  # ordered list: "1. " -> "1\. "


# Characters Python-Markdown's inline patterns act on. Inside a raw HTML tag's attribute they
# are written as character references: Markdown's link pattern runs before its raw-HTML one, so
# `[x](javascript:...)` inside an href became a live link of its own.
_MD_IN_ATTRIBUTE = re.compile(r"[\\`*_{}\[\]()!|<>~^]")


def markdown_attribute(text: str) -> str:
    """Text for a quoted attribute of raw HTML inside a Markdown page: HTML-escaped, one line,
    and every character Markdown could act on written as a character reference (the browser
    reads the same value)."""
    escaped = str(escape(one_line(text)))  # its entities hold none of the characters below
    return _MD_IN_ATTRIBUTE.sub(lambda m: f"&#{ord(m.group())};", escaped)


def one_line(text: str) -> str:
    """Every run of white space, line breaks included, as one space."""
    return _SPACE.sub(" ", text)


def markdown_inline(text: str) -> str:
    """Plain text as Markdown and HTML that shows exactly that text, inside a line."""
    return str(escape(_MD_ACTIVE.sub(r"\\\1", one_line(text))))


def markdown_literal(value: object) -> object:
    """Plain text as one inert line of Markdown (HTML-escaped too); Markup and non-text pass as they are."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    text = markdown_inline(value)
    body = text.lstrip(" ")
    lead = text[: len(text) - len(body)]
    if _BLOCK_START.match(body):
        body = _INERT[body[0]] + body[1:]
    elif _ORDERED.match(body):
        body = _ORDERED.sub(r"\1\\\2", body, count=1)
    return Markup(lead + body)
