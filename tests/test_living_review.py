"""The living review, offline: Crossref's answers are recorded files (tests/fixtures/crossref/)
served through a monkeypatched transport, since CI has no network."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
from pathlib import Path

import pytest
from conftest import TODAY, write_kb

from build_tools import cli
from build_tools.ops import living_review as lr
from build_tools.pipeline import check

FIXTURES = Path(__file__).parent / "fixtures" / "crossref"
TERMS = """\
queries: ["backward walking", "retro running"]
title_words:
  direction: [backward, retro, reverse]
  movement: [walk, run, gait]
rows: 3
mailto: editors@example.org
"""


def answer(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def recorded(url: str) -> tuple[int, dict | None]:
    """Crossref's answers as recorded: two pages for 'backward walking', none for anything else."""
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if params["query.bibliographic"] == ["backward walking"]:
        return 200, answer(
            "backward-walking-page2.json" if params["cursor"] == ["cursor-page-2"] else "backward-walking-page1.json"
        )
    return 200, answer("empty.json")


def kb_with_terms(tmp_path: Path, terms: str = TERMS):
    root = write_kb(tmp_path, {"screening/living-terms.yaml": terms})
    result = check(root, TODAY, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return root, result.kb


def test_the_query_asks_for_works_published_since_the_date_politely(tmp_path: Path) -> None:
    _, kb = kb_with_terms(tmp_path)
    url = lr.query_url(kb.living_terms, "backward walking", "2026-01-01")
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://api.crossref.org/works"
    params = urllib.parse.parse_qs(parts.query)
    assert params["query.bibliographic"] == ["backward walking"]
    assert params["filter"] == ["from-pub-date:2026-01-01"]
    assert params["rows"] == ["3"] and params["cursor"] == ["*"] and params["mailto"] == ["editors@example.org"]
    assert lr.since_date(kb) == "2026-01-01"  # the most recent recorded search


def test_new_works_about_backward_locomotion_not_in_any_log_are_listed(tmp_path: Path) -> None:
    _, kb = kb_with_terms(tmp_path)
    result = lr.living_review(kb, kb.living_terms, "2026-10-01", recorded)
    assert [w.doi for w in result.new] == ["10.5555/bw.2026.001", "10.5555/bw.2026.003"]  # seen twice, listed once
    assert result.known == 1  # the fixture trial's DOI, in another case
    assert result.kept_out == 1  # 'retrospective ... backward elimination': not about walking backwards
    assert result.failed == [] and result.truncated == []
    assert lr.exit_code(result) == lr.NEW_WORKS_EXIT == 1
    first = result.new[0]
    assert first.title == "Effects of backward walking training on gait speed in older adults: a randomised trial"
    assert first.authors == ("Ana Example", "Ben Sample") and first.year == 2026


def test_the_issue_body_lists_title_authors_year_and_doi_escaped(tmp_path: Path) -> None:
    _, kb = kb_with_terms(tmp_path)
    body = lr.report(lr.living_review(kb, kb.living_terms, "2026-10-01", recorded), TODAY)
    assert body.startswith("# Living review: 2 new work(s) to screen, published since 2026-10-01\n")
    assert (
        "- **Effects of backward walking training on gait speed in older adults: a randomised trial**. "
        "Ana Example, Ben Sample; 2026. <https://doi.org/10.5555/bw.2026.001>"
    ) in body
    # Markdown in a title stays text in the issue.
    assert "**Retrowalking and knee pain \\[a pilot study\\] \\| \\*preliminary\\* results**" in body
    assert "The Retro Walking Group; 2026." in body
    assert "Already screened: 1. Returned but not about backward locomotion (by title): 1." in body


def test_nothing_new_exits_zero(tmp_path: Path) -> None:
    _, kb = kb_with_terms(tmp_path)
    result = lr.living_review(kb, kb.living_terms, "2026-10-01", lambda url: (200, answer("empty.json")))
    assert result.new == [] and lr.exit_code(result) == 0
    assert "Nothing new: every matching work is already in a screening log." in lr.report(result, TODAY)


@pytest.mark.parametrize("status", [0, 429, 503])
def test_crossref_unreachable_exits_three_and_says_so(tmp_path: Path, status: int) -> None:
    _, kb = kb_with_terms(tmp_path)
    result = lr.living_review(kb, kb.living_terms, "2026-10-01", lambda url: (status, None))
    assert result.unreachable and lr.exit_code(result) == lr.UNREACHABLE_EXIT == 3
    assert "Crossref could not be reached" in lr.report(result, TODAY)


def test_one_query_unanswered_is_reported_beside_what_the_others_found(tmp_path: Path) -> None:
    _, kb = kb_with_terms(tmp_path)

    def half(url: str):
        return (503, None) if "retro+running" in url else recorded(url)

    result = lr.living_review(kb, kb.living_terms, "2026-10-01", half)
    assert len(result.new) == 2 and result.failed == ["retro running"] and not result.unreachable
    assert lr.exit_code(result) == 1
    assert "Crossref did not answer for: retro running." in lr.report(result, TODAY)
    quiet = lr.living_review(
        kb, kb.living_terms, "2026-10-01", lambda url: (503, None) if "retro" in url else (200, answer("empty.json"))
    )
    assert lr.exit_code(quiet) == 3  # nothing new, but not every question was answered


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("Backward walking improves balance", True),
        ("Walking backwards on a treadmill", True),
        ("Effects of retro-walking on knee pain", True),
        ("Retrowalking in osteoarthritis", True),
        ("Reverse treadmill gait training", True),
        ("Reverse transcription in muscle cells", False),
        ("Backward running and sprint speed", True),
        ("A retrospective study of walking", False),
        ("Backward elimination of predictors for 10-year survival after surgery", False),
        ("Forward walking only", False),
    ],
)
def test_a_title_is_kept_when_it_pairs_a_direction_with_a_movement(tmp_path: Path, title: str, kept: bool) -> None:
    _, kb = kb_with_terms(tmp_path)
    assert lr.about_backward_locomotion(title, kb.living_terms) is kept


