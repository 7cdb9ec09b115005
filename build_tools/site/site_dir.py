"""The folder a built site goes into: which folders may receive one, and how a new site replaces the old.

A build replaces its site folder wholesale, so it must never be pointed at the project's own
folders: the project root, a folder that contains it, or anything in its source folders is
refused, and an existing folder is replaced only if it carries the marker an earlier build
wrote into it. One build at a time writes a given site folder (a lock next to it), folders
left by a killed build are removed by the next one, and the new site is swapped in with one
atomic exchange where the system has one, so there is no moment without a site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: builds there are not locked
    fcntl = None

MARKER = ".walkback-site"
MARKER_TEXT = "Written by `python -m build_tools build`: the next build replaces this folder.\n"
# In the temporary folder a build works in, from its first moment: what makes a leftover removable.
WORK_MARKER = ".walkback-site-build"
# Folders of the project that hold what the site is built from, or the tools that build it.
SOURCE_FOLDERS = ("claims", "studies", "sources", "docs", "overrides", "build_tools", "tests", ".git", ".github", ".ci")


class SiteDirError(Exception):
    """The site folder cannot be written; the message says why and what to do."""


def has_marker(folder: Path) -> bool:
    """Whether an earlier build wrote this folder."""
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def refusal(site_dir: Path, root: Path) -> str | None:
    """Why `site_dir` may not receive a built site, or None if it may."""
    if site_dir.is_symlink():
        return "is a symbolic link; give the folder it points to"
    site, root = site_dir.resolve(), root.resolve()
    if site == root or root.is_relative_to(site):
        return "is the project folder, or contains it; the build would replace the project"
    for name in SOURCE_FOLDERS:
        if site.is_relative_to(root / name):
            return f"lies in the project's {name}/ folder; choose a folder of its own, such as site/"
    if site.exists() and not site.is_dir():
        return "exists and is not a folder"
    if site.is_dir() and not has_marker(site) and any(site.iterdir()):
        return (
            f"exists and was not written by a build (it has no {MARKER} marker), so it is not replaced; "
            "choose another folder, or empty this one yourself"
        )
    return None


@contextmanager
def locked(site_dir: Path) -> Iterator[None]:
    """Hold the lock on `site_dir` for this build; refuse if another build holds it."""
    lock = site_dir.parent / f".{site_dir.name}.lock"
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SiteDirError(
                    f"another build is writing this site folder now (it holds {lock.name}); wait for it to finish"
                ) from None
        yield
    finally:
        os.close(handle)  # closing releases the lock


def remove_leftovers(site_dir: Path) -> list[Path]:
    """Remove the work folders of builds that were killed before they finished (the lock is held)."""
    removed = []
    for folder in sorted(site_dir.parent.glob(f".{site_dir.name}-build-*")):
        if folder.is_dir() and not folder.is_symlink() and (folder / WORK_MARKER).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _system_exchange():
    """The system call that swaps two paths atomically, as a function of two paths, or None."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        return lambda a, b: libc.renameat2(at_fdcwd, a, at_fdcwd, b, rename_exchange)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        return lambda a, b: libc.renamex_np(a, b, rename_swap)
    return None


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False if the system or file system cannot (nothing moved)."""
    call = _system_exchange()
    if call is None:
        return False
    if call(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(new: Path, site_dir: Path) -> None:
    """Put the folder `new` in place of `site_dir`; the old site ends up at `new` (removed with it)."""
    if not site_dir.exists():
        os.rename(new, site_dir)
    elif not exchange(new, site_dir):
        # No atomic exchange here: two renames, with a moment between them without a site.
        aside = new.with_name(new.name + "-old")
        os.rename(site_dir, aside)
        os.rename(new, site_dir)
        os.rename(aside, new)
