"""The tree shows the flow: each stage imports only the stages before it, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "build_tools"
# The flow, earliest first. `pipeline` ties records..pages together and the site runs it;
# editor and ops are tools beside the flow, and the CLI sits on top of everything.
LAYERS = [
    {"timings", "records"},
    {"checks"},
    {"rating"},
    {"pages"},
    {"pipeline"},
    {"site"},
    {"editor", "ops"},
    {"cli"},
    {"__main__"},
]
RANK = {part: i for i, layer in enumerate(LAYERS) for part in layer}
MAX_LINES = 400


def stage_of(module: str) -> str:
    """'build_tools.pages.render' -> 'pages'; 'build_tools.pipeline' -> 'pipeline'."""
    return module.split(".")[1]


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        found.append((".".join(parts), path))
    return found


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """Every build_tools module this file imports, function-level imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "build_tools":  # `from build_tools import x`: x is the module imported
                found += [(node.lineno, f"build_tools.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.startswith("build_tools.")]


def against_the_flow(module: str, imported: str) -> bool:
    if module == "build_tools":
        return False
    here, there = stage_of(module), stage_of(imported)
    if here == there:
        return False
    # Tools beside the flow do not import each other either.
    return RANK[there] >= RANK[here]


def test_every_stage_is_known() -> None:
    stages = {stage_of(m) for m, _ in modules() if m != "build_tools"}
    assert stages <= set(RANK), f"add {stages - set(RANK)} to LAYERS"


@pytest.mark.parametrize("module,path", modules(), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_imports_run_one_way(module: str, path: Path) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports {name}"
        for line, name in imports_of(path, module)
        if against_the_flow(module, name)
    ]
    assert wrong == []


def test_the_direction_check_catches_a_backward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from build_tools.pages.render import render_pages\ndef f():\n    from ..site import build\n")
    found = imports_of(bad, "build_tools.rating.bad")
    assert [name for _, name in found] == ["build_tools.pages.render", "build_tools.site"]
    assert all(against_the_flow("build_tools.rating.bad", name) for _, name in found)
    assert not against_the_flow("build_tools.site.x", "build_tools.rating.rules")
    assert against_the_flow("build_tools.editor.x", "build_tools.ops.benchmark")


@pytest.mark.parametrize("module,path", modules(), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_no_module_is_over_the_limit(module: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by concern"


def test_each_package_says_what_it_owns() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(PACKAGE.parent)} needs a docstring saying what the package owns"
