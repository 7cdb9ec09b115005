"""Benchmark: synthetic knowledge bases of growing size, timed stage by stage.

Each size gets claims x 3 studies (plus one source, and screening logs, one per topic and 50
claims, that include every study), written as real YAML files. Every
stage is reported in seconds and in microseconds per record, next to the floor measured
in the same run: parsing the same files with PyYAML's C loader and nothing else.
Run by hand (`python -m build_tools benchmark --write docs/benchmarks.md`) and as a smoke
run in CI at the smallest size. Numbers are printed, never asserted.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from build_tools import timings
from build_tools.checks.files import load_checked as load
from build_tools.checks.validation import validate
from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pages.sync import sync_pages
from build_tools.rating.rules import rate
from build_tools.rating.verdict_check import check_verdicts
from build_tools.records.cache import CACHE_FILE, RecordCache
from build_tools.site import engine

STUDY = """id: {id}
title: "Synthetic study {i} of backward walking"
authors:
  - "Author{i}, A."
  - "Second, B."
journal: "Journal of Benchmarks"
year: 2020
volume: "1"
pages: "{i}"
doi: "10.5555/bench.{i}"
url: "https://doi.org/10.5555/bench.{i}"
read_on: 2026-01-01
design: {design}
population:
  description: "Synthetic adults, randomly assigned to backward or forward walking."
  condition: "knee osteoarthritis"
  age: "mean 55 years"
  n: {n}
intervention: "Backward walking for 10 minutes, three times a week, for six weeks."
comparator: "Forward walking on the same schedule."
duration: "6 weeks"
outcomes:
  - measure: "Pain on a 0-10 scale"
    finding: "Pain fell more with backward walking (p = 0.01)."
  - measure: "WOMAC"
    finding: "Function improved more with backward walking (p = 0.02)."
effects:
  - key: knee-pain
    outcome: pain
    comparison: backward vs forward walking
    measure: mean difference
    value: -1.1
    ci_low: -1.9
    ci_high: -0.3
    unit: points on a 0-10 scale
    higher_is: worse
limitations:
  - "Synthetic record made for the benchmark."
not_measured:
  - "Joint forces."
{appraisal}"""

CLAIM = """id: {id}
title: "Synthetic claim {i}"
claim: "Walking backwards helps synthetic outcome {i}."
topic: {topic}
pico:
  population: Synthetic adults with knee osteoarthritis
  intervention: Backward walking
  comparison: Forward walking
claimed_by:
  - source: bench-source
    stance: makes
    said: "The article says it helps."
outcomes:
  - id: pain
    name: knee pain
    importance: critical
    change: reduces
    effect_keys: [knee-pain]
    grade:
      risk-of-bias: {{judgement: serious, reason: "Synthetic trials at some risk of bias."}}
      inconsistency: {{judgement: not-serious}}
      indirectness: {{judgement: not-serious}}
      imprecision: {{judgement: serious, reason: "Small synthetic trials."}}
      publication-bias: {{judgement: suspected, reason: "Small synthetic trials with a large effect."}}
evidence:
{evidence}verdict: plausible
verdict_reason: low-certainty
bottom_line: "Synthetic trials found a benefit, with low certainty."
what_is_true: "Pain fell in synthetic trials."
what_is_overstated: "Everything beyond them."
population_caveat: "Synthetic adults only."
last_reviewed: 2026-01-01
settle:
  who: "Synthetic adults, 400 across trials"
  compared_with: "Forward walking on the same schedule"
  measuring: "Knee pain at 6 and 12 weeks, assessed blind"
"""

SOURCE = """id: bench-source
headline: "A synthetic article"
outlet: "Benchmark Outlet"
byline: "Nobody"
summary: "An article made for the benchmark."
"""
TOPICS = ("knee", "muscles", "balance", "gait", "cardio", "back")
APPRAISAL = """risk_of_bias:
  source: ours
  basis: "Synthetic appraisal."
  items:
    random_allocation: "yes"
    concealed_allocation: "unclear"
    baseline_similar: "yes"
    blind_participants: "no"
    blind_therapists: "no"
    blind_assessors: "yes"
    adequate_follow_up: "yes"
    intention_to_treat: "unclear"
    between_group_comparison: "yes"
    point_estimates_variability: "yes"
