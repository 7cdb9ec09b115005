"""Rules within one claim that its JSON Schema cannot express: outcome ids resolve, each study
says what it measured, directions agree with themselves, and GRADE judgements are there
exactly where an outcome has results."""

from __future__ import annotations

import difflib

from build_tools.records.model import Claim, KnowledgeBase
from build_tools.records.problems import Problem, problem_at

TESTED = ("supports", "contradicts", "no-effect", "mixed")
APPRAISED_DESIGNS = ("rct", "crossover")
REASON_NEEDED = ("serious", "very-serious", "suspected", "strongly-suspected")


def _closest(word: str, options: list[str]) -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    hint = f"did you mean '{match[0]}'? " if match else ""
    return f"{hint}the claim's outcomes are: {', '.join(options)}"


def _link_agrees(direction: str, outcome_directions: list[str]) -> bool:
    """Whether a link's overall direction agrees with its directions per outcome."""
    if direction == "supports":
        return any(d in ("supports", "mixed") for d in outcome_directions)
    if direction == "contradicts":
        return "contradicts" in outcome_directions
    if direction == "no-effect":
        return "no-effect" in outcome_directions and "supports" not in outcome_directions
    if direction == "mixed":
        return "mixed" in outcome_directions or len(set(outcome_directions) - {"unclear"}) > 1
    if direction == "unclear":
        return set(outcome_directions) == {"unclear"}
    return True


def check_claim_outcomes(claim: Claim, kb: KnowledgeBase) -> list[Problem]:
    """Outcomes are named once, evidence links say which they measured, GRADE where results exist."""
    problems: list[Problem] = []
    ids = list(claim.outcome_ids)
    for i, oid in enumerate(ids):
        if oid in ids[:i]:
            problems.append(problem_at(claim.origin, ("outcomes", i, "id"), f"outcome '{oid}' is named twice"))
    usable: set[str] = set()
    for i, link in enumerate(claim.evidence):
        field = ("evidence", i)
        if link.direction == "related":
            if link.outcomes:
                problems.append(
                    problem_at(
                        claim.origin,
                        (*field, "outcomes"),
                        "a 'related' study measured none of the claim's outcomes, so it lists none",
                        "remove outcomes:, or give the study the direction it found",
                    )
                )
            continue
        if not link.outcomes:
            problems.append(
                problem_at(
                    claim.origin,
                    (*field, "direction"),
                    f"a '{link.direction}' study must say which of the claim's outcomes it measured",
                    f"add outcomes: {{{ids[0]}: {link.direction}}} (outcomes: {', '.join(ids)}), "
                    "or use direction: related if it measured none",
                )
            )
            continue
        for oid, direction in link.outcomes:
            if oid not in ids:
                problems.append(
                    problem_at(claim.origin, (*field, "outcomes", oid), f"unknown outcome '{oid}'", _closest(oid, ids))
                )
            elif direction in TESTED:
                usable.add(oid)
        directions = [d for _, d in link.outcomes]
        if not _link_agrees(link.direction, directions):
            problems.append(
                problem_at(
                    claim.origin,
                    (*field, "direction"),
                    f"direction '{link.direction}' disagrees with what the study found per outcome "
                    f"({', '.join(f'{o}: {d}' for o, d in link.outcomes)})",
                    "make the overall direction say what its outcomes say ('mixed' when they differ)",
                )
            )
    for i, outcome in enumerate(claim.outcomes):
        field = ("outcomes", i)
        if outcome.id in usable and outcome.grade is None:
            problems.append(
                problem_at(
                    claim.origin,
                    (*field, "id"),
                    f"outcome '{outcome.id}' has results from cited studies but no GRADE judgements",
                    "add grade: with risk-of-bias, inconsistency, indirectness, imprecision and publication-bias",
                )
            )
        if outcome.id not in usable and outcome.grade is not None:
            problems.append(
                problem_at(
                    claim.origin,
                    (*field, "grade"),
                    f"no cited study gave a result for '{outcome.id}', so it has no certainty to judge",
                    "remove grade: (the outcome shows 'no studies'), or cite the study that measured it",
                )
            )
        for domain, judgement in (outcome.grade or {}).items():
            if judgement.judgement in REASON_NEEDED and not judgement.reason:
                problems.append(
                    problem_at(
                        claim.origin,
                        (*field, "grade", domain, "judgement"),
                        f"{domain} is '{judgement.judgement}' without a reason",
                        "add reason: saying why, in plain words",
                    )
                )
    return problems


def check_trial_appraisal(kb: KnowledgeBase) -> list[Problem]:
    """Every randomised or crossover trial carries an item-level appraisal; a PEDro total agrees."""
    problems = []
    for study in kb.studies.values():
        rob = study.risk_of_bias
        if study.design in APPRAISED_DESIGNS and (rob is None or rob.items is None):
            problems.append(
                problem_at(
                    study.origin,
                    ("design",),
                    "a randomised or crossover trial needs an item-level appraisal (risk_of_bias with items:)",
                    "copy the PEDro items from its PEDro database page (source: pedro-database), or rate them "
                    "yourself from the pages you read (source: ours), writing 'unclear' where a page is silent",
                )
            )
            continue
        if rob is None:
            continue
        if rob.items is None and rob.source != "review":
            problems.append(
                problem_at(
                    study.origin,
                    ("risk_of_bias", "source"),
                    "a trial's appraisal needs its items",
                    "add items:, or use source: review for a review's own judgement",
                )
            )
        if rob.source == "review" and study.design != "systematic-review":
            problems.append(
                problem_at(study.origin, ("risk_of_bias", "source"), "source: review is for systematic reviews")
            )
        if rob.source == "pedro-database" and not rob.url:
            problems.append(
                problem_at(study.origin, ("risk_of_bias", "source"), "a PEDro database appraisal needs the page's url")
            )
        if rob.pedro_total is not None and rob.items is not None and rob.pedro_total != rob.pedro_score:
            problems.append(
                problem_at(
                    study.origin,
                    ("risk_of_bias", "pedro_total"),
                    f"the PEDro total {rob.pedro_total} is not the number of items met ({rob.pedro_score})",
                    "check each item against the PEDro page",
                )
            )
    return problems
