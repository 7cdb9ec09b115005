"""Read one YAML record safely, remembering where every key and value stood.

PyYAML's loaders give data without positions and silently keep the last of two
duplicate keys. We compose the node tree with the (C) safe loader instead and build
plain Python data from it ourselves, so each value keeps its line and column and a
duplicate key, an alias or a custom tag becomes a located problem, not lost data.

Two more YAML surprises become problems here. PyYAML reads YAML 1.1, where `017` is 15
(octal), `1:30` is 90 (base 60), `0x1F` and `1_000` are numbers, and `.inf`, `.nan` and
`1.0e+999` are not finite: a number must be written in plain decimal and be finite. And
nesting is bounded before the node tree is composed: libyaml's composer recurses, and a
file of 100,000 '[' crashed the interpreter.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from build_tools.records.problems import Problem, format_field
from build_tools.records.yaml_errors import explain

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 256 * 1024
# A record is four levels deep at most; anything past this is refused, not recursed into.
MAX_DEPTH = 20
YamlPath = tuple[str | int, ...]

# Numbers as YAML 1.2 and JSON write them; anything else PyYAML reads as a number is refused.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")

_TAG = "tag:yaml.org,2002:"
# Timestamps stay text: the schema checks dates as ISO strings, which also keeps
# every value JSON-compatible for the schema validator and the open-data export.
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = _TAG + "timestamp"
_STR, _MAP, _SEQ, _MERGE = (_TAG + t for t in ("str", "map", "seq", "merge"))


class Document:
    """A parsed record plus the 1-based (line, column) of each value and each key.

    Positions are needed only when something must be pointed at, so a document restored
    from the parse cache (JSON: its data and text) composes positions again on demand from
    its text: the cache stays small and quick to read.
    """

    def __init__(
        self,
        data: object,
        positions: dict[YamlPath, tuple[int, int]] | None = None,
        key_positions: dict[YamlPath, tuple[int, int]] | None = None,
        text: str = "",
    ) -> None:
        self.data = data
        self.text = text
        self._positions = positions if positions is not None else ({} if not text else None)
        self._key_positions = key_positions if key_positions is not None else ({} if not text else None)
        # Every string value, gathered by the fast reader (None otherwise): the text rules'
        # quick first look.
        self.strings: list[str] | None = None

    def _compose_positions(self) -> None:
        again, _ = parse_yaml(self.text, "", locate=True)
        self._positions = again.positions if again else {}
        self._key_positions = again.key_positions if again else {}

    @property
    def positions(self) -> dict[YamlPath, tuple[int, int]]:
        if self._positions is None:
            self._compose_positions()
        return self._positions

    @property
    def key_positions(self) -> dict[YamlPath, tuple[int, int]]:
        if self._key_positions is None:
            self._compose_positions()
        return self._key_positions

    def where(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or key) at `path`, else of its nearest parent."""
        positions = self.positions
        table = self.key_positions if key else positions
        while path:
            if path in table:
                return table[path]
            if path in positions:
                return positions[path]
            path = path[:-1]
        return positions.get((), (1, 1))


