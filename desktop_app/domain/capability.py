"""Process capability: Cp, Cpk (within-subgroup sigma) and Pp, Ppk (overall sigma).

Definitions (AIAG SPC / PPAP; DOMAIN.md "Evidence"):

- σ_overall is the sample standard deviation of all readings (n − 1 in the denominator).
- σ_within is estimated from ranges: with individual readings (subgroup size 1) from the average
  moving range of consecutive readings, MR̄ / d2 with d2 = 1.128; with subgroups of size k
  (consecutive readings taken k at a time, an incomplete last subgroup left out) from the average
  subgroup range, R̄ / d2(k). `Capability.within_method` says which was used.
- Cp = (USL − LSL) / 6σ_within, Cpk = min(USL − μ, μ − LSL) / 3σ_within; Pp and Ppk the same
  with σ_overall. With one limit only, Cp and Pp do not exist and Cpk / Ppk use the one side.
- Bands on Ppk (initial studies, AIAG PPAP 4th ed.), compared as shown (rounded down to three
  decimals): < 1.33 not acceptable; 1.33 to 1.67 (both included) acceptable only with the
  customer's agreement; > 1.67 meets the criterion.
- A preliminary study wants at least 100 readings from at least 25 subgroups; below that the
  customer must agree to the smaller study, and below 30 readings the indices are indicative only.
- Before the indices mean anything the process must be stable: no point beyond the control limits
  of its control chart (I-MR for individual readings, X̄-R for subgroups, `domain/control_charts`).
  Cpk is not reported for an unstable process.
- The bands assume a two-sided specification and normally distributed readings (Anderson-Darling,
  `domain/normality`): one-sided or non-normal, the criteria are agreed with the customer.

Each of these is a `Note` with a `code` (`FindingCode`): the same findings are shown under the
histogram and checked when a submission is submitted and approved
(`domain/certification_checks.py`).

Floats are used only inside this module; results leave it as text (`to_fields`), rounded DOWN to
three decimals so that a shown value never looks better than the computed one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Any

from desktop_app.domain.control_charts import D2, ChartKind, ControlChart, control_chart
from desktop_app.domain.evidence import Limits
from desktop_app.domain.normality import NormalityTest, anderson_darling
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

MIN_READINGS = 30
WANTED_READINGS = 100
WANTED_SUBGROUPS = 25
FAIL_BELOW = Decimal("1.33")
MEETS_ABOVE = Decimal("1.67")

__all__ = ["D2", "Band", "Capability", "FindingCode", "Note", "band_of", "capability",
           "histogram", "shown"]


class Band(StrEnum):
    NOT_ACCEPTABLE = "not_acceptable"
    CUSTOMER_AGREEMENT = "customer_agreement"
    ACCEPTABLE = "acceptable"  # meets: above 1.67


BAND_LABELS = {
    Band.NOT_ACCEPTABLE: QT_TRANSLATE_NOOP("Evidence", "Not acceptable (< 1.33)"),
    Band.CUSTOMER_AGREEMENT: QT_TRANSLATE_NOOP(
        "Evidence", "Needs customer agreement (1.33 to 1.67)"),
    Band.ACCEPTABLE: QT_TRANSLATE_NOOP("Evidence", "Meets (> 1.67)"),
}


class FindingCode(StrEnum):
    """What a capability study says beyond its numbers (one note each)."""

    INDICATIVE_ONLY = "indicative_only"  # fewer than 30 readings
    SMALL_STUDY = "small_study"  # fewer than 100 readings or 25 subgroups
    NOT_ACCEPTABLE = "not_acceptable"  # Ppk < 1.33
    CUSTOMER_AGREEMENT = "customer_agreement"  # 1.33 <= Ppk <= 1.67
    MEETS = "meets"  # Ppk > 1.67
    ONE_SIDED = "one_sided"
    NON_NORMAL = "non_normal"
    UNSTABLE = "unstable"
    NO_SPREAD = "no_spread"


CHART_NAMES = {ChartKind.INDIVIDUALS: "I-MR", ChartKind.SUBGROUPS: "X̄-R"}


class WithinMethod(StrEnum):
    MOVING_RANGE = "moving_range"
    SUBGROUP_RANGE = "subgroup_range"


WITHIN_METHOD_LABELS = {
    WithinMethod.MOVING_RANGE: QT_TRANSLATE_NOOP(
        "Evidence", "σ within from the average moving range (MR̄ / 1.128)"),
    WithinMethod.SUBGROUP_RANGE: QT_TRANSLATE_NOOP(
        "Evidence", "σ within from the average subgroup range (R̄ / d2)"),
}


def shown(index: float | Decimal | None) -> Decimal | None:
    """An index as it is shown and compared: rounded down to three decimals."""
    if index is None:
        return None
    if isinstance(index, float) and not math.isfinite(index):
        return None
    value = index if isinstance(index, Decimal) else Decimal(repr(index))
    return value.quantize(Decimal("0.001"), rounding=ROUND_FLOOR)


def band_of(index: float | Decimal | None) -> Band | None:
    """The AIAG band of an index, compared as shown (rounded down to 0.001)."""
    value = shown(index)
    if value is None:
        return None
    if value < FAIL_BELOW:
        return Band.NOT_ACCEPTABLE
    if value <= MEETS_ABOVE:
        return Band.CUSTOMER_AGREEMENT
    return Band.ACCEPTABLE


@dataclass(frozen=True, slots=True)
class Note:
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    code: str = ""  # a FindingCode for the findings of a study; "" for other notes

    def text(self, translate: Translate = untranslated) -> str:
        return translate("Evidence", self.template).format(**self.params)


@dataclass(frozen=True, slots=True)
class Capability:
    n: int
    mean: float | None
    sigma_within: float | None
    sigma_overall: float | None
    within_method: WithinMethod
    subgroup_size: int
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None
    notes: tuple[Note, ...]
    chart: ControlChart | None = None
    normality: NormalityTest | None = None

    @property
    def subgroups(self) -> int:
        return self.n if self.subgroup_size <= 1 else self.n // self.subgroup_size

    @property
    def enough_data(self) -> bool:
        return self.n >= MIN_READINGS

    @property
    def stable(self) -> bool | None:
        """False when a point lies beyond the control limits; None without a chart."""
        return None if self.chart is None else self.chart.stable

    @property
    def band(self) -> Band | None:
        """The band of Ppk (the index reported for initial studies)."""
        return band_of(self.ppk)

    @property
    def findings(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if n.code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.findings)

    @property
    def acceptance(self) -> str:
        """`band` when there are enough readings, else "insufficient_data" (or "undefined")."""
        if not self.enough_data:
            return "insufficient_data"
        band = self.band
        return str(band) if band is not None else "undefined"

    def to_fields(self) -> dict[str, str | int]:
        """Everything as text, for DTOs, JSON and storage."""
        return {
            "n": self.n,
            "subgroups": self.subgroups,
            "mean": _text(self.mean, 6),
            "sigma_within": _text(self.sigma_within, 6),
            "sigma_overall": _text(self.sigma_overall, 6),
            "within_method": str(self.within_method),
            "subgroup_size": self.subgroup_size,
            "cp": _text(self.cp, 3),
            "cpk": _text(self.cpk, 3),
            "pp": _text(self.pp, 3),
            "ppk": _text(self.ppk, 3),
            "band": str(self.band) if self.band is not None else "",
            "acceptance": self.acceptance,
            "stable": "" if self.stable is None else ("yes" if self.stable else "no"),
            "beyond_control_limits": self.chart.beyond_count if self.chart else 0,
            "anderson_darling": _text(self.normality.a2, 3) if self.normality else "",
            "findings": ",".join(self.codes),
        }


def _text(value: float | None, places: int) -> str:
    if value is None or not math.isfinite(value):
        return ""
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_FLOOR))


def _mean(values: Sequence[float]) -> float:
    # Shifted by the first value: equal readings give exactly that value, no rounding noise.
    first = values[0]
    return first + math.fsum(v - first for v in values) / len(values)


def _stdev(values: Sequence[float], mean: float) -> float:
    first = values[0]
    shifted_mean = mean - first
    sigma = math.sqrt(math.fsum((v - first - shifted_mean) ** 2 for v in values)
                      / (len(values) - 1))
    # Below the precision of the readings themselves there is no spread, only rounding noise.
    return 0.0 if sigma <= 1e-12 * max(1.0, abs(mean)) else sigma


def sigma_within(values: Sequence[float], subgroup_size: int = 1) -> float | None:
    """Within-subgroup sigma from ranges (see the module docstring)."""
    if subgroup_size <= 1:
        if len(values) < 2:
            return None
        ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
        return (math.fsum(ranges) / len(ranges)) / D2[2]
    if subgroup_size not in D2:
        raise ValueError(f"subgroup size {subgroup_size} outside 2..10")
    groups = [values[i:i + subgroup_size]
              for i in range(0, len(values) - subgroup_size + 1, subgroup_size)]
    if not groups:
        return None
    r_bar = math.fsum(max(g) - min(g) for g in groups) / len(groups)
    return r_bar / D2[subgroup_size]


def _indices(limits: Limits, mean: float, sigma: float | None) -> tuple[float | None, float | None]:
    """(Cp-like, Cpk-like) for one sigma; None where it does not exist."""
    if sigma is None or sigma <= 0:
        return None, None
    lsl = float(limits.lower) if limits.lower is not None else None
    usl = float(limits.upper) if limits.upper is not None else None
    spread = (usl - lsl) / (6 * sigma) if lsl is not None and usl is not None else None
    sides = []
    if usl is not None:
        sides.append((usl - mean) / (3 * sigma))
    if lsl is not None:
        sides.append((mean - lsl) / (3 * sigma))
    return spread, min(sides)


def capability(readings: Sequence[Decimal], limits: Limits, subgroup_size: int = 1) -> Capability:
    """Capability of a set of readings against limits (readings in production order), with its
    findings (see the module docstring)."""
    values = [float(v) for v in readings]
    n = len(values)
    method = WithinMethod.MOVING_RANGE if subgroup_size <= 1 else WithinMethod.SUBGROUP_RANGE
    subgroups = n if subgroup_size <= 1 else n // subgroup_size
    notes: list[Note] = []
    if n < MIN_READINGS:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Only {n} readings: capability needs at least {min} (about {wanted} "
            "wanted), so these indices are indicative only."),
            {"n": n, "min": MIN_READINGS, "wanted": WANTED_READINGS},
            FindingCode.INDICATIVE_ONLY))
    elif n < WANTED_READINGS or subgroups < WANTED_SUBGROUPS:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "{n} readings in {subgroups} subgroups: a preliminary study wants at "
            "least {wanted} readings from {groups} subgroups; the customer must agree to the "
            "smaller study."),
            {"n": n, "subgroups": subgroups, "wanted": WANTED_READINGS,
             "groups": WANTED_SUBGROUPS}, FindingCode.SMALL_STUDY))
    if not limits.two_sided and (limits.lower is not None or limits.upper is not None):
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side. "
            "The acceptance bands are written for two-sided limits: agree the criteria with "
            "the customer."), {}, FindingCode.ONE_SIDED))
    if n < 2:
        return Capability(n, values[0] if values else None, None, None, method, subgroup_size,
                          None, None, None, None, tuple(notes))
    mean = _mean(values)
    overall = _stdev(values, mean)
    within = sigma_within(values, subgroup_size)
    chart = control_chart(values, subgroup_size)
    normality = anderson_darling(values)
    if overall == 0:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "All readings are equal: the spread is below the gauge resolution and "
            "the indices cannot be computed."), {}, FindingCode.NO_SPREAD))
    if chart is not None and not chart.stable:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Process not stable: points beyond the control limits of the {chart} "
            "chart: {count}. Capability does not predict an unstable process, so Cpk is not "
            "reported: remove the special causes or agree with the customer."),
            {"count": chart.beyond_count, "chart": CHART_NAMES[chart.kind]},
            FindingCode.UNSTABLE))
    if normality is not None and not normality.normal:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "The readings do not look normally distributed (Anderson-Darling "
            "A² = {a2}, p = {p}): the indices assume a normal distribution; agree the criteria "
            "with the customer."),
            {"a2": _text(normality.a2, 3), "p": _text(normality.p_value, 3)},
            FindingCode.NON_NORMAL))
    cp, cpk = _indices(limits, mean, within)
    pp, ppk = _indices(limits, mean, overall)
    if chart is not None and not chart.stable:
        cp = cpk = None
    band = band_of(ppk)
    if band is not None:
        template, code = {
            Band.NOT_ACCEPTABLE: (QT_TRANSLATE_NOOP(
                "Evidence", "Ppk {ppk} is below 1.33: not acceptable without a deviation "
                "agreed with the customer."), FindingCode.NOT_ACCEPTABLE),
            Band.CUSTOMER_AGREEMENT: (QT_TRANSLATE_NOOP(
                "Evidence", "Ppk {ppk} is between 1.33 and 1.67: acceptable only with the "
                "customer's agreement."), FindingCode.CUSTOMER_AGREEMENT),
            Band.ACCEPTABLE: (QT_TRANSLATE_NOOP(
                "Evidence", "Ppk {ppk} is above 1.67: the acceptance criterion is met."),
                FindingCode.MEETS),
        }[band]
        notes.append(Note(template, {"ppk": _text(ppk, 3)}, code))
    return Capability(n, mean, within, overall, method, subgroup_size, cp, cpk, pp, ppk,
                      tuple(notes), chart, normality)


def histogram(readings: Sequence[Decimal], bins: int | None = None,
              limits: Limits | None = None, max_bins: int = 80) -> tuple[list[float], list[int]]:
    """Bin edges (bins + 1) and counts; the axis covers the readings and the limits.

    The bin width follows the square-root rule on the spread of the readings (between 5 and 30
    bins across the readings), so the shape stays visible when the limits are far apart; the
    axis is then extended with bins of that width to show the limits (at most `max_bins`)."""
    values = [float(v) for v in readings]
    if not values:
        return [], []
    points = list(values)
    if limits is not None:
        points += [float(x) for x in (limits.lower, limits.upper) if x is not None]
    low, high = min(points), max(points)
    if high == low:
        low, high = low - 0.5, high + 0.5
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    data_low, data_high = min(values), max(values)
    count = bins or max(5, min(30, round(math.sqrt(len(values)))))
    width = (data_high - data_low) / count if data_high > data_low else (high - low) / count
    start = data_low - math.ceil((data_low - low) / width) * width
    total = max(1, math.ceil((high - start) / width))
    if total > max_bins:
        start, total, width = low, max_bins, (high - low) / max_bins
    edges = [start + i * width for i in range(total + 1)]
    counts = [0] * total
    for v in values:
        counts[min(total - 1, max(0, int((v - start) / width)))] += 1
    return edges, counts
