"""Capability findings as AIAG states them, checked against an independent computation written
here from the AIAG formulas (SPC 2nd ed., PPAP 4th ed.):

- σ within = R̄ / d2 (moving ranges of 2 for individual readings, d2 = 1.128; subgroup ranges
  with d2(k) for subgroups); σ overall = the sample standard deviation (n − 1);
- I-MR chart: x̄ ± 3·MR̄/1.128 and MR ≤ 3.267·MR̄; X̄-R chart: x̿ ± A2·R̄, D3·R̄ ≤ R ≤ D4·R̄;
- Anderson-Darling A*² against its 5 % critical value 0.752;
- Ppk shown rounded down to 0.001: < 1.33 not acceptable, 1.33 … 1.67 customer agreement,
  > 1.67 meets; fewer than 100 readings / 25 subgroups a smaller study, fewer than 30 indicative.
"""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop_app.domain.capability import Band, FindingCode, capability
from desktop_app.domain.evidence import Limits

# The AIAG tables, typed in again (not imported from the code under test).
D2_TABLE = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970,
            10: 3.078}
A2_TABLE = {2: 1.880, 3: 1.023, 4: 0.729, 5: 0.577, 6: 0.483, 7: 0.419, 8: 0.373, 9: 0.337,
            10: 0.308}
D3_TABLE = {2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0.076, 8: 0.136, 9: 0.184, 10: 0.223}
D4_TABLE = {2: 3.267, 3: 2.574, 4: 2.282, 5: 2.114, 6: 2.004, 7: 1.924, 8: 1.864, 9: 1.816,
            10: 1.777}
AD_CRITICAL_5 = 0.752
NEAR = 1e-6  # examples this close to a threshold are left out: float noise decides them


def _near(value: float, *thresholds: float) -> bool:
    return any(abs(value - t) <= NEAR * max(1.0, abs(t)) for t in thresholds)


