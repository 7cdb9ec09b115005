"""A trial's risk of bias, from its item-level PEDro appraisal (our rule, published on the
methodology page).

GRADE asks for a risk-of-bias judgement per study; exercise trials rarely can blind
participants or therapists, so the judgement rests on the items a trial can meet: random and
concealed allocation, blinded assessors, follow-up and intention-to-treat. "Unclear" (the
page did not say) is not "yes": a trial we could read only as an abstract cannot be low risk.
"""

from __future__ import annotations

from build_tools.records.model import Study

RISK_LEVELS = ("low", "some-concerns", "high")  # best first
KEY_ITEMS = (
    "random_allocation",
    "concealed_allocation",
    "blind_assessors",
    "adequate_follow_up",
    "intention_to_treat",
)
HIGH_RISK_NO_ITEMS = 2  # this many key items answered "no" make a trial high risk
APPRAISED_DESIGNS = ("rct", "crossover")  # every one of these must carry an appraisal
# The rule as published: (judgement, when).
RISK_RULES = (
    (
        "low",
        "all five key items are met: random allocation, concealed allocation, blinded assessors, "
        "over 85% followed up, intention-to-treat",
    ),
    ("high", f"allocation was not random, or at least {HIGH_RISK_NO_ITEMS} key items are not met"),
    ("some concerns", "anything else, including key items the pages we read do not report"),
    (
        "(non-randomised studies)",
        "judged on the last three key items only, since their design already starts the certainty at low",
    ),
)


def trial_risk(study: Study) -> str | None:
    """'low', 'some-concerns' or 'high'; None when the study carries no appraisal."""
    rob = study.risk_of_bias
    if rob is None:
        return None
    if rob.items is None:  # a review's own judgement of its trials
        return "some-concerns" if rob.judgement in ("", "unclear") else rob.judgement
    # A non-randomised study already starts GRADE at low for its design: judging its
    # allocation again would count the same weakness twice.
    randomised = study.design in APPRAISED_DESIGNS
    keys = KEY_ITEMS if randomised else KEY_ITEMS[2:]
    answers = [rob.items[item] for item in keys]
    if (randomised and rob.items["random_allocation"] == "no") or answers.count("no") >= HIGH_RISK_NO_ITEMS:
        return "high"
    if all(a == "yes" for a in answers):
        return "low"
    return "some-concerns"
