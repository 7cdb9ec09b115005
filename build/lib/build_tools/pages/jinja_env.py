"""The one way templates are loaded: from a package's templates/ folder, strict about missing values."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def template_environment(package: str = "build_tools.pages", **options) -> Environment:
    """A Jinja environment over `package`'s templates; `options` add escaping and the like."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
