"""Scheduled check: does every cited DOI still resolve, and has any study been retracted or corrected?

Crossref's metadata carries update notices (retractions, corrections, expressions of
concern) on the original article's record. This module only reports; a person decides
what the site says. It needs the network, so it runs in the scheduled GitHub workflow,
not in the test suite (which feeds it recorded responses).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from build_tools.records.model import Study
from build_tools.records.problems import printable

CROSSREF = "https://api.crossref.org/works/"
SERIOUS_UPDATES = {
    "retraction",
    "withdrawal",
    "removal",
    "expression_of_concern",
    "correction",
    "erratum",
    "corrigendum",
    "partial_retraction",
}
SERIOUS_RELATIONS = {"is-retracted-by", "is-corrected-by", "has-expression-of-concern"}

# A fetcher returns (HTTP status, parsed JSON or None) for a DOI.
Fetch = Callable[[str], tuple[int, dict | None]]


@dataclass(frozen=True)
class DoiFinding:
    study: str
    doi: str
    message: str


def fetch_crossref(doi: str, timeout: float = 20.0) -> tuple[int, dict | None]:
    """Ask Crossref for one DOI's metadata."""
    request = urllib.request.Request(
        CROSSREF + urllib.parse.quote(doi, safe="/"), headers={"User-Agent": "backwards-walking-evidence doi-check"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        return 0, {"error": str(exc)}


def findings_for(study: Study, status: int, payload: dict | None) -> list[DoiFinding]:
    """What a Crossref answer says about one study."""
    if status == 404:
        return [DoiFinding(study.id, study.doi, "Crossref does not know this DOI (404): check it on the page read")]
    if status != 200 or not payload or "message" not in payload:
        return [DoiFinding(study.id, study.doi, f"Crossref did not answer usefully (status {status}); try again")]
    message = payload["message"]
    found = []
    for update in message.get("updated-by", []) or []:
        kind = str(update.get("type", "")).lower()
        if kind in SERIOUS_UPDATES:
            found.append(DoiFinding(study.id, study.doi, f"{kind.replace('_', ' ')} notice: {update.get('DOI', '?')}"))
    for relation, targets in (message.get("relation") or {}).items():
        if relation in SERIOUS_RELATIONS:
            ids = ", ".join(str(t.get("id", "?")) for t in targets or [])
            found.append(DoiFinding(study.id, study.doi, f"{relation.replace('-', ' ')}: {ids}"))
    return found


def check_dois(studies: Iterable[Study], fetch: Fetch = fetch_crossref) -> list[DoiFinding]:
    """Every finding for every study that has a DOI."""
    findings = []
    for study in sorted(studies, key=lambda s: s.id):
        if study.doi:
            findings += findings_for(study, *fetch(study.doi))
    return findings


def report(findings: list[DoiFinding], checked: int) -> str:
    """A Markdown report for an issue."""
    if not findings:
        return f"All {checked} DOIs resolve on Crossref, with no retraction, correction or concern notices."
    lines = [
        f"# DOI check: {len(findings)} finding(s) in {checked} DOIs",
        "",
        "Nothing on the site was changed. For each, read the notice and update the study record "
        "(and the claims citing it) by pull request.",
        "",
    ]
    # Crossref's answers are text from outside: printable, one line each.
    lines += [printable(f"- `studies/{f.study}.yaml` (doi {f.doi}): {f.message}") for f in findings]
    return "\n".join(lines) + "\n"
