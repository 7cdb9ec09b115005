"""The hostile corpus (tests/hostile/manifest.yaml): each case is a file, a folder or a command
that tries to run code, delete work or spoof a verdict, with the outcome it must have.

A case names a base record (the fixtures in conftest) and how to change it, or the whole
file, or a `special` situation built here (links, pipes, caches, site folders...). Outcomes:
  refused   the check fails, and one problem line holds every `problem` fragment
  accepted  the check passes; the record joins one combined hostile site, which is scanned
  ignored   the hostile file has no effect: the check passes with the records unchanged
  error     the command fails with a message holding every `problem` fragment, no traceback
"""

from __future__ import annotations

import json
import os
import pickle
import re
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from conftest import CLAIM, ROOT, SOURCE, STUDY, TODAY, source_mapping, write_fixture_log, write_kb

from build_tools.pipeline import check

MANIFEST = Path(__file__).resolve().parent / "hostile" / "manifest.yaml"
CLASSES = {
    "markup": "HTML, script and Markdown link syntax in record text",
    "identifiers": "DOI, PMID, PMCID and URL grammar",
    "markdown": "record text that would become Markdown block structure",
    "invisible": "control and invisible format characters, line breaks",
    "duplicates": "identifiers compared as people read them",
    "yaml": "YAML 1.1 surprises, numbers, dates and YAML features",
    "files": "links, pipes, devices, sizes, nesting, encodings, folders, --root",
    "reserved": "ids that collide with generated pages and downloads",
    "caches": "parse caches that could run code or spoof data",
    "site-folder": "what `build --site-dir` may replace",
    "exports": "CSV formulas, RIS and BibTeX record injection",
    "messages": "values and file names that would forge or garble a message line",
    "serve": "editor debris and edits that keep size and time",
}
BASES = {"studies": STUDY, "claims": CLAIM, "sources": SOURCE}
WORK_MARKER, SITE_MARKER = ".walkback-site-build", ".walkback-site"


@dataclass
class Case:
    id: str
    cls: str
    expect: str
    record: str = "studies"
    set: dict = field(default_factory=dict)
    append: str = ""
    text: str | None = None
    raw: str | None = None
    file: str | None = None
    twin: dict | None = None
    special: str | None = None
    record_id: str | None = None
    problem: list[str] = field(default_factory=list)
    index: int = 0

    @property
    def rid(self) -> str:
        return self.record_id or f"hx-{self.id}"

    @property
    def path(self) -> str:
        return f"{self.record}/{self.file or self.rid + '.yaml'}"


def load_cases() -> list[Case]:
    entries = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    cases = []
    for i, entry in enumerate(entries):
        entry = dict(entry)
        problem = entry.pop("problem", [])
        case = Case(cls=entry.pop("class"), problem=[problem] if isinstance(problem, str) else problem, **entry)
        case.index = i
        cases.append(case)
    return cases


def _set_line(text: str, key: str, value: str) -> str:
    """Replace the value of the first line holding `key:` (a block value's lines indented to match)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip(" -")
        if stripped.startswith(f"{key}:"):
            indent = " " * (len(line) - len(stripped))
            first, *rest = value.split("\n")
            if not stripped.removeprefix(f"{key}:").strip():  # a block value: its lines go too
                depth = len(line) - len(line.lstrip(" "))
                while i + 1 < len(lines) and len(lines[i + 1]) - len(lines[i + 1].lstrip(" ")) > depth:
                    del lines[i + 1]
            lines[i] = f"{line[: len(line) - len(stripped)]}{key}: {first}"
            # A block value's own lines are read relative to the key's column.
            lines[i + 1 : i + 1] = [indent + extra if extra else "" for extra in rest]
            return "\n".join(lines)
    raise KeyError(f"no line with {key}: in the base record")


def value_position(text: str, key: str) -> str:
    """'line:column' of the value of the first line holding `key:` (as YAML reports it)."""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" -")
        if stripped.startswith(f"{key}:"):
            return f"{number}:{len(line) - len(stripped) + len(key) + 3}"
    raise KeyError(f"no line with {key}: in the record")


def expected_fragments(case: Case) -> list[str]:
    """The case's problem fragments with {path} and {at:FIELD} filled in for its record."""
    text = record_text(case) if case.raw is None and case.special is None else ""
    out = []
    for fragment in case.problem:
        fragment = fragment.replace("{path}", case.path)
        fragment = re.sub(r"\{at:(\w+)\}", lambda m: value_position(text, m.group(1)), fragment)
        out.append(fragment)
    return out


