"""The editor's command: `python -m build_tools check` says ok, or lists every problem and exits 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import STUDY, write_kb


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(root), *args], capture_output=True, text=True, check=False
    )


def test_check_says_ok_with_counts(kb_root: Path) -> None:
    proc = run(kb_root, "check")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[-1] == "ok: 1 claims, 2 studies, 1 sources"


def test_check_lists_problems_and_a_count_without_traceback(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"studies/smith-2020-test.yaml": STUDY.replace("year: 2020", "year: twenty")})
    proc = run(root, "check")
    assert proc.returncode == 1
    assert "studies/smith-2020-test.yaml:7:7: year: expected a whole number, got text" in proc.stdout
    # The claim citing the broken study says so, and that its verdict was not checked.
    assert "claims/knee-pain.yaml:10:12: warning: evidence[0].study: studies/smith-2020-test.yaml exists" in proc.stdout
    assert "warning: verdict: not checked against the evidence: studies/smith-2020-test.yaml has errors" in proc.stdout
    # So does the screening log that includes it.
    assert (
        "screening/tests.yaml:" in proc.stdout
        and "study: studies/smith-2020-test.yaml exists but has errors" in proc.stdout
    )
    assert proc.stdout.splitlines()[-1] == "1 error, 4 warnings"
    assert "Traceback" not in proc.stdout + proc.stderr


def test_check_github_format_gives_annotations(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"studies/smith-2020-test.yaml": STUDY.replace("year: 2020", "year: twenty")})
    proc = run(root, "check", "--format", "github")
    assert proc.returncode == 1
    expected = "::error file=studies/smith-2020-test.yaml,line=7,col=7::year: expected a whole number, got text"
    assert expected in proc.stdout
    assert "::warning file=studies/jones-2018-lab.yaml,line=1,col=5::" in proc.stdout


def test_render_refuses_invalid_records(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"studies/smith-2020-test.yaml": "- just\n- a list\n"})
    proc = run(root, "render")
    assert proc.returncode == 1
    assert "studies/smith-2020-test.yaml:1:1: (record): a record must be a mapping of fields, not a list" in proc.stderr
    assert not (root / "docs" / "kb").exists()
