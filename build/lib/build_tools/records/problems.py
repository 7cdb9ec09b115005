"""Problems found in records: one type, one format, collected and reported together."""

from __future__ import annotations

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
        """Render as `path:line:col: field: message (hint)`, the editor-facing form."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        where = f"{self.path}:{self.line}:{self.col}"
        text = f"{where}: {prefix}{self.field or '(record)'}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def format_github(self) -> str:
        """Render as a GitHub Actions workflow command, shown on the pull request's lines."""
        kind = "warning" if self.severity is Severity.WARNING else "error"
        text = f"{self.field or '(record)'}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={self.path},line={self.line},col={self.col}::{text}"


def display_path(path: Path, root: Path) -> str:
    """A path relative to the project root where possible, for short messages."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
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
