"""YAML that reads without error but not as the editor meant: text after ' #' in an unquoted
value is a comment, so it silently vanishes from the page."""

from __future__ import annotations

import re

from build_tools.checks.schema_paths import field_rules
from build_tools.records.problems import Problem, Severity, format_field
from build_tools.records.yaml_source import Document, YamlPath

_COMMENT = re.compile(r"\s#")


def _prose_values(kind: str, value: object, path: YamlPath) -> list[YamlPath]:
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in _prose_values(kind, v, path + (k,))]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in _prose_values(kind, v, path + (i,))]
    if isinstance(value, str):
        rules = field_rules(kind, path)
        return [path] if rules is not None and rules.is_prose else []
    return []


def check_yaml_traps(kind: str, doc: Document, shown: str) -> list[Problem]:
    """A warning for each unquoted prose value that a ' #' cuts short."""
    text = doc.text
    if not text or not _COMMENT.search(text):
        return []
    lines = text.splitlines()
    problems = []
    for path in _prose_values(kind, doc.data, ()):
        line, col = doc.where(path)
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        if source[col - 1 : col] in ("'", '"', ">", "|"):
            continue  # quoted or block text keeps its '#'
        cut = _COMMENT.search(source, col - 1)
        if cut is None:
            continue
        dropped = source[cut.start() :].strip()
        problems.append(
            Problem(
                shown,
                line,
                cut.start() + 2,
                format_field(path),
                f"the text from ' #' on is dropped: YAML reads '{dropped}' as a comment",
                "put the whole value in double quotes, or write it as a folded block (`>-`, text on the next line)",
                Severity.WARNING,
            )
        )
    return problems
