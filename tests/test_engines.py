"""ProperDocs builds the site; MkDocs 1.6 still builds the same site from the same mkdocs.yml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_real_site

from build_tools.site import engine

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_properdocs_is_the_default_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    assert engine.chosen() == "properdocs"
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "mkdocs")
    assert engine.chosen() == "mkdocs"
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "zensical")
    with pytest.raises(engine.UnknownEngine, match="use one of properdocs, mkdocs"):
        engine.chosen()


def test_both_engines_build_the_same_site(tmp_path: Path) -> None:
    proper = build_real_site(tmp_path / "properdocs", "properdocs")
    mkdocs = build_real_site(tmp_path / "mkdocs", "mkdocs")
    files = sorted(p.relative_to(proper) for p in proper.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(mkdocs) for p in mkdocs.rglob("*") if p.is_file())
    generators, different = set(), []
    for rel in files:
        a, b = (proper / rel).read_bytes(), (mkdocs / rel).read_bytes()
        if rel.suffix == ".html":
            generators |= {m.group() for m in GENERATOR.finditer(a + b)}
            a, b = GENERATOR.sub(b"", a), GENERATOR.sub(b"", b)
        if rel.suffix == ".gz":
            continue  # sitemap.xml.gz carries a time stamp in its gzip header; sitemap.xml is compared
        if a != b:
            different.append(str(rel))
    assert different == []
    # The one difference allowed: each engine names itself.
    assert len(generators) == 2
    assert any(b"ProperDocs" in g for g in generators) and any(b"mkdocs-1.6" in g for g in generators)
