"""Notes for editors left in published text: every string value of a record reaches a page,
so an instruction to the lead ("lead should confirm ... before publishing", "see issue 15",
"NOT CONFIRMED") is refused there. It belongs in a YAML comment or in the pull request.

Each rule is one regular expression. A record normally breaks none of them: one search of
the combined pattern over all of its text says so, and only then is each field searched.
The patterns are written so that ordinary prose passes ("the study did not confirm",
"issues of balance", "can lead to less pain").
"""

from __future__ import annotations

import re

from build_tools.checks.text_rules import URL_FIELDS, string_values
from build_tools.records.problems import Problem, format_field
from build_tools.records.yaml_source import Document

# (name, pattern): the name says in the message what kind of note it is.
NOTE_RULES: tuple[tuple[str, str], ...] = (
    # "lead should verify", "for the lead to verify"; not "can lead to less pain", "the lead author".
    ("an instruction to the lead", r"(?i:\blead\s+(?:should|must|needs?\s+to|has\s+to|please)\b|\bthe\s+lead\s+to\b)"),
    ("a request to an editor", r"(?i:\bplease\s+(?:verify|check|confirm|fix|review|add|update|see)\b)"),
    # "before publishing"; not "before publication of the trial".
    (
        "a step before publishing",
        r"(?i:\bbefore\s+(?:publishing|publication\b(?!\s+of)|we\s+publish|it\s+is\s+published|merging)\b)",
    ),
    # Capitals are a note shouted at an editor; the same words in prose are lower case.
    ("a note in capitals", r"\bNOT\s+(?:YET\s+)?(?:CONFIRMED|VERIFIED|CHECKED)\b|\bUN(?:CONFIRMED|VERIFIED)\b"),
    (
        "a reference to the issue tracker",
        r"(?i:\bsee\s+(?:issue|ticket|pull\s+request)\b|\b(?:issue|pr|ticket)\s+#\d+)",
    ),
    ("a result left to confirm", r"(?i:\bto\s+be\s+(?:confirmed|checked|verified|decided|filled\s+in)\b)|\bTB[CD]\b"),
    ("a marker for unfinished work", r"\b(?:FIXME|XXX+|TKTK)\b"),
    (
        "a note addressed to editors",
        r"(?i:\b(?:editors?|reviewers?|maintainers?)\s*:|\bnote\s+(?:to|for)\s+(?:the\s+)?"
        r"(?:editors?|lead|reviewers?|maintainers?|self)\b|\binternal\s+note\b)",
    ),
    # An imperative "confirm/verify/check ... before": at the start of a sentence or after should/must/please.
    (
        "an instruction to confirm something first",
        r"(?i:(?:^|\x00|[.;:!?]\s+|\b(?:should|must|please)\s+)(?:confirm|verify|check)\b[^.;]{0,100}?\bbefore\b)",
    ),
    (
        "a note that something needs checking",
        r"(?i:\bneeds?\s+(?:re-?)?(?:checking|verifying|confirming|to\s+be\s+(?:re-?)?(?:checked|verified|confirmed))\b)",
    ),
    ("a placeholder", r"(?i:\bplace-?holders?\b)"),
)
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in NOTE_RULES)
# A whole value that is an address (a page it cites) holds no prose.
_ADDRESS = re.compile(r"https://\S+\Z")
_ANY = re.compile("|".join(f"(?:{pattern})" for _, pattern in NOTE_RULES))

HINT = (
    "published fields are shown to readers: move the note to a YAML comment (# ...) or to the pull request; "
    "a result that is not confirmed is confirmed on a stored page or removed"
)


def find_notes(text: str) -> list[tuple[str, str]]:
    """(kind of note, the words found) for each note rule `text` breaks."""
    if not _ANY.search(text):
        return []
    found = []
    for name, pattern in _COMPILED:
        match = pattern.search(text)
        if match:
            found.append((name, " ".join(match.group(0).split()).strip(" .;:!?")))
    return found


def check_editor_notes(doc: Document, shown: str) -> list[Problem]:
    """Every string value holding a note for editors, located at its line."""
    joined = "\0".join(doc.strings) if doc.strings is not None else None
    if joined is not None and not _ANY.search(joined):
        return []
    problems = []
    for path, text in string_values(doc.data, ()):
        if (path and path[-1] in URL_FIELDS) or _ADDRESS.match(text):
            continue
        for name, words in find_notes(text):
            message = f"contains {name} ('{words}'): notes for editors never reach readers"
            problems.append(Problem(shown, *doc.where(path), format_field(path), message, HINT))
    return problems
