"""Every study record was found by a recorded search: it needs an `included` candidate in a
screening log whose `study` is its id. The message says which log and what to write there."""

from __future__ import annotations

import json
import re

from build_tools.records.model import Candidate, KnowledgeBase, ScreeningLog, Study
from build_tools.records.problems import Problem, Severity, problem_at

__all__ = [
    "candidate_entry",
    "check_studies_screened",
    "entry_block",
    "entry_flow",
    "existing_entry_fix",
    "make_entry",
    "same_candidate",
    "suggested_logs",
]

SEARCH_PLACEHOLDER = "TODO-search-id"


def make_entry(
    study_id: str, authors: list[str] | tuple[str, ...], year: object, title: str, design: str, **ids: str
) -> dict[str, object]:
    """A screening entry including a study, from its fields (ids: doi, pmid and url, where known)."""
    entry: dict[str, object] = {
        "id": study_id,
        "first_author": (authors[0].split(",")[0].strip() if authors else "TODO"),
        "year": year,
        "title": title,
    }
    for name in ("doi", "pmid"):
        if ids.get(name):
            entry[name] = ids[name]
    if not (ids.get("doi") or ids.get("pmid")):
        entry["url"] = ids.get("url") or "https://TODO"
    entry.update(found_by=[SEARCH_PLACEHOLDER], design=design, decision="included", study=study_id)
    return entry


def candidate_entry(study: Study) -> dict[str, object]:
    """The screening entry a study record needs, as data (the search that found it left to fill)."""
    return make_entry(
        study.id, study.authors, study.year, study.title, study.design, doi=study.doi, pmid=study.pmid, url=study.url
    )


def _value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, str) and re.fullmatch(r"[a-z0-9][a-z0-9.-]*", value) and not value[0].isdigit():
        return value
    # A JSON string is a valid YAML double-quoted string.
    return json.dumps(value, ensure_ascii=False)


def entry_flow(entry: dict[str, object]) -> str:
    """The entry on one line, as YAML: `- {id: x, year: 2020, ...}`."""
    return "- {" + ", ".join(f"{k}: {_value(v)}" for k, v in entry.items()) + "}"


def entry_block(entry: dict[str, object], indent: str = "  ") -> str:
    """The entry as the block YAML a log uses, ready to paste under `candidates:`."""
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lines.append(f"{indent}{'- ' if i == 0 else '  '}{key}: {_value(value)}")
    return "\n".join(lines) + "\n"


def suggested_logs(study_id: str, kb: KnowledgeBase) -> list[ScreeningLog]:
    """The logs of the topics that serve a claim citing the study (all logs when none does)."""
    citing = {c.id for c in kb.claims.values() if any(link.study == study_id for link in c.evidence)}
    logs = sorted(kb.screening.values(), key=lambda g: g.topic)
    serving = [g for g in logs if citing & set(g.claims)]
    return serving or logs


def same_candidate(
    kb: KnowledgeBase, study_id: str, doi: str = "", pmid: str = ""
) -> tuple[ScreeningLog, int, Candidate, str] | None:
    """A candidate that is this study under another decision or id: the same id, DOI or PMID."""
    for log in sorted(kb.screening.values(), key=lambda g: g.origin.shown):
        for i, c in enumerate(log.candidates):
            if c.id == study_id:
                return log, i, c, "the same id"
            if doi and c.doi.lower() == doi.lower():
                return log, i, c, "the same doi"
            if pmid and c.pmid == pmid:
                return log, i, c, "the same pmid"
    return None


def _same_study(study: Study, kb: KnowledgeBase) -> tuple[ScreeningLog, int, Candidate, str] | None:
    return same_candidate(kb, study.id, study.doi, study.pmid)


def existing_entry_fix(study_id: str, found: tuple[ScreeningLog, int, Candidate, str]) -> tuple[str, str]:
    """(where the log has the study, what to change there) for a candidate that is this study."""
    log, i, c, why = found
    line = log.origin.where("candidates", i, "id")[0]
    fix = f"set `decision: included` and add `study: {study_id}`"
    if c.reason:
        fix += ", and remove its reason"
    if c.id != study_id:
        fix += f"; and use one id for both: rename the candidate to {study_id} (or the study to {c.id})"
    where = f"{log.origin.shown}:{line} has it as candidate '{c.id}' ({why}), decision {c.decision}"
    return where, f"in {log.origin.shown} at line {line}, {fix}"


def _where_to_add(study: Study, kb: KnowledgeBase) -> str:
    logs = suggested_logs(study.id, kb)
    entry = entry_flow(candidate_entry(study))
    if not logs:
        return (
            f"no screening log exists yet: start screening/<topic>.yaml (CONTRIBUTING.md, 'The screening log') "
            f"and add under candidates: {entry}"
        )
    names = " or ".join(g.origin.shown for g in logs[:4]) + (" (or another log)" if len(logs) > 4 else "")
    return (
        f"add under candidates: in {names} (the log of the topic whose search found it): {entry}, "
        f"with found_by naming that search's id"
    )


def _mentioned_by_unloaded_logs(kb: KnowledgeBase) -> str:
    """The text of every screening log that did not load: whether it lists a study is unknown."""
    texts = []
    for key, path in kb.unloaded.items():
        if key.startswith("screening/"):
            try:
                texts.append(path.read_bytes().decode("utf-8", errors="replace"))
            except OSError:
                continue
    return "\n".join(texts)


def check_studies_screened(kb: KnowledgeBase) -> list[Problem]:
    """Each study record has an included candidate whose study is its id."""
    included = {c.study for g in kb.screening.values() for c in g.candidates if c.decision == "included"}
    unloaded = _mentioned_by_unloaded_logs(kb)
    problems = []
    for study in sorted(kb.studies.values(), key=lambda s: s.origin.shown):
        if study.id in included or study.origin.path.stem in included:
            continue
        if unloaded and re.search(rf"(?<![\w-]){re.escape(study.id)}(?![\w-])", unloaded):
            problems.append(
                problem_at(
                    study.origin,
                    ("id",),
                    "not checked: a screening log that names this study has errors",
                    "fix the screening log's problems first",
                    severity=Severity.WARNING,
                )
            )
            continue
        same = _same_study(study, kb)
        if same is not None:
            where, fix = existing_entry_fix(study.id, same)
            problems.append(problem_at(study.origin, ("id",), f"no screening log includes this study: {where}", fix))
            continue
        problems.append(
            problem_at(
                study.origin,
                ("id",),
                "no screening log includes this study: every study record needs an included candidate",
                _where_to_add(study, kb),
            )
        )
    return problems