def record_text(case: Case, rid: str | None = None, changes: dict | None = None) -> str:
    """The case's record as YAML text: the base record with a unique id and DOI, then its changes."""
    rid = rid or case.rid
    if case.text is not None:
        return case.text.replace("{id}", rid)
    text = BASES[case.record]
    old_id = text.split("\n", 1)[0].removeprefix("id: ")
    text = text.replace(f"id: {old_id}", f"id: {rid}", 1)
    if case.record == "studies":
        text = text.replace('doi: "10.1234/test.2020.1"', f'doi: "10.5555/hx.{case.index}.{len(rid)}"')
        # Its own title, so it is not taken for the same study as another (a warning).
        text = text.replace("title: A test trial of backward walking", f"title: Hostile case {case.index}")
    if case.record == "sources":
        # A hostile article maps its one sentence to no claim (knee-pain does not name it).
        text = text.replace("    claim: knee-pain\n", "    not_rated: A sentence of a test article.\n")
    for key, value in (changes if changes is not None else case.set).items():
        text = _set_line(text, key, str(value))
    return text + case.append


def write_case(root: Path, case: Case) -> Path:
    """Write the base records and this case's file(s) under `root`."""
    write_kb(root)
    target = root / case.path
    if case.raw is not None:
        target.write_bytes(case.raw.encode("latin-1"))
    else:
        target.write_text(record_text(case), encoding="utf-8")
    if case.twin is not None:
        twin = root / case.record / f"{case.rid}-twin.yaml"
        twin.write_text(record_text(case, f"{case.rid}-twin", case.twin), encoding="utf-8")
    if case.record == "claims" and case.raw is None and case.text is None:
        # A new claim's article maps a sentence to it, as every claim's source must.
        claims = [case.rid] + ([f"{case.rid}-twin"] if case.twin is not None else [])
        (root / "sources" / "test-article.yaml").write_text(source_mapping("knee-pain", *claims), encoding="utf-8")
    if case.record == "studies" and case.raw is None:
        # Every study record needs an included candidate: the fixture log now includes this one.
        write_fixture_log(root)
    return target


@dataclass
class Outcome:
    ok: bool
    lines: list[str]
    note: str = ""


def run_check(root: Path) -> Outcome:
    result = check(root, today=TODAY, use_cache=False)
    return Outcome(result.ok, [p.format() for p in result.problems])


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", *args], capture_output=True, text=True, check=False, cwd=cwd, timeout=120
    )


# --- special cases: situations a record's text cannot make ---------------------------------