def number_problem(text: str, value: object) -> tuple[str, str] | None:
    """Why a scalar YAML read as a number may not be one (message, hint), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        if _FLOAT.match(text):
            return f"{text} is too large: it reads as infinity", "write a finite number"
        return f"{text} is not a finite number", "write a number, such as 1.5"
    if (_INT if isinstance(value, int) else _FLOAT).match(text):
        return None
    if ":" in text:
        return (
            f"{text} is read by YAML as {value:g} (minutes and seconds, in base 60)",
            f"put it in quotes ('{text}') if it is text",
        )
    if isinstance(value, int) and re.fullmatch(r"[-+]?0[0-9_]+", text):
        return (
            f"{text} is read by YAML as {value} (a leading 0 makes it octal)",
            f"write {text.lstrip('+-0') or '0'} without the leading 0, or put it in quotes if it is text",
        )
    return f"{text} is read by YAML as {value:g}", "write the number in plain decimal digits, or put it in quotes"


class _Composer:
    """Turn a composed node tree into plain data, collecting problems as it goes."""

    def __init__(self, loader: yaml.SafeLoader, shown_path: str, alias_marks: list[yaml.Mark]) -> None:
        self.loader = loader
        self.shown_path = shown_path
        self.alias_marks = iter(alias_marks)
        self.doc = Document(data=None)
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def problem(
        self, node: yaml.Node, field_path: YamlPath, message: str, hint: str = "", mark: yaml.Mark | None = None
    ) -> None:
        mark = mark or node.start_mark
        line, col = mark.line + 1, mark.column + 1
        self.problems.append(Problem(self.shown_path, line, col, format_field(field_path), message, hint))

    def build(self, node: yaml.Node, path: YamlPath) -> object:
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(path) > MAX_DEPTH:
            self.problem(node, path, f"nested more than {MAX_DEPTH} levels deep", "check the brackets and indentation")
            return None
        if node.tag == _STR and isinstance(node, yaml.ScalarNode) and id(node) not in self.seen:
            # Most values are plain text: the string is the node's value, no constructor needed.
            self.seen.add(id(node))
            return node.value
        # The composer hands back the same node object for every alias of an anchor:
        # refusing repeats also defuses "billion laughs" alias bombs before they expand.
        if id(node) in self.seen:
            # Composed nodes forget where an alias stood; aliases are met in document order,
            # so the next alias event's mark is this one's place.
            mark = next(self.alias_marks, None)
            self.problem(node, path, "anchors and aliases are not allowed", "write the value out in full", mark)
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self.problem(node, path, f"custom tag {node.tag!r} is not allowed", "remove the tag")
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.problem(node, path, f"custom tag {node.tag!r} is not allowed", "remove the tag; write plain text")
            return None
        value = self.loader.construct_object(node, deep=True)
        if node.tag in _NUMBER_TAGS:
            wrong = number_problem(node.value, value)
            if wrong:
                self.problem(node, path, *wrong)
                return None
        return value

    def build_mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict:
        if node.tag != _TAG + "map":
            self.problem(node, path, f"custom tag {node.tag!r} is not allowed", "remove the tag")
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                self.problem(key_node, path, "keys must be plain words", "write the key as text, without '<<' or '?'")
                continue
            key = key_node.value
            key_path = path + (key,)
            if key in out:
                first = self.doc.key_positions[key_path][0]
                self.problem(
                    key_node,
                    key_path,
                    f"duplicate key {key!r} (first given on line {first})",
                    "keep one of the two; YAML would silently drop the first",
                )
                continue
            self.doc.key_positions[key_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, key_path)
        return out


class _Unusual(Exception):
    """The document needs the locating composer: an alias, a tag, a duplicate or odd key."""


_CONSTRUCTORS = Loader.yaml_constructors
_NUMBER_TAGS = {_TAG + "int", _TAG + "float"}


def _plain_data(node: yaml.Node, strings: list[str], loader: yaml.SafeLoader, depth: int = 0) -> object:
    """Data from a node tree holding only plain mappings, lists and scalars (nearly every
    record), without recording positions: the common case pays for nothing it does not use."""
    kind, tag = type(node), node.tag
    if depth > MAX_DEPTH:
        raise _Unusual
    if kind is yaml.ScalarNode:
        if tag == _STR:
            strings.append(node.value)
            return node.value
        if tag == _TIMESTAMP:
            return node.value
        if tag in _SCALAR_TAGS:
            value = _CONSTRUCTORS[tag](loader, node)
            if tag in _NUMBER_TAGS and number_problem(node.value, value):
                raise _Unusual
            return value
    elif kind is yaml.MappingNode and tag == _MAP:
        out: dict = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE or key_node.value in out:
                raise _Unusual
            out[key_node.value] = _plain_data(value_node, strings, loader, depth + 1)
        return out
    elif kind is yaml.SequenceNode and tag == _SEQ:
        return [_plain_data(item, strings, loader, depth + 1) for item in node.value]
    raise _Unusual


def _too_deep(text: str, shown_path: str) -> Problem | None:
    """A problem if the document nests more than MAX_DEPTH levels, found without composing it."""
    # Every level needs a '[', '{', '-', ':' or '?': with few of them, no scan is needed.
    if sum(text.count(c) for c in "[{-:?") <= 400:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):  # libyaml's parser keeps a stack, not recursion
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    message = f"nested more than {MAX_DEPTH} levels deep"
                    return Problem(shown_path, mark.line + 1, mark.column + 1, "", message, "check the brackets")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its place
    return None


def _line(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def parse_yaml(text: str, shown_path: str, *, locate: bool = False) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; return it (with positions, composed now or when first
    asked for), or the problems that stopped it. `locate` composes positions now."""
    deep = _too_deep(text, shown_path)
    if deep:
        return None, [deep]
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem or exc.context}"
        hint = "check indentation and quoting; a value with ': ' or ' #' needs double quotes or a folded block (>-)"
        if "expected a single document" in str(exc):
            message, hint = "a record file holds exactly one YAML document", "remove the '---' separators"
        elif mark and "\t" in _line(text, mark.line):
            message, hint = "tab characters cannot indent YAML", "indent with spaces, not tabs"
        else:
            explained = explain(text, str(exc.problem or ""), line, col)
            if explained is not None:
                line, col = explained.line, explained.col
                message, hint = f"invalid YAML: {explained.message}", explained.hint
        return None, [Problem(shown_path, line, col, "", message, hint)]
    except yaml.YAMLError as exc:
        return None, [Problem(shown_path, 1, 1, "", f"invalid YAML: {exc}", "")]
    finally:
        loader.dispose()
    if node is None:
        return None, [Problem(shown_path, 1, 1, "", "the file is empty", "fill it in from the template")]
    if not locate and "*" not in text:  # without '*' there is no alias
        strings: list[str] = []
        try:
            data = _plain_data(node, strings, loader)
        except _Unusual:
            pass  # the locating composer below names the problem, if there is one
        else:
            doc = Document(data, text=text)
            doc.strings = strings
            return doc, []
    alias_marks = (
        [e.start_mark for e in yaml.parse(text, Loader=Loader) if isinstance(e, yaml.AliasEvent)] if "*" in text else []
    )
    composer = _Composer(loader, shown_path, alias_marks)
    composer.doc.data = composer.build(node, ())
    composer.doc.text = text
    return composer.doc, composer.problems


def parse_bytes(raw: bytes, shown_path: str) -> tuple[Document | None, list[Problem]]:
    """Decode and parse a record file's bytes, turning every failure into a Problem."""
    if len(raw) > MAX_FILE_BYTES:
        message = f"file is {len(raw)} bytes; the limit is {MAX_FILE_BYTES}"
        return None, [Problem(shown_path, 1, 1, "", message, "split or shorten it")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown_path, line, 1, "", "file is not UTF-8 text", "save it with UTF-8 encoding")]
    return parse_yaml(text.removeprefix("\ufeff"), shown_path)


def read_yaml_file(path: Path, shown_path: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse a record file."""
    return parse_bytes(path.read_bytes(), shown_path)
