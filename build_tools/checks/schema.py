"""Check a document against its JSON Schema and turn each error into an editor-ready Problem.

The schemas in `schemas/` are the single source of truth: CI runs them here, and
editors' YAML language servers read the very same files.
"""

from __future__ import annotations

import copy
import re
from functools import cache

import jsonschema
from jsonschema.exceptions import ValidationError

from build_tools.checks.hints import closest, did_you_mean
from build_tools.checks.schema_paths import NO_HTML_PATTERN, SCHEMA_FILES, field_rules, home_of, load_schema
from build_tools.records.grammar import FIRST_YEAR, LAST_YEAR, ecma_regex, is_record_date
from build_tools.records.problems import Problem, format_field, quoted
from build_tools.records.yaml_source import Document

__all__ = ["NO_HTML_PATTERN", "SCHEMA_FILES", "check_schema", "load_schema"]

# Friendlier words for pattern failures, by the name of the field that failed.
PATTERN_HINTS = {
    "id": ("must be lowercase words joined by hyphens", "e.g. 'alghadir-2019-retro-walking-knee-oa'"),
    "doi": ("is not a DOI", "write it as 10.NNNN/suffix, without 'https://doi.org/'"),
    "pmid": ("is not a PubMed id", "digits only, e.g. '31679519'"),
    "pmcid": ("is not a PubMed Central id", "e.g. 'PMC6825714'"),
    "url": (
        "must be an https:// address: a host name, then a path without spaces, quotes or angle brackets",
        "paste the address of the page you read; no user@ part",
    ),
    "authors": ("must be written 'Family, Given'", "e.g. 'Alghadir, Ahmad H.'"),
    "seed_file": ("must be a file name in shared/seeds/", "e.g. '000_fa11e43c0dbda300.txt'"),
}
NO_HTML = ("looks like it contains an HTML tag", "records hold plain text; write '< ' with a space for 'less than'")
# What each JSON type is, in an editor's words.
TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "array": "a list",
    "object": "a block of fields",
    "boolean": "yes or no",
    "null": "nothing",
}


def _ecma_pattern(validator, pattern: str, instance: object, schema: dict):
    """JSON Schema's `pattern` as the schema language defines it (ECMA-262: `$` is the true end)."""
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Both validators judge dates by one function: fastjsonschema's own `date` accepts year 0000
# and non-ASCII digits, which then failed later as a traceback.
_FORMATS = {"date": is_record_date}


@cache
def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = load_schema(kind)
    base = jsonschema.validators.validator_for(schema)
    cls = jsonschema.validators.extend(base, validators={"pattern": _ecma_pattern})
    checker = jsonschema.FormatChecker(formats=())
    for name, check in _FORMATS.items():
        checker.checks(name)(check)
    return cls(schema, format_checker=checker)


def _described(schema: dict) -> str:
    return schema.get("description", "")


def _indent_of(doc: Document, path: tuple) -> int | None:
    """The column (0-based) at which the fields of the mapping at `path` start, if it has any."""
    columns = [col for key, (_, col) in doc.key_positions.items() if len(key) == len(path) + 1 and key[:-1] == path]
    return min(columns) - 1 if columns else None


def _value_words(value: object) -> str:
    if isinstance(value, bool):
        return "a yes-or-no value"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a block of fields"


