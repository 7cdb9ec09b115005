"""A new editor's path, end to end, through the real command line: a study from BibTeX, a
claim citing it, three typical mistakes fixed from the messages alone, and a summary of
the change for the reviewer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import write_kb

BIBTEX = """@article{lee2013,
  author = {Lee, Minhyeon and Kim, Jungyoon and Son, Jongsang and Kim, Youngho},
  title = {Kinematic and kinetic analysis during forward and backward walking},
  journal = {Gait {\\&} Posture}, year = {2013}, volume = {38}, pages = {674--678},
  doi = {10.1016/j.gaitpost.2013.02.014}
}"""

FILLED = {
    'url: "https://TODO"': 'url: "https://doi.org/10.1016/j.gaitpost.2013.02.014"',
    "design: TODO  # one of": "design: cross-sectional  # one of",
    'description: "TODO who took part, in plain words"': 'description: "Healthy adults"',
    'condition: "TODO condition, or healthy"': 'condition: "healthy"',
    '  age: "TODO as reported"\n': "",
    "n: TODO  # participants analysed": "n: 20  # participants analysed",
    'intervention: "TODO what the backward-walking group did"': 'intervention: "Backward walking, one session"',
    '  comparator: "TODO what the comparison group did"\n': "",
    'comparator: "TODO what the comparison group did"\n': "",
    'duration: "TODO e.g. 6 weeks, 3 sessions a week"': 'duration: "one session"',
    'measure: "TODO what was measured"': 'measure: "Joint angles"',
    'finding: "TODO what was found, with the numbers reported"': 'finding: "Time-reversed patterns"',
    '  - "TODO a weakness a reader should know"\n': '  - "One lab"\n',
    '  - "TODO what a reader might assume it measured, but it did not"\n': '  - "Training effects"\n',
}


def cli(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "--root", str(root), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def fill(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def hint_of(output: str, field: str) -> str:
    line = next(line for line in output.splitlines() if f" {field}: " in line)
    return re.search(r"\(hint: (.*)\)$", line).group(1)


def test_new_editor_adds_a_study_and_a_claim_and_fixes_mistakes_from_the_messages(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], check=True
    )

    # 1. A study from a pasted BibTeX entry: written, and failing until its TODOs are filled.
    made = cli(root, "new-study", "-", stdin=BIBTEX)
    assert made.returncode == 0, made.stderr
    study = root / "studies" / "lee-2013-kinematic-kinetic-analysis-forward.yaml"
    assert "wrote studies/lee-2013-kinematic-kinetic-analysis-forward.yaml" in made.stdout
    assert cli(root, "check").returncode == 1
    study.write_text(fill(study.read_text(), FILLED))
    # Not yet: no screening log includes it, and the message says what to add where.
    out = cli(root, "check").stdout
    assert (
        "studies/lee-2013-kinematic-kinetic-analysis-forward.yaml:5:5: id: no screening log includes this study"
    ) in out
    assert "add under candidates: in screening/tests.yaml" in out
    # new-study printed the entry to paste, in the log's own indentation: fill its two choices, paste it.
    assert "screening: every study needs an included candidate." in made.stdout
    entry = made.stdout[made.stdout.index("- id: lee-2013") :]
    entry = entry.replace('["TODO-search-id"]', "[tests-01]").replace('design: "TODO"', "design: cross-sectional")
    log = root / "screening" / "tests.yaml"
    log.write_text(log.read_text() + entry)
    assert cli(root, "check").returncode == 0, cli(root, "check").stdout
    # The same entry again is refused: one study per DOI.
    again = cli(root, "new-study", "-", stdin=BIBTEX)
    assert again.returncode == 1 and "already exists" in again.stderr

    # 2. A claim citing it, from the template.
    assert cli(root, "new-claim", "gait-reversal").returncode == 0
    claim = root / "claims" / "gait-reversal.yaml"
    text = fill(
        claim.read_text(),
        {
            '"TODO a title that reads as the claim"': '"Walking backwards reverses the gait"',
            '"TODO who the claim is about"': '"Healthy adults"',
            '"TODO what, as tested (it starts the plain-language statements)"': '"Backward walking"',
            '"TODO against what"': '"Forward walking"',
            "{TODO-outcome-id: TODO}": "{joint-angles: supports}",
            "TODO-outcome-id": "joint-angles",
            '"TODO the outcome in plain words"': '"joint angles"',
            "stance: TODO": "stance: makes",
            "importance: TODO": "importance: critical",
            "change: TODO": "change: increases",
            "verdict_reason: TODO": "verdict_reason: low-certainty",
            'risk-of-bias: {judgement: TODO, reason: "TODO why"}': "risk-of-bias: {judgement: not-serious}",
            'inconsistency: {judgement: TODO, reason: "TODO why"}': "inconsistency: {judgement: not-serious}",
            'indirectness: {judgement: TODO, reason: "TODO why"}': "indirectness: {judgement: not-serious}",
            'imprecision: {judgement: TODO, reason: "TODO why"}': (
                'imprecision: {judgement: serious, reason: "One lab study."}'
            ),
            'publication-bias: {judgement: TODO, reason: "TODO why"}': (
                'publication-bias: {judgement: not-suspected, reason: "One study."}'
            ),
            '"TODO the claim as people make it, in our words"': '"Backward gait is forward gait in reverse."',
            "topic: TODO": "topic: gait",
            "direction: TODO": "direction: supports",
            "applies_to: TODO": "applies_to: same",
            "domain: TODO": "domain: indirectness",
            "severity: TODO": "severity: serious",
            "source: TODO-source-id": "source: test-article",
            '"TODO what the article said, paraphrased"': '"It says so."',
            "study: TODO-study-id": "study: lee-2013-kinematic-kinetc-analysis-forward",  # mistake 1: a typo
            '"TODO why this study bears on the claim"': '"Joint angles were time-reversed."',
            "verdict: TODO": "verdict: supported",  # mistake 2: above what a lab study allows
            '"TODO why"': '"One lab study."',
            '"TODO two or three plain sentences: the verdict and why"': "Patterns reversed: mostly",  # mistake 3
            '"TODO the part the evidence backs"': '"Angles."',
            '"TODO the part that goes beyond it"': '"Muscles."',
            '"TODO who was studied, and who the claim is for"': '"Healthy adults."',
            '"TODO who it would study, and how many"': '"Healthy adults, 40"',
            '"TODO what it would compare backward walking with"': '"Forward walking at the same speed"',
            '"TODO what it would measure, when and how"': '"Joint angles in one session"',
        },
    )
    claim.write_text(text)

    # Mistake 3 first: YAML itself does not parse; the message says where and how to fix it.
    out = cli(root, "check").stdout
    assert (
        "claims/gait-reversal.yaml" in out and "invalid YAML" in out and "put the whole value in double quotes" in out
    )
    text = text.replace("bottom_line: Patterns reversed: mostly", 'bottom_line: "Patterns reversed, mostly."')
    claim.write_text(text)

    # Mistake 1: the hint names the existing id; use it.
    out = cli(root, "check").stdout
    hint = hint_of(out, "evidence[0].study")
    assert hint == "did you mean 'lee-2013-kinematic-kinetic-analysis-forward'?"
    text = text.replace("lee-2013-kinematic-kinetc-analysis-forward", re.search(r"'(.*)'", hint).group(1))
    claim.write_text(text)

    # Mistake 2: the verdict is above its ceiling; the hint says what is missing.
    out = cli(root, "check").stdout
    assert "verdict 'supported' is stronger than the evidence allows ('plausible')" in out
    assert "supported needs a randomised trial" in hint_of(out, "verdict")
    claim.write_text(text.replace("verdict: supported", "verdict: plausible"))

    # Mistake 4: the article the claim names does not map a sentence to it; the hint says how.
    out = cli(root, "check").stdout
    assert "claimed_by[0].source: sources/test-article.yaml maps none of its statements to this claim" in out
    assert hint_of(out, "claimed_by[0].source") == (
        "add a statement to its statements: the sentence in a line (says), claim: gait-reversal, stance: makes"
    )
    source = root / "sources" / "test-article.yaml"
    source.write_text(
        source.read_text() + "  - says: It says walking backwards is walking forwards in reverse.\n"
        "    claim: gait-reversal\n    stance: makes\n"
    )

    final = cli(root, "check")
    assert final.returncode == 0, final.stdout
    assert final.stdout.splitlines()[-1] == "ok: 2 claims, 3 studies, 1 sources"

    # 3. The reviewer's summary of the change.
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "add"], check=True)
    summary = cli(root, "what-changed", "HEAD~1", "HEAD").stdout
    assert "- claims added: `gait-reversal`" in summary
    assert "- studies added: `lee-2013-kinematic-kinetic-analysis-forward`" in summary
    assert "## Screening: `screening/tests.yaml`" in summary
    assert (
        "- candidate `lee-2013-kinematic-kinetic-analysis-forward` added: included as "
        "`lee-2013-kinematic-kinetic-analysis-forward`"
    ) in summary


def test_what_changed_reports_a_moved_verdict_and_why(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    path = root / "claims" / "knee-pain.yaml"
    path.write_text(
        path.read_text()
        .replace("verdict: plausible", "verdict: overstated")
        .replace("One trial found less pain.", "The trial was too small.")
    )
    subprocess.run([*git, "commit", "-qam", "downgrade"], check=True)
    summary = cli(root, "what-changed", "HEAD~1").stdout
    assert "## Knee pain (`knee-pain`)" in summary
    assert "- verdict plausible -> **overstated**" in summary
    assert "- new bottom line: The trial was too small." in summary
    assert cli(root, "what-changed", "no-such-rev").returncode == 1


def test_what_changed_lists_the_screening_decisions_that_moved(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    log = root / "screening" / "tests.yaml"
    text = log.read_text().replace(
        "searches:\n", "searches:\n- {id: tests-02, date: 2026-02-01, where: crossref, query: retro walking, hits: 4}\n"
    )
    text += (
        "- {id: new-2026-trial, first_author: New, year: 2026, title: A new trial, url: 'https://example.org/n',\n"
        "   found_by: [tests-02], design: rct, decision: awaiting, note: Results not posted.}\n"
    )
    log.write_text(text)
    subprocess.run([*git, "commit", "-qam", "screen"], check=True)
    summary = cli(root, "what-changed", "HEAD~1").stdout
    assert "## Screening: `screening/tests.yaml`\n- searches added: `tests-02`\n" in summary
    assert "- candidate `new-2026-trial` added: `awaiting`" in summary
    text = log.read_text().replace(
        "decision: awaiting, note: Results not posted.", "decision: excluded, reason: protocol-only, note: A protocol."
    )
    log.write_text(text)
    subprocess.run([*git, "commit", "-qam", "decide"], check=True)
    summary = cli(root, "what-changed", "HEAD~1").stdout
    assert "- candidate `new-2026-trial`: `awaiting` -> **excluded (`protocol-only`)**" in summary
