"""Finding and reading record files: regular files inside the checkout, read within a size limit.

A record folder may hold things that are not records: a symbolic link out of the project, a
link loop, a named pipe or a device (opening a pipe waits for ever; reading /dev/zero never
ends), a sub-folder, a file of the wrong kind. Each gets a located problem; nothing is read
that is not a regular file, and no more than the size limit (plus one byte, to tell) is read.
Editors' swap and backup files are not records and are passed over in silence.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from build_tools.records.problems import Problem, display_path
from build_tools.records.yaml_source import MAX_FILE_BYTES

# Swap, backup and lock files that editors and file managers leave beside the file being edited.
_EDITOR_DEBRIS = re.compile(
    r"\..*\.sw[a-p]|.*~|\.#.*|#.*#|4913|\.DS_Store|Thumbs\.db|desktop\.ini|\.~lock\..*#|.*___jb_(?:tmp|old)___"
)


def is_editor_debris(name: str) -> bool:
    """Whether a file name is an editor's swap, backup or lock file (vim, emacs, JetBrains, macOS...)."""
    return _EDITOR_DEBRIS.fullmatch(name) is not None


@dataclass(frozen=True)
class RecordFile:
    """A record file found in a record folder: its name, and the path to open (a link's target)."""

    name: str
    path: str


def _problem(root: Path, path: str, message: str, hint: str = "") -> Problem:
    return Problem(display_path(Path(path), root), 1, 1, "", message, hint)


def check_folder(root: Path, kind: str, present: list[str]) -> Problem | None:
    """A problem if the record folder `kind` is missing, wrongly cased, not a folder, or outside the project."""
    folder = root / kind
    if kind not in present:
        other = [name for name in present if name.lower() == kind]
        if other:
            return _problem(root, str(root / other[0]), f"the folder must be named {kind}/ (lower case)", "rename it")
        message = f"this project has no {kind}/ folder"
        return _problem(root, str(folder), message, "run the command in the project folder, or give it with --root")
    if not folder.is_dir():
        return _problem(root, str(folder), "is not a folder", f"records go in a folder named {kind}/")
    if not folder.resolve().is_relative_to(root.resolve()):
        return _problem(root, str(folder), "is a symbolic link out of the project", "records live in the checkout")
    return None


def scan_folder(root: Path, kind: str) -> tuple[list[RecordFile], list[Problem], dict[str, Path]]:
    """The record files of one kind, sorted by name, a problem for anything else in the folder
    (sub-folders, files not ending in .yaml, links out of the project, pipes, devices), and the
    files with the wrong ending by their stem, so a reference to one can say to fix it."""
    folder = root / kind
    if not folder.is_dir():
        return [], [], {}
    real_root = root.resolve()
    files, problems, strays = [], [], {}
    for entry in os.scandir(folder):
        name = entry.name
        if is_editor_debris(name):
            continue
        if not name.endswith(".yaml"):
            if entry.is_dir():
                message, hint = "records cannot sit in sub-folders", f"move its files directly into {kind}/"
            else:
                stem = name.rsplit(".", 1)[0] if "." in name else name
                strays[stem] = Path(entry.path)
                message = "not a record file: records end in .yaml"
                hint = (
                    f"rename it to {stem}.yaml"
                    if name.endswith(".yml")
                    else "rename it to <id>.yaml, or move it out of the folder"
                )
            problems.append(_problem(root, entry.path, message, hint))
            continue
        if entry.is_symlink():
            target, wrong = _link_target(entry.path, real_root)
            if wrong:
                problems.append(_problem(root, entry.path, *wrong))
            else:
                files.append(RecordFile(name, target))
            continue
        if entry.is_file(follow_symlinks=False):
            files.append(RecordFile(name, entry.path))
        elif entry.is_dir(follow_symlinks=False):
            message, hint = "records cannot sit in sub-folders", f"move its files directly into {kind}/"
            problems.append(_problem(root, entry.path, message, hint))
        else:
            problems.append(_problem(root, entry.path, "is not a regular file (a pipe, socket or device)", "remove it"))
    return sorted(files, key=lambda f: f.name), sorted(problems, key=lambda p: p.path), strays


def _link_target(path: str, real_root: Path) -> tuple[str, tuple[str, str] | None]:
    """Where a symbolic link leads, if it is a regular file in the project; else why not."""
    try:
        target = Path(path).resolve(strict=True)
    except FileNotFoundError:
        return "", ("is a symbolic link to nothing", "remove it, or put the record itself here")
    except (RuntimeError, OSError):  # a loop (RuntimeError up to Python 3.12, OSError ELOOP after)
        return "", ("is a symbolic link loop", "remove it, or put the record itself here")
    if not target.is_relative_to(real_root):
        return "", ("is a symbolic link to a file outside the project", "put the record itself here")
    if not target.is_file():
        return "", ("is a symbolic link to something that is not a regular file", "put the record itself here")
    return str(target), None


def read_record(path: str, shown: str) -> tuple[bytes | None, Problem | None]:
    """A record file's bytes, read only if it is a regular file within the size limit."""
    try:
        # Not following a link (links were resolved when the folder was scanned), and not
        # waiting on a pipe that took a file's place since.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, Problem(shown, 1, 1, "", f"cannot be read: {exc.strerror}", "check the file's permissions")
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(shown, 1, 1, "", "is not a regular file (a pipe, socket or device)", "remove it")
        if info.st_size > MAX_FILE_BYTES:
            message = f"file is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}"
            return None, Problem(shown, 1, 1, "", message, "split or shorten it")
        chunks, left = [], MAX_FILE_BYTES + 1  # one byte more than allowed tells a file that grew
        while left > 0:
            chunk = os.read(handle, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            if MAX_FILE_BYTES + 1 - left >= info.st_size and len(chunks) == 1:
                break  # the whole file in one read, as usual: no second read to see the end
        return b"".join(chunks), None
    except OSError as exc:
        return None, Problem(shown, 1, 1, "", f"cannot be read: {exc.strerror}", "check the file")
    finally:
        os.close(handle)
