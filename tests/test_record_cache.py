"""The per-file cache: same answers as without it, never a stale entry, never code, and never
one that somebody else wrote (a cache committed to git is ignored)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
from pathlib import Path

from conftest import CLAIM, TODAY, write_kb

from build_tools.pipeline import check
from build_tools.records.cache import CACHE_DIR, CACHE_FILE, code_version


def formatted(result) -> list[str]:
    return [p.format() for p in result.problems]


def test_cached_and_uncached_checks_agree(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("topic: knee", "topic: knees")})
    uncached = check(root, today=TODAY, use_cache=False)
    first = check(root, today=TODAY)
    assert (root / CACHE_FILE).is_file()
    second = check(root, today=TODAY)  # served from the cache
    assert formatted(uncached) == formatted(first) == formatted(second)
    assert not second.ok


def test_an_edited_file_is_never_served_stale(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    assert check(root, today=TODAY).ok
    path = root / "claims" / "knee-pain.yaml"
    path.write_text(CLAIM.replace("topic: knee", "topic: knees"))
    assert "claims/knee-pain.yaml:4:8: topic: 'knees' is not an allowed value" in formatted(check(root, today=TODAY))[0]
    path.write_text(CLAIM)
    assert check(root, today=TODAY).ok


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    check(root, today=TODAY)
    (root / CACHE_FILE).write_bytes(b"not a pickle")
    assert check(root, today=TODAY).ok


def test_a_cache_from_other_code_is_ignored(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    path = root / CACHE_FILE
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": "walkback-record-cache/1", "code": "older code", "entries": {"k": 1}}))
    assert check(root, today=TODAY).ok
    saved = json.loads(path.read_text())
    assert saved["code"] == code_version() and "k" not in saved["entries"]


class _Payload:
    """Unpickling this writes a file: what a planted pickle could do with any code."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (self.target, "ran"))


def test_a_planted_pickle_is_never_loaded(tmp_path: Path) -> None:
    # The previous cache format: a pickle whose first object the old code unpickled unasked.
    root = write_kb(tmp_path)
    ran = tmp_path / "payload-ran"
    for name in ("records.pickle", "records.json"):
        (root / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        (root / CACHE_DIR / name).write_bytes(pickle.dumps(_Payload(ran)))
    assert check(root, today=TODAY).ok
    assert not ran.exists()
    json.loads((root / CACHE_FILE).read_text())  # rewritten as data


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_a_cache_committed_to_git_is_ignored(tmp_path: Path) -> None:
    # A pull request that commits a cache whose entry shows other data than its record says.
    root = write_kb(tmp_path)
    assert check(root, today=TODAY).ok
    cached = json.loads((root / CACHE_FILE).read_text())
    for doc, _ in cached["entries"].values():
        if doc and doc["data"].get("id") == "knee-pain":
            doc["data"]["bottom_line"] = "Spoofed by a committed cache."
    (root / CACHE_FILE).write_text(json.dumps(cached))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "add", "-f", str(CACHE_FILE))
    git(root, "commit", "-qm", "records and a cache")
    before = (root / CACHE_FILE).read_bytes()
    result = check(root, today=TODAY)
    assert result.kb.claims["knee-pain"].bottom_line == "One trial found less pain."
    assert (root / CACHE_FILE).read_bytes() == before  # not rewritten either


def test_a_cache_entry_of_the_wrong_shape_is_recomputed(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    assert check(root, today=TODAY).ok
    cached = json.loads((root / CACHE_FILE).read_text())
    for key in cached["entries"]:
        cached["entries"][key] = [{"data": [], "text": 1}, [["x", "1", 1, "", "", "", "fatal"]]]
    (root / CACHE_FILE).write_text(json.dumps(cached))
    assert check(root, today=TODAY).ok


def test_a_cached_record_still_points_at_its_lines(tmp_path: Path) -> None:
    # Cached documents keep their text, not their positions; a problem found later by a
    # cross-record check is located from the text again, at the same line as without a cache.
    root = write_kb(tmp_path)
    assert check(root, today=TODAY).ok  # every file now cached
    for study in (root / "studies").glob("*.yaml"):
        study.unlink()  # the claim (served from the cache) now cites unknown studies
    cached = formatted(check(root, today=TODAY))
    assert cached[0].startswith("claims/knee-pain.yaml:10:12: evidence[0].study: unknown study 'smith-2020-test'")
    assert cached == formatted(check(root, today=TODAY, use_cache=False))
