"""Command line: `python -m build_tools check|render|build|serve`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from build_tools.editor.scaffold import ScaffoldError, claim_template, source_template, study_from_citation
from build_tools.editor.screening_step import screening_step
from build_tools.editor.what_changed import GitError, summarise
from build_tools.ops.doi_check import UNREACHABLE_EXIT, run_doi_check
from build_tools.ops.doi_check import report as doi_report
from build_tools.pipeline import RecordsInvalid, check, render, report
from build_tools.records.problems import errors, printable
from build_tools.site.build import build_site
from build_tools.site.serve import DEFAULT_ADDR, address_problem, serve
from build_tools.site.site_dir import refusal as site_dir_refusal
from build_tools.timings import stage


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def cmd_check(args: argparse.Namespace) -> int:
    result = check(_root(args))
    if args.format == "github":
        for p in result.problems:
            print(p.format_github())
    elif result.problems:
        print(report(result.problems))
    if result.ok:
        kb = result.kb
        print(f"ok: {len(kb.claims)} claims, {len(kb.studies)} studies, {len(kb.sources)} sources")
        return 0
    return 1


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated pages to docs/kb/ (builds keep them in memory instead)."""
    try:
        result, written, removed = render(_root(args))
    except RecordsInvalid as exc:
        print(report(exc.problems), file=sys.stderr)
        return 1
    warnings = [p for p in result.problems if p not in errors(result.problems)]
    if warnings:
        print(report(warnings))
    print(f"rendered: {written} pages written, {removed} removed, into docs/kb/")
    return 0


def _checked(args: argparse.Namespace):
    """Check before MkDocs starts, so problems are listed plainly; None if there are errors."""
    with stage("check"):
        result = check(_root(args))
    if result.problems:
        print(report(result.problems), file=sys.stderr if not result.ok else sys.stdout)
    return result if result.ok else None


def cmd_build(args: argparse.Namespace) -> int:
    site_dir = Path(os.path.abspath(args.site_dir))
    reason = site_dir_refusal(site_dir, _root(args))
    if reason:  # said before the check, which takes a while
        print(f"build: the site folder {printable(str(site_dir))} {reason}; nothing was changed", file=sys.stderr)
        return 1
    result = _checked(args)
    if not result:
        return 1
    return build_site(_root(args), site_dir, result.kb)


def cmd_serve(args: argparse.Namespace) -> int:
    problem = address_problem(args.addr)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if not _checked(args):
        print("serve: fix the problems above, then start the preview again", file=sys.stderr)
        return 1
    return serve(_root(args), args.addr)


def _write_new(target: Path, text: str, root: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(root)}: replace every TODO placeholder, then run check")
    return 0


def _scaffold(args: argparse.Namespace, command: str, make) -> int:
    """Run a scaffolding step; print its refusal, or write the new record."""
    try:
        kind, record_id, text = make()
    except ScaffoldError as exc:
        print(f"{command}: {printable(str(exc))}", file=sys.stderr)
        return 1
    return _write_new(_root(args) / kind / f"{record_id}.yaml", text, _root(args))


def cmd_new_study(args: argparse.Namespace) -> int:
    source = sys.stdin.read() if args.citation == "-" else Path(args.citation).read_text(encoding="utf-8")
    made: list[str] = []

    def make() -> tuple[str, str, str]:
        study_id, text = study_from_citation(source, _root(args))
        made.append(study_id)
        return "studies", study_id, text

    code = _scaffold(args, "new-study", make)
    if code == 0:
        print(screening_step(made[0], _root(args)), end="")
    return code


def cmd_new_claim(args: argparse.Namespace) -> int:
    return _scaffold(args, "new-claim", lambda: ("claims", args.id, claim_template(args.id, _root(args))))


def cmd_new_source(args: argparse.Namespace) -> int:
    return _scaffold(args, "new-source", lambda: ("sources", args.id, source_template(args.id, _root(args))))


def cmd_what_changed(args: argparse.Namespace) -> int:
    try:
        print(summarise(_root(args), args.old, args.new), end="")
    except GitError as exc:
        print(f"what-changed: {printable(str(exc))}", file=sys.stderr)
        return 1
    return 0


def cmd_lighthouse(args: argparse.Namespace) -> int:
    from build_tools.ops.lighthouse import run

    print(run(_root(args) / args.site_dir), end="")
    return 0


def cmd_benchmark(args: argparse.Namespace) -> int:
    from build_tools.ops.benchmark import run

    report_text = run(args.sizes, args.full_build_limit, _root(args))
    print(report_text)
    if args.write:
        Path(args.write).write_text(BENCHMARK_PAGE.format(results=report_text), encoding="utf-8")
    return 0


