"""Where a page's edit button should lead: the YAML record behind a generated page."""

from __future__ import annotations

from build_tools.pages.render import GENERATED_DIR


def edit_url_for(src_uri: str, repo_url: str | None, branch: str = "main") -> str | None:
    """Edit address for a page given its path under docs/, or None for pages with no editable source."""
    if not repo_url:
        return None
    base = f"{repo_url.rstrip('/')}/edit/{branch}/"
    generated = f"{GENERATED_DIR.name}/"
    if not src_uri.startswith(generated):
        return base + f"docs/{src_uri}"
    parts = src_uri[len(generated) :].split("/")
    editable = ("claims", "studies", "sources", "screening")
    if len(parts) == 2 and parts[0] in editable and parts[1] not in ("index.md", "SUMMARY.md"):
        return base + f"{parts[0]}/{parts[1].removesuffix('.md')}.yaml"
    return None  # index pages are generated from many records
