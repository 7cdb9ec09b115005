"""The words and symbols a verdict, a direction and a GRADE domain carry on every page."""

from __future__ import annotations

VERDICT_INFO = {
    "supported": {
        "label": "Supported",
        "admonition": "success",
        "icon": "✔",
        "meaning": "Randomised trials (or reviews of them) of at least moderate strength, in the people the claim "
        "is about, back it, and the certainty of the evidence is at least moderate.",
    },
    "plausible": {
        "label": "Plausible",
        "admonition": "warning",
        "icon": "◐",
        "meaning": "Some evidence points this way, but it is early or of low certainty, "
        "or it comes from other groups of people or another exercise.",
    },
    "overstated": {
        "label": "Overstated",
        "admonition": "failure",
        "icon": "✘",
        "meaning": "Untested, tested with no effect found, contradicted, or worded beyond what was found: "
        "the reason beside the verdict says which.",
    },
}
DIRECTION_LABELS = {
    "supports": "Supports",
    "mixed": "Mixed",
    "contradicts": "Contradicts",
    "no-effect": "No effect",
    "unclear": "Measured, result not shown",
    "related": "Related only (did not test the claim)",
}
DOMAIN_LABELS = {
    "risk-of-bias": "Risk of bias",
    "inconsistency": "Inconsistency",
    "indirectness": "Indirectness",
    "imprecision": "Imprecision",
    "publication-bias": "Publication bias",
    "large-effect": "Large effect (upgrade)",
    "dose-response": "Dose-response (upgrade)",
    "plausible-confounding": "Plausible confounding (upgrade)",
}
RISK_LABELS = {"low": "low risk of bias", "some-concerns": "some concerns", "high": "high risk of bias"}
STANCE_LABELS = {
    "makes": "makes the claim",
    "repeats": "repeats the claim",
    "doubts": "reports the claim with doubt",
    "disputes": "disputes the claim",
}
PEDRO_LABELS = {
    "random_allocation": "2. Random allocation",
    "concealed_allocation": "3. Concealed allocation",
    "baseline_similar": "4. Groups similar at baseline",
    "blind_participants": "5. Participants blinded",
    "blind_therapists": "6. Therapists blinded",
    "blind_assessors": "7. Assessors blinded",
    "adequate_follow_up": "8. Over 85% followed up",
    "intention_to_treat": "9. Intention-to-treat analysis",
    "between_group_comparison": "10. Between-group comparison reported",
    "point_estimates_variability": "11. Point estimates and variability reported",
}
