"""Escaping for record text placed into Markdown pages."""

from __future__ import annotations

import re

from markupsafe import Markup

# Characters Markdown would act on inside record text (links, emphasis, code, tables).
_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]()|])")


def markdown_literal(value: object) -> object:
    """Backslash-escape Markdown syntax in plain text; Markup (already-formatted HTML) passes."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _MD_ACTIVE.sub(r"\\\1", value)
