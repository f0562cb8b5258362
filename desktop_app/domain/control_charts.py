"""Control charts for the stability check that comes before capability (AIAG SPC, 2nd ed.).

- Individual readings (subgroup size 1): the I-MR chart. Individuals around x̄ with limits
  x̄ ± 3·MR̄/d2 (d2 = 1.128); moving ranges |xᵢ − xᵢ₋₁| with UCL = D4·MR̄ (D4 = 3.267), LCL 0.
- Subgroups of k consecutive readings (k = 2..10, an incomplete last subgroup left out): the
  X̄-R chart. Subgroup means around x̿ with limits x̿ ± A2·R̄ (A2 = 3 / (d2·√k)); ranges with
  UCL = D4·R̄ and LCL = D3·R̄.

A point beyond a control limit is a special cause: the process is not stable and its capability
indices do not predict it. Positions are 0-based: for the moving ranges, position i is the range
between readings i − 1 and i (the first reading has none).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# Bias-correction and range-chart constants for subgroups of size k (AIAG SPC manual).
D2 = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970, 10: 3.078}
D3 = {2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0, 6: 0.0, 7: 0.076, 8: 0.136, 9: 0.184, 10: 0.223}
D4 = {2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 6: 2.004, 7: 1.924, 8: 1.864, 9: 1.816,
      10: 1.777}


class ChartKind(StrEnum):
    INDIVIDUALS = "i_mr"
    SUBGROUPS = "xbar_r"


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One chart: its points (with their positions), centre line and control limits."""

    positions: tuple[int, ...]
    points: tuple[float, ...]
    centre: float
    lower: float
    upper: float

    @property
    def beyond(self) -> tuple[int, ...]:
        """Indices (into `points`) of the points beyond a control limit."""
        return tuple(i for i, p in enumerate(self.points) if p > self.upper or p < self.lower)


@dataclass(frozen=True, slots=True)
class ControlChart:
    kind: ChartKind
    subgroup_size: int
    location: ChartSeries  # individuals, or subgroup means
    spread: ChartSeries  # moving ranges, or subgroup ranges

    @property
    def beyond_count(self) -> int:
        return len(self.location.beyond) + len(self.spread.beyond)

    @property
    def stable(self) -> bool:
        return self.beyond_count == 0


def _mean(values: Sequence[float]) -> float:
    # Shifted by the first value: equal values give exactly that value (no point "beyond" a
    # zero-width band by rounding noise).
    first = values[0]
    return first + math.fsum(v - first for v in values) / len(values)


def control_chart(readings: Sequence[Decimal | float], subgroup_size: int = 1
                  ) -> ControlChart | None:
    """The I-MR chart (subgroup size 1) or the X̄-R chart of readings in production order;
    None when there are too few readings for one (two readings, or two subgroups)."""
    values = [float(v) for v in readings]
    if subgroup_size <= 1:
        if len(values) < 2:
            return None
        ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
        centre, mr_bar = _mean(values), math.fsum(ranges) / len(ranges)
        half = 3 * mr_bar / D2[2]
        location = ChartSeries(tuple(range(len(values))), tuple(values), centre,
                               centre - half, centre + half)
        spread = ChartSeries(tuple(range(1, len(values))), tuple(ranges), mr_bar, 0.0,
                             D4[2] * mr_bar)
        return ControlChart(ChartKind.INDIVIDUALS, 1, location, spread)
    if subgroup_size not in D2:
        raise ValueError(f"subgroup size {subgroup_size} outside 2..10")
    k = subgroup_size
    groups = [values[i:i + k] for i in range(0, len(values) - k + 1, k)]
    if len(groups) < 2:
        return None
    means = [_mean(g) for g in groups]
    ranges = [max(g) - min(g) for g in groups]
    centre, r_bar = _mean(means), math.fsum(ranges) / len(ranges)
    half = 3 * r_bar / (D2[k] * math.sqrt(k))  # A2·R̄
    positions = tuple(range(len(groups)))
    location = ChartSeries(positions, tuple(means), centre, centre - half, centre + half)
    spread = ChartSeries(positions, tuple(ranges), r_bar, D3[k] * r_bar, D4[k] * r_bar)
    return ControlChart(ChartKind.SUBGROUPS, k, location, spread)
