"""Rules for the screening logs that span fields, candidates and logs, on top of their JSON
Schema (which already refuses unknown fields, a missing decision and a decision or reason
outside the fixed lists): what each decision needs, that every search a candidate names
exists, that ids are unique, and that one study has one candidate id, one DOI and one decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from build_tools.checks.hints import closest
from build_tools.records.model import Candidate, KnowledgeBase, ScreeningLog
from build_tools.records.problems import Problem, Severity, problem_at

__all__ = ["check_screening", "search_index"]


def _near(word: str, options: Iterable[str], noun: str) -> str:
    near = closest(word, options)
    return f"did you mean '{near}'?" if near else f"no {noun} has that id"


def _place(log: ScreeningLog, *field: str | int) -> str:
    """'screening/knee.yaml:12', for messages that point at another entry."""
    return f"{log.origin.shown}:{log.origin.where(*field)[0]}"


def search_index(logs: Iterable[ScreeningLog]) -> dict[str, tuple[ScreeningLog, int]]:
    """Every search id -> (its log, its position); the first one wins when an id is used twice."""
    index: dict[str, tuple[ScreeningLog, int]] = {}
    for log in sorted(logs, key=lambda g: g.origin.shown):
        for i, search in enumerate(log.searches):
            index.setdefault(search.id, (log, i))
    return index


def _study_ref(log: ScreeningLog, field: tuple, ref: str, kb: KnowledgeBase, what: str) -> list[Problem]:
    """A problem when `ref` names no study record (a study file with errors is named instead)."""
    if ref in kb.studies:
        return []
    broken = kb.broken_file("studies", ref)
    if broken is not None:
        return [
            problem_at(
                log.origin,
                field,
                f"{broken} exists but has errors: fix it first",
                f"its problems are listed under {broken}",
                severity=Severity.WARNING,
            )
        ]
    hint = _near(ref, kb.studies, "study")
    if hint.startswith("no "):
        hint = f"{what}: add studies/{ref}.yaml first, or correct the id"
    return [problem_at(log.origin, field, f"unknown study '{ref}'", hint)]


def check_log_claims(log: ScreeningLog, kb: KnowledgeBase) -> list[Problem]:
    """Every claim a topic says it serves exists (a reserved topic name is checks.validation's)."""
    problems = []
    for i, cid in enumerate(log.claims):
        if cid in kb.claims or kb.broken_file("claims", cid) is not None:
            continue
        problems.append(problem_at(log.origin, ("claims", i), f"unknown claim '{cid}'", _near(cid, kb.claims, "claim")))
    return problems


def check_searches(logs: list[ScreeningLog], kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Search ids are unique across every log; a reference-list search names the study whose list it followed."""
    problems, first = [], search_index(logs)
    for log in sorted(logs, key=lambda g: g.origin.shown):
        for i, search in enumerate(log.searches):
            owner, j = first[search.id]
            if (owner.topic, j) != (log.topic, i):
                problems.append(
                    problem_at(
                        log.origin,
                        ("searches", i, "id"),
                        f"search id '{search.id}' is already used at {_place(owner, 'searches', j, 'id')}",
                        "search ids are unique across every log: give this search the next free number",
                    )
                )
            if search.where == "reference-list" and not search.of_study:
                problems.append(
                    problem_at(
                        log.origin,
                        ("searches", i, "where"),
                        "a reference-list search needs of_study",
                        "add `of_study:` with the id of the study record whose reference list you followed",
                    )
                )
            if search.of_study and search.where != "reference-list":
                problems.append(
                    problem_at(
                        log.origin,
                        ("searches", i, "of_study"),
                        f"of_study is only for where: reference-list (this search is where: {search.where})",
                        "remove of_study, or set where: reference-list",
                    )
                )
            if search.of_study:
                problems += _study_ref(
                    log, ("searches", i, "of_study"), search.of_study, kb, "of_study names a study record"
                )
            if dt.date.fromisoformat(search.date) > today:
                problems.append(problem_at(log.origin, ("searches", i, "date"), f"{search.date} is in the future"))
    return problems


def check_decision(log: ScreeningLog, i: int, c: Candidate, kb: KnowledgeBase) -> list[Problem]:
    """What each decision needs: included a study, excluded a reason and a note, awaiting a note."""
    at = lambda field, message, hint="": problem_at(log.origin, ("candidates", i, *field), message, hint)  # noqa: E731
    problems = []
    if c.decision == "included":
        if not c.study:
            problems.append(
                at(("decision",), "an included candidate needs study", "add `study:` with its study record's id")
            )
        else:
            problems += _study_ref(log, ("candidates", i, "study"), c.study, kb, "an included candidate has a record")
        if c.reason:
            problems.append(at(("reason",), "reason is only for excluded candidates", "remove it, or set the decision"))
    else:
        if c.study:
            problems.append(
                at(
                    ("study",),
                    f"study is only for included candidates (this one is {c.decision})",
                    "remove it, or set decision: included",
                )
            )
        if c.decision == "excluded" and not c.reason:
            problems.append(
                at(("decision",), "an excluded candidate needs a reason", "add `reason:` from the fixed list")
            )
        if c.decision == "awaiting" and c.reason:
            problems.append(
                at(("reason",), "reason is only for excluded candidates", "remove it, or set decision: excluded")
            )
        if not c.note:
            what = "what the pages showed, and why it is out" if c.decision == "excluded" else "what is still missing"
            problems.append(at(("decision",), f"an {c.decision} candidate needs a note", f"add `note:` saying {what}"))
    # An included candidate is found through its study record, which has its own identifiers and address;
    # a search result that showed no address at all is excluded as citation-not-confirmed, its note saying so.
    if not (c.doi or c.pmid or c.url or c.decision == "included" or c.reason == "citation-not-confirmed"):
        problems.append(
            at(("id",), "a candidate needs a doi, a pmid or a url", "add the address of the page where you saw it")
        )
    return problems


def check_candidates(logs: list[ScreeningLog], kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Every candidate's decision, its searches, and one id, one DOI, one PMID and one decision per study."""
    problems: list[Problem] = []
    searches = search_index(logs)
    by_id: dict[str, tuple[ScreeningLog, int, Candidate]] = {}
    by_key: dict[tuple[str, str], tuple[ScreeningLog, int, Candidate]] = {}
    for log in sorted(logs, key=lambda g: g.origin.shown):
        seen_here: dict[str, int] = {}
        for i, c in enumerate(log.candidates):
            problems += check_decision(log, i, c, kb)
            for j, sid in enumerate(c.found_by):
                if sid not in searches:
                    problems.append(
                        problem_at(
                            log.origin,
                            ("candidates", i, "found_by", j),
                            f"unknown search '{sid}'",
                            _near(sid, searches, "search") + "; found_by names searches[].id of any log",
                        )
                    )
            if c.year is not None and c.year > today.year:
                problems.append(problem_at(log.origin, ("candidates", i, "year"), f"{c.year} is in the future"))
            if c.id in seen_here:
                problems.append(
                    problem_at(
                        log.origin,
                        ("candidates", i, "id"),
                        f"candidate '{c.id}' is listed twice in this log (first at line "
                        f"{log.origin.where('candidates', seen_here[c.id], 'id')[0]})",
                        "merge the two entries: add the second one's searches to the first one's found_by",
                    )
                )
                continue
            seen_here[c.id] = i
            problems += _same_candidate_agrees(log, i, c, by_id)
            problems += _one_id_per_study(log, i, c, by_key)
            problems += _agrees_with_its_study(log, i, c, kb)
    return problems


def _same_candidate_agrees(log: ScreeningLog, i: int, c: Candidate, by_id: dict) -> list[Problem]:
    """The same candidate id in two logs is one study: the same DOI, PMID, decision and record."""
    if c.id not in by_id:
        by_id[c.id] = (log, i, c)
        return []
    other_log, j, other = by_id[c.id]
    problems = []
    for name in ("doi", "pmid", "decision", "study"):
        mine, theirs = getattr(c, name), getattr(other, name)
        # An identifier one entry leaves out is not a disagreement; a different one is.
        if name in ("doi", "pmid") and not (mine and theirs):
            continue
        if mine.lower() != theirs.lower():
            problems.append(
                problem_at(
                    log.origin,
                    ("candidates", i, name if mine else "id"),
                    f"candidate '{c.id}' has {name} {mine or '(none)'} here but {theirs or '(none)'} at "
                    f"{_place(other_log, 'candidates', j, 'id')}",
                    "the same id in two logs is the same study: give both entries the same "
                    f"{name}, or give one of them another id",
                )
            )
    return problems


def _one_id_per_study(log: ScreeningLog, i: int, c: Candidate, by_key: dict) -> list[Problem]:
    """Two candidate ids never share a DOI, a PMID or an included study record."""
    problems = []
    for name, value in (("doi", c.doi.lower()), ("pmid", c.pmid), ("study", c.study)):
        if not value:
            continue
        key = (name, value)
        if key not in by_key:
            by_key[key] = (log, i, c)
            continue
        other_log, j, other = by_key[key]
        if other.id != c.id:
            what = f"includes study {value}" if name == "study" else f"has {name} {getattr(c, name)}"
            problems.append(
                problem_at(
                    log.origin,
                    ("candidates", i, name),
                    f"candidate '{c.id}' {what}, like candidate '{other.id}' at "
                    f"{_place(other_log, 'candidates', j, 'id')}",
                    f"one study, one candidate id: use '{other.id}' here too (the same study in two logs "
                    "has the same id), or correct the identifier",
                )
            )
    return problems


def _agrees_with_its_study(log: ScreeningLog, i: int, c: Candidate, kb: KnowledgeBase) -> list[Problem]:
    """An included candidate's DOI and PMID, where both give one, are its study record's."""
    study = kb.studies.get(c.study) if c.decision == "included" else None
    if study is None:
        return []
    problems = []
    for name in ("doi", "pmid"):
        mine, theirs = getattr(c, name), getattr(study, name)
        if mine and theirs and mine.lower() != theirs.lower():
            problems.append(
                problem_at(
                    log.origin,
                    ("candidates", i, name),
                    f"{name} {mine} differs from {study.origin.shown}'s {name} {theirs}",
                    "copy the identifier exactly as the page shows it, in both files",
                )
            )
    return problems


def check_claims_served(kb: KnowledgeBase) -> list[Problem]:
    """Warn about a claim no log lists: its coverage can count no excluded or awaiting study."""
    served = {cid for g in kb.screening.values() for cid in g.claims}
    if any(key.startswith("screening/") for key in kb.unloaded):
        return []  # a log with errors may list it
    return [
        problem_at(
            claim.origin,
            ("id",),
            "no screening log lists this claim",
            "add its id to `claims:` in the log of the topic whose searches serve it",
            severity=Severity.WARNING,
        )
        for claim in sorted(kb.claims.values(), key=lambda c: c.origin.shown)
        if claim.id not in served
    ]


def check_screening(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Every cross-field and cross-log problem in the screening logs."""
    logs = list(kb.screening.values())
    problems = []
    for log in logs:
        problems += check_log_claims(log, kb)
    problems += check_searches(logs, kb, today) + check_candidates(logs, kb, today)
    return problems + check_claims_served(kb)
