"""Regulatory milestones and the state of a model under decrees 22-384 and 24-159."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.integration import RateHistory
from desktop_app.domain.milestones import (
    DEFAULT_RULES,
    MilestoneRule,
    ModelState,
    add_months,
    check_rules,
    milestones_for,
    model_state,
)

APPROVAL = date(2024, 3, 15)
MILESTONES = milestones_for(APPROVAL)


def history(*points: tuple[date, int]) -> RateHistory:
    return RateHistory(tuple((d, Decimal(r)) for d, r in points))


def test_default_milestones_follow_decree_22_384() -> None:
    assert [(m.day, m.target) for m in MILESTONES] == [
        (date(2026, 3, 15), Decimal(10)), (date(2027, 3, 15), Decimal(20)),
        (date(2029, 3, 15), Decimal(30))]


def test_a_leap_day_approval_falls_back_to_the_28th() -> None:
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)


def test_milestone_rules_are_data() -> None:
    rules = [MilestoneRule.parse("4", "25"), *DEFAULT_RULES]
    assert milestones_for(APPROVAL, rules)[2].target == Decimal(25)
    with pytest.raises(ValidationError):
        MilestoneRule.parse("x", "10")
    with pytest.raises(ValidationError, match="negative"):
        MilestoneRule.parse("2", "-10")
    with pytest.raises(ValidationError, match="same year"):
        check_rules([MilestoneRule.parse("2", "10"), MilestoneRule.parse("2", "12")])


def test_a_missed_milestone_opens_twelve_months_then_freezes() -> None:
    actual = history((APPROVAL, 5))
    m2 = MILESTONES[0]
    assert model_state(MILESTONES, actual, actual, m2.day - timedelta(1)).state \
        is ModelState.AT_RISK
    grace = model_state(MILESTONES, actual, actual, m2.day)
    assert grace.state is ModelState.GRACE
    assert grace.until == date(2027, 3, 15)
    assert grace.supply_factor == Decimal("0.75")
    frozen = model_state(MILESTONES, actual, actual, date(2027, 3, 15))
    assert frozen.state is ModelState.FROZEN and frozen.supply_factor == 0


def test_reaching_the_rate_lifts_the_freeze() -> None:
    actual = history((APPROVAL, 5), (date(2027, 6, 1), 12))
    forecast = history((APPROVAL, 5), (date(2027, 6, 1), 40))
    assert model_state(MILESTONES, actual, forecast, date(2027, 5, 31)).state is ModelState.FROZEN
    # 12 % reaches the year-2 target but the year-3 milestone (20 %) is still in its grace
    after = model_state(MILESTONES, actual, forecast, date(2027, 6, 1))
    assert after.state is ModelState.GRACE and after.milestone == MILESTONES[1]


def test_on_track_when_the_forecast_meets_the_next_target() -> None:
    actual = history((APPROVAL, 0))
    forecast = history((APPROVAL, 0), (date(2026, 1, 1), 11))
    report = model_state(MILESTONES, actual, forecast, date(2025, 6, 1))
    assert report.state is ModelState.ON_TRACK and report.milestone == MILESTONES[0]


# -- property: the grace / freeze rules at any date -----------------------------------------

@st.composite
def histories(draw):
    n = draw(st.integers(min_value=0, max_value=6))
    offsets = sorted(draw(st.lists(st.integers(0, 3000), min_size=n, max_size=n, unique=True)))
    return RateHistory(tuple((APPROVAL + timedelta(o), Decimal(draw(st.integers(0, 40))))
                             for o in offsets))


@given(histories(), histories(), st.integers(0, 3500))
def test_state_follows_the_grace_and_freeze_rules(actual, forecast, offset) -> None:
    day = APPROVAL + timedelta(offset)
    report = model_state(MILESTONES, actual, forecast, day)
    passed = [m for m in MILESTONES if m.day <= day]
    missed = [m for m in passed if actual.at(m.day) < m.target and actual.at(day) < m.target]
    frozen_by = [m for m in missed if day >= m.grace_end and actual.at(m.grace_end) < m.target]
    in_grace = [m for m in missed if day < m.grace_end]
    if frozen_by:
        assert report.state is ModelState.FROZEN
    elif in_grace:
        assert report.state is ModelState.GRACE
        assert report.until == report.milestone.grace_end
        assert report.milestone.day <= day < report.until
    else:
        assert report.state in (ModelState.ON_TRACK, ModelState.AT_RISK)
        upcoming = [m for m in MILESTONES if m.day > day]
        at_risk = bool(upcoming) and forecast.at(upcoming[0].day) < upcoming[0].target
        assert (report.state is ModelState.AT_RISK) == at_risk
    # a model is never frozen without having had its twelve months of grace
    if report.state is ModelState.FROZEN:
        m = report.milestone
        assert day >= add_months(m.day, 12)
    # reaching every passed target clears grace and freeze
    if all(actual.at(day) >= m.target for m in passed):
        assert report.state not in (ModelState.GRACE, ModelState.FROZEN)
