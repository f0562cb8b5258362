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
    DEFAULT_SUPPLY_RULES,
    MilestoneRule,
    ModelState,
    SupplyRules,
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


def test_the_cut_lasts_its_twelve_months_though_the_rate_is_reached_earlier() -> None:
    # year 2 missed at 5 %; 12 % three months later: decree 24-159 does not end the cut early
    actual = history((APPROVAL, 5), (date(2026, 6, 15), 12))
    day = date(2026, 9, 1)
    report = model_state(MILESTONES, actual, actual, day)
    assert report.state is ModelState.GRACE and report.until == date(2027, 3, 15)
    assert report.supply_factor == Decimal("0.75")
    # an administrator who reads the text otherwise says so in the rules
    early = SupplyRules(cut_ends_early=True, cut_ends_early_source="Ministry letter of ...")
    assert model_state(MILESTONES, actual, actual, day, early).state is not ModelState.GRACE
    after = model_state(MILESTONES, actual, actual, date(2027, 3, 15))
    assert after.state is not ModelState.FROZEN  # reached before the grace ended


def test_grace_length_cut_and_freeze_are_data() -> None:
    rules = SupplyRules.parse({**DEFAULT_SUPPLY_RULES.fields(), "grace_months": "6",
                               "supply_cut": "40", "freeze": "no"})
    actual = history((APPROVAL, 5))
    grace = model_state(MILESTONES, actual, actual, date(2026, 4, 1), rules)
    assert grace.until == date(2026, 9, 15) and grace.supply_factor == Decimal("0.6")
    assert model_state(MILESTONES, actual, actual, date(2026, 10, 1), rules).state \
        is ModelState.AT_RISK  # no freeze in these rules
    assert SupplyRules.parse(DEFAULT_SUPPLY_RULES.fields()) == DEFAULT_SUPPLY_RULES
    assert "24-159" in DEFAULT_SUPPLY_RULES.grace_source
    assert DEFAULT_SUPPLY_RULES.cut_ends_early_source.startswith("Assumption")
    assert {r.reference for r in DEFAULT_RULES} == {"Decree 22-384 art. 5"}
    for bad, match in (({"grace_months": "x"}, "0 to 60 months"),
                       ({"supply_cut": "120"}, "above 100"),
                       ({"freeze": "maybe"}, "yes or no"),
                       ({"freeze_source": " "}, "text it comes from")):
        with pytest.raises(ValidationError, match=match):
            SupplyRules.parse({**DEFAULT_SUPPLY_RULES.fields(), **bad})


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


supply_rules = st.builds(
    SupplyRules, grace_months=st.integers(0, 24), supply_cut=st.integers(0, 100).map(Decimal),
    cut_ends_early=st.booleans(), freeze=st.booleans())


@given(histories(), histories(), st.integers(0, 3500), supply_rules)
def test_state_follows_the_grace_and_freeze_rules(actual, forecast, offset, rules) -> None:
    day = APPROVAL + timedelta(offset)
    report = model_state(MILESTONES, actual, forecast, day, rules)
    passed = [m for m in MILESTONES if m.day <= day]
    missed = [m for m in passed if actual.at(m.day) < m.target]

    def end(m):
        return add_months(m.day, rules.grace_months)

    frozen_by = [m for m in missed if rules.freeze and day >= end(m)
                 and actual.at(end(m)) < m.target and actual.at(day) < m.target]
    in_grace = [m for m in missed if day < end(m)
                and not (rules.cut_ends_early and actual.at(day) >= m.target)]
    if frozen_by:
        assert report.state is ModelState.FROZEN and report.supply_factor == 0
    elif in_grace:
        assert report.state is ModelState.GRACE
        assert report.until == end(report.milestone)
        assert report.milestone.day <= day < report.until
        assert report.supply_factor == (100 - rules.supply_cut) / Decimal(100)
    else:
        assert report.state in (ModelState.ON_TRACK, ModelState.AT_RISK)
        assert report.supply_factor == 1
        upcoming = [m for m in MILESTONES if m.day > day]
        at_risk = bool(upcoming) and forecast.at(upcoming[0].day) < upcoming[0].target
        assert (report.state is ModelState.AT_RISK) == at_risk
    # a model is never frozen without having had its grace period
    if report.state is ModelState.FROZEN:
        assert day >= end(report.milestone)
    # reaching every passed target clears a freeze, and the grace only when the cut ends early
    if all(actual.at(day) >= m.target for m in passed):
        assert report.state is not ModelState.FROZEN
        if rules.cut_ends_early:
            assert report.state is not ModelState.GRACE