def _type_problem(error: ValidationError, doc: Document, kind: str, path: tuple) -> tuple[str, str]:
    """(message, hint) for a value of the wrong type, saying the fix in the editor's words."""
    expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
    value, name = error.instance, str(next((p for p in reversed(path) if isinstance(p, str)), "the value"))
    rules = field_rules(kind, path)
    optional = rules is not None and not rules.required
    got = _value_words(value)
    message = f"expected {TYPE_WORDS.get(expected, expected)}, got {got}"
    if value is None:
        if expected == "array":
            hint = f"{name} is empty: add at least one entry on the lines below it, each starting with '- '"
        elif expected == "object":
            hint = f"{name} is empty: add its fields on the lines below it, indented two spaces"
        else:
            hint = f"{name} has no value: write it after the colon"
        return message, hint + (", or delete the line" if optional else "")
    if (
        expected in ("integer", "number")
        and isinstance(value, str)
        and re.fullmatch(r"[-+]?[0-9]+[eE][-+]?[0-9]+", value)
    ):
        # YAML 1.1 reads a number with an exponent but no dot as text, quoted or not.
        return message, f"write {name} as a plain decimal number, such as 0.001 for 1e-3 (YAML reads 1e-3 as text)"
    if expected in ("integer", "number") and isinstance(value, str):
        try:
            float(value) if expected == "number" else int(value)
        except ValueError:
            return message, f"write {name} as a plain number: digits only, without quotes or words"
        return message, f"{name} is in quotes: write `{name}: {value.strip()}`, without the quotes"
    if expected == "integer" and isinstance(value, float):
        return message, f"write a whole number, e.g. `{name}: {int(value)}`"
    if expected == "string" and isinstance(value, bool):
        return message, f'YAML reads a bare yes, no, true or false as a yes-or-no value: write `{name}: "{value}"`'
    if expected == "string" and isinstance(value, (int, float)):
        return message, f'put the number in quotes: `{name}: "{value}"`'
    if expected == "array":
        return message, f"write each item of {name} on its own line below it, starting with '- '"
    if expected == "object":
        return message, f"{name} holds fields: put them on the lines below it, indented two spaces"
    return message, ""


def _missing_hint(field: str, present: dict, props: dict, described: str, parent_key_line: dict) -> str:
    """Where to add a missing field: after the field that comes before it in the template's order."""
    order = list(props)
    before = [k for k in order[: order.index(field)] if k in present] if field in order else []
    where = f"after `{before[-1]}` (line {parent_key_line[before[-1]]})" if before else "at the top of the block"
    return f"add `{field}:` {where}" + (f": {described[0].lower()}{described[1:]}" if described else "")