"""


CLAIMS_PER_LOG = 50  # a log of 50 claims is about 70 KB, within the record size limit


def _log_topic(c: int) -> str:
    return f"{TOPICS[c % len(TOPICS)]}-{c // (CLAIMS_PER_LOG * len(TOPICS))}"


def screening_logs(claims: int, studies_per_claim: int) -> dict[str, str]:
    """Synthetic screening logs, one per topic and 50 claims: two searches, an included candidate
    for each of its claims' studies, and one excluded and one awaiting candidate per claim."""
    logs: dict[str, list[str]] = {}
    for c in range(claims):
        topic = _log_topic(c)
        entries = logs.setdefault(topic, [])
        for k in range(studies_per_claim):
            i = c * studies_per_claim + k
            sid = f"author{i}-2020-bench-{i}"
            design = ("rct", "cross-sectional", "systematic-review")[k % 3]
            entries.append(
                f"  - id: {sid}\n    first_author: Author{i}\n    year: 2020\n"
                f'    title: "Synthetic study {i} of backward walking"\n    doi: "10.5555/bench.{i}"\n'
                f"    found_by: [{topic}-01, {topic}-02]\n    design: {design}\n    decision: included\n"
                f"    study: {sid}\n"
            )
        entries.append(
            f"  - id: other{c}-2019-bench-excluded\n    first_author: Other{c}\n    year: 2019\n"
            f'    title: "Synthetic study {c} of forward walking"\n    url: "https://doi.org/10.5555/other.{c}"\n'
            f"    found_by: [{topic}-01]\n    design: rct\n    decision: excluded\n"
            f"    reason: not-backward-locomotion\n    note: Forward walking only.\n"
            f"  - id: later{c}-2026-bench-awaiting\n    first_author: Later{c}\n    year: null\n"
            f'    title: "Synthetic report {c} not yet read"\n    url: "https://doi.org/10.5555/later.{c}"\n'
            f"    found_by: [{topic}-02]\n    design: protocol\n    decision: awaiting\n    note: Not read yet.\n"
        )
    out = {}
    for topic, entries in logs.items():
        served = ", ".join(f"bench-claim-{c}" for c in range(claims) if _log_topic(c) == topic)
        out[topic] = (
            f'topic: {topic}\ntitle: "Synthetic topic {topic}"\nclaims: [{served}]\nsearches:\n'
            f'  - {{id: {topic}-01, date: 2026-01-01, where: stored-pages, query: "backward walking {topic}", '
            f"hits: {len(entries) * 4}}}\n"
            f'  - {{id: {topic}-02, date: 2026-01-02, where: crossref, query: "retro walking {topic}", '
            f"hits: {len(entries) * 2}}}\n"
            "candidates:\n" + "".join(entries)
        )
    return out


def make_knowledge_base(root: Path, claims: int, studies_per_claim: int = 3) -> int:
    """Write a synthetic knowledge base; return the number of record files."""
    for kind in ("claims", "studies", "sources", "screening"):
        (root / kind).mkdir(parents=True, exist_ok=True)
    statements = "".join(
        f'  - says: "Backward walking helps synthetic outcome {c}."\n    claim: bench-claim-{c}\n'
        for c in range(claims)
    )
    (root / "sources" / "bench-source.yaml").write_text(SOURCE + "statements:\n" + statements)
    logs = screening_logs(claims, studies_per_claim)
    for topic, text in logs.items():
        (root / "screening" / f"{topic}.yaml").write_text(text)
    for c in range(claims):
        links = ""
        for k in range(studies_per_claim):
            i = c * studies_per_claim + k
            sid = f"author{i}-2020-bench-{i}"
            design = ("rct", "cross-sectional", "systematic-review")[k % 3]
            text = STUDY.format(id=sid, i=i, design=design, n=40 + k, appraisal=APPRAISAL if design == "rct" else "")
            if design == "systematic-review":
                text += "included_studies:\n  count: 5\n  rcts: 4\n"
            (root / "studies" / f"{sid}.yaml").write_text(text)
            links += (
                f"  - study: {sid}\n    direction: supports\n    applies_to: same\n    outcomes: {{pain: supports}}\n"
                f'    note: "Synthetic evidence {i}."\n'
            )
        (root / "claims" / f"bench-claim-{c}.yaml").write_text(
            CLAIM.format(id=f"bench-claim-{c}", i=c, topic=TOPICS[c % len(TOPICS)], evidence=links)
        )
    return 1 + claims * (1 + studies_per_claim) + len(logs)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def parse_floor(root: Path) -> float:
    """Seconds to read and parse every record with the C loader alone."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted(root.glob("*/*.yaml"))
    seconds, _ = timed(lambda: [yaml.load(p.read_bytes(), Loader=loader) for p in files])
    return seconds


def bench_size(claims: int, project: Path, full_build: bool) -> dict:
    """Time every stage for one size."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        records = make_knowledge_base(root, claims)
        for name in ("mkdocs.yml", "CONTRIBUTING.md", "docs", "overrides"):
            src = project / name
            if src.is_dir():
                shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("kb"))
            elif src.exists():
                shutil.copy(src, root / name)
        (root / "docs" / "try-it-safely.md").write_text("# How to try it safely\n")
        result = {"claims": claims, "records": records, "floor": parse_floor(root)}
        # Cold: no cache; every file is parsed and schema-checked.
        result["load+check cold"], (kb, problems) = timed(lambda: load(root, None))
        timed(lambda: load(root, RecordCache(root)))  # fill the cache
        result["load+check warm"], _ = timed(lambda: load(root, RecordCache(root)))
        result["validate"], more = timed(lambda: validate(kb))
        result["rate"], ratings = timed(lambda: rate(kb))
        problems += more + check_verdicts(kb, ratings)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise SystemExit(f"benchmark records are invalid: {errors[0].format()}")
        (root / CACHE_FILE).unlink(missing_ok=True)
        result["render"], pages = timed(lambda: render_pages(build_model(kb, ratings)))
        result["write"], _ = timed(lambda: sync_pages(pages, root / "docs" / "kb"))
        result["pages"] = len(pages)
        if full_build:
            result.update(full_build_timings(root, project))
        return result


