"""YAML errors said in an editor's terms, on the line to fix.

The parser reports where it gave up ("mapping values are not allowed here", "did not find
expected '-' indicator"), which is often the line after the mistake and never says what to
do. When it fails, we read the file's layout ourselves: each line's indentation against
the lines around it, and a value holding ': ' that YAML took for a new field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `key:` or `- key:` at the start of a line (the key a plain word), and what follows it.
_KEY = re.compile(r"^( *)((?:- +)*)([A-Za-z_][\w-]*):(?: +(.*))?$")
_ITEM = re.compile(r"^( *)((?:- +)+|-$)(.*)$")
_BLOCK = re.compile(r"^[>|][-+0-9]*\s*(#.*)?$")


@dataclass(frozen=True)
class Explained:
    line: int
    col: int
    message: str
    hint: str


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    key: str  # '' for a list item without a key
    dash: int | None  # column of the '- ' (0-based), if the line starts a list item
    indent: int  # column of the key (or of the item's text)
    opens: bool  # a key with no value on its line: the lines below belong to it
    quote_opened: bool = False  # its value opens a quote that the line does not close

    @property
    def start(self) -> int:
        return self.dash if self.dash is not None else self.indent


@dataclass(frozen=True)
class _LooseText:
    """A line of a block of text (after `key: >-`) indented less than the text above it."""

    number: int
    indent: int
    key: str
    text_indent: int


def _layout(text: str, loose: list[_LooseText] | None = None) -> list[_Line]:
    """The structural lines of a file (keys and list items), skipping the text of values;
    lines of block text that fall out of their block are added to `loose`."""
    out: list[_Line] = []
    block_key: int | None = None  # a block scalar's key column, while reading its text
    block_text: int | None = None  # the indent of that text, set by its first line
    quote: str | None = None  # an open multi-line quoted value
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if quote:
            if stripped.endswith(quote) and not stripped.endswith("\\" + quote):
                quote = None
            continue
        if not stripped:
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if block_key is not None:
            if block_text is None and indent > block_key:
                block_text = indent
            if block_text is not None and indent >= block_text:
                continue
            stray = indent >= block_key and not _KEY.match(raw) and not _ITEM.match(raw)
            if loose is not None and block_text is not None and stray:
                loose.append(_LooseText(number, indent, out[-1].key, block_text))
            block_key = block_text = None
        if stripped.startswith("#"):
            continue
        match = _KEY.match(raw)
        if match:
            spaces, dashes, key, value = match.group(1), match.group(2), match.group(3), (match.group(4) or "")
            column = len(spaces) + len(dashes)
            value = value.strip()
            opens, opened = value == "" or value.startswith("#"), False
            if _BLOCK.match(value):
                block_key, opens = column, False
            elif value[:1] in ("'", '"') and (len(value) == 1 or not value.endswith(value[0])):
                quote, opened = value[0], True
            out.append(_Line(number, key, len(spaces) if dashes else None, column, opens, opened))
            continue
        item = _ITEM.match(raw)
        if item:
            out.append(_Line(number, "", len(item.group(1)), len(item.group(1)) + len(item.group(2)), False))
        # Anything else is the continuation of a value above it: not structure.
    return out


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"


def _parent_of(lines: list[_Line], index: int, indent: int) -> str:
    """The key that opens the block whose fields sit at `indent`, looking up from `index`."""
    for line in reversed(lines[:index]):
        if line.opens and line.indent < indent:
            return line.key
    return ""


Levels = list[tuple[int, str]]  # open blocks, outermost first: (column, 'map' or 'seq')


def _first_misfit(lines: list[_Line]) -> tuple[int, Levels] | None:
    """The first line whose indentation fits no open block, and the blocks open above it."""
    levels: Levels = []
    for i, line in enumerate(lines):
        previous = lines[i - 1] if i else None
        kind = "seq" if line.dash is not None else "map"
        if previous is not None and previous.opens:
            if not (line.indent > previous.indent or (line.dash is not None and line.dash >= previous.indent)):
                return i, list(levels)
        elif previous is not None:
            if (line.start, kind) not in levels:
                return i, list(levels)
            while levels[-1] != (line.start, kind):
                levels.pop()
        for column, what in ((line.dash, "seq"), (line.indent, "map")):
            if column is None:
                continue
            while levels and (levels[-1][0] > column or (levels[-1][0] == column and levels[-1][1] != what)):
                levels.pop()
            if not levels or levels[-1] != (column, what):
                levels.append((column, what))
    return None


def _near(previous: _Line, following: _Line | None, target: int) -> str:
    if previous.indent == target and following is not None and following.indent == target:
        return f"the lines around it use {target}"
    if following is not None and following.indent == target:
        return f"the line below it uses {target}"
    if previous.indent == target:
        return f"the line above it uses {target}"
    return f"the fields of that block use {target}"


def _explain_indent(lines: list[_Line], error_line: int) -> Explained | None:
    found = _first_misfit([line for line in lines if line.number <= error_line + 1])
    if found is None or found[0] == 0:
        return None
    i, levels = found
    line, previous = lines[i], lines[i - 1]
    following = lines[i + 1] if i + 1 < len(lines) else None
    before = lines[i - 2] if i >= 2 else None
    if previous.number < error_line - 2 and line.number < error_line - 2:
        return None
    here = f"line {line.number} is indented {_spaces(line.start)}"
    # The line above is the odd one out between two lines that agree: it moved, not this one.
    if before is not None and not before.opens and before.indent == line.indent != previous.indent:
        moved = f"line {previous.number} is indented {_spaces(previous.start)}; the lines around it use {line.indent}"
        parent = _parent_of(lines, i - 1, line.indent) if previous.indent < line.indent else ""
        belongs = f"`{previous.key}` belongs under `{parent}:`: " if parent and previous.key else ""
        return Explained(previous.number, 1, moved, f"{belongs}indent it {_spaces(line.indent)}, like them")
    if previous.dash is not None and following is not None and following.indent == line.indent != previous.indent:
        dash = _spaces(previous.dash)
        where = f"line {previous.number}'s '- ' is at {dash}, so its fields start at {previous.indent}"
        return Explained(
            previous.number,
            1,
            f"{where}; the lines below it use {line.indent}",
            f"put the '- ' at {_spaces(line.indent - 2)}, so the item's fields line up with the lines below",
        )
    if line.dash is not None:
        above = next((x for x in reversed(lines[:i]) if x.dash is not None), None)
        if above is not None and above.dash != line.dash:
            return Explained(
                line.number,
                1,
                f"line {line.number}'s '- ' is at {_spaces(line.dash)}; the item above has its '- ' at {above.dash}",
                f"line the '- ' up with the one above ({_spaces(above.dash)})",
            )
    if (
        line.dash is None
        and (line.indent, "seq") in levels
        and previous.dash is not None
        or (line.dash is None and (line.indent, "seq") in levels and previous.indent > line.indent)
    ):
        return Explained(
            line.number,
            1,
            f"{here}, where the list's '- ' marks are; the fields of the item above use {previous.indent}",
            f"indent it {_spaces(previous.indent)}, like `{previous.key or 'the line'}` above, or start a new list "
            "item with '- '",
        )
    if line.indent > previous.indent and not previous.opens:
        return Explained(
            line.number,
            1,
            f"{here}; the line above it uses {previous.indent}",
            f"line it up with the field above it ({_spaces(previous.indent)}): only a field with nothing after its "
            "colon has lines indented under it",
        )
    targets = sorted({column for column, what in levels if what == "map"}, key=lambda c: (abs(c - line.indent), -c))
    if not targets:
        return None
    target = targets[0]
    hint = f"indent it {_spaces(target)}" if target else "start it at the beginning of the line, with no spaces"
    return Explained(line.number, 1, f"{here}; {_near(previous, following, target)}", hint)


def _explain_colon(text: str, error_line: int, error_col: int) -> Explained | None:
    source = text.splitlines()
    raw = source[error_line - 1] if 0 < error_line <= len(source) else ""
    match = _KEY.match(raw)
    if not match or not match.group(4):
        return None
    key = match.group(3)
    start = len(match.group(1)) + len(match.group(2)) + len(key) + 1
    if error_col - 1 <= start or raw[error_col - 1 : error_col] != ":":
        return None
    return Explained(
        error_line,
        error_col,
        f"the value of `{key}` contains ': ', which YAML reads as the start of another field",
        f"put the whole value in double quotes, or write it as a folded block: `{key}: >-` and the text "
        "on the next line, indented two more spaces",
    )


def _explain_quote(lines: list[_Line], error_line: int) -> Explained | None:
    opened = [line for line in lines if line.quote_opened and line.number <= error_line]
    if not opened:
        return None
    line = opened[-1]
    return Explained(
        line.number,
        line.indent + 1,
        f"the quote that opens the value of `{line.key}` on line {line.number} is not closed on that line",
        "end the value with the same quote mark; to write a quote inside it, use the other kind (' or \")",
    )


def explain(text: str, problem: str, line: int, col: int) -> Explained | None:
    """A located explanation of a YAML error the parser reported at (line, col), if we have one."""
    loose: list[_LooseText] = []
    lines = _layout(text, loose)
    for text_line in loose:
        if line - 2 <= text_line.number <= line:
            return Explained(
                text_line.number,
                1,
                f"line {text_line.number} is indented {_spaces(text_line.indent)}, less than the text of "
                f"`{text_line.key}` above it ({text_line.text_indent})",
                f"indent it {_spaces(text_line.text_indent)}, like the text above",
            )
    indent = _explain_indent(lines, line)
    if indent is not None:
        return indent
    if "mapping values are not allowed" in problem:
        return _explain_colon(text, line, col)
    if "expected key" in problem or "end of stream" in problem or "quoted scalar" in problem:
        return _explain_quote(lines, line)
    return None
