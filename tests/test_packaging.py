"""The project installs without a deprecation warning of ours, and the wheel carries its data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_the_wheel_builds_cleanly_and_carries_schemas_and_templates(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", str(ROOT), "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    output = (proc.stdout + proc.stderr).lower()
    # setuptools announces the licence table's end as a deprecation; data folders it cannot
    # place are "absent from the packages configuration".
    assert "deprecat" not in output
    assert "absent from the `packages` configuration" not in output
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("claim", "study", "source"):
        assert f"build_tools/schemas/{kind}.schema.json" in names
    assert "build_tools/pages/templates/claim.md.j2" in names
    assert "build_tools/editor/templates/new_study.yaml.j2" in names
    for package in ("records", "checks", "rating", "pages", "site", "editor", "ops"):
        assert f"build_tools/{package}/__init__.py" in names
