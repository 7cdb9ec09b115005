"""Rules for the text inside records: plain prose only, nothing a browser could run.

The JSON Schema refuses HTML tags; these rules catch what a schema pattern cannot say
clearly: link syntax that Markdown would turn into a live link, script-capable URL
schemes and attribute-list braces (errors), and tabs and emoji, which a page shows
oddly (warnings). Placeholders left behind are checks.placeholders'. And characters a
reader cannot see are refused in every value, with their place: control characters (an
escape sequence can clear a terminal), invisible format characters (a bidirectional
override shows text in another order than it is read; a zero-width space makes two equal
identifiers differ), and a line break anywhere but in prose. (A tab is only a warning:
it is white space a page shows as a space.)
"""

from __future__ import annotations

import re
from functools import cache

from build_tools.checks.schema import load_schema
from build_tools.records.grammar import UNSAFE_CHARACTER, describe_character
from build_tools.records.problems import Problem, Severity, format_field
from build_tools.records.yaml_source import Document, YamlPath

# Fields whose whole value is an address; checked by the schema's https-only pattern instead.
URL_FIELDS = {"url", "page_url"}

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


def string_values(value: object, path: YamlPath) -> list[tuple[YamlPath, str]]:
    """Every string value under `value`, with its path."""
    if isinstance(value, dict):
        return [hit for k, v in value.items() for hit in string_values(v, path + (k,))]
    if isinstance(value, list):
        return [hit for i, v in enumerate(value) for hit in string_values(v, path + (i,))]
    return [(path, value)] if isinstance(value, str) else []


@cache
def prose_fields(kind: str) -> frozenset[tuple[str, ...]]:
    """Paths (list indexes left out) of the fields whose schema is prose ($defs/text): the only
    ones where a line break may stand, as in a YAML block written over several lines."""
    found = set()

    def walk(schema: dict, path: tuple[str, ...]) -> None:
        if schema.get("$ref") == "#/$defs/text":
            found.add(path)
        for name, sub in schema.get("properties", {}).items():
            walk(sub, path + (name,))
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], path)

    walk(load_schema(kind), ())
    return frozenset(found)


_UNSEEN = re.compile(f"\n|{UNSAFE_CHARACTER.pattern}")


def _unseen(text: str, prose: bool) -> tuple[str, str] | None:
    """The first character of `text` a reader cannot see (message, hint), or None."""
    for match in _UNSEEN.finditer(text):
        char, place = match.group(), match.start() + 1
        if char == "\t":
            continue  # a warning of its own (TEXT_WARNINGS)
        if char == "\n":
            if prose:
                continue
            return f"contains a line break (at character {place})", "write this field on one line"
        what = "a control character" if ord(char) < 0xA0 else "an invisible character"
        message = f"contains {what}, {describe_character(char)}, at character {place}"
        return message, "delete it (it often comes with copied text); records hold plain visible text"
    return None


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
    unseen = doc.strings is None or not all(text.isprintable() for text in doc.strings)
    if not rules and not unseen:
        return []
    prose = prose_fields(kind) if kind else frozenset()
    problems = []
    for path, text in string_values(doc.data, ()):
        if unseen:
            wrong = _unseen(text, tuple(p for p in path if isinstance(p, str)) in prose)
            if wrong:
                problems.append(Problem(shown, *doc.where(path), format_field(path), *wrong))
        if path and path[-1] in URL_FIELDS:
            continue
        verbatim = path and path[-1] in VERBATIM_FIELDS.get(kind, ())
        for (pattern, message, hint), severity in rules:
            if verbatim and message == LINK_SYNTAX:
                continue
            if pattern.search(text):
                problems.append(Problem(shown, *doc.where(path), format_field(path), message, hint, severity))
    return problems
