"""What the site tells machines about where it lives: per-page dates for the sitemap, robots.txt
pointing at the sitemap, and no sitemap at all when the site has no public address.

MkDocs gives every page the build's date, so its sitemap said the whole site changed at once (or
on 1 January 1970 outside git). Record pages carry their own date in their front matter (the
latest review or change, from the change log); hand-written pages take their file's last commit;
outside git, the newest date the records hold.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

DATE_KEY = "date_modified"  # the front-matter key the render step writes


def doc_dates(root: Path) -> dict[str, str]:
    """{'docs/about.md': 'YYYY-MM-DD'}: each hand-written page's last commit (empty outside git)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "--format=\x1e%cs", "--name-only", "--", "docs"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    for block in out.split("\x1e")[1:]:
        date, *paths = block.strip("\n").split("\n")
        for path in paths:
            dates.setdefault(path.strip(), date)  # newest first: the first date seen is the latest
    return dates


def page_date(meta: dict, src_uri: str, dates: dict[str, str], fallback: str) -> str:
    """The date a page last changed, for its sitemap entry."""
    given = meta.get(DATE_KEY)
    if given:
        return str(given)
    return dates.get(f"docs/{src_uri}", fallback)


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def section_sitemap(sitemap: str, section_url: str) -> str:
    """The entries of a sitemap whose address is under `section_url`, as a sitemap of their own
    (sitemaps.org lets a sitemap list the addresses under its own folder)."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.fromstring(sitemap)
    for url in list(root):
        loc = url.find(f"{{{SITEMAP_NS}}}loc")
        if loc is None or not (loc.text or "").startswith(section_url):
            root.remove(url)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def finish_site(site_dir: Path, site_url: str) -> None:
    """robots.txt naming the sitemap when the site has an address; otherwise no sitemap, since
    MkDocs writes an empty one that the sitemaps.org schema rejects.

    Material's theme looks for a sitemap beside the address of every <link rel="alternate"> in a
    page head (it maps language versions), and the feed's link is one: kb/ gets the sitemap of
    its own pages, so that look-up finds a file instead of logging a 404 on every page."""
    if site_url:
        base = site_url.rstrip("/") + "/"
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"
        (site_dir / "robots.txt").write_text(robots, encoding="utf-8")
        sitemap = site_dir / "sitemap.xml"
        if sitemap.is_file():
            kb = section_sitemap(sitemap.read_text(encoding="utf-8"), base + "kb/")
            (site_dir / "kb" / "sitemap.xml").write_text(kb, encoding="utf-8")
        return
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
