"""Shared fixtures: a small valid knowledge base written as real YAML files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from build_tools.site import engine

# The test process builds with the engine the CLI uses (ProperDocs unless BUILD_TOOLS_ENGINE
# says otherwise), activated before any test imports mkdocs.* so every import agrees.
engine.activate(engine.chosen())

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)

SOURCE = """\
id: test-article
headline: A test article
outlet: Test Outlet
byline: A writer
summary: An article that makes claims about walking backwards.
statements:
  - says: Backwards walking helps sore knees.
    claim: knee-pain
"""

STUDY = """\
id: smith-2020-test
title: A test trial of backward walking
authors:
  - "Smith, Jane"
  - "Doe, John"
journal: Journal of Tests
year: 2020
doi: "10.1234/test.2020.1"
url: "https://doi.org/10.1234/test.2020.1"
read_on: 2026-01-15
design: rct
population:
  description: Adults with knee osteoarthritis
  condition: knee osteoarthritis
  n: 60
intervention: Backward walking for 10 minutes, 3 times a week
comparator: Usual care
duration: 6 weeks
outcomes:
  - measure: Pain (NRS)
    finding: Pain fell more with backward walking (p = 0.01)
risk_of_bias:
  source: ours
  basis: Rated from the full text.
  items:
    random_allocation: "yes"
    concealed_allocation: "yes"
    baseline_similar: "yes"
    blind_participants: "no"
    blind_therapists: "no"
    blind_assessors: "yes"
    adequate_follow_up: "yes"
    intention_to_treat: "yes"
    between_group_comparison: "yes"
    point_estimates_variability: "yes"
limitations:
  - Small trial
not_measured:
  - Joint forces
"""

LAB_STUDY = """\
id: jones-2018-lab
title: A lab comparison of forward and backward walking
authors:
  - "Jones, Amy"
journal: Journal of Labs
year: 2018
pmid: "12345678"
url: "https://pubmed.ncbi.nlm.nih.gov/12345678/"
read_on: 2026-01-15
design: cross-sectional
population:
  description: Healthy students
  condition: healthy
  n: 12
intervention: One session of backward treadmill walking
outcomes:
  - measure: Heart rate
    finding: Higher walking backwards
limitations:
  - Twelve people
not_measured:
  - Training effects
"""

CLAIM = """\
id: knee-pain
title: Knee pain
claim: Walking backwards eases knee pain in knee osteoarthritis.
topic: knee
claimed_by:
  - source: test-article
    stance: makes
    said: It says backwards walking helps sore knees.
evidence:
  - study: smith-2020-test
    direction: supports
    applies_to: same
    outcomes: {pain: supports}
    note: A trial in knee osteoarthritis found less pain.
verdict: plausible
bottom_line: One trial found less pain.
what_is_true: Pain fell in one trial.
what_is_overstated: Nothing beyond that trial.
population_caveat: Adults with knee osteoarthritis only.
last_reviewed: 2026-11-01
verdict_reason: low-certainty
pico:
  population: Adults with knee osteoarthritis
  intervention: Backward walking
  comparison: Usual care
outcomes:
  - id: pain
    name: knee pain
    importance: critical
    change: reduces
    grade:
      risk-of-bias: {judgement: not-serious}
      inconsistency: {judgement: not-serious}
      indirectness: {judgement: not-serious}
      imprecision: {judgement: serious, reason: One trial of 60 people.}
      publication-bias: {judgement: not-suspected, reason: One trial; nothing suggests missing studies.}
settle:
  who: Adults with knee osteoarthritis, 200 across trials
  compared_with: Usual care alone
  measuring: Knee pain at 6 and 12 weeks, assessed blind
"""


def source_mapping(*claims: str, stance: str = "makes") -> str:
    """The test article, with one statement mapped to each claim id given (`stance` for all)."""
    head = SOURCE.split("statements:")[0]
    lines = "".join(f"  - says: It says claim {c} holds.\n    claim: {c}\n    stance: {stance}\n" for c in claims)
    return head + "statements:\n" + lines


def write_kb(root: Path, files: dict[str, str | None] | None = None) -> Path:
    """Write the valid defaults under root, replaced by `files` ({'studies/x.yaml': text}; None deletes)."""
    defaults = {
        "sources/test-article.yaml": SOURCE,
        "studies/smith-2020-test.yaml": STUDY,
        "studies/jones-2018-lab.yaml": LAB_STUDY,
        "claims/knee-pain.yaml": CLAIM,
    }
    for rel, text in {**defaults, **(files or {})}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")
    if FIXTURE_LOG not in (files or {}):
        write_fixture_log(root)
    return root


# Every study record needs an included candidate in a screening log: unless a test writes this
# log itself, write_kb writes one that includes every study file and lists every claim file.
FIXTURE_LOG = "screening/tests.yaml"


def fixture_log(root: Path) -> str:
    """A screening log including every study file under root and serving every claim file."""
    import yaml

    studies = sorted(p.stem for p in (root / "studies").glob("*.yaml"))
    claims = sorted(p.stem for p in (root / "claims").glob("*.yaml"))
    data = {
        "topic": "tests",
        "title": "Every test study",
        "claims": claims or ["no-claims"],
        "searches": [
            {"id": "tests-01", "date": "2026-01-01", "where": "stored-pages", "query": "backward walking", "hits": 9}
        ],
        "candidates": [
            {
                "id": sid,
                "first_author": "Fixture",
                "year": None,
                "title": f"Fixture candidate {sid}",
                "url": f"https://example.org/{sid}",
                "found_by": ["tests-01"],
                "design": "rct",
                "decision": "included",
                "study": sid,
            }
            for sid in studies
        ],
    }
    return yaml.safe_dump(data, sort_keys=False)


def write_fixture_log(root: Path) -> None:
    """(Re)write the fixture log for the studies and claims under root now."""
    path = root / FIXTURE_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fixture_log(root), encoding="utf-8")


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    """A valid knowledge base in a temporary folder."""
    return write_kb(tmp_path)


def build_real_site(out: Path, engine_name: str | None = None, site_url: str = "") -> Path:
    """Build the project's real site into `out` with the CLI, strictly; fail the test otherwise."""
    import os
    import subprocess
    import sys

    env = {**os.environ}
    if engine_name:
        env[engine.ENGINE_VARIABLE] = engine_name
    env["SITE_URL"] = site_url
    env.pop("REPO_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(ROOT), "build", "--site-dir", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


@pytest.fixture(scope="session")
def reader_site(tmp_path_factory: pytest.TempPathFactory):
    """The real site, built once for every browser test with its public address set to where it
    is served (so canonical links, the sitemap and the feed's links can be followed), and served
    on 127.0.0.1. Yields (base address, site folder)."""
    from browser_support import serving

    out = tmp_path_factory.mktemp("reader-site") / "site"
    with serving(out) as base:
        build_real_site(out, site_url=base)
        yield base, out


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole test run (each test opens its own pages)."""
    from browser_support import launch

    with launch() as browser:
        yield browser
