"""Every claim sentence of a source is mapped, and the mapping agrees with the claims both ways;
each source has a page that shows the mapping, and the sources index shows it too."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLAIM, SOURCE, TODAY, source_mapping, write_kb

from build_tools.pages.model import build_model
from build_tools.pages.render import render_pages
from build_tools.pipeline import check

SRC = "sources/test-article.yaml"
STATEMENT = "  - says: Backwards walking helps sore knees.\n    claim: knee-pain\n"


def run(tmp_path: Path, files: dict) -> list[str]:
    return [p.format() for p in check(write_kb(tmp_path, files), TODAY, use_cache=False).problems]


def errors_in(tmp_path: Path, files: dict) -> list[str]:
    return [p for p in run(tmp_path, files) if ": warning: " not in p]


def source(statements: str, extra: str = "") -> str:
    return SOURCE.split("statements:")[0] + extra + "statements:\n" + statements


def test_the_fixture_source_maps_its_claim(kb_root: Path) -> None:
    assert check(kb_root, TODAY, use_cache=False).ok


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {SRC: source(STATEMENT.replace("claim: knee-pain", "claim: knee-pian"))},
            [
                "claims/knee-pain.yaml:6:13: claimed_by[0].source: sources/test-article.yaml maps none of its "
                "statements to this claim (hint: add a statement to its statements: the sentence in a line (says), "
                "claim: knee-pain, stance: makes)",
                "sources/test-article.yaml:8:12: statements[0].claim: unknown claim 'knee-pian' "
                "(hint: did you mean 'knee-pain'?)",
            ],
        ),
        (
            {SRC: source(STATEMENT + "  - says: It says knees heal.\n    claim: other-claim\n")},
            [
                "sources/test-article.yaml:10:12: statements[1].claim: unknown claim 'other-claim' (hint: map it to "
                "an existing claim, or use not_rated with a reason)"
            ],
        ),
        (
            {SRC: source(STATEMENT.replace("claim: knee-pain", "not_rated: Advice only."))},
            [
                "claims/knee-pain.yaml:6:13: claimed_by[0].source: sources/test-article.yaml maps none of its "
                "statements to this claim (hint: add a statement to its statements: the sentence in a line (says), "
                "claim: knee-pain, stance: makes)"
            ],
        ),
        (
            {SRC: source(STATEMENT + "    stance: doubts\n")},
            [
                "sources/test-article.yaml:9:13: statements[0].stance: stance 'doubts', but claims/knee-pain.yaml "
                "claimed_by[0] says 'makes' (hint: make the two agree: what does the article do with the claim "
                "(makes, repeats, doubts, disputes)? A statement without stance means makes)"
            ],
        ),
        (
            # A statement without stance means makes: the claim says repeats.
            {"claims/knee-pain.yaml": CLAIM.replace("stance: makes", "stance: repeats")},
            [
                "sources/test-article.yaml:8:12: statements[0].claim: stance 'makes', but claims/knee-pain.yaml "
                "claimed_by[0] says 'repeats' (hint: make the two agree: what does the article do with the claim "
                "(makes, repeats, doubts, disputes)? A statement without stance means makes)"
            ],
        ),
        (
            # Two entries for one article: the second stance has no statement.
            {
                "claims/knee-pain.yaml": CLAIM.replace(
                    "    said: It says backwards walking helps sore knees.\n",
                    "    said: It says backwards walking helps sore knees.\n  - source: test-article\n"
                    "    stance: doubts\n    said: Later it doubts it.\n",
                )
            },
            [
                "claims/knee-pain.yaml:10:13: claimed_by[1].stance: stance 'doubts', but no statement of "
                "sources/test-article.yaml maps to this claim with it (statements[0] says 'makes') (hint: make the "
                "two agree, or remove the extra claimed_by entry)"
            ],
        ),
        (
            # The statement's claim exists but does not name this article.
            {
                "sources/other-article.yaml": SOURCE.replace("id: test-article", "id: other-article"),
            },
            [
                "sources/other-article.yaml:8:12: statements[0].claim: claims/knee-pain.yaml does not name this "
                "source in claimed_by (hint: add it there (source: other-article, stance: makes, what the article "
                "said), or map this statement to the claim it does make)"
            ],
        ),
    ],
    ids=[
        "typo", "unknown", "not-rated-but-claimed", "stance-differs", "default-stance-differs", "second-entry",
        "claim-does-not-name-it",
    ],
)  # fmt: skip
def test_each_mapping_rule_broken(tmp_path: Path, files: dict, expected: list[str]) -> None:
    assert errors_in(tmp_path, files) == expected


def test_a_broken_claim_file_is_named_not_guessed(tmp_path: Path) -> None:
    found = run(tmp_path, {"claims/knee-pain.yaml": CLAIM.replace("topic: knee", "topic: knees")})
    assert (
        "sources/test-article.yaml:8:12: warning: statements[0].claim: claims/knee-pain.yaml exists but has errors: "
        "fix it first (hint: its problems are listed under claims/knee-pain.yaml; the mapping was not checked)"
    ) in found


@pytest.mark.parametrize(
    ("says", "expected"),
    [
        (" ".join(["word"] * 26), "statements[0].says: is 26 words; a statement is at most 25"),
        (
            'It calls it "one two three four five six seven eight nine" here.',
            "statements[0].says: quotes 9 words of the article; quote at most 8",
        ),
        ("It calls it “one two three four five six seven eight nine” here.", "quotes 9 words of the article"),
    ],
    ids=["too-long", "long-quote", "curly-quotes"],
)
def test_a_statement_is_a_short_paraphrase(tmp_path: Path, says: str, expected: str) -> None:
    text = source(f"  - says: '{says}'\n    claim: knee-pain\n")
    assert any(expected in p for p in errors_in(tmp_path, {SRC: text}))


def test_twenty_five_words_and_an_eight_word_quote_pass(tmp_path: Path) -> None:
    says = 'It says "one two three four five six seven eight" and ' + " ".join(["w"] * 14)
    assert len(says.split()) == 25
    assert errors_in(tmp_path, {SRC: source(f"  - says: '{says}'\n    claim: knee-pain\n")}) == []


@pytest.mark.parametrize(
    ("statements", "extra", "expected"),
    [
        (
            STATEMENT + "    not_rated: Also advice.\n",
            "",
            "sources/test-article.yaml:7:5: statements[0]: a statement has both claim and not_rated (hint: give "
            "claim: the id of the claim record that rates it, or not_rated: why no record does (not both))",
        ),
        (
            STATEMENT + "  - says: Something else.\n",
            "",
            "sources/test-article.yaml:9:5: statements[1]: a statement needs claim or not_rated (hint: give claim: "
            "the id of the claim record that rates it, or not_rated: why no record does (not both))",
        ),
        (
            STATEMENT,
            "page_status: found\n",
            "sources/test-article.yaml:1:1: page_url: missing required field 'page_url' (hint: add `page_url:` "
            "after `page_status` (line 6): the address of the article's own page, as the stored copy shows it "
            "(with page_status: found).)",
        ),
        (
            STATEMENT,
            'page_status: not-found\npage_url: "https://example.com/a"\n',
            "sources/test-article.yaml:7:1: page_url: page_url is only for an article whose own page was found "
            "(hint: set page_status: found (with page_url and page_read_on), or delete page_url and page_read_on)",
        ),
        (
            STATEMENT,
            "page_read_on: 2026-01-01\n",
            "sources/test-article.yaml:6:1: page_read_on: page_read_on is only for an article whose own page was "
            "found (hint: set page_status: found (with page_url and page_read_on), or delete page_url and "
            "page_read_on)",
        ),
        (
            STATEMENT,
            'page_status: found\npage_url: "https://example.com/a"\npage_read_on: 2027-01-01\n',
            "sources/test-article.yaml:8:15: page_read_on: 2027-01-01 is in the future",
        ),
        ("", "", "sources/test-article.yaml:6:12: statements: expected a list, got nothing"),
    ],
    ids=["both", "neither", "found-without-url", "url-when-not-found", "date-without-status", "future", "empty"],
)
def test_statement_and_page_fields_are_checked(tmp_path: Path, statements: str, extra: str, expected: str) -> None:
    found = errors_in(tmp_path, {SRC: source(statements, extra)})
    assert any(p.startswith(expected) for p in found), found


def _pages(root: Path) -> dict[str, str]:
    result = check(root, TODAY, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    return render_pages(build_model(result.kb, result.ratings))


def test_each_source_page_maps_its_statements_to_the_claims_and_verdicts(tmp_path: Path) -> None:
    text = source(
        STATEMENT + '  - says: "Hold the rails [at first] *always*."\n    not_rated: "advice, not a claim"\n',
        "page_status: not-found\n",
    )
    pages = _pages(write_kb(tmp_path, {SRC: text}))
    page = pages["sources/test-article.md"]
    assert "## What this article claims, and where we rate it" in page
    assert (
        "| Backwards walking helps sore knees. | makes the claim | [Knee pain](../claims/knee-pain.md) | "
        '<span class="verdict verdict--plausible">◐ Plausible</span> early or low-certainty evidence |'
    ) in page
    # Record text is escaped as everywhere else: no link, no emphasis.
    assert "| Hold the rails \\[at first\\] \\*always\\*. | – | not rated: advice, not a claim | – |" in page
    assert "**The article's own page:** no stored copy of it was found." in page
    index = pages["sources/index.md"]
    assert "[This article's page](test-article.md)" in index
    assert "| Backwards walking helps sore knees. | makes the claim | [Knee pain](../claims/knee-pain.md) |" in index
    assert "no stored copy of it was found" in index
    assert "* [A test article](test-article.md)" in pages["sources/SUMMARY.md"]
    # The claim page links the article's name to its page.
    assert "**[A test article](../sources/test-article.md)** (Test Outlet; " in pages["claims/knee-pain.md"]


def test_a_found_page_is_linked_with_its_date(tmp_path: Path) -> None:
    extra = 'page_status: found\npage_url: "https://www.example.com/a"\npage_read_on: 2026-01-01\n'
    page = _pages(write_kb(tmp_path, {SRC: source(STATEMENT, extra)}))["sources/test-article.md"]
    assert (
        '**The article\'s own page:** <a href="https://www.example.com/a" rel="noopener noreferrer">example.com</a>, '
        "a stored copy read on 2026-01-01; byline as printed there: A writer."
    ) in page
    assert "no stored copy" not in page


def test_call_outs_on_the_claims_are_listed_on_the_source_page(tmp_path: Path) -> None:
    claim = CLAIM.replace(
        "    said: It says backwards walking helps sore knees.\n",
        "    said: It says backwards walking helps sore knees.\n    not_confirmed: No page shows the 20.\n",
    )
    page = _pages(write_kb(tmp_path, {"claims/knee-pain.yaml": claim}))["sources/test-article.md"]
    assert "- **Not confirmed**, on [Knee pain](../claims/knee-pain.md): No page shows the 20." in page


def test_a_new_claim_from_the_same_article_needs_its_statement(tmp_path: Path) -> None:
    other = CLAIM.replace("id: knee-pain", "id: knee-pain-two")
    assert errors_in(tmp_path, {"claims/knee-pain-two.yaml": other}) == [
        "claims/knee-pain-two.yaml:6:13: claimed_by[0].source: sources/test-article.yaml maps none of its "
        "statements to this claim (hint: add a statement to its statements: the sentence in a line (says), "
        "claim: knee-pain-two, stance: makes)"
    ]
    both = {"claims/knee-pain-two.yaml": other, SRC: source_mapping("knee-pain", "knee-pain-two")}
    assert errors_in(tmp_path, both) == []