class _Payload:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (Path.write_text, (self.target, "the pickle ran"))


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def special(root: Path, case: Case) -> Outcome:
    """Set up and run one special case; the outcome is compared like any other."""
    name, kind = case.special, case.record
    write_kb(root)
    here = root / case.path
    if name == "symlink-out":
        outside = root.parent / f"{root.name}-outside.yaml"
        outside.write_text(record_text(case))
        here.symlink_to(outside)
    elif name == "symlink-loop":
        here.symlink_to(here)
    elif name == "symlink-dangling":
        here.symlink_to(root / "nowhere.yaml")
    elif name == "symlink-device":
        here.symlink_to("/dev/zero")
    elif name == "symlink-inside":
        (root / "shared").mkdir()
        (root / "shared" / here.name).write_text(record_text(case))
        here.symlink_to(root / "shared" / here.name)
        write_fixture_log(root)
    elif name == "fifo":
        os.mkfifo(here)
    elif name == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(here))
        try:
            return run_check(root)
        finally:
            server.close()
    elif name == "sparse":
        with here.open("wb") as handle:
            handle.truncate(8 * 1024**3)
    elif name == "oversize":
        here.write_text(record_text(case) + "# padding\n" * 30_000)
    elif name == "deep-flow":
        here.write_text("id: x\nlimitations: " + "[" * 100_000 + "\n")
    elif name == "deep-block":
        here.write_text("".join("  " * i + f"k{i}:\n" for i in range(60)))
    elif name == "missing-folder":
        for path in (root / kind).iterdir():
            path.unlink()
        (root / kind).rmdir()
    elif name == "wrong-case":
        (root / kind).rename(root / kind.capitalize())
    elif name == "folder-is-file":
        for path in (root / kind).iterdir():
            path.unlink()
        (root / kind).rmdir()
        (root / kind).write_text("not a folder")
    elif name == "folder-linked-out":
        (root / kind).rename(root.parent / f"{root.name}-{kind}")
        (root / kind).symlink_to(root.parent / f"{root.name}-{kind}")
    elif name == "sub-folder":
        (root / kind / "old").mkdir()
        (root / kind / "old" / here.name).write_text(record_text(case))
    elif name in ("no-root", "root-is-file"):
        target = root / "nowhere"
        if name == "root-is-file":
            target.write_text("a file")
        proc = cli("--root", str(target), "check")
        return Outcome(proc.returncode == 0, (proc.stdout + proc.stderr).splitlines(), f"exit {proc.returncode}")
    elif name == "bad-file-name":
        (root / kind / case.file).write_text(record_text(case))
    elif name and name.startswith("debris:"):
        (root / kind / name.removeprefix("debris:")).write_bytes(b"\x00\xff half-written swap data")
    elif name == "same-stat-edit":
        return _same_stat_edit(root)
    elif name and name.startswith("cache-"):
        return _cache_case(root, name)
    elif name and name.startswith("site-dir:"):
        return _site_dir_case(root, name.removeprefix("site-dir:"))
    else:
        raise ValueError(f"unknown special case {name!r}")
    return run_check(root)


def _same_stat_edit(root: Path) -> Outcome:
    from build_tools.records.loading import LiveFiles

    live = LiveFiles()
    check(root, today=TODAY, live=live)
    path = root / "claims" / "knee-pain.yaml"
    stamp = path.stat()
    path.write_text(CLAIM.replace("topic: knee", "topic: back"))  # same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    topic = check(root, today=TODAY, live=live).kb.claims["knee-pain"].topic
    return Outcome(topic == "back", [f"topic after the edit: {topic}"])


def _cache_case(root: Path, name: str) -> Outcome:
    cache_dir = root / ".cache" / "build_tools"
    ran = root.parent / f"{root.name}-payload-ran"
    expected_line = "One trial found less pain."
    check(root, today=TODAY)  # a cache written the normal way first
    cache_dir.mkdir(parents=True, exist_ok=True)
    json_cache = cache_dir / "records.json"
    if name in ("cache-pickle", "cache-pickle-as-json"):
        target = cache_dir / ("records.pickle" if name == "cache-pickle" else "records.json")
        target.write_bytes(pickle.dumps(_Payload(ran)))
    elif name in ("cache-tracked-spoof", "cache-untracked-shape"):
        cached = json.loads(json_cache.read_text())
        for entry in cached["entries"].values():
            doc = entry[0]
            if doc and doc["data"].get("id") == "knee-pain":
                doc["data"]["bottom_line"] = "SPOOFED"
                if name == "cache-untracked-shape":
                    doc["data"] = ["not", "a", "record"]
        json_cache.write_text(json.dumps(cached))
        if name == "cache-tracked-spoof":
            _git(root, "init", "-q")
            _git(root, "add", "-A")
            _git(root, "add", "-f", ".cache")
            _git(root, "commit", "-qm", "records and a cache")
        else:
            expected_line = "One trial found less pain."
    elif name == "cache-other-code":
        cached = json.loads(json_cache.read_text())
        cached["code"] = "other code"
        for entry in cached["entries"].values():
            if entry[0]:
                entry[0]["data"]["bottom_line"] = "SPOOFED"
        json_cache.write_text(json.dumps(cached))
    elif name == "cache-corrupt":
        json_cache.write_bytes(b"\x80\x04not json at all")
    elif name == "cache-device":
        json_cache.unlink()
        json_cache.symlink_to("/dev/zero")
    else:
        raise ValueError(name)
    result = check(root, today=TODAY)
    shown = result.kb.claims["knee-pain"].bottom_line if "knee-pain" in result.kb.claims else "(no claim)"
    lines = [p.format() for p in result.problems] + [f"bottom_line: {shown}"]
    if ran.exists():
        lines.append("the planted pickle ran")
    return Outcome(result.ok and shown == expected_line and not ran.exists(), lines)


