"""The per-file cache: same answers as without it, and never a stale entry."""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import CLAIM, TODAY, write_kb

from build_tools.pipeline import check
from build_tools.records.cache import CACHE_FILE, code_version


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


def test_a_cache_from_other_code_is_not_unpickled(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    path = root / CACHE_FILE
    path.parent.mkdir(parents=True)
    # An older version's entries could fail to unpickle (or mean something else): skipped.
    path.write_bytes(pickle.dumps("some older code version") + b"garbage that is not a pickle")
    assert check(root, today=TODAY).ok
    with path.open("rb") as handle:
        assert pickle.load(handle) == code_version()


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
