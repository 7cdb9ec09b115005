"""Placeholders left in a record: a TODO in any value, and a TODO in any comment.

The scaffolds write every value an editor must choose or copy as a TODO, with the allowed
values in a comment beside it, so an untouched scaffold can never pass. A comment is
invisible once YAML is read, so TODOs in comments are found in the file's text.
"""

from __future__ import annotations

import yaml

from build_tools.checks.schema_paths import field_rules
from build_tools.records.problems import Problem, format_field
from build_tools.records.yaml_source import Document, Loader, YamlPath

MARK = "TODO"


def _values(value: object, path: YamlPath) -> list[tuple[YamlPath, str]]:
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in _values(v, path + (k,))]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in _values(v, path + (i,))]
    return [(path, value)] if isinstance(value, str) and MARK in value else []


def placeholder_hint(kind: str, path: YamlPath) -> str:
    """What to write in place of the placeholder at `path`, from the schema's own words."""
    rules = field_rules(kind, path)
    if rules is None:
        return "replace it with the real value"
    leaf = next((p for p in reversed(path) if isinstance(p, str)), "")
    description = rules.description.rstrip(".")
    if "enum" in rules.schema:
        hint = "replace it with one of: " + ", ".join(map(str, rules.schema["enum"]))
    elif leaf == "url":
        hint = "replace it with the https:// address of the page you read"
    elif leaf == "found_by":
        hint = "replace it with the id of the search that found it (a searches[].id in any screening log)"
    elif leaf in ("source", "study", "credits", "of_study", "claim") and path != ("claim",):
        folder = {"source": "sources", "claim": "claims"}.get(leaf, "studies")
        hint = f"replace it with the id of a record in {folder}/ (its file name without .yaml)"
        if folder in ("sources", "claims"):
            hint += f"; `new-{folder[:-1]}` starts one"
        if folder == "claims":
            return hint + '; or replace the line with not_rated: "why no claim record rates it"'
    else:
        number = rules.schema.get("type") in ("integer", "number")
        hint = f"replace it with{' a plain number' if number else ''}: {description}"
        if not description:
            hint = "replace it with the real value"
    in_list = bool(path) and isinstance(path[-1], int)
    if not rules.required and "Leave out" not in description:
        if kind == "studies" and not in_list:
            hint += "; or delete the line if the page did not show it, and name it in missing_fields"
        else:
            hint += f"; or delete the {'item' if in_list else 'line'}"
    elif in_list and rules.parent.get("minItems", 0) == 0:
        hint += "; or delete the item"
    return hint


def _comment_hits(text: str) -> list[int]:
    """Offsets of each TODO that stands outside every value and key: in a comment."""
    covered = []
    try:
        for token in yaml.scan(text, Loader=Loader):
            if isinstance(token, yaml.ScalarToken):
                covered.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return []
    hits, start = [], text.find(MARK)
    while start != -1:
        if not any(a <= start < b for a, b in covered):
            hits.append(start)
        start = text.find(MARK, start + 1)
    return hits


def check_placeholders(kind: str, doc: Document, shown: str) -> list[Problem]:
    """Every value still holding a TODO, and every TODO left in a comment."""
    text = doc.text
    if text and MARK not in text:
        return []
    problems = [
        Problem(
            shown,
            *doc.where(path),
            format_field(path),
            "still holds the TODO placeholder",
            placeholder_hint(kind, path),
        )
        for path, _ in _values(doc.data, ())
    ]
    reported = {p.line for p in problems}
    for offset in _comment_hits(text):
        line = text.count("\n", 0, offset) + 1
        if line in reported:
            continue
        reported.add(line)
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        problems.append(
            Problem(
                shown,
                line,
                col,
                "(comment)",
                "a TODO is left in a comment",
                "do what it asks, then delete the TODO: the check cannot see inside comments",
            )
        )
    return problems
