"""Post-process rendered HTML: external links open without giving the target page a handle."""

from __future__ import annotations

import re

_EXTERNAL_ANCHOR = re.compile(r"<a\s(?P<attrs>[^>]*\bhref=\"https?://[^\"]*\"[^>]*)>")


def harden_external_links(html: str) -> str:
    """Add rel="noopener noreferrer" to every external <a> that has no rel yet."""

    def fix(match: re.Match[str]) -> str:
        attrs = match.group("attrs")
        if re.search(r"\brel=", attrs):
            return match.group(0)
        return f'<a {attrs} rel="noopener noreferrer">'

    return _EXTERNAL_ANCHOR.sub(fix, html)