class FakeResponse(io.BytesIO):
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_the_command_runs_through_the_real_transport_and_exits_one(tmp_path: Path, monkeypatch, capsys) -> None:
    root, _ = kb_with_terms(tmp_path)
    seen: list[str] = []

    def urlopen(request, timeout):
        seen.append(request.full_url)
        assert request.get_header("User-agent").endswith("(mailto:editors@example.org)")
        status, payload = recorded(request.full_url)
        return FakeResponse(json.dumps(payload).encode())

    monkeypatch.setattr(lr.urllib.request, "urlopen", urlopen)
    code = cli.main(["--root", str(root), "living-review", "--since", "2026-10-01"])
    out = capsys.readouterr().out
    assert code == 1 and "# Living review: 2 new work(s) to screen, published since 2026-10-01" in out
    assert len(seen) == 3  # two pages of one query, one page of the other
    # Without --since: the most recent search in the logs.
    cli.main(["--root", str(root), "living-review"])
    assert "published since 2026-01-01" in capsys.readouterr().out


def test_the_command_exits_three_when_the_network_is_down(tmp_path: Path, monkeypatch, capsys) -> None:
    root, _ = kb_with_terms(tmp_path)

    def offline(request, timeout):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(lr.urllib.request, "urlopen", offline)
    assert cli.main(["--root", str(root), "living-review"]) == 3
    assert "Crossref could not be reached" in capsys.readouterr().out


def test_the_command_refuses_a_bad_date_missing_terms_and_bad_terms(tmp_path: Path, capsys) -> None:
    root, _ = kb_with_terms(tmp_path)
    assert cli.main(["--root", str(root), "living-review", "--since", "2026-13-01"]) == 2
    assert "--since 2026-13-01 is not a date" in capsys.readouterr().err
    (root / "screening" / "living-terms.yaml").unlink()
    assert cli.main(["--root", str(root), "living-review"]) == 2
    assert "no screening/living-terms.yaml" in capsys.readouterr().err
    (root / "screening" / "living-terms.yaml").write_text(TERMS.replace("queries:", "querys:"))
    problems = [p.format() for p in check(root, TODAY, use_cache=False).problems]
    assert any(
        p.startswith("screening/living-terms.yaml:1:1: querys: unknown field 'querys' (hint: did you mean 'queries'?")
        for p in problems
    ), problems
    assert cli.main(["--root", str(root), "living-review"]) == 2


def test_the_projects_terms_name_every_name_the_exercise_goes_by() -> None:
    from conftest import ROOT

    terms = check(ROOT).kb.living_terms
    assert terms is not None
    joined = " ".join(terms.queries)
    for name in (
        "backward walking",
        "backwards walking",
        "retro walking",
        "reverse walking",
        "treadmill",
        "backward running",
    ):
        assert name in joined, name
