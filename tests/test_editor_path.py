"""The editor's path, end to end, with the commands the guides give, run as they are written:
a study from a pasted reference, a source and a claim from their templates, the common
mistakes and the messages that fix them, the preview (a broken save, the page reloading, a
taken port, stopping it), the pre-commit hook, and the reviewer's summary in the pull request.

It reads its commands from CONTRIBUTING.md, the Makefile, .pre-commit-config.yaml and the
pull-request template, so the guides and the tools cannot drift apart.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import block_outside
from conftest import ROOT, write_kb

from build_tools import cli
from build_tools.ops import doi_check
from build_tools.site.serve import address_problem

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
PR_TEMPLATE = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
PYTHON_CLI = ".venv/bin/python -m build_tools"

BIBTEX = """@article{masumoto2005,
  author = {Masumoto, Kenji and Takasugi, Shin-ichiro and Hotta, Noboru},
  title = {Muscle activity and heart rate response during backward walking in water and on dry land},
  journal = {European Journal of Applied Physiology}, year = {2005}, volume = {94},
  doi = {https://doi.org/10.1007/s00421-004-1288-x}
}"""
STUDY_ID = "masumoto-2005-muscle-activity-heart-rate"
RENAMED = "masumoto-2005-backward-walking-water-dry-land-emg"
CLAIM_ID = "water-backward-walking-thigh-muscles"
SOURCE_ID = "daily-example-water-walking"

STUDY_FILL = {
    'url: "https://TODO"': 'url: "https://doi.org/10.1007/s00421-004-1288-x"',
    "design: TODO": "design: cross-sectional",
    '"TODO who took part, in plain words"': '"Six healthy men."',
    '"TODO condition, or healthy"': '"healthy"',
    '  age: "TODO as reported"\n': "",
    "n: TODO": "n: 6",
    '"TODO what the backward-walking group did"': '"Backward walking in water and on dry land."',
    '  comparator: "TODO what the comparison group did"\n': "",
    'comparator: "TODO what the comparison group did"\n': "",
    '"TODO e.g. 6 weeks, 3 sessions a week"': '"one session"',
    '"TODO what was measured"': '"Muscle activity (EMG)"',
    '"TODO what was found, with the numbers reported"': '"Lower in water for most muscles."',
    '"TODO a weakness a reader should know"': '"Six people."',
    '"TODO what a reader might assume it measured, but it did not"': '"Forward walking."',
}
SOURCE_FILL = {
    '"TODO the headline as printed"': '"Why everyone is walking backwards in the pool"',
    '"TODO the publication as printed, or unnamed outlet"': '"The Daily Example"',
    '"TODO the author and the experts it quotes, as printed"': '"Jane Writer"',
    'url: "https://TODO"': 'url: "https://www.example.com/pool"',
    "published: TODO": "published: 2026-03-04",
    '"TODO what the article is, in one or two sentences of our own"': '"A feature on water walking."',
    # Step 4: the article's sentence, mapped to the claim made from it next.
    '"TODO what the sentence claims, in your own words (at most 25 words)"': '"Backwards pool walking works thighs."',
    "claim: TODO-claim-id": f"claim: {CLAIM_ID}",
    "stance: TODO": "stance: makes",
}
# The scaffold's GRADE block and an evidence link's outcomes go: a related study gave no result.
_TEMPLATE = (ROOT / "build_tools" / "editor" / "templates" / "new_claim.yaml.j2").read_text()
GRADE_BLOCK = _TEMPLATE[_TEMPLATE.index("    grade:  #") : _TEMPLATE.index("evidence:\n")]
OUTCOMES_LINE = next(line + "\n" for line in _TEMPLATE.splitlines() if line.startswith("    outcomes: {TODO"))
OUTCOME_ID_LINE = next(line for line in _TEMPLATE.splitlines() if line.startswith("  - id: TODO-outcome-id"))
CLAIM_FILL = {
    '"TODO a title that reads as the claim"': '"Works the thigh muscles harder in water"',
    '"TODO the claim as people make it, in our words"': '"Walking backwards in water works the thighs harder."',
    "topic: TODO": "topic: muscles",
    '"TODO who the claim is about"': '"Healthy adults"',
    '"TODO what, as tested (it starts the plain-language statements)"': '"Backward walking in water"',
    '"TODO against what"': '"Forward walking in water"',
    "source: TODO-source-id": f"source: {SOURCE_ID}",
    "stance: TODO": "stance: makes",
    '"TODO what the article said, paraphrased"': "\"It says backwards pool walking 'fires up the thighs'.\"",
    GRADE_BLOCK: "",
    OUTCOMES_LINE: "",
    OUTCOME_ID_LINE: "  - id: thigh-muscle-activity",
    '"TODO the outcome in plain words"': '"thigh muscle activity"',
    "importance: TODO": "importance: critical",
    "change: TODO": "change: increases",
    "study: TODO-study-id": f"study: {RENAMED}",
    "direction: TODO": "direction: related",
    "applies_to: TODO": "applies_to: same",
    '"TODO why this study bears on the claim"': '"It compared water with dry land, not with forwards."',
    "verdict: TODO": "verdict: overstated",
    "verdict_reason: TODO": "verdict_reason: untested",
    '"TODO two or three plain sentences: the verdict and why"': '"No study tested it."',
    '"TODO the part the evidence backs"': '"Muscle activity is lower in water."',
    '"TODO the part that goes beyond it"': '"The comparison with forwards."',
    '"TODO who was studied, and who the claim is for"': '"Six healthy men."',
    '"TODO who it would study, and how many"': '"Healthy adults, 40 people"',
    '"TODO what it would compare backward walking with"': '"Forward walking in water at the same speed"',
    '"TODO what it would measure, when and how"': '"Thigh muscle activity (EMG) in the same session"',
}


def guide_commands(text: str) -> list[str]:
    """Every `.venv/bin/python -m build_tools ...` command a guide gives, as written."""
    return [m.group(0).strip() for m in re.finditer(r"\.venv/bin/python -m build_tools [^`\n#]*", text)]


def run_as_written(command: str, root: Path, **kwargs) -> subprocess.CompletedProcess:
    """A guide's command, run in the editor's clone (whose .venv is the project's own)."""
    return subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, check=False, **kwargs)


def make_dry_run(target: str, *assignments: str) -> str:
    """The command the Makefile runs for `target` (its last recipe line, as make prints it)."""
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(ROOT), target, *assignments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1].removeprefix("exec ")


