"""Validate step: rules that span fields or records, on top of the JSON Schema."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from build_tools.checks.claim_rules import check_claim_outcomes, check_trial_appraisal
from build_tools.checks.hints import closest
from build_tools.checks.identifiers import check_identifier_pages
from build_tools.checks.reading import check_reading
from build_tools.checks.screened_studies import check_studies_screened
from build_tools.checks.screening import check_screening
from build_tools.checks.source_rules import check_sources
from build_tools.records.grammar import identifier_key
from build_tools.records.model import RATIO_MEASURES, RESERVED_IDS, Claim, KnowledgeBase, Located, Study
from build_tools.records.problems import Problem, Severity
from build_tools.records.problems import problem_at as _at


def _closest_id(word: str, ids: Iterable[str]) -> str:
    near = closest(word, ids)
    return f"did you mean '{near}'?" if near else "no similar id exists; add the record first"


def check_ids(kb: KnowledgeBase) -> list[Problem]:
    """Each record's id equals its file name."""
    problems = []
    for records, key in ((kb.sources, "id"), (kb.studies, "id"), (kb.claims, "id"), (kb.screening, "topic")):
        for record in records.values():
            stem = record.origin.path.stem
            if record.id != stem:
                problems.append(
                    _at(
                        record.origin,
                        (key,),
                        f"{key} '{record.id}' does not match the file name '{stem}.yaml'",
                        f"rename the file to {record.id}.yaml or set {key}: {stem}",
                    )
                )
    return problems


def check_reserved_ids(kb: KnowledgeBase) -> list[Problem]:
    """No id names a page or download the build makes anyway (index, bibliography, ...)."""
    problems = []
    for kind, reserved in RESERVED_IDS.items():
        key = "topic" if kind == "screening" else "id"  # a screening log's id is its topic
        for record in getattr(kb, kind).values():
            if record.id in reserved:
                message = f"{key} '{record.id}' is reserved: the build makes a page or download of that name"
                hint = f"choose another {key}, and name the file after it"
                problems.append(_at(record.origin, (key,), message, hint))
    return problems


def check_unique_identifiers(studies: dict[str, Study]) -> list[Problem]:
    """One study per DOI, per PMID and per PMCID, compared as people read them (case, look-alike
    and invisible characters do not make a new study)."""
    problems = []
    for key in ("doi", "pmid", "pmcid"):
        seen: dict[str, Study] = {}
        for study in sorted(studies.values(), key=lambda s: s.origin.shown):
            value = identifier_key(getattr(study, key))
            if not value:
                continue
            if value in seen:
                other = seen[value].origin.shown
                problems.append(
                    _at(
                        study.origin,
                        (key,),
                        f"{key} {getattr(study, key)} is already used by {other}",
                        "one study, one record: merge the two files",
                    )
                )
            else:
                seen[value] = study
    return problems


def check_study_fields(study: Study, today: dt.date) -> list[Problem]:
    """Rules within one study that a JSON Schema cannot express."""
    problems = []
    if study.design == "systematic-review" and study.included_studies is None:
        problems.append(
            _at(
                study.origin,
                ("design",),
                "a systematic review needs included_studies",
                "add included_studies: {count: N, rcts: N}",
            )
        )
    if study.design != "systematic-review" and study.included_studies is not None:
        problems.append(
            _at(
                study.origin,
                ("included_studies",),
                "included_studies is only for systematic reviews",
                "remove it, or correct the design",
            )
        )
    for i, author in enumerate(study.authors):
        if author == "others" and (i == 0 or i != len(study.authors) - 1):
            problems.append(
                _at(
                    study.origin,
                    ("authors", i),
                    "'others' stands for the authors not shown, so it comes last, after at least one name",
                    "move it to the end of the list, or remove it",
                )
            )
    included = study.included_studies
    if included and included.rcts is not None and included.rcts > included.count:
        problems.append(_at(study.origin, ("included_studies", "rcts"), "more randomised trials than included studies"))
    if study.appraisal and study.appraisal.score > study.appraisal.max:
        problems.append(_at(study.origin, ("appraisal", "score"), "score is above the tool's maximum"))
    for i, effect in enumerate(study.effects):
        if not effect.ci_low <= effect.value <= effect.ci_high:
            problems.append(
                _at(
                    study.origin,
                    ("effects", i, "value"),
                    f"{effect.value} lies outside its CI [{effect.ci_low}, {effect.ci_high}]",
                    "check the order: value, ci_low, ci_high",
                )
            )
    for i, effect in enumerate(study.effects):
        if effect.measure in RATIO_MEASURES:
            for name in ("value", "ci_low", "ci_high"):
                number = getattr(effect, name)
                if number <= 0:
                    problems.append(
                        _at(
                            study.origin,
                            ("effects", i, name),
                            f"a {effect.measure} is greater than 0 (got {number:g})",
                            "a ratio of 1 means no difference; give the ratio itself, not its logarithm",
                        )
                    )
                    break
    read_on = dt.date.fromisoformat(study.read_on)
    if read_on > today:
        problems.append(_at(study.origin, ("read_on",), f"{study.read_on} is in the future"))
    elif read_on.year < study.year:
        problems.append(
            _at(
                study.origin,
                ("read_on",),
                f"read on {study.read_on}, before the study was published ({study.year})",
                "check read_on and year",
            )
        )
    if study.year > today.year:
        problems.append(_at(study.origin, ("year",), f"{study.year} is in the future"))
    return problems


