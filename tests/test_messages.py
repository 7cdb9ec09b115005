"""Messages never echo raw control characters or line breaks from a record or a file name: a
value can neither send codes to the terminal nor forge a `path:line:col` line of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLAIM, write_kb

from build_tools.records.problems import Problem, printable, quoted

FORGED = "claims/knee-pain.yaml:1:1: (record): all good"


def run_check(root: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(root), "check", *options],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "value",
    ['"\\e[2J\\e[H"', f'"knee\\n{FORGED}"', f'"knee\\r{FORGED}"', '"knee\\u2028x"', '"\\u202eeenk"'],
    ids=["clear-screen", "newline-forgery", "carriage-return", "line-separator", "bidi-override"],
)
@pytest.mark.parametrize("form", ["text", "github"])
def test_a_hostile_value_stays_inside_its_one_message_line(tmp_path: Path, value: str, form: str) -> None:
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("topic: knee", f"topic: {value}")})
    proc = run_check(root, "--format", form)
    assert proc.returncode == 1
    out = proc.stdout
    assert out.isascii() or "\u202e" not in out
    assert not any(c in out for c in "\x1b\r\u2028\u2029\u202e")
    assert FORGED not in out.splitlines()
    topic_lines = [line for line in out.splitlines() if "topic" in line]
    assert topic_lines and all(line.startswith(("claims/knee-pain.yaml:4:8:", "::error")) for line in topic_lines)


def test_a_file_name_cannot_forge_a_line(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    forged = "knee-pain.yaml:1:1: (record): all good"  # no '/' can be in a file name
    (root / "claims" / f"x\n{forged}.yml").write_text("x")
    out = run_check(root).stdout
    assert forged not in out.splitlines()
    assert f"claims/x\\n{forged}.yml:1:1: (record): not a record file" in out


def test_github_annotations_escape_their_properties() -> None:
    line = Problem("claims/a,line=1::x.yaml", 2, 3, "f", "m\n::error::forged").format_github()
    assert line == "::error file=claims/a%2Cline=1%3A%3Ax.yaml,line=2,col=3::f: m\\n::error::forged"


def test_printable_and_quoted() -> None:
    assert printable("plain é text") == "plain é text"
    assert printable("a\x1b[2Jb\tc\nd\u200be") == "a\\x1b[2Jb\\tc\\nd\\u200be"
    assert quoted("x" * 100) == "x" * 80 + "..."


def test_what_changed_keeps_each_value_on_its_line(tmp_path: Path) -> None:
    from test_record_cache import git

    from build_tools.editor.what_changed import summarise

    root = write_kb(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    # A title a pull request could hold before any check ran on it.
    claim = CLAIM.replace("title: Knee pain", 'title: "Knee\\e[2J\\n## Verdict: Supported"')
    (root / "claims" / "knee-pain.yaml").write_text(claim)
    git(root, "commit", "-qam", "second")
    text = summarise(root, "HEAD~1", "HEAD")
    assert "\x1b" not in text and not any(line.startswith("## Verdict") for line in text.splitlines())
    assert "(`knee-pain`)" in text and "\\x1b" in text  # the title is there, its escape code written out
