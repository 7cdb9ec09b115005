"""What the preview shows when the records it was started with stop being valid: the last
good pages, each with a banner listing the problems (file, line, field, message, hint)."""

from __future__ import annotations

import html
import re

_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
STYLE = (
    "position:sticky;top:0;z-index:10;margin:0;padding:.8rem 1.2rem;background:#fff4f4;color:#5a0000;"
    "border-bottom:3px solid #b00020;font:0.8rem/1.5 system-ui,sans-serif;max-height:50vh;overflow:auto"
)


def preview_banner(page: str, problems: list[str]) -> str:
    """`page` with a banner at the top of its body listing `problems`, each escaped for HTML."""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    banner = (
        f'<div class="preview-problems" role="alert" style="{STYLE}">'
        "<p><strong>The records have problems, so this preview still shows the last good pages.</strong> "
        "Fix these and save: the page reloads by itself.</p>"
        f'<ul style="margin:.4rem 0 0 1.2rem;padding:0">{items}</ul></div>'
    )
    match = _BODY.search(page)
    if match is None:
        return banner + page
    return page[: match.end()] + banner + page[match.end() :]
