"""Rendering: what a reader sees on the generated pages."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from conftest import CLAIM, TODAY, write_kb

from build_tools.pages.model import build_model
from build_tools.pages.render import make_environment, render_pages
from build_tools.pages.sync import sync_pages
from build_tools.pipeline import RecordsInvalid, check, render


def pages_for(root: Path) -> dict[str, str]:
    result = check(root, today=TODAY)
    assert result.ok
    return render_pages(build_model(result.kb, result.ratings))


def test_claim_page_shows_verdict_bottom_line_evidence_and_references(kb_root: Path) -> None:
    page = pages_for(kb_root)["claims/knee-pain.md"]
    assert page.startswith("---\n") and "\n---\n\n# Knee pain\n" in page
    # The claim card: the claim, who made it (linked to the article's entry), the verdict once
    # with its reason, the takeaway at body size, certainty as circles with its plain meaning.
    assert '<div class="claim-card claim-card--plausible" markdown>\n' in page
    assert '<p class="claim-card__claim" markdown="span">**The claim:** Walking backwards eases knee pain in' in page
    assert "Made by [A test article](../sources/test-article.md) (Test Outlet), no date recorded." in page
    assert '<span class="verdict verdict--plausible">◐ Plausible</span> early or low-certainty evidence</p>' in page
    assert '<p class="claim-card__takeaway" markdown="span">One trial found less pain.</p>' in page
    assert '**Certainty of the evidence:** <span class="certainty"' in page and "●●●○</span> moderate" in page
    assert "last reviewed 1 November 2026 · rated under [rules version 2]" in page
    assert page.count("◐ Plausible") == 1  # said once
    assert (
        "| [Smith and Doe 2020](../studies/smith-2020-test.md) | Randomised controlled trial | 60 | moderate | "
        "Supports | same as the claim |" in page
    )
    assert (
        '1. <span class="reference">Smith, J. and Doe, J. \\(2020\\). A test trial of backward walking. '
        "<em>Journal of Tests</em>. "
        '<a href="https://doi.org/10.1234/test.2020.1" rel="noopener noreferrer">doi:10.1234/test.2020.1</a>.</span>'
    ) in page
    assert "not medical advice" in page


def test_study_page_lists_the_claims_citing_it(kb_root: Path) -> None:
    pages = pages_for(kb_root)
    assert "- [Knee pain](../claims/knee-pain.md): supports" in pages["studies/smith-2020-test.md"]
    assert "- No claim cites this study yet." in pages["studies/jones-2018-lab.md"]


def test_home_snippet_groups_claims_by_verdict(kb_root: Path) -> None:
    snippet = pages_for(kb_root)["_includes/claims-by-verdict.md"]
    supported, plausible = snippet.index("✔ Supported</span> 0 claims"), snippet.index("◐ Plausible</span> 1 claim ")
    assert supported < plausible < snippet.index("[Knee pain](kb/claims/knee-pain.md)")
    assert '<div class="claim-tile claim-tile--plausible" markdown>' in snippet


def test_record_text_is_escaped(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("Pain fell in one trial.", "a & b 'c' <3")})
    assert "a &amp; b &#39;c&#39; &lt;3" in pages_for(root)["claims/knee-pain.md"]


def test_missing_template_value_fails_instead_of_rendering_blank() -> None:
    with pytest.raises(jinja2.UndefinedError):
        make_environment().from_string("{{ nothing_here }}").render()


def test_render_writes_nothing_when_records_are_invalid(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("topic: knee", "topic: knees")})
    with pytest.raises(RecordsInvalid, match="topic"):
        render(root, today=TODAY)
    assert not (root / "docs" / "kb").exists()


def test_sync_rewrites_only_changed_pages_and_removes_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    assert sync_pages({"a.md": "A", "b/c.md": "C"}, out) == (2, 0)
    before = (out / "a.md").stat().st_mtime_ns
    assert sync_pages({"a.md": "A", "b/d.md": "D"}, out) == (1, 1)
    assert (out / "a.md").stat().st_mtime_ns == before
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["a.md", "b/d.md"]


def test_sources_page_counts_verdicts_and_miscitations(tmp_path: Path) -> None:
    claim = CLAIM.replace(
        "    said: It says backwards walking helps sore knees.\n",
        "    said: It says backwards walking helps sore knees.\n    credits: [smith-2020-test]\n"
        "    miscitation: The trial did not measure that.\n",
    )
    page = pages_for(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}))["sources/index.md"]
    assert "**How its claims fared:** ✔ 0 supported, ◐ 1 plausible, ✘ 0 overstated." in page
    assert "**Mis-citations found:** 1." in page


def test_reference_text_is_printed_as_written_not_read_as_latex(tmp_path: Path) -> None:
    # Read as LaTeX, '%' starts a comment (the rest of the title vanished) and '--' becomes a dash.
    title = "Walking 50% slower -- a ~10 week trial"
    root = write_kb(tmp_path)
    study = root / "studies" / "smith-2020-test.yaml"
    study.write_text(study.read_text().replace("title: A test trial of backward walking", f'title: "{title}"'))
    page = pages_for(root)["claims/knee-pain.md"]
    assert "\\(2020\\). Walking 50% slower -- a ~10 week trial. <em>Journal of Tests</em>" in page


@pytest.mark.parametrize(
    ("authors", "printed"),
    [
        (["Winter, D A", "others"], "Winter, D.&nbsp;A. et al. \\(2020\\)."),
        (["Smith, Jane", "Doe, John", "Roe, R", "others"], "Smith, J., Doe, J., Roe, R. et al. \\(2020\\)."),
        (["Kachanathu", "others"], "Kachanathu et al. \\(2020\\)."),
    ],
)
def test_an_author_list_ending_with_others_prints_et_al(tmp_path: Path, authors: list[str], printed: str) -> None:
    """'others' closes a list the page did not show in full: the page prints "et al.", BibTeX keeps
    its own "and others", and RIS and CSL-JSON list only the named authors, with a note."""
    import json

    listed = "".join(f'\n  - "{a}"' for a in authors)
    root = write_kb(tmp_path)
    study = root / "studies" / "smith-2020-test.yaml"
    study.write_text(study.read_text().replace('authors:\n  - "Smith, Jane"\n  - "Doe, John"', "authors:" + listed))
    pages = pages_for(root)
    for page in (pages["claims/knee-pain.md"], pages["studies/smith-2020-test.md"]):
        assert printed in page
        assert "and others" not in page.split("<pre><code>@article", 1)[0]  # BibTeX's own block keeps it
    assert ' and others",' in pages["downloads/smith-2020-test.bib"]
    assert "AU  - others" not in pages["downloads/smith-2020-test.ris"]
    assert "N1  - Author list incomplete" in pages["downloads/smith-2020-test.ris"]
    csl = json.loads(pages["downloads/smith-2020-test.json"])[0]
    assert len(csl["author"]) == len(authors) - 1 and csl["note"].startswith("Author list incomplete")


@pytest.mark.parametrize("authors", [["others"], ["others", "Smith, Jane"], ["Smith, Jane", "others", "Doe, John"]])
def test_others_comes_last_after_a_name(tmp_path: Path, authors: list[str]) -> None:
    listed = "".join(f'\n  - "{a}"' for a in authors)
    root = write_kb(tmp_path)
    study = root / "studies" / "smith-2020-test.yaml"
    study.write_text(study.read_text().replace('authors:\n  - "Smith, Jane"\n  - "Doe, John"', "authors:" + listed))
    result = check(root, today=TODAY)
    lines = [p.format() for p in result.problems]
    assert not result.ok
    at = authors.index("others")
    assert any(
        line.startswith("studies/smith-2020-test.yaml:") and f"authors[{at}]: 'others' stands for" in line
        for line in lines
    ), lines
