"""The reading rule: every study was read where its publisher, PubMed, PubMed Central, PEDro
or a trial registry shows it, or the record says why it was read on a copy elsewhere.

The sites allowed are listed in one file, reading_hosts.yaml beside this module, so adding
a journal's own site is a one-line change a reviewer sees. Its `mirrors` group lists known
indexes and copies: never accepted without third_party_copy, and named as such in the hint.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import yaml

from build_tools.records.model import Study
from build_tools.records.problems import Problem, Severity, problem_at

HOSTS_FILE = "build_tools/checks/reading_hosts.yaml"
MIRRORS = "mirrors"  # the one group of reading_hosts.yaml that the reading rule does not accept


@cache
def reading_hosts() -> dict[str, tuple[str, ...]]:
    """{group: hosts} from reading_hosts.yaml (our own file, read once)."""
    text = resources.files("build_tools.checks").joinpath("reading_hosts.yaml").read_text(encoding="utf-8")
    return {group: tuple(str(h).lower() for h in hosts) for group, hosts in yaml.safe_load(text).items()}


def reading_group(url: str) -> str | None:
    """The kind of site `url` is on ('pubmed', 'publishers', ...), or None if it is not listed."""
    return _host_group((urlsplit(url).hostname or "").lower().removeprefix("www."))


@cache
def _host_group(host: str) -> str | None:
    # Asked for every study by the check, each page and each export: once per host is enough.
    for group, hosts in reading_hosts().items():
        for allowed in hosts:
            allowed = allowed.removeprefix("www.")
            if host == allowed or host.endswith("." + allowed):
                return group
    return None


def check_reading(study: Study) -> list[Problem]:
    """An error for a study read on a site the rule does not accept and not marked as a copy."""
    group = reading_group(study.url)
    host = urlsplit(study.url).hostname or study.url
    if group == MIRRORS:
        group = None
        if not study.third_party_copy:
            doi_page = f" (https://doi.org/{study.doi} opens it)" if study.doi else ""
            return [
                problem_at(
                    study.origin,
                    ("url",),
                    f"{host} is an index or a copy of other sites' pages (listed under {MIRRORS} in {HOSTS_FILE}), "
                    "not the journal, PubMed, PubMed Central, PEDro or a trial registry",
                    f"read the study on its journal's page{doi_page}, PubMed or PubMed Central and put that address "
                    "in url; if only this copy shows it, keep this url and say why in third_party_copy",
                )
            ]
    if group is not None and study.third_party_copy:
        return [
            problem_at(
                study.origin,
                ("third_party_copy",),
                f"url is on {host}, a site the reading rule accepts, so this is not a third-party copy",
                "delete third_party_copy",
                severity=Severity.WARNING,
            )
        ]
    if group is not None or study.third_party_copy:
        return []
    doi_page = f" (https://doi.org/{study.doi} opens it)" if study.doi else ""
    return [
        problem_at(
            study.origin,
            ("url",),
            f"{host} is not a journal, PubMed, PubMed Central, PEDro or trial-registry page",
            f"read the study on its journal's page{doi_page}, PubMed or PubMed Central, and put that address "
            f"in url; if {host} is the journal's own site, add it under publishers in {HOSTS_FILE}; if only "
            "a copy elsewhere shows it, keep this url and say why in third_party_copy",
        )
    ]
