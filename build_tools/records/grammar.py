"""The grammar of record values that are not prose: identifiers (DOI, PMID, PMCID, URL) and dates.

The JSON Schemas are the one source of truth, and they are written in ECMA-262 regex, where
`$` matches only at the true end of the text. Python's `re` lets `$` match before a trailing
newline, so `10.1234/x\\n` would pass `^...$`; `ecma_regex` compiles a schema pattern with
the meaning the schema gives it. Every stage that needs an identifier's grammar asks here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import cache
from importlib import resources

# Years a study can have been read, published or reviewed in; a date outside them is a typo.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled with ECMA-262 meaning: `$` (outside a class) is the true end, `\\d` is ASCII."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out), re.ASCII)


@cache
def _study_schema() -> dict:
    text = resources.files("build_tools").joinpath("schemas", "study.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def identifier_pattern(name: str) -> re.Pattern[str]:
    """The grammar of one identifier field of a study ('doi', 'pmid', 'pmcid', 'url'), from its schema."""
    return ecma_regex(_study_schema()["properties"][name]["pattern"])


def is_identifier(name: str, value: str) -> bool:
    """Whether `value` follows the grammar of the identifier field `name`, to the very end."""
    return isinstance(value, str) and identifier_pattern(name).search(value) is not None


def is_record_date(value: object) -> bool:
    """A real calendar date written YYYY-MM-DD with ASCII digits, in a plausible year.
    (A format applies to text only, as in JSON Schema: other types are the `type` rule's business.)"""
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return False
    return FIRST_YEAR <= date.year <= LAST_YEAR


# Characters a reader cannot see: they make two identifiers that look the same compare unequal.
_INVISIBLE = {"Cf", "Cc", "Zl", "Zp"}


def identifier_key(value: str) -> str:
    """An identifier as people read it: NFKC, invisible characters and surrounding space removed,
    case folded (DOIs and PMC ids are case-insensitive). Two records with equal keys are one study."""
    folded = unicodedata.normalize("NFKC", value)
    visible = "".join(c for c in folded if unicodedata.category(c) not in _INVISIBLE)
    return visible.strip().casefold()


# Characters refused in every record value: control characters (C0 but the line feed, DEL,
# C1), invisible format characters (soft hyphen, zero-width characters, bidirectional
# embeddings, overrides and isolates, the byte-order mark, tags) and the Unicode line and
# paragraph separators. Listed once here, from Unicode's Cc, Cf, Zl and Zp categories
# (a test compares them with the running Python's tables); a line feed is allowed only in prose.
UNSAFE_CHARACTER = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


_CONTROL_NAMES = {
    "\0": "NULL", "\a": "BELL", "\b": "BACKSPACE", "\t": "TAB", "\n": "LINE FEED", "\v": "LINE TABULATION",
    "\f": "FORM FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE",
}  # fmt: skip


def describe_character(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', for a message."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "CONTROL CHARACTER"
    return f"U+{ord(char):04X} {name}".rstrip()
