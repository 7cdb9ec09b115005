"""Rules for sources (the popular articles): every claim sentence is mapped, and the mapping
agrees with the claims in both directions.

A source lists its claim sentences in `statements`, each paraphrased in a line and either
mapped to the claim record that rates it (`claim`, with the article's `stance`) or marked
`not_rated` with a reason. A claim whose `claimed_by` names the source must appear among
those statements, and a statement's claim must name the source in `claimed_by` with the
same stance, so the sources page and the claim pages can never tell two stories.
"""

from __future__ import annotations

import datetime as dt
import re

from build_tools.checks.hints import closest
from build_tools.records.model import Claim, KnowledgeBase, Source, Statement
from build_tools.records.problems import Problem, Severity, problem_at

MAX_WORDS = 25  # a statement is a paraphrase of one sentence, not the sentence copied
MAX_QUOTED_WORDS = 8  # "quote at most a few words"
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')


def _words(text: str) -> int:
    return len(text.split())


def check_statement_text(source: Source) -> list[Problem]:
    """Each statement is our paraphrase: short, with at most a few words quoted."""
    problems = []
    for i, st in enumerate(source.statements):
        field = ("statements", i, "says")
        if _words(st.says) > MAX_WORDS:
            problems.append(
                problem_at(
                    source.origin,
                    field,
                    f"is {_words(st.says)} words; a statement is at most {MAX_WORDS}",
                    "say what the sentence claims in your own words, in one short line; never copy the article",
                )
            )
        for match in _QUOTED.finditer(st.says):
            quoted = match.group(1) if match.group(1) is not None else match.group(2)
            if _words(quoted) > MAX_QUOTED_WORDS:
                problems.append(
                    problem_at(
                        source.origin,
                        field,
                        f"quotes {_words(quoted)} words of the article; quote at most {MAX_QUOTED_WORDS}",
                        "keep the few words where the exact wording matters and paraphrase the rest",
                    )
                )
    return problems


def _unknown_claim(source: Source, i: int, ref: str, kb: KnowledgeBase) -> Problem:
    field = ("statements", i, "claim")
    broken = kb.broken_file("claims", ref)
    if broken is not None:
        return problem_at(
            source.origin,
            field,
            f"{broken} exists but has errors: fix it first",
            f"its problems are listed under {broken}; the mapping was not checked",
            severity=Severity.WARNING,
        )
    near = closest(ref, kb.claims)
    hint = f"did you mean '{near}'?" if near else "map it to an existing claim, or use not_rated with a reason"
    return problem_at(source.origin, field, f"unknown claim '{ref}'", hint)


def check_statements_map(source: Source, kb: KnowledgeBase) -> list[Problem]:
    """Each statement's claim exists and names this source in claimed_by with the same stance."""
    problems = []
    for i, st in enumerate(source.statements):
        if not st.claim:
            continue
        claim = kb.claims.get(st.claim)
        if claim is None:
            problems.append(_unknown_claim(source, i, st.claim, kb))
            continue
        entries = [(j, said) for j, said in enumerate(claim.claimed_by) if said.source == source.id]
        if not entries:
            problems.append(
                problem_at(
                    source.origin,
                    ("statements", i, "claim"),
                    f"claims/{claim.id}.yaml does not name this source in claimed_by",
                    f"add it there (source: {source.id}, stance: {st.stance}, what the article said), or map "
                    "this statement to the claim it does make",
                )
            )
        elif all(said.stance != st.stance for _, said in entries):
            j, said = entries[0]
            where = ("statements", i, "stance") if _given(source, i, "stance") else ("statements", i, "claim")
            problems.append(
                problem_at(
                    source.origin,
                    where,
                    f"stance '{st.stance}', but claims/{claim.id}.yaml claimed_by[{j}] says '{said.stance}'",
                    "make the two agree: what does the article do with the claim (makes, repeats, doubts, disputes)? "
                    "A statement without stance means makes",
                )
            )
    return problems


def _given(source: Source, i: int, key: str) -> bool:
    data = source.origin.doc.data.get("statements", [])
    return i < len(data) and isinstance(data[i], dict) and key in data[i]


Mapped = dict[tuple[str, str], list[tuple[int, Statement]]]  # (source id, claim id) -> statements


def mapped_statements(kb: KnowledgeBase) -> Mapped:
    """Every source's statements by the claim they map to, built once (not once per claim)."""
    mapped: Mapped = {}
    for source in kb.sources.values():
        for i, st in enumerate(source.statements):
            if st.claim:
                mapped.setdefault((source.id, st.claim), []).append((i, st))
    return mapped


def check_claimed_by_map(claim: Claim, kb: KnowledgeBase, statements: Mapped | None = None) -> list[Problem]:
    """Each source a claim names has a statement mapped to the claim, with the same stance."""
    statements = mapped_statements(kb) if statements is None else statements
    problems = []
    for j, said in enumerate(claim.claimed_by):
        source = kb.sources.get(said.source)
        if source is None:
            continue  # an unknown or broken source is reported on its own
        mapped = statements.get((source.id, claim.id), [])
        if not mapped:
            problems.append(
                problem_at(
                    claim.origin,
                    ("claimed_by", j, "source"),
                    f"sources/{source.id}.yaml maps none of its statements to this claim",
                    f"add a statement to its statements: the sentence in a line (says), claim: {claim.id}, "
                    f"stance: {said.stance}",
                )
            )
        elif all(st.stance != said.stance for _, st in mapped):
            # Reported here only when every mapped statement agrees with another claimed_by entry;
            # otherwise the statement's own problem already names the disagreement.
            stances = {s.stance for s in claim.claimed_by if s.source == source.id}
            if all(st.stance in stances for _, st in mapped):
                i, st = mapped[0]
                problems.append(
                    problem_at(
                        claim.origin,
                        ("claimed_by", j, "stance"),
                        f"stance '{said.stance}', but no statement of sources/{source.id}.yaml maps to this claim "
                        f"with it (statements[{i}] says '{st.stance}')",
                        "make the two agree, or remove the extra claimed_by entry",
                    )
                )
    return problems


def check_source_page(source: Source, today: dt.date) -> list[Problem]:
    """The date the article's own page was read is a real, past date."""
    if source.page_read_on and dt.date.fromisoformat(source.page_read_on) > today:
        return [problem_at(source.origin, ("page_read_on",), f"{source.page_read_on} is in the future")]
    return []


def check_sources(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Every rule above, over every source and claim."""
    problems: list[Problem] = []
    for source in kb.sources.values():
        problems += check_statement_text(source) + check_statements_map(source, kb) + check_source_page(source, today)
    statements = mapped_statements(kb)
    for claim in kb.claims.values():
        problems += check_claimed_by_map(claim, kb, statements)
    return problems