BENCHMARK_PAGE = """# Benchmarks

Measured with `python -m build_tools benchmark` on synthetic knowledge bases (each claim
cites three studies). Every stage is shown in seconds and, in brackets, per record. The
floor is reading and parsing the same files with PyYAML's C loader alone. "write" is what
`render` takes to write every page to docs/kb/ (builds hand them to MkDocs from memory).
"full build" is `python -m build_tools build` with no parse cache, as on a fresh clone;
"our stages in it" is the time our own code took inside it (check, render, verification,
from `BUILD_TOOLS_TIMINGS`); "bare MkDocs build" is MkDocs alone building the same pages
from disk, without our hook.

{results}
"""


def cmd_check_dois(args: argparse.Namespace) -> int:
    """0: every DOI checked, nothing found; 1: findings; 3: Crossref could not be asked about some."""
    result = run_doi_check(check(_root(args)).kb.studies.values())
    print(doi_report(result.findings, result.checked, result.unchecked))
    if result.findings:
        return 1
    return UNREACHABLE_EXIT if result.unchecked else 0


def cmd_living_review(args: argparse.Namespace) -> int:
    """0: nothing new; 1: new works to screen; 3: Crossref could not be asked; 2: the records or terms are wrong."""
    import datetime as dt

    from build_tools.ops.living_review import exit_code, living_review, since_date
    from build_tools.ops.living_review import report as living_report

    result = check(_root(args))
    if not result.ok:
        print(report(result.problems), file=sys.stderr)
        print("living-review: fix the problems above first", file=sys.stderr)
        return 2
    terms = result.kb.living_terms
    if terms is None:
        print("living-review: no screening/living-terms.yaml: record the search terms there first", file=sys.stderr)
        return 2
    since = args.since or since_date(result.kb)
    if since is None:
        print("living-review: no search is recorded yet: give --since YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        dt.date.fromisoformat(since)
    except ValueError:
        print(f"living-review: --since {since} is not a date: write it as YYYY-MM-DD", file=sys.stderr)
        return 2
    found = living_review(result.kb, terms, since)
    print(living_report(found), end="")
    return exit_code(found)


def main(argv: list[str] | None = None) -> int:
    """Entry point for `python -m build_tools` and the `walkback` script."""
    parser = argparse.ArgumentParser(prog="python -m build_tools", description=__doc__)
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate every record; exit 1 listing all problems")
    p.add_argument(
        "--format", choices=["text", "github"], default="text", help="'github' prints annotations for pull requests"
    )
    p.set_defaults(func=cmd_check)
    sub.add_parser("render", help="check, then write every generated page into docs/kb/").set_defaults(func=cmd_render)
    p = sub.add_parser("build", help="check, `mkdocs build --strict` into a temporary folder, verify, swap it in")
    p.add_argument("--site-dir", default="site", help="where to write the site (default: site/)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("serve", help="check, then serve the site with live reload (Ctrl-C or SIGTERM stops it)")
    p.add_argument("--addr", default=DEFAULT_ADDR, help=f"HOST:PORT to serve on (default: {DEFAULT_ADDR})")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("new-study", help="start studies/<id>.yaml from a BibTeX entry or RIS record (file, or -)")
    p.add_argument("citation")
    p.set_defaults(func=cmd_new_study)
    p = sub.add_parser("new-claim", help="start claims/<id>.yaml from the annotated template")
    p.add_argument("id")
    p.set_defaults(func=cmd_new_claim)
    p = sub.add_parser("new-source", help="start sources/<id>.yaml (a popular article) from the annotated template")
    p.add_argument("id")
    p.set_defaults(func=cmd_new_source)
    p = sub.add_parser("what-changed", help="summarise the knowledge-base change between two git revisions")
    p.add_argument("old", help="e.g. origin/main")
    p.add_argument("new", nargs="?", default="HEAD")
    p.set_defaults(func=cmd_what_changed)
    p = sub.add_parser("benchmark", help="time every stage on synthetic knowledge bases (prints numbers)")
    p.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    p.add_argument("--full-build-limit", type=int, default=200, help="largest size also built with MkDocs")
    p.add_argument("--write", help="also write the results page here (e.g. docs/benchmarks.md)")
    p.set_defaults(func=cmd_benchmark)
    p = sub.add_parser("lighthouse", help="Lighthouse scores of the built site, served with gzip (needs npx)")
    p.add_argument("--site-dir", default="site")
    p.set_defaults(func=cmd_lighthouse)
    sub.add_parser(
        "check-dois",
        help="ask Crossref whether each DOI resolves and has no retraction or correction notice (needs the network; "
        "exit 1: findings, 3: Crossref unreachable)",
    ).set_defaults(func=cmd_check_dois)
    p = sub.add_parser(
        "living-review",
        help="ask Crossref for works published since the last recorded search that match screening/living-terms.yaml "
        "and list those no screening log has (needs the network; exit 1: new works, 3: Crossref unreachable)",
    )
    p.add_argument("--since", help="YYYY-MM-DD (default: the date of the most recent search in the screening logs)")
    p.set_defaults(func=cmd_living_review)
    args = parser.parse_args(argv)
    if not Path(args.root).is_dir():
        parser.error(f"--root {printable(args.root)}: no such folder")
    return args.func(args)
