"""Build test records as data: a study or claim dict, dumped to YAML for write_kb."""

from __future__ import annotations

import copy

import yaml
from conftest import CLAIM, STUDY

LOW_RISK = {
    "random_allocation": "yes",
    "concealed_allocation": "yes",
    "baseline_similar": "yes",
    "blind_participants": "no",
    "blind_therapists": "no",
    "blind_assessors": "yes",
    "adequate_follow_up": "yes",
    "intention_to_treat": "yes",
    "between_group_comparison": "yes",
    "point_estimates_variability": "yes",
}
UNCLEAR_RISK = {**LOW_RISK, "concealed_allocation": "unclear", "blind_assessors": "unclear"}
HIGH_RISK = {**LOW_RISK, "concealed_allocation": "no", "blind_assessors": "no"}
NOT_SERIOUS = {"judgement": "not-serious"}


class _NoAliases(yaml.SafeDumper):
    """Write a repeated value out again: the project's reader refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)


def study(sid: str, design: str = "rct", n: int | None = 60, items: dict | None = None, **fields) -> str:
    """A study record: the fixture trial with another id, DOI, design, size and appraisal."""
    data = yaml.safe_load(STUDY)
    data.update(id=sid, doi=f"10.1234/{sid}", design=design)
    data["read_on"] = str(data["read_on"])
    if n is None:
        data["population"].pop("n")
    else:
        data["population"]["n"] = n
    if items is None:
        data.pop("risk_of_bias")
    else:
        data["risk_of_bias"]["items"] = items
    data.update(fields)
    return dump(data)


def grade(**judgements: dict) -> dict:
    """Five domain judgements, not serious unless given (publication bias always with a reason)."""
    base = {
        "risk-of-bias": NOT_SERIOUS,
        "inconsistency": NOT_SERIOUS,
        "indirectness": NOT_SERIOUS,
        "imprecision": NOT_SERIOUS,
        "publication-bias": {"judgement": "not-suspected", "reason": "Nothing suggests missing studies."},
    }
    return {**base, **{k.replace("_", "-"): v for k, v in judgements.items()}}


def serious(level: str = "serious") -> dict:
    return {"judgement": level, "reason": "A reason."}


def link(sid: str, direction: str = "supports", applies_to: str = "same", outcomes: dict | None = None, **more) -> dict:
    entry = {"study": sid, "direction": direction, "applies_to": applies_to}
    if direction != "related":
        entry["outcomes"] = outcomes if outcomes is not None else {"pain": direction}
    return {**entry, **more, "note": "n."}


def outcome(oid: str = "pain", importance: str = "critical", grading: dict | None = None, **more) -> dict:
    entry = {"id": oid, "name": oid.replace("-", " "), "importance": importance, "change": "reduces", **more}
    if grading is not None:
        entry["grade"] = grading
    return entry


def claim(
    evidence: list[dict],
    outcomes: list[dict] | None = None,
    verdict: str = "plausible",
    reason: str = "low-certainty",
) -> str:
    data = yaml.safe_load(CLAIM)
    data["last_reviewed"] = str(data["last_reviewed"])
    data["evidence"] = copy.deepcopy(evidence)
    data["outcomes"] = outcomes if outcomes is not None else [outcome(grading=grade(imprecision=serious()))]
    data.update(verdict=verdict, verdict_reason=reason)
    return dump(data)
