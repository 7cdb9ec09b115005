"""Rules for the text inside records: plain prose only, nothing a browser could run.

The JSON Schema refuses HTML tags; these rules catch what a schema pattern cannot say
clearly: link syntax that Markdown would turn into a live link, script-capable URL
schemes and attribute-list braces (errors), and tabs and emoji, which a page shows
oddly (warnings). Placeholders left behind are checks.placeholders'.
"""

from __future__ import annotations

import re

from build_tools.records.problems import Problem, Severity, format_field
from build_tools.records.yaml_source import Document, YamlPath

# Fields whose whole value is an address; checked by the schema's https-only pattern instead.
URL_FIELDS = {"url"}

# Pictographs and emoji (with their joiners and variation selectors), not letters or symbols like '°'.
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]")

LINK_SYNTAX = "contains Markdown link syntax ('](' or ']:')"
# Fields copied as a page shows them, brackets and all (a candidate's truncated title, "pai[n] (CTRI...)"):
# link syntax there is the page's own text, escaped like every value when shown, so it is not refused.
VERBATIM_FIELDS = {"screening": {"title"}}

TEXT_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"(?i)\b(?:javascript|vbscript)\s*:|\bdata:[a-z]+/"),
        "contains a script-capable address scheme",
        "records hold plain text; remove the address",
    ),
    (
        re.compile(r"\]\s*[(:]"),
        LINK_SYNTAX,
        "write the words only; references go in evidence and credits",
    ),
    (re.compile(r"[{}]"), "contains '{' or '}'", "records hold plain text; remove the braces"),
)
# Shown, but the record still passes.
TEXT_WARNINGS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\t"), "contains a tab character", "replace it with a space"),
    (EMOJI, "contains an emoji or pictograph", "records hold plain words: remove it, or say it in words"),
)


def _strings(value: object, path: YamlPath) -> list[tuple[YamlPath, str]]:
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in _strings(v, path + (k,))]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in _strings(v, path + (i,))]
    return [(path, value)] if isinstance(value, str) else []


def check_text(doc: Document, shown: str, kind: str = "") -> list[Problem]:
    """Every string value that breaks a text rule, located at its line."""
    # Nearly every record breaks no rule: one search per rule over all its text says so.
    # Only a rule that matches somewhere is looked for field by field.
    joined = "\0".join(doc.strings) if doc.strings is not None else None
    rules = [
        (rule, severity)
        for rules, severity in ((TEXT_RULES, Severity.ERROR), (TEXT_WARNINGS, Severity.WARNING))
        for rule in rules
        if joined is None or rule[0].search(joined)
    ]
    if not rules:
        return []
    problems = []
    for path, text in _strings(doc.data, ()):
        if path and path[-1] in URL_FIELDS:
            continue
        verbatim = path and path[-1] in VERBATIM_FIELDS.get(kind, ())
        for (pattern, message, hint), severity in rules:
            if verbatim and message == LINK_SYNTAX:
                continue
            if pattern.search(text):
                problems.append(Problem(shown, *doc.where(path), format_field(path), message, hint, severity))
    return problems
