"""The one way templates are loaded: from build_tools/templates, strict about missing values."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def template_environment(**options) -> Environment:
    """A Jinja environment over the package's templates; `options` add escaping and the like."""
    return Environment(
        loader=PackageLoader("build_tools", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
