"""Record files are regular files inside the checkout, read within a size limit; a missing or
misnamed record folder, or a project folder that does not exist, is an error, never 'ok: 0 claims'."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLAIM, STUDY, TODAY, write_kb

from build_tools.pipeline import check
from build_tools.records.loading import LiveFiles
from build_tools.records.record_files import is_editor_debris
from build_tools.records.yaml_source import MAX_FILE_BYTES


def lines(root: Path) -> list[str]:
    return [p.format() for p in check(root, today=TODAY, use_cache=False).problems]


def refused(root: Path, expected: str) -> None:
    result = check(root, today=TODAY, use_cache=False)
    found = [p.format() for p in result.problems]
    assert not result.ok
    assert any(expected in line for line in found), "\n".join(found)


def test_a_symlink_out_of_the_project_is_refused_and_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(STUDY)
    root = write_kb(tmp_path / "project")
    (root / "studies" / "linked.yaml").symlink_to(outside)
    refused(root, "studies/linked.yaml:1:1: (record): is a symbolic link to a file outside the project")


def test_a_symlink_loop_and_a_dangling_link_are_refused(kb_root: Path) -> None:
    loop = kb_root / "studies" / "loop.yaml"
    loop.symlink_to(loop)
    (kb_root / "studies" / "gone.yaml").symlink_to(kb_root / "nowhere.yaml")
    refused(kb_root, "studies/loop.yaml:1:1: (record): is a symbolic link loop")
    refused(kb_root, "studies/gone.yaml:1:1: (record): is a symbolic link to nothing")


def test_a_symlink_to_a_device_is_refused_and_never_opened(kb_root: Path) -> None:
    (kb_root / "studies" / "zero.yaml").symlink_to("/dev/zero")  # reading it would never end
    refused(kb_root, "studies/zero.yaml:1:1: (record): is a symbolic link to a file outside the project")


def test_a_pipe_and_a_socket_are_refused_without_waiting(kb_root: Path) -> None:
    os.mkfifo(kb_root / "claims" / "pipe.yaml")  # opening it for reading would wait for a writer
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(kb_root / "claims" / "socket.yaml"))
    try:
        started = time.monotonic()
        refused(kb_root, "claims/pipe.yaml:1:1: (record): is not a regular file (a pipe, socket or device)")
        refused(kb_root, "claims/socket.yaml:1:1: (record): is not a regular file")
        assert time.monotonic() - started < 10
    finally:
        server.close()


def test_size_is_checked_before_reading(kb_root: Path) -> None:
    huge = kb_root / "studies" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GB, sparse: reading it whole would exhaust memory
    started = time.monotonic()
    refused(kb_root, f"studies/huge.yaml:1:1: (record): file is {8 * 1024**3} bytes; the limit is {MAX_FILE_BYTES}")
    assert time.monotonic() - started < 10


def test_a_link_inside_the_project_is_followed(kb_root: Path) -> None:
    (kb_root / "shared").mkdir()
    target = kb_root / "shared" / "smith-2020-test.yaml"
    (kb_root / "studies" / "smith-2020-test.yaml").rename(target)
    (kb_root / "studies" / "smith-2020-test.yaml").symlink_to(target)
    assert check(kb_root, today=TODAY, use_cache=False).ok


@pytest.mark.parametrize("kind", ["claims", "studies", "sources"])
def test_a_missing_record_folder_is_an_error(kb_root: Path, kind: str) -> None:
    for path in (kb_root / kind).iterdir():
        path.unlink()
    (kb_root / kind).rmdir()
    refused(kb_root, f"{kind}:1:1: (record): this project has no {kind}/ folder")


def test_a_wrongly_cased_record_folder_is_an_error(kb_root: Path) -> None:
    (kb_root / "claims").rename(kb_root / "Claims")
    refused(kb_root, "Claims:1:1: (record): the folder must be named claims/ (lower case)")


def test_a_record_folder_that_is_a_file_or_a_link_out_is_an_error(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "project")
    (root / "studies").rename(tmp_path / "studies-elsewhere")
    (root / "studies").symlink_to(tmp_path / "studies-elsewhere")
    refused(root, "studies:1:1: (record): is a symbolic link out of the project")
    (root / "studies").unlink()
    (root / "studies").write_text("not a folder")
    refused(root, "studies:1:1: (record): is not a folder")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_tools", *args], capture_output=True, text=True, check=False)


def test_check_of_a_folder_that_is_not_a_project_fails(tmp_path: Path) -> None:
    proc = run("--root", str(tmp_path), "check")
    assert proc.returncode == 1 and "ok:" not in proc.stdout
    assert "claims:1:1: (record): this project has no claims/ folder" in proc.stdout


def test_a_root_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    proc = run("--root", str(tmp_path / "nowhere"), "check")
    assert proc.returncode == 2
    assert "--root" in proc.stderr and "no such folder" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "name",
    [".knee-pain.yaml.swp", ".knee-pain.yaml.swo", "knee-pain.yaml~", ".#knee-pain.yaml", "#knee-pain.yaml#",
     ".DS_Store", "4913", "knee-pain.yaml___jb_tmp___"],
)  # fmt: skip
def test_editor_swap_and_backup_files_are_not_records(kb_root: Path, name: str) -> None:
    assert is_editor_debris(name)
    (kb_root / "claims" / name).write_bytes(b"\x00 half-written swap data")
    assert check(kb_root, today=TODAY, use_cache=False).ok


@pytest.mark.parametrize("name", ["knee-pain.yaml", "knee-pain.yml", "notes.txt", "swp.yaml"])
def test_other_names_are_not_debris(name: str) -> None:
    assert not is_editor_debris(name)


def test_serve_sees_an_edit_that_keeps_size_and_modification_time(kb_root: Path) -> None:
    live = LiveFiles()
    assert check(kb_root, today=TODAY, live=live).ok
    path = kb_root / "claims" / "knee-pain.yaml"
    stamp = path.stat()
    edited = CLAIM.replace("topic: knee", "topic: back")  # same length
    assert len(edited) == len(CLAIM)
    path.write_text(edited)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert check(kb_root, today=TODAY, live=live).kb.claims["knee-pain"].topic == "back"
