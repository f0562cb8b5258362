"""The Anderson-Darling test of normality, by hand (no statistics package).

Capability indices assume normally distributed readings. With the readings standardised by their
mean and sample standard deviation (both estimated, "case 3" of Stephens):

    A² = −n − (1/n) Σᵢ (2i − 1) [ln Φ(zᵢ) + ln(1 − Φ(zₙ₊₁₋ᵢ))]   (z sorted ascending)
    A*² = A² (1 + 0.75/n + 2.25/n²)

and the p-value of A*² from D'Agostino & Stephens (1986), table 4.9. The test needs at least 8
readings; below that it says nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

MIN_READINGS = 8
ALPHA = 0.05


@dataclass(frozen=True, slots=True)
class NormalityTest:
    n: int
    a2: float  # A*², adjusted for the sample size
    p_value: float

    @property
    def normal(self) -> bool:
        """Normality is not rejected at the 5 % level."""
        return self.p_value >= ALPHA


def _phi(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2))


def p_value(a2_star: float) -> float:
    a = a2_star
    if a >= 0.6:
        p = math.exp(1.2937 - 5.709 * a + 0.0186 * a * a)
    elif a >= 0.34:
        p = math.exp(0.9177 - 4.279 * a - 1.38 * a * a)
    elif a >= 0.2:
        p = 1 - math.exp(-8.318 + 42.796 * a - 59.938 * a * a)
    else:
        p = 1 - math.exp(-13.436 + 101.14 * a - 223.73 * a * a)
    return min(1.0, max(0.0, p))


def anderson_darling(readings: Sequence[Decimal | float]) -> NormalityTest | None:
    """The test of readings; None below 8 readings or when they have no spread."""
    values = sorted(float(v) for v in readings)
    n = len(values)
    if n < MIN_READINGS:
        return None
    first = values[0]
    mean = first + math.fsum(v - first for v in values) / n
    s = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    if s <= 1e-12 * max(1.0, abs(mean)):
        return None
    tiny = 1e-300
    cdf = [_phi((v - mean) / s) for v in values]
    total = math.fsum((2 * i - 1) * (math.log(max(cdf[i - 1], tiny))
                                     + math.log(max(1 - cdf[n - i], tiny)))
                      for i in range(1, n + 1))
    a2 = -n - total / n
    a2_star = a2 * (1 + 0.75 / n + 2.25 / n ** 2)
    return NormalityTest(n, a2_star, p_value(a2_star))