def _unresolved(origin: Located, field: tuple, kind: str, ref: str, kb: KnowledgeBase) -> list[Problem]:
    """A problem if `ref` names no record of `kind`; a record file that exists but did not
    load is named instead of guessing at another id (its own problems fail the check)."""
    records = getattr(kb, kind)
    if ref in records:
        return []
    broken = kb.broken_file(kind, ref)
    if broken is not None:
        return [
            _at(
                origin,
                field,
                f"{broken} exists but has errors: fix it first",
                f"its problems are listed under {broken}",
                severity=Severity.WARNING,
            )
        ]
    noun = "study" if kind == "studies" else "source"
    return [_at(origin, field, f"unknown {noun} '{ref}'", _closest_id(ref, records))]


def check_claim(claim: Claim, kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """A claim's references resolve, it cites each study once, and its date is real."""
    problems = []
    seen: dict[str, int] = {}
    for i, link in enumerate(claim.evidence):
        problems += _unresolved(claim.origin, ("evidence", i, "study"), "studies", link.study, kb)
        if link.study in seen:
            problems.append(
                _at(
                    claim.origin,
                    ("evidence", i, "study"),
                    f"study '{link.study}' is listed twice (first as evidence[{seen[link.study]}])",
                    "merge the two entries",
                )
            )
        seen.setdefault(link.study, i)
    for i, said in enumerate(claim.claimed_by):
        problems += _unresolved(claim.origin, ("claimed_by", i, "source"), "sources", said.source, kb)
        for j, credited in enumerate(said.credits):
            problems += _unresolved(claim.origin, ("claimed_by", i, "credits", j), "studies", credited, kb)
    if dt.date.fromisoformat(claim.last_reviewed) > today:
        problems.append(_at(claim.origin, ("last_reviewed",), f"{claim.last_reviewed} is in the future"))
    return problems


STALE_AFTER_DAYS = 548  # about 18 months


def check_stale(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Warn about claims not reviewed for about 18 months (shown, but do not fail)."""
    problems = []
    for claim in kb.claims.values():
        age = (today - dt.date.fromisoformat(claim.last_reviewed)).days
        if age > STALE_AFTER_DAYS:
            problems.append(
                _at(
                    claim.origin,
                    ("last_reviewed",),
                    f"last reviewed {age} days ago",
                    "check the claim against newer studies and update last_reviewed",
                    severity=Severity.WARNING,
                )
            )
    return problems


def _mentioned_by_unloaded_claims(kb: KnowledgeBase) -> str:
    """The text of every claim file that did not load: what it cites is not known otherwise."""
    texts = []
    for key, path in kb.unloaded.items():
        if key.startswith("claims/"):
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            # Saved in another encoding is one of the ways a claim fails to load.
            encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
            texts.append(raw.decode(encoding, errors="replace"))
    return "\n".join(texts)


def check_unused(kb: KnowledgeBase) -> list[Problem]:
    """Warn about studies and sources that no claim uses (shown, but do not fail); a record a
    claim that failed to load mentions is not reported: that claim may well cite it."""
    cited = {link.study for c in kb.claims.values() for link in c.evidence}
    cited |= {sid for c in kb.claims.values() for said in c.claimed_by for sid in said.credits}
    used = {said.source for c in kb.claims.values() for said in c.claimed_by}
    unloaded_text = _mentioned_by_unloaded_claims(kb)

    def mentioned(record_id: str) -> bool:
        pattern = rf"(?<![\w-]){re.escape(record_id)}(?![\w-])"
        return bool(unloaded_text) and re.search(pattern, unloaded_text) is not None

    problems = [
        _at(
            s.origin,
            ("id",),
            "no claim cites or credits this study",
            "cite it from a claim or remove it",
            severity=Severity.WARNING,
        )
        # Cited by its file name counts too: when the id inside differs, that is its own error.
        for s in kb.studies.values()
        if s.id not in cited and s.origin.path.stem not in cited and not mentioned(s.id)
    ]
    problems += [
        _at(s.origin, ("id",), "no claim uses this source", "", severity=Severity.WARNING)
        for s in kb.sources.values()
        if s.id not in used and not mentioned(s.id)
    ]
    return problems


def _title_key(study: Study) -> tuple[str, int]:
    return re.sub(r"[^a-z0-9]+", " ", study.title.lower()).strip(), study.year


def check_same_study_twice(studies: dict[str, Study]) -> list[Problem]:
    """Warn when two records have the same title and year: likely one study under two DOIs."""
    seen: dict[tuple[str, int], Study] = {}
    problems = []
    for study in sorted(studies.values(), key=lambda s: s.origin.shown):
        key = _title_key(study)
        if key in seen:
            problems.append(
                _at(
                    study.origin,
                    ("title",),
                    f"looks like the same study as {seen[key].origin.shown} (same title and year)",
                    "one study, one record: merge the two files, keeping the DOI and PMID the page showed",
                    severity=Severity.WARNING,
                )
            )
        else:
            seen[key] = study
    return problems


def validate(kb: KnowledgeBase, today: dt.date | None = None) -> list[Problem]:
    """Every cross-field and cross-record problem (verdict ceilings are checked after rating)."""
    today = today or dt.date.today()
    problems = check_ids(kb) + check_reserved_ids(kb) + check_unique_identifiers(kb.studies)
    problems += check_same_study_twice(kb.studies)
    for study in kb.studies.values():
        problems += check_study_fields(study, today) + check_reading(study) + check_identifier_pages(study, today)
    for claim in kb.claims.values():
        problems += check_claim(claim, kb, today) + check_claim_outcomes(claim, kb)
    problems += check_trial_appraisal(kb) + check_sources(kb, today)
    problems += check_screening(kb, today) + check_studies_screened(kb)
    return problems + check_unused(kb) + check_stale(kb, today)