def _problems_for(error: ValidationError, doc: Document, shown: str, kind: str) -> list[Problem]:
    path = tuple(error.absolute_path)
    line, col = doc.where(path)
    field = format_field(path)
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}

    def at(message: str, hint: str = "", where=None, name=field) -> Problem:
        ln, cl = where or (line, col)
        return Problem(shown, ln, cl, name, message, hint)

    if validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        # A field required by a condition (if/then) is placed among the record's own fields.
        props = schema.get("properties") or (load_schema(kind).get("properties", {}) if not path else {})
        # A missing field whose name is one typo away from a field written is that typo: its
        # unknown-field problem says so, once.
        unknown = [k for k in present if k not in props]
        missing = [k for k in error.validator_value if k not in present and not closest(k, unknown)]
        lines = {k: doc.where(path + (k,), key=True)[0] for k in present}
        return [
            at(
                f"missing required field '{k}'",
                _missing_hint(k, present, props, _described(props.get(k, {})), lines),
                name=format_field(path + (k,)),
            )
            for k in missing
        ]
    if validator == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        required = set(schema.get("required", []))
        present = error.instance if isinstance(error.instance, dict) else {}
        problems = []
        for k in [k for k in present if k not in allowed]:
            home = home_of(kind, path, k)
            # A field that exists one level down was moved out of its block, not mistyped.
            near = None if home else closest(k, allowed)
            if near:
                hint = f"did you mean '{near}'?" + (
                    f" ({near} is required and missing)" if near in required and near not in present else ""
                )
            elif home:
                parent, is_list = home
                inner = _indent_of(doc, path + (parent, 0) if is_list else path + (parent,))
                spaces = f"{inner} spaces" if inner is not None else "under it"
                hint = (
                    f"`{k}` belongs to an entry under `{parent}:`; indent it {spaces}, like that entry's fields"
                    if is_list
                    else f"`{k}` belongs under `{parent}:`; indent it {spaces}, like the other {parent} fields"
                )
            else:
                hint = f"allowed fields: {', '.join(allowed)}"
            problems.append(
                at(
                    f"unknown field '{quoted(k)}'",
                    hint,
                    where=doc.where(path + (k,), key=True),
                    name=format_field(path + (k,)),
                )
            )
        return problems
    if validator == "enum":
        options = error.validator_value
        leaf = str(next((p for p in reversed(path) if isinstance(p, str)), ""))
        hint = " ".join(
            filter(None, [did_you_mean(leaf, error.instance, options), "allowed: " + ", ".join(map(str, options))])
        )
        return [at(f"'{quoted(error.instance)}' is not an allowed value", hint)]
    if validator == "type":
        return [at(*_type_problem(error, doc, kind, path))]
    if validator == "pattern":
        leaf = next((p for p in reversed(path) if isinstance(p, str)), "")
        message, hint = (
            NO_HTML
            if error.validator_value == NO_HTML_PATTERN
            else PATTERN_HINTS.get(leaf, ("has the wrong form", f"must match {error.validator_value}"))
        )
        return [at(f"'{quoted(error.instance)}' {message}", hint)]
    if validator == "format":
        if is_record_date(str(error.instance)[:4] + "-01-01") or not str(error.instance)[:4].isascii():
            return [at(f"'{quoted(error.instance)}' is not a real date", "write it as YYYY-MM-DD")]
        return [at(f"'{quoted(error.instance)}' is not in a year from {FIRST_YEAR} to {LAST_YEAR}", "check the year")]
    if validator == "minItems":
        if path and path[-1] == "evidence":
            return [
                at("a claim must cite at least one study", "add an entry with study, direction, applies_to and note")
            ]
        return [at(f"needs at least {error.validator_value} item(s)", "add an entry on a line starting with '- '")]
    if validator == "anyOf" and not path:
        return [at("a study needs a doi or a pmid (at least one)", "copy it from the page you read")]
    if validator == "oneOf" and len(path) == 2 and path[0] == "statements":
        both = isinstance(error.instance, dict) and {"claim", "not_rated"} <= set(error.instance)
        return [
            at(
                "a statement has both claim and not_rated" if both else "a statement needs claim or not_rated",
                "give claim: the id of the claim record that rates it, or not_rated: why no record does (not both)",
            )
        ]
    if validator == "not" and not path and kind == "sources":
        given = [k for k in ("page_url", "page_read_on") if isinstance(error.instance, dict) and k in error.instance]
        first = given[0] if given else "page_url"
        return [
            at(
                f"{first} is only for an article whose own page was found",
                "set page_status: found (with page_url and page_read_on), or delete page_url and page_read_on",
                where=doc.where((first,), key=True),
                name=first,
            )
        ]
    if validator in ("minLength",):
        return [at("must not be empty", "write the value between the quotes, or delete the line if it is optional")]
    if validator == "maxLength":
        return [at(f"is {len(error.instance)} characters; the limit is {error.validator_value}", "shorten it")]
    if validator in ("minimum", "maximum", "exclusiveMinimum"):
        words = {"minimum": "the smallest allowed is", "maximum": "the largest allowed is"}
        limit = words.get(validator, "it must be more than")
        hint = f"{limit} {error.validator_value}" + (f"; {_described(schema)}" if _described(schema) else "")
        if path and path[-1] == "year":
            hint = "write the four-digit year of publication"
        return [at(f"{error.instance} is out of range ({validator} {error.validator_value})", hint)]
    return [at(error.message)]


def _holds_placeholder(error: ValidationError) -> bool:
    # A TODO left in a value is the placeholders check's to report, once, with the allowed values.
    return isinstance(error.instance, str) and "TODO" in error.instance


@cache
def _fast_validator(kind: str):
    """A compiled validator for the common case (a valid record), or None without fastjsonschema."""
    try:
        import fastjsonschema
    except ImportError:
        return None
    # Same rules; fastjsonschema knows the draft-07 name for them (our keywords exist in both).
    # A deep copy: fastjsonschema may annotate the schema it compiles, and the original is published.
    schema = {**copy.deepcopy(load_schema(kind)), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, formats=_FORMATS)


def check_schema(kind: str, doc: Document, shown: str) -> list[Problem]:
    """Every schema problem in one document, each located at its line.

    A compiled validator (fastjsonschema, about 20x faster) answers first; only when it
    finds a problem does jsonschema run, because it reports every problem with its path.
    """
    fast = _fast_validator(kind)
    if fast is not None:
        try:
            fast(doc.data)
            return []
        except Exception:  # noqa: BLE001 - any refusal (or a validator quirk) falls through to jsonschema
            pass
    problems: list[Problem] = []
    for error in _validator(kind).iter_errors(doc.data):
        if not _holds_placeholder(error):
            problems.extend(_problems_for(error, doc, shown, kind))
    return problems
