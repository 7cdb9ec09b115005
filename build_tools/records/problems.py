"""Problems found in records: one type, one format, collected and reported together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from build_tools.records.model import Located


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, located as precisely as we can."""

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """Render as `path:line:col: field: message (hint)`, the editor-facing form, on one line.

        Every part is made printable: a value quoted in a message (or a file name) can neither
        send control codes to the terminal nor start a line of its own that looks like another problem."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        text = f"{where}: {prefix}{printable(self.field) or '(record)'}: {printable(self.message)}"
        return f"{text} (hint: {printable(self.hint)})" if self.hint else text

    def format_github(self) -> str:
        """Render as a GitHub Actions workflow command, shown on the pull request's lines."""
        kind = "warning" if self.severity is Severity.WARNING else "error"
        text = f"{printable(self.field) or '(record)'}: {printable(self.message)}"
        if self.hint:
            text += f" (hint: {printable(self.hint)})"
        # The workflow-command escapes: '%', CR and LF in the message, and ':' and ',' in a property too.
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = printable(self.path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        return f"::{kind} file={path},line={self.line},col={self.col}::{text}"


def printable(text: str) -> str:
    """Text safe on one terminal line: control, invisible and line-break characters written as escapes (\\x1b, \\n)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def quoted(value: object, limit: int = 80) -> str:
    """A value as a message quotes it: printable, and cut short when long."""
    text = printable(str(value))
    return f"{text[:limit]}..." if len(text) > limit else text


def display_path(path: Path, root: Path) -> str:
    """A path relative to the project root where possible, for short messages. A symbolic link
    is named as itself, not by its target (which may be outside the project, or a loop)."""
    absolute = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(root)), root.resolve()):
        if absolute.is_relative_to(base):
            return absolute.relative_to(base).as_posix()
    try:
        return absolute.parent.resolve().joinpath(absolute.name).relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the problems that fail the check."""
    return [p for p in problems if p.severity is Severity.ERROR]


def format_field(path: tuple[str | int, ...]) -> str:
    """`('evidence', 0, 'study')` -> `evidence[0].study`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problem_at(
    origin: Located,
    field: tuple,
    message: str,
    hint: str = "",
    *,
    key: bool = False,
    severity: Severity = Severity.ERROR,
) -> Problem:
    """A problem located at `field` of the record `origin` came from."""
    line, col = origin.where(*field, key=key)
    return Problem(origin.shown, line, col, format_field(field), message, hint, severity)
