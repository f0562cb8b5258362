"""The histogram's axis is labelled at round values a person can read."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.ui.widgets.histogram_widget import nice_ticks

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
spans = st.floats(min_value=1e-4, max_value=1e5, allow_nan=False, allow_infinity=False)


@given(low=values, span=spans)
def test_ticks_are_round_evenly_spaced_and_inside_the_range(low: float, span: float) -> None:
    high = low + span
    ticks, decimals = nice_ticks(low, high)
    assert 3 <= len(ticks) <= 9
    tolerance = span * 1e-6
    assert all(low - tolerance <= t <= high + tolerance for t in ticks)
    steps = {round(b - a, decimals + 2) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = Decimal(repr(step)).normalize().as_tuple().digits
    assert mantissa in ((1,), (2,), (2, 5), (5,))  # 1, 2, 2.5 or 5 times a power of ten
    # The printed labels show each value exactly and differ from one another.
    labels = [f"{t:.{decimals}f}" for t in ticks]
    assert len(set(labels)) == len(labels)
    assert all(abs(float(label) - t) <= 10 ** -(decimals + 1) for label, t in zip(
        labels, ticks, strict=True))


def test_a_typical_diameter_axis() -> None:
    assert nice_ticks(10.3848, 10.6121) == ([10.4, 10.45, 10.5, 10.55, 10.6], 2)
