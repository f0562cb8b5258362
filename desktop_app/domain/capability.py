"""Process capability: Cp, Cpk (within-subgroup sigma) and Pp, Ppk (overall sigma).

Definitions (AIAG SPC / PPAP; DOMAIN.md "Evidence"):

- σ_overall is the sample standard deviation of all readings (n − 1 in the denominator).
- σ_within is estimated from ranges: with individual readings (subgroup size 1) from the average
  moving range of consecutive readings, MR̄ / d2 with d2 = 1.128; with subgroups of size k
  (consecutive readings taken k at a time, an incomplete last subgroup left out) from the average
  subgroup range, R̄ / d2(k). `Capability.within_method` says which was used.
- Cp = (USL − LSL) / 6σ_within, Cpk = min(USL − μ, μ − LSL) / 3σ_within; Pp and Ppk the same
  with σ_overall. With one limit only, Cp and Pp do not exist and Cpk / Ppk use the one side.
- Bands on Ppk (initial studies): < 1.33 not acceptable; 1.33 to < 1.67 acceptable only with the
  customer's agreement; ≥ 1.67 acceptable. At least 30 readings are needed (about 100 wanted):
  below 30 the indices are computed but said to be indicative only.

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

from desktop_app.domain.evidence import Limits
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

MIN_READINGS = 30
WANTED_READINGS = 100
FAIL_BELOW = 1.33
AGREEMENT_BELOW = 1.67

# d2 bias-correction constants for the range of a subgroup of size k (AIAG SPC manual).
D2 = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970, 10: 3.078}


class Band(StrEnum):
    NOT_ACCEPTABLE = "not_acceptable"
    CUSTOMER_AGREEMENT = "customer_agreement"
    ACCEPTABLE = "acceptable"


BAND_LABELS = {
    Band.NOT_ACCEPTABLE: QT_TRANSLATE_NOOP("Evidence", "Not acceptable (< 1.33)"),
    Band.CUSTOMER_AGREEMENT: QT_TRANSLATE_NOOP(
        "Evidence", "Needs customer agreement (1.33 to 1.67)"),
    Band.ACCEPTABLE: QT_TRANSLATE_NOOP("Evidence", "Acceptable (≥ 1.67)"),
}


class WithinMethod(StrEnum):
    MOVING_RANGE = "moving_range"
    SUBGROUP_RANGE = "subgroup_range"


WITHIN_METHOD_LABELS = {
    WithinMethod.MOVING_RANGE: QT_TRANSLATE_NOOP(
        "Evidence", "σ within from the average moving range (MR̄ / 1.128)"),
    WithinMethod.SUBGROUP_RANGE: QT_TRANSLATE_NOOP(
        "Evidence", "σ within from the average subgroup range (R̄ / d2)"),
}


def band_of(index: float | None) -> Band | None:
    if index is None:
        return None
    if index < FAIL_BELOW:
        return Band.NOT_ACCEPTABLE
    if index < AGREEMENT_BELOW:
        return Band.CUSTOMER_AGREEMENT
    return Band.ACCEPTABLE


@dataclass(frozen=True, slots=True)
class Note:
    template: str
    params: dict[str, Any] = field(default_factory=dict)

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

    @property
    def enough_data(self) -> bool:
        return self.n >= MIN_READINGS

    @property
    def band(self) -> Band | None:
        """The band of Ppk (the index reported for initial studies)."""
        return band_of(self.ppk)

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
    """Capability of a set of readings against limits (readings in production order)."""
    values = [float(v) for v in readings]
    n = len(values)
    method = WithinMethod.MOVING_RANGE if subgroup_size <= 1 else WithinMethod.SUBGROUP_RANGE
    notes: list[Note] = []
    if n < MIN_READINGS:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "Only {n} readings: capability needs at least {min} (about {wanted} "
            "wanted), so these indices are indicative only."),
            {"n": n, "min": MIN_READINGS, "wanted": WANTED_READINGS}))
    elif n < WANTED_READINGS:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "{n} readings: enough for an estimate; about {wanted} are wanted."),
            {"n": n, "wanted": WANTED_READINGS}))
    if not limits.two_sided:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "One-sided limit: Cp and Pp do not exist; Cpk and Ppk use the one side.")))
    if n < 2:
        return Capability(n, values[0] if values else None, None, None, method, subgroup_size,
                          None, None, None, None, tuple(notes))
    mean = _mean(values)
    overall = _stdev(values, mean)
    within = sigma_within(values, subgroup_size)
    if overall == 0:
        notes.append(Note(QT_TRANSLATE_NOOP(
            "Evidence", "All readings are equal: the spread is below the gauge resolution and "
            "the indices cannot be computed.")))
    cp, cpk = _indices(limits, mean, within)
    pp, ppk = _indices(limits, mean, overall)
    return Capability(n, mean, within, overall, method, subgroup_size, cp, cpk, pp, ppk,
                      tuple(notes))


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
