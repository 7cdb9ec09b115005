"""Stage timings of a real build, for the benchmark: set BUILD_TOOLS_TIMINGS to a file and
each stage appends one JSON line {"stage": ..., "seconds": ...} to it. Unset, nothing is
measured or written."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "BUILD_TOOLS_TIMINGS"


@contextmanager
def stage(name: str) -> Iterator[None]:
    target = os.environ.get(ENV)
    if not target:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"stage": name, "seconds": time.perf_counter() - start}) + "\n")


def read(path: str) -> dict[str, float]:
    """Seconds per stage name (summed when a stage ran more than once)."""
    totals: dict[str, float] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            entry = json.loads(line)
            totals[entry["stage"]] = totals.get(entry["stage"], 0.0) + entry["seconds"]
    return totals