def independent(values: list[float], lsl: float | None, usl: float | None, k: int) -> dict:
    """Everything the findings depend on, from the textbook formulas."""
    n = len(values)
    mean = statistics.fmean(values)
    s = statistics.stdev(values)
    out: dict = {"n": n, "s": s, "mean": mean, "undecided": False}
    if k == 1:
        ranges = [abs(values[i] - values[i - 1]) for i in range(1, n)]
        r_bar = statistics.fmean(ranges)
        sigma_within = r_bar / 1.128
        x_points, x_centre, x_half = values, mean, 3 * r_bar / 1.128
        r_points, r_low, r_high = ranges, 0.0, 3.267 * r_bar
        subgroups = n
    else:
        groups = [values[i * k:(i + 1) * k] for i in range(n // k)]
        ranges = [max(g) - min(g) for g in groups]
        means = [statistics.fmean(g) for g in groups]
        r_bar = statistics.fmean(ranges) if groups else 0.0
        sigma_within = r_bar / D2_TABLE[k] if groups else None
        x_points = means
        x_centre = statistics.fmean(means) if means else 0.0
        # A2 of the table is 3 / (d2 √k) rounded to three decimals: compute it unrounded.
        assert abs(3 / (D2_TABLE[k] * math.sqrt(k)) - A2_TABLE[k]) < 0.0015
        x_half = 3 / (D2_TABLE[k] * math.sqrt(k)) * r_bar
        r_points, r_low, r_high = ranges, D3_TABLE[k] * r_bar, D4_TABLE[k] * r_bar
        subgroups = len(groups)
    out["subgroups"] = subgroups
    out["sigma_within"] = sigma_within
    beyond = 0
    charted = (k == 1 and n >= 2) or (k > 1 and subgroups >= 2)
    # Equal readings sit on their (zero-width) limits: the float noise of a mean is no cause.
    if charted and max(values) > min(values):
        for x in x_points:
            if _near(x, x_centre - x_half, x_centre + x_half) and x_half > 0:
                out["undecided"] = True
            beyond += x > x_centre + x_half or x < x_centre - x_half
        for r in r_points:
            if _near(r, r_low, r_high) and r_high > 0:
                out["undecided"] = True
            beyond += r > r_high or r < r_low
    out["beyond"] = beyond if charted else None
    out["unstable"] = charted and beyond > 0 and not (x_half == 0 and s <= 1e-12)

    def k_index(sigma: float | None) -> float | None:
        if not sigma:
            return None
        sides = ([(usl - mean) / (3 * sigma)] if usl is not None else []) + \
                ([(mean - lsl) / (3 * sigma)] if lsl is not None else [])
        return min(sides)

    out["ppk"] = k_index(s) if s > 1e-12 * max(1.0, abs(mean)) else None
    out["cpk"] = k_index(sigma_within) if out["ppk"] is not None else None
    # Anderson-Darling in the (2n + 1 − 2i) form, Φ from the statistics module.
    out["non_normal"] = False
    if n >= 8 and out["ppk"] is not None:
        z = sorted((v - mean) / s for v in values)
        cdf = [min(max(statistics.NormalDist().cdf(x), 1e-300), 1 - 1e-16) for x in z]
        a2 = -n - sum((2 * i - 1) * math.log(cdf[i - 1])
                      + (2 * n + 1 - 2 * i) * math.log(1 - cdf[i - 1])
                      for i in range(1, n + 1)) / n
        a2_star = a2 * (1 + 0.75 / n + 2.25 / n ** 2)
        if abs(a2_star - AD_CRITICAL_5) < 0.01:
            out["undecided"] = True
        out["non_normal"] = a2_star > AD_CRITICAL_5
    if out["ppk"] is not None and _near(out["ppk"], 1.33, 1.671):
        out["undecided"] = True
    return out


def expected_codes(facts: dict, one_sided: bool) -> set[str]:
    codes = set()
    if facts["n"] < 30:
        codes.add("indicative_only")
    elif facts["n"] < 100 or facts["subgroups"] < 25:
        codes.add("small_study")
    if one_sided:
        codes.add("one_sided")
    if facts["ppk"] is None:
        codes.add("no_spread")
    else:
        shown = math.floor(facts["ppk"] * 1000 + 1e-9) / 1000
        codes.add("not_acceptable" if shown < 1.33 else
                  "customer_agreement" if shown <= 1.67 else "meets")
        if facts["unstable"]:
            codes.add("unstable")
        if facts["non_normal"]:
            codes.add("non_normal")
    return codes


@st.composite
def studies(draw):
    """Readings around a centre with an optional shift, limits on one or both sides."""
    k = draw(st.sampled_from([1, 1, 2, 3, 4, 5, 8, 10]))
    n = draw(st.integers(min_value=max(2, 2 * k), max_value=160))
    centre = draw(st.integers(min_value=-500, max_value=500))
    spread = draw(st.integers(min_value=1, max_value=60))
    raw = draw(st.lists(st.integers(min_value=-spread, max_value=spread), min_size=n,
                        max_size=n))
    shift_at = draw(st.integers(min_value=0, max_value=n))
    shift = draw(st.integers(min_value=0, max_value=10 * spread))
    readings = [Decimal(centre + r + (shift if i >= shift_at else 0)) / 100
                for i, r in enumerate(raw)]
    width = draw(st.integers(min_value=1, max_value=80 * spread)) * Decimal("0.01")
    side = draw(st.sampled_from(["both", "both", "lower", "upper"]))
    middle = Decimal(centre) / 100
    limits = Limits(middle - width if side != "upper" else None,
                    middle + width if side != "lower" else None)
    return readings, limits, k


@settings(max_examples=400, deadline=None)
@given(studies())
def test_findings_agree_with_an_independent_computation(study):
    readings, limits, k = study
    values = [float(v) for v in readings]
    lsl = float(limits.lower) if limits.lower is not None else None
    usl = float(limits.upper) if limits.upper is not None else None
    facts = independent(values, lsl, usl, k)
    assume(not facts["undecided"])
    result = capability(readings, limits, subgroup_size=k)
    assert set(result.codes) == expected_codes(facts, not limits.two_sided)
    if facts["beyond"] is None:
        assert result.chart is None
    else:
        assert result.chart is not None and result.chart.beyond_count == facts["beyond"]
    if facts["ppk"] is None:
        assert result.ppk is None
    else:
        assert result.ppk == pytest.approx(facts["ppk"], rel=1e-9, abs=1e-9)
    if facts["unstable"] or facts["cpk"] is None:
        assert result.cpk is None  # never reported for an unstable process
    else:
        assert result.cpk == pytest.approx(facts["cpk"], rel=1e-9, abs=1e-9)
    if facts["sigma_within"] is not None and result.sigma_within is not None:
        assert result.sigma_within == pytest.approx(facts["sigma_within"], rel=1e-9, abs=1e-12)
    # The finding a person reads names what decided it.
    texts = {n.code: n.text() for n in result.findings}
    if "indicative_only" in texts:
        assert f"Only {len(readings)} readings" in texts["indicative_only"]
        assert "indicative only" in texts["indicative_only"]
    if "small_study" in texts:
        assert f"{facts['subgroups']} subgroups" in texts["small_study"]


def test_five_readings_with_ppk_154_are_indicative_and_need_agreement():
    # TR-MSR-2026-0001 #1 of the demo: 5 readings, Ppk 1.54 used to pass silently.
    readings = [Decimal(x) for x in ("10.52", "10.48", "10.51", "10.50", "10.47")]
    result = capability(readings, Limits(Decimal("10.4"), Decimal("10.6")))
    assert result.to_fields()["ppk"] == "1.543"
    assert set(result.codes) == {"indicative_only", "customer_agreement"}
    assert result.acceptance == "insufficient_data"


def _scaled(target_ppk: float, n: int = 100) -> list[Decimal]:
    """n readings with a symmetric, stable, normal-looking pattern and an exact overall s."""
    z = [statistics.NormalDist().inv_cdf((i + 0.5) / n) for i in range(n)]
    order = [z[(i * 37) % n] for i in range(n)]  # interleaved: no run, no shift
    s = statistics.stdev(order)
    return [Decimal(repr(10 + v / s * (1 / (3 * target_ppk)))) for v in order]


@pytest.mark.parametrize(("ppk", "band", "code"), [
    (1.20, Band.NOT_ACCEPTABLE, FindingCode.NOT_ACCEPTABLE),
    (1.33, Band.CUSTOMER_AGREEMENT, FindingCode.CUSTOMER_AGREEMENT),
    (1.67, Band.CUSTOMER_AGREEMENT, FindingCode.CUSTOMER_AGREEMENT),
    (1.68, Band.ACCEPTABLE, FindingCode.MEETS),
])
def test_bands_follow_aiag_at_their_edges(ppk, band, code):
    # Limits 9 … 11 around a mean of 10: Ppk = 1 / (3 s) exactly as built.
    readings = _scaled(ppk + 1e-7)
    result = capability(readings, Limits(Decimal("9"), Decimal("11")))
    assert result.stable and result.normality is not None and result.normality.normal
    assert result.band is band
    assert set(result.codes) == {str(code)}


def test_a_shift_makes_the_process_unstable_and_cpk_is_withheld():
    readings = [Decimal("10.00") + Decimal(i % 3) / 100 for i in range(60)]
    readings += [Decimal("10.20") + Decimal(i % 3) / 100 for i in range(40)]
    result = capability(readings, Limits(Decimal("9"), Decimal("11")))
    assert result.stable is False and result.cpk is None and result.ppk is not None
    unstable = next(n for n in result.findings if n.code == "unstable")
    assert "I-MR" in unstable.text() and "beyond the control limits" in unstable.text()
    grouped = capability(readings, Limits(Decimal("9"), Decimal("11")), subgroup_size=5)
    assert "X̄-R" in next(n.text() for n in grouped.findings if n.code == "unstable")


def test_a_skewed_distribution_is_said_to_be_non_normal():
    # Exponential-looking readings: many small, a long tail.
    readings = [Decimal(repr(round(-math.log(1 - (i + 0.5) / 100) / 10, 4))) for i in range(100)]
    readings = [readings[(i * 37) % 100] for i in range(100)]
    result = capability(readings, Limits(None, Decimal("2")))
    assert {"non_normal", "one_sided"} <= set(result.codes)
