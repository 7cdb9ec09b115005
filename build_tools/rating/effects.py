"""Effect estimates: as reported, or computed from arm-level means, SDs and n, and pooled.

Formulas (Cochrane Handbook, chapters 6 and 10; Borenstein et al., Introduction to
Meta-Analysis, chapters 4 and 12), published on the methodology page:
- mean difference MD = m1 - m2, SE = sqrt(s1^2/n1 + s2^2/n2);
- Hedges' g = J * d, d = (m1 - m2) / s_pooled, J = 1 - 3 / (4 (n1 + n2) - 9),
  Var(g) = (n1 + n2) / (n1 n2) + g^2 / (2 (n1 + n2 - 3.94)), as Cochrane's RevMan computes it;
- 95% CI = estimate +/- 1.96 SE; a reported CI gives SE = (upper - lower) / (2 x 1.96),
  on the log scale for ratios;
- random-effects pooling by DerSimonian and Laird, with I^2 = (Q - df) / Q.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from build_tools.records.base import RATIO_MEASURES
from build_tools.records.model import Arms, Effect, Study

Z95 = 1.959964
SMD = "standardised mean difference"
MD = "mean difference"


@dataclass(frozen=True)
class Estimate:
    """One effect estimate, backward walking minus (or over) the comparison."""

    study: Study | None  # None for our own pooled estimate
    key: str
    outcome: str
    comparison: str
    measure: str
    value: float
    ci_low: float
    ci_high: float
    unit: str
    higher_is: str = ""
    computed: bool = False  # computed by the build from arm-level data
    is_pooled: bool = False  # a pooled estimate (a review's meta-analysis, or ours)
    pooled_studies: int | None = None  # how many studies it pooled, when shown
    pooled_participants: int | None = None
    i2: float | None = None
    weight: float = 0.0  # share of a pooled estimate, when drawn in a forest plot

    @property
    def ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def null(self) -> float:
        return 1.0 if self.ratio else 0.0

    @property
    def excludes_null(self) -> bool:
        return self.ci_low > self.null or self.ci_high < self.null

    @property
    def se(self) -> float:
        low, high = (math.log(self.ci_low), math.log(self.ci_high)) if self.ratio else (self.ci_low, self.ci_high)
        return (high - low) / (2 * Z95)

    @property
    def scaled(self) -> float:
        """The value on the scale estimates are pooled on (log for ratios)."""
        return math.log(self.value) if self.ratio else self.value


def mean_difference(arms: Arms) -> tuple[float, float]:
    """(MD, SE) of backward minus comparison."""
    a, b = arms.backward, arms.comparison
    return a.mean - b.mean, math.sqrt(a.sd**2 / a.n + b.sd**2 / b.n)


def hedges_g(arms: Arms) -> tuple[float, float]:
    """(g, SE) of backward minus comparison."""
    a, b = arms.backward, arms.comparison
    df = a.n + b.n - 2
    pooled_sd = math.sqrt(((a.n - 1) * a.sd**2 + (b.n - 1) * b.sd**2) / df)
    d = (a.mean - b.mean) / pooled_sd
    n = a.n + b.n
    g = (1 - 3 / (4 * n - 9)) * d
    return g, math.sqrt(n / (a.n * b.n) + g**2 / (2 * (n - 3.94)))


def from_effect(study: Study, effect: Effect) -> Estimate:
    pooled = effect.pooled
    return Estimate(
        study,
        effect.key,
        effect.outcome,
        effect.comparison,
        effect.measure,
        effect.value,
        effect.ci_low,
        effect.ci_high,
        effect.unit,
        effect.higher_is,
        is_pooled=pooled is not None,
        pooled_studies=pooled.studies if pooled else None,
        pooled_participants=pooled.participants if pooled else None,
        i2=pooled.i2 if pooled else None,
    )


def from_arms(study: Study, arms: Arms, measure: str = MD) -> Estimate:
    """The mean difference (in the arms' unit) or Hedges' g computed from arm-level data."""
    value, se = mean_difference(arms) if measure == MD else hedges_g(arms)
    unit = arms.unit if measure == MD else "SD units"
    comparison = f"{arms.backward.label} vs {arms.comparison.label}"
    return Estimate(
        study,
        arms.key,
        arms.outcome,
        comparison,
        measure,
        round(value, 4),
        round(value - Z95 * se, 4),
        round(value + Z95 * se, 4),
        unit,
        arms.higher_is,
        computed=True,
    )


def study_estimates(study: Study) -> list[Estimate]:
    """Every estimate a study gives: reported ones, then those computed from its arms."""
    found = [from_effect(study, e) for e in study.effects]
    for arms in study.arms:
        found += [from_arms(study, arms, MD), from_arms(study, arms, SMD)]
    return found


def pool(estimates: list[Estimate]) -> Estimate:
    """DerSimonian-Laird random-effects estimate of comparable estimates (same key, measure, unit)."""
    ys = [e.scaled for e in estimates]
    ws = [1 / e.se**2 for e in estimates]
    fixed = sum(w * y for w, y in zip(ws, ys, strict=True)) / sum(ws)
    q = sum(w * (y - fixed) ** 2 for w, y in zip(ws, ys, strict=True))
    df = len(estimates) - 1
    c = sum(ws) - sum(w**2 for w in ws) / sum(ws)
    tau2 = max(0.0, (q - df) / c) if c > 0 else 0.0
    wr = [1 / (e.se**2 + tau2) for e in estimates]
    mean = sum(w * y for w, y in zip(wr, ys, strict=True)) / sum(wr)
    se = math.sqrt(1 / sum(wr))
    low, high = mean - Z95 * se, mean + Z95 * se
    first = estimates[0]
    if first.ratio:
        mean, low, high = math.exp(mean), math.exp(low), math.exp(high)
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    ns = [e.study.population.n for e in estimates if e.study is not None]
    return Estimate(
        None,
        first.key,
        first.outcome,
        first.comparison,
        first.measure,
        round(mean, 4),
        round(low, 4),
        round(high, 4),
        first.unit,
        first.higher_is,
        computed=True,
        is_pooled=True,
        pooled_studies=len(estimates),
        pooled_participants=sum(ns) if len(ns) == len(estimates) and all(n is not None for n in ns) else None,
        i2=round(i2, 1),
    )


def weights(estimates: list[Estimate]) -> list[float]:
    """Each estimate's share of the random-effects pool (sums to 1)."""
    ys = [e.scaled for e in estimates]
    ws = [1 / e.se**2 for e in estimates]
    fixed = sum(w * y for w, y in zip(ws, ys, strict=True)) / sum(ws)
    q = sum(w * (y - fixed) ** 2 for w, y in zip(ws, ys, strict=True))
    c = sum(ws) - sum(w**2 for w in ws) / sum(ws)
    tau2 = max(0.0, (q - (len(ys) - 1)) / c) if c > 0 else 0.0
    wr = [1 / (e.se**2 + tau2) for e in estimates]
    return [w / sum(wr) for w in wr]
