"""Smoke run of the benchmark: it runs end to end and prints its table (numbers are not asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "build_tools",
            "--root",
            str(ROOT),
            "benchmark",
            "--sizes",
            "5",
            "--full-build-limit",
            "5",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Machine: ")
    row = next(
        line for line in proc.stdout.splitlines() if line.startswith("| 5 | 26 |")
    )  # 21 records and 5 screening logs
    assert row.count("|") == 16 and "not run" not in row
