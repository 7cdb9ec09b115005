"""The contributor guide documents every field of every schema, and every allowed value."""

from __future__ import annotations

import pytest
from conftest import ROOT

from build_tools.checks.schema import SCHEMA_FILES, load_schema

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def field_paths(schema: dict, prefix: str = "") -> list[str]:
    """Dotted paths of every property, with [] for list items: e.g. outcomes[].measure."""
    paths = []
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        paths.append(path)
        if sub.get("type") == "object":
            paths += field_paths(sub, f"{path}.")
        items = sub.get("items", {})
        if sub.get("type") == "array" and items.get("type") == "object":
            paths += field_paths(items, f"{path}[].")
    return paths


def enum_values(schema: dict) -> list[str]:
    values = []
    for sub in schema.get("properties", {}).values():
        values += [str(v) for v in sub.get("enum", [])]
        values += enum_values(sub)
        values += enum_values(sub.get("items", {}))
    return values


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_every_schema_field_is_in_the_guide(kind: str) -> None:
    missing = [p for p in field_paths(load_schema(kind)) if f"`{p}`" not in GUIDE]
    assert missing == [], f"CONTRIBUTING.md does not document: {missing}"


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_every_allowed_value_is_in_the_guide(kind: str) -> None:
    missing = sorted({v for v in enum_values(load_schema(kind)) if v not in GUIDE})
    assert missing == [], f"CONTRIBUTING.md does not mention: {missing}"


def test_the_guide_is_published_on_the_site() -> None:
    assert '--8<-- "CONTRIBUTING.md"' in (ROOT / "docs" / "contributing.md").read_text()
