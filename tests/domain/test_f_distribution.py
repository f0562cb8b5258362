"""The regularized incomplete beta function and the F distribution's upper tail (the p-values of
the gauge R&R's ANOVA) against closed forms, an independent numerical integration and the
critical values printed in F tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.f_distribution import f_survival, regularized_incomplete_beta

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
# x whose complement 1 - x is exact in floating point (a multiple of 2**-30)
dyadic = st.integers(0, 2**30).map(lambda i: i / 2**30)
shape = st.floats(min_value=0.05, max_value=400.0, allow_nan=False)


@given(x=unit, a=shape)
def test_with_b_one_it_is_x_to_the_a(x, a):
    assert regularized_incomplete_beta(a, 1.0, x) == pytest.approx(x ** a, abs=1e-13)


@given(x=unit, b=shape)
def test_with_a_one_it_is_one_minus_the_complement_to_the_b(x, b):
    assert regularized_incomplete_beta(1.0, b, x) == pytest.approx(1 - (1 - x) ** b, abs=1e-13)


@given(x=unit)
def test_with_halves_it_is_the_arcsine_law(x):
    # (the arcsine taken on the side where it is well conditioned)
    expected = (2 / math.pi * math.asin(math.sqrt(x)) if x <= 0.5
                else 1 - 2 / math.pi * math.asin(math.sqrt(1 - x)))
    assert regularized_incomplete_beta(0.5, 0.5, x) == pytest.approx(expected, abs=1e-13)


@given(x=dyadic, a=shape, b=shape)
def test_symmetry_and_bounds(x, a, b):
    value = regularized_incomplete_beta(a, b, x)
    assert 0.0 <= value <= 1.0
    assert value + regularized_incomplete_beta(b, a, 1 - x) == pytest.approx(1.0, abs=1e-12)


@given(x1=unit, x2=unit, a=shape, b=shape)
def test_it_grows_with_x(x1, x2, a, b):
    low, high = sorted((x1, x2))
    assert regularized_incomplete_beta(a, b, low) <= regularized_incomplete_beta(a, b, high) + 1e-15


def _simpson(a: float, b: float, x: float, steps: int = 4000) -> float:
    """I_x(a, b) by Simpson's rule on the beta density (a, b >= 1: the density is bounded)."""
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)

    def density(t: float) -> float:
        if t <= 0.0 or t >= 1.0:
            return math.exp(log_norm) if (t <= 0.0 and a == 1) or (t >= 1.0 and b == 1) else 0.0
        return math.exp(log_norm + (a - 1) * math.log(t) + (b - 1) * math.log1p(-t))

    h = x / steps
    total = density(0.0) + density(x)
    total += 4 * math.fsum(density((2 * i - 1) * h) for i in range(1, steps // 2 + 1))
    total += 2 * math.fsum(density(2 * i * h) for i in range(1, steps // 2))
    return total * h / 3


@given(x=st.floats(min_value=0.0, max_value=1.0), a=st.integers(1, 12), b=st.integers(1, 12))
def test_it_equals_the_integral_of_the_beta_density(x, a, b):
    assert regularized_incomplete_beta(a, b, x) == pytest.approx(_simpson(a, b, x), abs=1e-9)


@given(f=st.floats(min_value=0.0, max_value=1e6), d2=st.integers(1, 2000))
def test_the_f_tail_with_two_numerator_degrees_is_closed_form(f, d2):
    assert f_survival(f, 2, d2) == pytest.approx((1 + 2 * f / d2) ** (-d2 / 2), abs=1e-12)


@given(f=st.floats(min_value=0.0, max_value=1e8))
def test_the_f_tail_with_one_and_one_degree_is_the_cauchy_tail(f):
    expected = 1 - 2 / math.pi * math.atan(math.sqrt(f))
    assert f_survival(f, 1, 1) == pytest.approx(expected, abs=1e-12)


# Upper 5 % and 1 % points printed in F tables (numerator df, denominator df, F).
F_TABLE = [
    (0.05, 1, 1, 161.45), (0.05, 1, 10, 4.965), (0.05, 2, 18, 3.555), (0.05, 3, 20, 3.098),
    (0.05, 5, 10, 3.326), (0.05, 9, 60, 2.040), (0.05, 10, 10, 2.978), (0.05, 18, 60, 1.778),
    (0.01, 2, 60, 4.977), (0.01, 4, 30, 4.018),
]


@pytest.mark.parametrize(("alpha", "d1", "d2", "critical"), F_TABLE)
def test_the_critical_values_of_the_f_table_have_their_tail(alpha, d1, d2, critical):
    assert f_survival(critical, d1, d2) == pytest.approx(alpha, rel=2e-3)


def test_the_edges():
    assert f_survival(0.0, 3, 7) == 1.0
    assert f_survival(-1.0, 3, 7) == 1.0
    assert f_survival(math.inf, 3, 7) == 0.0
    assert regularized_incomplete_beta(2.0, 3.0, 0.0) == 0.0
    assert regularized_incomplete_beta(2.0, 3.0, 1.0) == 1.0
    for bad in ((0.0, 1.0, 0.5), (1.0, -1.0, 0.5), (1.0, 1.0, 1.5), (math.inf, 1.0, 0.5)):
        with pytest.raises(ValueError):
            regularized_incomplete_beta(*bad)
    with pytest.raises(ValueError):
        f_survival(math.nan, 1, 1)
    # Large degrees of freedom (a study of 10,000 readings) still converge.
    assert 0.0 < f_survival(1.01, 3000, 6000) < 1.0
