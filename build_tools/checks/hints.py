"""Hints ("did you mean ...?") that only suggest what the editor most likely meant.

A suggestion is offered only within a small edit distance of what was written (case,
spaces, hyphens and underscores aside), so a hint never names something unrelated; the
common ways of writing a study design ("RCT", "randomised controlled trial") are
understood as the value they mean, instead of being matched letter by letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Common spellings of an allowed value, by field name: normalised (see _norm) -> value.
SYNONYMS: dict[str, dict[str, str]] = {
    "design": {
        **dict.fromkeys(
            [
                "rct",
                "randomised controlled trial",
                "randomized controlled trial",
                "randomised trial",
                "randomized trial",
                "randomised clinical trial",
                "randomized clinical trial",
                "randomised controlled study",
                "randomized controlled study",
                "controlled trial randomised",
            ],
            "rct",
        ),
        **dict.fromkeys(
            [
                "cross over",
                "crossover trial",
                "cross over trial",
                "crossover study",
                "cross over study",
                "randomised crossover",
                "randomized crossover",
                "randomised crossover trial",
                "randomized crossover trial",
            ],
            "crossover",
        ),
        **dict.fromkeys(
            [
                "quasi experimental",
                "quasi experimental study",
                "non randomized controlled",
                "nonrandomised controlled",
                "nonrandomized controlled",
                "non randomised controlled trial",
                "non randomized controlled trial",
                "nrct",
            ],
            "non-randomised-controlled",
        ),
        **dict.fromkeys(
            [
                "systematic review",
                "meta analysis",
                "systematic review and meta analysis",
                "systematic review meta analysis",
                "sr",
            ],
            "systematic-review",
        ),
        **dict.fromkeys(
            [
                "pre post study",
                "before after",
                "before and after",
                "case series",
                "single group",
                "one group pretest posttest",
                "pretest posttest",
            ],
            "pre-post",
        ),
        **dict.fromkeys(
            ["cross sectional study", "lab study", "laboratory study", "observational", "cross sectional lab study"],
            "cross-sectional",
        ),
        **dict.fromkeys(["review", "narrative review", "literature review"], "narrative-review"),
    },
    "direction": {"support": "supports", "null": "no-effect", "no effect": "no-effect", "none": "no-effect"},
}


def _norm(text: str) -> str:
    """Lower case, with runs of spaces, hyphens and underscores as one space."""
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower())


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


def allowed_slack(word: str) -> int:
    """How many edits still count as a typo: 1 in a word of up to four letters, 2 in a longer
    one, about one in eight letters in a long id."""
    return 1 if len(word) <= 4 else max(2, len(word) // 8)


def closest(word: object, options: Iterable[object]) -> str | None:
    """The option `word` is most likely a typo of, or None if none is near enough to be a typo."""
    text = _norm(str(word))
    best: tuple[int, str] | None = None
    for option in options:
        distance = edit_distance(text, _norm(str(option)))
        if distance <= allowed_slack(text) and (best is None or distance < best[0]):
            best = (distance, str(option))
    return best[1] if best else None


def synonym(field: str, word: object, options: Iterable[object]) -> str | None:
    """The allowed value a common spelling of it stands for (e.g. 'RCT' -> 'rct'), or None."""
    wanted = SYNONYMS.get(field, {}).get(_norm(str(word)))
    allowed = [str(o) for o in options]
    if wanted in allowed:
        return wanted
    # The same word with other spacing or case ("Non randomised controlled") is that value.
    return next((o for o in allowed if _norm(o) == _norm(str(word))), None)


def did_you_mean(field: str, word: object, options: Iterable[object]) -> str:
    """'did you mean 'x'?' for a synonym or a near typo; '' when nothing is close."""
    options = list(options)
    meant = synonym(field, word, options)
    if meant is not None:
        return f"'{word}' is written '{meant}' here"
    near = closest(word, options)
    return f"did you mean '{near}'?" if near else ""