def _timed_run(command: list[str], root: Path, env: dict[str, str]) -> float:
    seconds, proc = timed(lambda: subprocess.run(command, cwd=root, env=env, capture_output=True, text=True))
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[2:4])} failed:\n{proc.stderr[-2000:]}")
    return seconds


def full_build_timings(root: Path, project: Path) -> dict:
    """The real build (`python -m build_tools build`, cold: no parse cache), with the time our
    own stages took inside it; then a bare build of the same pages by the same engine, without our hook."""
    config = (root / "mkdocs.yml").read_text().replace("build_tools/", f"{project}/build_tools/")
    (root / "mkdocs.yml").write_text(config)
    (root / CACHE_FILE).unlink(missing_ok=True)
    log = root / "timings.jsonl"
    env = {**os.environ, timings.ENV: str(log), "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    site = root / "site"
    build = [sys.executable, "-m", "build_tools", "--root", str(root), "build", "--site-dir", str(site)]
    out = {"full": _timed_run(build, root, env), "ours": sum(timings.read(str(log)).values())}
    out["search_index_bytes"] = (site / "search" / "search_index.json").stat().st_size
    out["html_pages"] = sum(1 for _ in site.rglob("index.html"))
    # Bare: the pages written to disk first (not timed), then MkDocs alone.
    env.pop(timings.ENV)
    _timed_run([sys.executable, "-m", "build_tools", "--root", str(root), "render"], root, env)
    (root / "mkdocs-bare.yml").write_text(
        "\n".join(line for line in config.splitlines() if "mkdocs_hook.py" not in line and line != "hooks:")
    )
    bare_site = str(root / "site-bare")
    bare = [sys.executable, "-m", engine.chosen(), "build", "-q", "-f", "mkdocs-bare.yml", "-d", bare_site]
    out["bare"] = _timed_run(bare, root, env)
    return out


def machine() -> str:
    """One line describing where the numbers were taken."""
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} ({cpu})"
    )


def table(results: list[dict]) -> str:
    """A Markdown table of the results."""
    stages = ("floor", "load+check cold", "load+check warm", "validate", "rate", "render", "write")
    head = (
        "| claims | records | " + " | ".join(stages) + " | cold / floor | warm / floor | full build | "
        "our stages in it | bare MkDocs build | search index per page |"
    )
    lines = [head, "|" + "---|" * (len(stages) + 8)]
    for r in results:
        per = {s: r[s] / r["records"] * 1e6 for s in stages}
        cold = r["load+check cold"] + r["validate"] + r["rate"]
        warm = r["load+check warm"] + r["validate"] + r["rate"]
        cells = " | ".join(f"{r[s]:.3f} s ({per[s]:.0f} µs)" for s in stages)
        if "full" in r:
            built = (
                f"{r['full']:.1f} s | {r['ours']:.2f} s ({r['ours'] / r['full']:.1%}) | {r['bare']:.1f} s | "
                f"{r['search_index_bytes'] / r['html_pages'] / 1024:.1f} KB"
            )
        else:
            built = "not run | not run | not run | not run"
        ratios = f"{cold / r['floor']:.2f}x | {warm / r['floor']:.2f}x"
        lines.append(f"| {r['claims']} | {r['records']} | {cells} | {ratios} | {built} |")
    return "\n".join(lines)


def run(sizes: list[int], full_build_limit: int, project: Path) -> str:
    results = []
    for size in sizes:
        result = bench_size(size, project, full_build=size <= full_build_limit)
        results.append(result)
        print(f"{size} claims done", file=sys.stderr)
    return f"Machine: {machine()}\n\n" + table(results) + "\n"
