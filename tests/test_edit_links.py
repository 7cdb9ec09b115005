"""Edit buttons open the YAML record behind a page, never generated Markdown."""

from __future__ import annotations

from build_tools.site.edit_links import edit_url_for

REPO = "https://github.com/example/backwards"


def test_claim_and_study_pages_edit_their_yaml() -> None:
    assert edit_url_for("kb/claims/balance.md", REPO) == f"{REPO}/edit/main/claims/balance.yaml"
    assert edit_url_for("kb/studies/cha-2016-x.md", REPO + "/") == f"{REPO}/edit/main/studies/cha-2016-x.yaml"
    assert edit_url_for("kb/sources/self-x.md", REPO) == f"{REPO}/edit/main/sources/self-x.yaml"


def test_a_topics_screening_page_edits_its_log() -> None:
    assert edit_url_for("kb/screening/knee.md", REPO) == f"{REPO}/edit/main/screening/knee.yaml"
    assert edit_url_for("kb/screening/index.md", REPO) is None  # the methods page draws on every log


def test_hand_written_pages_edit_their_markdown() -> None:
    assert edit_url_for("methodology.md", REPO) == f"{REPO}/edit/main/docs/methodology.md"


def test_generated_index_pages_and_unconfigured_sites_have_no_edit_button() -> None:
    assert edit_url_for("kb/claims/index.md", REPO) is None
    assert edit_url_for("kb/sources/index.md", REPO) is None
    assert edit_url_for("kb/verdicts/supported.md", REPO) is None
    assert edit_url_for("kb/claims/balance.md", None) is None
