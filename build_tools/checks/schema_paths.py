"""What the JSON Schema says about one field of a record: its rules, whether it is required,
whether it holds prose, and where a field written in the wrong place belongs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from build_tools.records.yaml_source import YamlPath

SCHEMA_FILES = {
    "sources": "source",
    "studies": "study",
    "claims": "claim",
    "screening": "screening",
    "living-terms": "living-terms",
}
# No "<" followed by a letter, "/", "!" or "?" (a tag, comment or declaration), and no trailing "<".
NO_HTML_PATTERN = "^[^<]*(?:<+[^A-Za-z/!?<][^<]*)*$"


@cache
def load_schema(kind: str) -> dict:
    """The JSON Schema for one record kind ('sources', 'studies' or 'claims')."""
    text = resources.files("build_tools").joinpath("schemas", f"{SCHEMA_FILES[kind]}.schema.json").read_text()
    return json.loads(text)


def _resolve(root: dict, schema: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return {**root["$defs"][ref.removeprefix("#/$defs/")], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


@dataclass(frozen=True)
class FieldRules:
    """One field's schema (references resolved) and whether its parent requires it."""

    schema: dict
    required: bool
    parent: dict

    @property
    def description(self) -> str:
        return self.schema.get("description", "") or self.parent.get("description", "")

    @property
    def is_prose(self) -> bool:
        """Free text (titles, notes, findings), as opposed to ids, choices, dates and numbers."""
        return self.schema.get("type") == "string" and self.schema.get("pattern") == NO_HTML_PATTERN


def field_rules(kind: str, path: YamlPath) -> FieldRules | None:
    """The rules for the field at `path` (e.g. ('evidence', 0, 'direction')), or None if unknown."""
    root = load_schema(kind)
    schema, parent, required = root, {}, True
    for part in path:
        if isinstance(part, int):
            items = schema.get("items")
            if not isinstance(items, dict):
                return None
            parent, schema, required = schema, _resolve(root, items), True
            continue
        props = schema.get("properties", {})
        if part not in props:
            return None
        parent, required = schema, part in schema.get("required", [])
        schema = _resolve(root, props[part])
    return FieldRules(schema, required, parent)


def home_of(kind: str, path: YamlPath, name: str) -> tuple[str, bool] | None:
    """Where a field `name`, found as an unknown field of the mapping at `path`, belongs: the
    name of the one field directly inside that mapping whose own fields include it, and
    whether that field is a list of entries (like evidence); None if there is none or several."""
    rules = field_rules(kind, path)
    if rules is None:
        return None
    root = load_schema(kind)
    homes = []
    for field, sub in rules.schema.get("properties", {}).items():
        sub = _resolve(root, sub)
        is_list = sub.get("type") == "array" and isinstance(sub.get("items"), dict)
        inner = _resolve(root, sub["items"]) if is_list else sub
        if name in inner.get("properties", {}):
            homes.append((field, is_list))
    return homes[0] if len(homes) == 1 else None