def fill(path: Path, replacements: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=Editor", "-c", "user.email=e@example.com", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def editor_clone(tmp_path: Path) -> Path:
    """A clone as an editor has it: the site's configuration and pages, a small knowledge
    base, the project's .venv, and a main branch they work from."""
    root = tmp_path / "clone"
    root.mkdir()
    for name in ("mkdocs.yml", "CONTRIBUTING.md", "docs", "overrides", ".pre-commit-config.yaml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("kb"))
        else:
            shutil.copy(src, root / name)
    (root / "docs" / "try-it-safely.md").write_text("# How to try it safely\n")
    config = (root / "mkdocs.yml").read_text().replace("build_tools/", f"{ROOT}/build_tools/")
    (root / "mkdocs.yml").write_text(config.replace("custom_dir: overrides", f"custom_dir: {ROOT}/overrides"))
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / ".gitignore").write_text(".venv\n.cache/\ndocs/kb/\n")
    write_kb(root)
    assert git(root, "init", "-q", "-b", "main").returncode == 0
    git(root, "add", "-A")
    assert git(root, "commit", "-qm", "base").returncode == 0
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    return root


def add_the_records(root: Path) -> None:
    """Steps 2 to 4 of the guide: a study, a source and a claim, every placeholder replaced."""
    commands = {c.split()[3]: c for c in guide_commands(GUIDE) if c.endswith(("entry.bib", "<id>"))}
    (root / "entry.bib").write_text(BIBTEX)
    made = run_as_written(commands["new-study"], root)  # `new-study entry.bib`, as the guide says
    assert made.returncode == 0, made.stderr
    assert f"wrote studies/{STUDY_ID}.yaml" in made.stdout  # "and", "of", "in" are left out of the id
    study = root / "studies" / f"{STUDY_ID}.yaml"
    assert 'doi: "10.1007/s00421-004-1288-x"' in study.read_text()  # the link was taken off the DOI

    # The scaffold cannot pass untouched: each choice is a placeholder with its allowed values.
    out = run_as_written(f"{PYTHON_CLI} check", root).stdout
    assert (
        f"studies/{STUDY_ID}.yaml:17:9: design: still holds the TODO placeholder (hint: replace it with one of: "
        "systematic-review, rct, crossover, non-randomised-controlled, pre-post, cross-sectional, "
        "narrative-review)"
    ) in out
    fill(study, STUDY_FILL)

    # Renaming, as the guide says: the file, its id, and what cites it (nothing yet).
    assert "git mv studies/old-id.yaml studies/new-id.yaml" in GUIDE
    git(root, "add", "-A")
    assert git(root, "mv", f"studies/{STUDY_ID}.yaml", f"studies/{RENAMED}.yaml").returncode == 0
    fill(root / "studies" / f"{RENAMED}.yaml", {f"id: {STUDY_ID}": f"id: {RENAMED}"})

    # The screening entry new-study printed, in the log's own layout: the renamed id, the search that
    # found the study and its design filled in, pasted under the log's candidates.
    entry = made.stdout[made.stdout.index(f"- id: {STUDY_ID}") :].replace(STUDY_ID, RENAMED)
    entry = entry.replace('["TODO-search-id"]', "[tests-01]").replace('design: "TODO"', "design: cross-sectional")
    log = root / "screening" / "tests.yaml"
    log.write_text(log.read_text() + entry)

    assert run_as_written(commands["new-source"].replace("<id>", SOURCE_ID), root).returncode == 0
    fill(root / "sources" / f"{SOURCE_ID}.yaml", SOURCE_FILL)
    assert run_as_written(commands["new-claim"].replace("<id>", CLAIM_ID), root).returncode == 0
    fill(root / "claims" / f"{CLAIM_ID}.yaml", CLAIM_FILL)
    (root / "entry.bib").unlink()


def test_the_guide_gives_only_commands_the_tools_have() -> None:
    helptext = subprocess.run(
        [sys.executable, "-m", "build_tools", "--help"], capture_output=True, text=True, check=True
    ).stdout
    given = {c.split()[3] for c in guide_commands(GUIDE) + guide_commands(PR_TEMPLATE)}
    assert given >= {"new-study", "new-claim", "new-source", "check", "what-changed"}
    assert all(name in helptext for name in given), given
    assert "make serve ADDR=127.0.0.1:8001" in GUIDE and "make hooks" in GUIDE
    assert make_dry_run("serve", "ADDR=127.0.0.1:8001").endswith("build_tools serve --addr 127.0.0.1:8001")
    assert make_dry_run("hooks") == ".venv/bin/pre-commit install"


def test_an_editor_adds_a_study_a_source_and_a_claim_and_fixes_each_mistake(tmp_path: Path) -> None:
    root = editor_clone(tmp_path)
    add_the_records(root)
    ok = run_as_written(f"{PYTHON_CLI} check", root)
    assert ok.returncode == 0, ok.stdout
    assert ok.stdout.splitlines()[-1] == "ok: 2 claims, 3 studies, 2 sources"

    claim = root / "claims" / f"{CLAIM_ID}.yaml"
    study = root / "studies" / f"{RENAMED}.yaml"
    good_claim, good_study = claim.read_text(), study.read_text()
    mistakes = [
        # (file, change, what the check must say) -- the review's most common mistakes.
        (claim, ("title: ", "title: Water walking: "), "contains ': ', which YAML reads as the start of another field"),
        (claim, ("    direction: related", "   direction: related"), "is indented 3 spaces; the lines around it use 4"),
        (study, ("  n: 6", "n: 6"), "`n` belongs under `population:`; indent it 2 spaces"),
        (claim, ("bottom_line:", "bottom_lien:"), "did you mean 'bottom_line'? (bottom_line is required and missing)"),
        (study, ("year: 2005", 'year: "2005"'), "year is in quotes: write `year: 2005`, without the quotes"),
        (study, ("design: cross-sectional", "design: RCT"), "'RCT' is written 'rct' here"),
        (study, (f"id: {RENAMED}", f"id: {STUDY_ID}"), f"studies/{RENAMED}.yaml exists but has errors: fix it first"),
        (claim, ("verdict: overstated", "verdict: supported"), "is stronger than the evidence allows ('overstated')"),
        (claim, ("topic: muscles", "topic: muscles  # TODO ask the lead"), "a TODO is left in a comment"),
        (
            study,
            ("https://doi.org/10.1007/s00421-004-1288-x", "https://data.example.com/details/1"),
            "data.example.com is not a journal, PubMed, PubMed Central, PEDro or trial-registry page",
        ),
    ]
    for path, (old, new), message in mistakes:
        path.write_text(path.read_text().replace(old, new, 1))
        out = run_as_written(f"{PYTHON_CLI} check", root).stdout
        assert message in out, out
        # One broken record never makes a good one look unused.
        false_alarms = [line for line in out.splitlines() if "no claim cites" in line and "jones-2018" not in line]
        assert false_alarms == [], out
        claim.write_text(good_claim)
        study.write_text(good_study)
    # The guide promises these messages; the tools give them.
    assert "exists but has errors: fix it first" in GUIDE and "`not checked`" in GUIDE

    # A copy on a third-party site passes only with its reason, and the study page shows it.
    study.write_text(
        good_study.replace("https://doi.org/10.1007/s00421-004-1288-x", "https://data.example.com/details/1").replace(
            "read_on:", 'third_party_copy: "No journal or PubMed page could be opened."\nread_on:'
        )
    )
    assert run_as_written(f"{PYTHON_CLI} check", root).returncode == 0
    assert run_as_written(f"{PYTHON_CLI} render", root).returncode == 0
    page = (root / "docs" / "kb" / "studies" / f"{RENAMED}.md").read_text()
    assert "**Read on a third-party copy**" in page and "No journal or PubMed page could be opened." in page
    study.write_text(good_study)

    # The pull request: the template's commands run as written, and the reviewer's summary
    # gives the new claim's verdict, ceiling, certainty and studies.
    git(root, "add", "-A")
    assert git(root, "commit", "-qm", "Add the water-walking claim").returncode == 0
    template_commands = guide_commands(PR_TEMPLATE)
    assert template_commands, "the pull-request template names its commands"
    outputs = {}
    for command in template_commands:
        done = run_as_written(command, root)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        outputs[command.split()[3]] = done.stdout
    summary = outputs["what-changed"]
    assert f"## New: Works the thigh muscles harder in water (`{CLAIM_ID}`)" in summary
    assert "- verdict: **overstated**" in summary
    assert "- strongest verdict the evidence allows: overstated (no cited study points the claim's way)" in summary
    assert "- why: untested (`untested`)" in summary
    assert "- certainty of the evidence: no studies" in summary
    assert "- outcome thigh muscle activity (critical): no studies" in summary
    assert f"- studies: `{RENAMED}` (related, same population, very limited)" in summary


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def _start_preview(root: Path, addr: str) -> subprocess.Popen:
    command = make_dry_run("serve", f"ADDR={addr}").replace(PYTHON_CLI, f"{sys.executable} -m build_tools")
    return subprocess.Popen(shlex.split(command), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _children(pid: int) -> list[int]:
    kids = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(status.parent.name))
    return kids


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium  # the one Chromium of the test run (conftest.py)


def test_the_preview_shows_a_broken_save_reloads_when_fixed_and_stops_on_sigterm(tmp_path: Path, browser) -> None:
    root = editor_clone(tmp_path)
    add_the_records(root)
    addr = f"127.0.0.1:{_free_port()}"
    base = f"http://{addr}/"
    preview = _start_preview(root, addr)
    try:
        _wait_for(base + f"kb/studies/{RENAMED}/")
        # A second preview on the same address: one line that names the fix, no traceback.
        second = _start_preview(root, addr)
        out = second.communicate(timeout=60)[0].decode()
        assert second.returncode == 1
        assert out.strip().splitlines()[-1].startswith(f"serve: {addr} is already in use")
        assert "make serve ADDR=" in out and "Traceback" not in out
        assert _children(preview.pid) == []  # the preview is this one process: nothing to orphan

        page = browser.new_page()
        block_outside(page, base)
        page.goto(base + f"kb/claims/{CLAIM_ID}/")
        assert page.locator(".preview-problems").count() == 0
        claim = root / "claims" / f"{CLAIM_ID}.yaml"
        good = claim.read_text()
        claim.write_text(good.replace("title: ", "title: Water walking: ", 1))
        # The page reloads by itself and lists the problem over the last good page.
        banner = page.locator(".preview-problems")
        banner.wait_for(timeout=60_000)
        text = banner.inner_text()
        assert f"claims/{CLAIM_ID}.yaml:5:" in text and "put the whole value in double quotes" in text
        assert "Works the thigh muscles harder in water" in page.locator("h1").inner_text()
        # Every page answers at once (nothing waits for a rebuild that cannot succeed).
        with urllib.request.urlopen(base + f"kb/studies/{RENAMED}/", timeout=10) as response:
            assert b"preview-problems" in response.read()
        claim.write_text(good)
        banner.wait_for(state="detached", timeout=60_000)
        page.close()
    finally:
        preview.send_signal(signal.SIGTERM)
        preview.wait(timeout=30)
    assert address_problem(addr) is None  # the port is free again: nothing is still serving


def test_ctrl_c_stops_the_preview(tmp_path: Path) -> None:
    root = editor_clone(tmp_path)
    addr = f"127.0.0.1:{_free_port()}"
    preview = _start_preview(root, addr)
    try:
        _wait_for(f"http://{addr}/")
    finally:
        preview.send_signal(signal.SIGINT)
        assert preview.wait(timeout=30) == 0
    assert address_problem(addr) is None


def test_the_pre_commit_hook_blocks_a_broken_record_without_an_activated_venv(tmp_path: Path) -> None:
    root = editor_clone(tmp_path)
    env = {
        **os.environ,
        # As in a fresh terminal: no virtual environment on the PATH.
        "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if ".venv" not in p),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    env.pop("VIRTUAL_ENV", None)
    installed = run_as_written(make_dry_run("hooks"), root, env=env)  # what `make hooks` runs
    assert installed.returncode == 0, installed.stdout + installed.stderr
    claim = root / "claims" / "knee-pain.yaml"
    claim.write_text(claim.read_text().replace("verdict: plausible", "verdict: certain"))
    git(root, "add", "-A")
    blocked = subprocess.run(
        ["git", "-c", "user.name=E", "-c", "user.email=e@example.com", "commit", "-qm", "x"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert blocked.returncode != 0
    assert "claims/knee-pain.yaml:15:10: verdict: 'certain' is not an allowed value" in blocked.stdout + blocked.stderr
    assert "Traceback" not in blocked.stdout + blocked.stderr
    claim.write_text(claim.read_text().replace("verdict: certain", "verdict: plausible"))
    git(root, "add", "-A")
    allowed = subprocess.run(
        ["git", "-c", "user.name=E", "-c", "user.email=e@example.com", "commit", "-qm", "x", "--allow-empty"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_check_dois_offline_says_the_network_is_unreachable(
    kb_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    asked = []

    def offline(doi: str) -> tuple[int, dict]:
        asked.append(doi)
        return 0, {"error": "<urlopen error [Errno -3] Temporary failure in name resolution>"}

    monkeypatch.setattr(doi_check, "fetch_crossref", offline)
    code = cli.main(["--root", str(kb_root), "check-dois"])
    out = capsys.readouterr().out
    assert code == doi_check.UNREACHABLE_EXIT == 3
    assert out.startswith("# DOI check: Crossref could not be reached, so none of the 1 DOIs was checked")
    assert "finding" not in out and "update the study record" not in out
    assert len(asked) == 1
