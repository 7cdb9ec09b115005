"""The one way data flows: load -> validate -> rate -> render -> site."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_tools.checks.files import load_checked
from build_tools.checks.validation import validate
from build_tools.pages.changelog import change_log
from build_tools.pages.memo import RenderMemo
from build_tools.pages.model import build_model
from build_tools.pages.render import GENERATED_DIR, render_pages
from build_tools.pages.sync import sync_pages
from build_tools.rating.method_checks import check_method
from build_tools.rating.rules import Ratings, rate
from build_tools.rating.verdict_check import check_verdicts
from build_tools.records.cache import RecordCache
from build_tools.records.loading import LiveFiles
from build_tools.records.model import KnowledgeBase
from build_tools.records.problems import Problem, errors


@dataclass
class CheckResult:
    kb: KnowledgeBase
    ratings: Ratings | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def check(
    root: Path, today: dt.date | None = None, use_cache: bool = True, live: LiveFiles | None = None
) -> CheckResult:
    """Load, validate and rate every record; collect every problem."""
    kb, problems = load_checked(root, RecordCache(root) if use_cache and live is None else None, live)
    problems += validate(kb, today)
    ratings = rate(kb)
    problems += check_method(kb, ratings) + check_verdicts(kb, ratings)
    return CheckResult(kb, ratings, sorted(set(problems)))


class RecordsInvalid(Exception):
    """The records have errors; nothing was rendered."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(report(problems))


def report(problems: list[Problem]) -> str:
    """Every problem on its own line, then a count."""
    lines = [p.format() for p in problems]
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    lines.append(f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}")
    return "\n".join(lines)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, for the few values the render step needs."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    # MkDocs' !ENV: `!ENV NAME`, or `!ENV [NAME, OTHER_NAME, default]` (the last item is the default).
    if isinstance(node, yaml.SequenceNode):
        *names, default = loader.construct_sequence(node)
    else:
        names, default = [loader.construct_scalar(node)], None
    return next((os.environ[n] for n in names if os.environ.get(n)), default)


_ConfigLoader.add_constructor("!ENV", _env)


def config_value(root: Path, key: str) -> str:
    """A value of mkdocs.yml (with its !ENV variables filled in), or ''."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except (OSError, yaml.YAMLError):
        return ""
    return str(config.get(key) or "") if isinstance(config, dict) else ""


def site_url(root: Path) -> str:
    """The site's public address: mkdocs.yml's site_url, which the SITE_URL variable fills
    (the Pages workflow sets it from the repository); '' when neither says."""
    url = config_value(root, "site_url")
    return url if not url or url.endswith("/") else url + "/"


def repo_url(root: Path) -> str:
    """The repository's address (REPO_URL fills mkdocs.yml's repo_url), for edit and issue links."""
    return config_value(root, "repo_url").rstrip("/")


def prepare(
    root: Path, today: dt.date | None = None, live: LiveFiles | None = None, memo: RenderMemo | None = None
) -> tuple[CheckResult, dict[str, str]]:
    """Check, then render every generated page in memory; raise RecordsInvalid on errors.

    `live` and `memo` let a long-running process (mkdocs serve) skip unchanged files and
    reuse unchanged pages between rebuilds."""
    result = check(root, today, live=live)
    if not result.ok:
        raise RecordsInvalid(result.problems)
    model = build_model(result.kb, result.ratings, change_log(root), site_url(root), memo, repo_url(root))
    return result, render_pages(model)


def render(root: Path, today: dt.date | None = None) -> tuple[CheckResult, int, int]:
    """Check, then write the generated pages to docs/kb (writing nothing on errors), for
    reading them, or for building with another tool; the MkDocs hook keeps them in memory."""
    result, pages = prepare(root, today)
    written, removed = sync_pages(pages, root / GENERATED_DIR)
    return result, written, removed
