"""Which engine builds the site: ProperDocs, the maintained MkDocs 1.x line, unless asked otherwise.

MkDocs 1.6.1 (August 2024) is the last MkDocs 1.x release; ProperDocs is its drop-in
continuation by the same maintainers and reads mkdocs.yml. Once ProperDocs is active in a
process, every `mkdocs.*` import (Material's, literate-nav's, our hook's) resolves to
`properdocs.*`, so the theme and plugins run on it unchanged. MkDocs stays installed because
Material still requires it, and `BUILD_TOOLS_ENGINE=mkdocs` builds with it (the test that
compares both engines does).
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

ENGINE_VARIABLE = "BUILD_TOOLS_ENGINE"
ENGINES = ("properdocs", "mkdocs")
DEFAULT_ENGINE = "properdocs"


class UnknownEngine(ValueError):
    """The engine variable names no engine we support."""


def chosen() -> str:
    """The engine asked for in the environment, or ProperDocs."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip() or DEFAULT_ENGINE
    if name not in ENGINES:
        raise UnknownEngine(f"{ENGINE_VARIABLE}={name!r}: use one of {', '.join(ENGINES)}")
    return name


def activate(name: str) -> str:
    """Make `name` this process's engine before anything imports it."""
    if name == "properdocs":
        import properdocs.replacement  # noqa: F401  (aliases mkdocs.* to properdocs.*)
    return name


def running() -> str:
    """The engine this process builds with."""
    return "properdocs" if "properdocs.replacement" in sys.modules else "mkdocs"


def module(name: str) -> ModuleType:
    """`name` (e.g. 'structure.files') from the running engine, whichever that is."""
    return importlib.import_module(f"{running()}.{name}")