def _site_dir_case(root: Path, where: str) -> Outcome:
    from build_tools.site.build import build_site

    # A project that really builds: code that did not refuse the folder would replace it.
    add_site_sources(root)
    kb = check(root, today=TODAY).kb
    if where == "unmarked":
        (root / "notes").mkdir()
        (root / "notes" / "mine.txt").write_text("mine")
        site = root / "notes"
    elif where == "a-file":
        site = root / "README.md"
        site.write_text("readme")
    elif where == "symlink":
        (root / "real").mkdir()
        site = root / "link"
        site.symlink_to(root / "real")
    elif where == "under-a-file":
        (root / "README.md").write_text("readme")
        site = root / "README.md" / "site"
    else:
        site = root / where
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = build_site(root, site, kb)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}
    lines = err.getvalue().splitlines()
    if after != before:
        lines.append("files in the project changed")
    return Outcome(status == 0, lines)


# --- the combined site of every accepted case -----------------------------------------------


def combined_project(root: Path, cases: list[Case]) -> Path:
    """One project holding every accepted record, a claim that cites every accepted study and
    source, and the site's own documents, ready to build."""
    write_kb(root)
    studies, sources = [], []
    for case in cases:
        (root / case.path).write_text(record_text(case), encoding="utf-8")
        if case.record == "studies":
            studies.append(case.rid)
        elif case.record == "sources":
            sources.append(case.rid)
    umbrella = yaml.safe_load(CLAIM)
    umbrella.update(id="hx-all", title="Every accepted hostile study")
    umbrella["last_reviewed"] = str(umbrella["last_reviewed"])
    umbrella["claimed_by"] += [{"source": s, "stance": "makes", "said": "It says so."} for s in sources]
    umbrella["evidence"] += [
        {"study": s, "direction": "related", "applies_to": "different", "note": "A hostile record."} for s in studies
    ]
    (root / "claims" / "hx-all.yaml").write_text(yaml.safe_dump(umbrella, allow_unicode=True, sort_keys=False))
    # Every article the umbrella claim names maps a sentence to it; the test article also maps
    # each accepted claim.
    claims = [c.rid for c in cases if c.record == "claims"]
    (root / "sources" / "test-article.yaml").write_text(source_mapping("knee-pain", "hx-all", *claims))
    for sid in sources:
        path = root / "sources" / f"{sid}.yaml"
        text = path.read_text(encoding="utf-8").replace("not_rated: A sentence of a test article.", "claim: hx-all")
        path.write_text(text, encoding="utf-8")
    write_fixture_log(root)
    return add_site_sources(root)


def add_site_sources(root: Path) -> Path:
    """The project's mkdocs.yml, docs and theme overrides beside the records, so a real build runs."""
    import shutil

    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("kb"), dirs_exist_ok=True)
    shutil.copy(ROOT / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    (root / "docs" / "try-it-safely.md").write_text("# How to try it safely\n")
    config = (ROOT / "mkdocs.yml").read_text().replace("build_tools/", f"{ROOT}/build_tools/")
    (root / "mkdocs.yml").write_text(config)
    return root
