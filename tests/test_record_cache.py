"""The per-file cache: same answers as without it, and never a stale entry."""

from __future__ import annotations

from pathlib import Path

from conftest import CLAIM, TODAY, write_kb

from build_tools.pipeline import check
from build_tools.record_cache import CACHE_FILE


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
