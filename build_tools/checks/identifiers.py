"""The rule for PMIDs and PMCIDs: a number goes in only where a page printed it for this article.

The page in `url` shows it when that is the PubMed or PubMed Central page of the number (a
PubMed Central article page prints the PMID in its citation too). Otherwise the record says
which page printed it, in `identifier_pages`, copying the words printed with it; a mirror's
page may be that page. A number seen only inside an address, or worked out from one, is not
printed: it is left out and named in missing_fields.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from build_tools.checks.reading import reading_group
from build_tools.records.model import Study
from build_tools.records.problems import Problem, Severity, problem_at

KINDS = {"pmid": "PMID", "pmcid": "PMCID"}


def _number(kind: str, value: str) -> re.Pattern[str]:
    """The identifier as a page prints it: the digits standing alone; a PMCID with or without 'PMC'."""
    digits = value.upper().removeprefix("PMC")
    prefix = "(?:PMC\\s*)?" if kind == "pmcid" else ""
    return re.compile(rf"(?i)(?<![0-9]){prefix}{digits}(?![0-9])")


def _is_pmc_page(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.hostname or "").startswith("pmc.") or "/pmc/" in parts.path.lower()


def shown_by_url(study: Study, kind: str) -> bool:
    """Whether the page in url is the PubMed or PubMed Central page that prints this identifier."""
    value = getattr(study, kind)
    if not value or reading_group(study.url) != "pubmed":
        return False
    if _number(kind, value).search(study.url):
        return True
    # A PubMed Central article page prints the article's PMID in its citation.
    return kind == "pmid" and bool(study.pmcid) and _is_pmc_page(study.url) and study.pmcid.lower() in study.url.lower()


def check_identifier_pages(study: Study, today: dt.date) -> list[Problem]:
    """Each PMID and PMCID was printed on the page read, or on the page identifier_pages names."""
    problems = []
    pages = dict(study.identifier_pages)
    for kind, label in KINDS.items():
        value, page = getattr(study, kind), pages.get(kind)
        field = ("identifier_pages", kind)
        if page is not None and not value:
            problems.append(
                problem_at(
                    study.origin,
                    field,
                    f"names the page that printed the {label}, but the record has no {kind}",
                    f"add {kind}: as that page printed it, or delete identifier_pages.{kind}",
                    key=True,
                )
            )
            continue
        if page is not None:
            if not _number(kind, value).search(page.printed_as):
                problems.append(
                    problem_at(
                        study.origin,
                        (*field, "printed_as"),
                        f"does not show the {label} {value}",
                        f"copy the words the page printed with the number (e.g. '{label}: {value}'); a number "
                        "seen only in an address, or worked out, is not printed: delete it and name it in "
                        "missing_fields",
                    )
                )
            if dt.date.fromisoformat(page.read_on) > today:
                problems.append(problem_at(study.origin, (*field, "read_on"), f"{page.read_on} is in the future"))
        elif value and not shown_by_url(study, kind):
            problems.append(
                problem_at(
                    study.origin,
                    (kind,),
                    f"no page in the record is shown to print this {label}: the page in url is not its "
                    "PubMed or PubMed Central page",
                    f"name the page that printed it in identifier_pages.{kind} (url, read_on, printed_as), even "
                    "when it is the page in url; if no page printed it as this article's "
                    f"{label}, delete it and name it in missing_fields",
                    severity=Severity.WARNING,
                )
            )
    return problems
