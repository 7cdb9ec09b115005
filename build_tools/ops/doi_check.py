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

# A fetcher returns (HTTP status, parsed JSON or None) for a DOI; status 0: no answer at all.
Fetch = Callable[[str], tuple[int, dict | None]]
# Exit code of `check-dois` when Crossref could not be asked (no network): not a finding.
UNREACHABLE_EXIT = 3
# After this many DOIs in a row with no answer, and none answered, the rest are not tried:
# offline, each try would otherwise wait for its time-out.
GIVE_UP_AFTER = 3


@dataclass(frozen=True)
class DoiFinding:
    study: str
    doi: str
    message: str


def fetch_json(url: str, timeout: float, agent: str) -> tuple[int, dict | None]:
    """GET a Crossref URL and parse its JSON: (HTTP status, body); status 0 when unreachable."""
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        return 0, {"error": str(exc)}


def fetch_crossref(doi: str, timeout: float = 20.0) -> tuple[int, dict | None]:
    """Ask Crossref for one DOI's metadata."""
    return fetch_json(CROSSREF + urllib.parse.quote(doi, safe="/"), timeout, "backwards-walking-evidence doi-check")


@dataclass(frozen=True)
class DoiResult:
    """What one run found, and which DOIs it could not ask about (not findings: no answer came)."""

    findings: list[DoiFinding]
    unchecked: list[DoiFinding]
    checked: int


def _no_answer(status: int) -> bool:
    # No connection (0), or Crossref busy or failing (429, 5xx): nothing was learnt about the DOI.
    return status == 0 or status == 429 or status >= 500


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


def run_doi_check(studies: Iterable[Study], fetch: Fetch | None = None) -> DoiResult:
    """Ask about every study that has a DOI (Crossref unless `fetch` says otherwise); DOIs
    that got no answer are set apart."""
    fetch = fetch or fetch_crossref
    findings, unchecked, answered, misses = [], [], 0, 0
    for study in sorted((s for s in studies if s.doi), key=lambda s: s.id):
        if misses >= GIVE_UP_AFTER and not answered:
            unchecked.append(DoiFinding(study.id, study.doi, "not tried: Crossref did not answer the first ones"))
            continue
        status, payload = fetch(study.doi)
        if _no_answer(status):
            misses += 1
            why = (payload or {}).get("error") or f"status {status}"
            unchecked.append(DoiFinding(study.id, study.doi, f"no answer from Crossref ({why})"))
            continue
        answered, misses = answered + 1, 0
        findings += findings_for(study, status, payload)
    return DoiResult(findings, unchecked, answered)


def check_dois(studies: Iterable[Study], fetch: Fetch | None = None) -> list[DoiFinding]:
    """Every finding for every study that has a DOI (DOIs Crossref did not answer for are not findings)."""
    return run_doi_check(studies, fetch).findings


def report(findings: list[DoiFinding], checked: int, unchecked: list[DoiFinding] | None = None) -> str:
    """A Markdown report for an issue: findings first, then what could not be checked."""
    unchecked = unchecked or []
    if unchecked and not checked:
        return (
            f"# DOI check: Crossref could not be reached, so none of the {len(unchecked)} DOIs was checked\n\n"
            "This says nothing about the records: the network (or Crossref) is down. Run it again when "
            f"api.crossref.org is reachable. First error: {unchecked[0].message}\n"
        )
    if not findings and not unchecked:
        return f"All {checked} DOIs resolve on Crossref, with no retraction, correction or concern notices."
    lines = [f"# DOI check: {len(findings)} finding(s) in {checked} DOIs", ""]
    # Crossref's answers are text from outside: each line printable, one line each.
    if findings:
        lines += [
            "Nothing on the site was changed. For each, read the notice and update the study record "
            "(and the claims citing it) by pull request.",
            "",
        ]
        lines += [printable(f"- `studies/{f.study}.yaml` (doi {f.doi}): {f.message}") for f in findings]
    if unchecked:
        lines += ["", f"Not checked ({len(unchecked)}, Crossref did not answer; not a problem with the record):", ""]
        lines += [printable(f"- `studies/{f.study}.yaml` (doi {f.doi}): {f.message}") for f in unchecked]
    return "\n".join(lines) + "\n"
