"""Roadmap steps: parsing, the approval-date rule, lateness, the plan curve."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.integration import RateHistory
from desktop_app.domain.roadmap import (
    ApqpPhase,
    Party,
    SignOff,
    StepDraft,
    StepStatus,
    computed_status,
    is_late,
    planned_history,
    signed_by_both,
    total_volumes,
)


def draft(**changes) -> StepDraft:
    data = {"code": "S1", "title": "Seats", "model_id": "m", "target_date": "2026-06-30",
            "target_rate": "10", "components": [
                {"name": "Front seat", "apqp_phase": 3, "volumes": {"2026-Q3": 1200}},
                {"name": "Rear seat", "apqp_phase": 2, "volumes": {"2026-Q3": 600, "2026": 5}}]}
    data.update(changes)
    return StepDraft.parse(data)


def test_a_step_round_trips_through_its_fields() -> None:
    step = draft()
    assert StepDraft.parse(step.fields()) == step
    assert step.components[0].apqp_phase is ApqpPhase.PROCESS_DESIGN
    assert total_volumes(step.components) == {"2026": 5, "2026-Q3": 1800}


def test_a_target_date_before_the_model_approval_is_refused() -> None:
    with pytest.raises(ValidationError, match="before the approval of X70 on 2026-07-01"):
        draft().check_against("X70", date(2026, 7, 1))
    draft().check_against("X70", date(2026, 6, 30))


@pytest.mark.parametrize("changes, match", [
    ({"code": " "}, "needs a code"),
    ({"target_date": ""}, "needs a target date"),
    ({"target_date": "30/06/2026"}, "not a date"),
    ({"target_rate": "-5"}, "negative"),
    ({"status": "done"}, "not a step status"),
    ({"status": "planned", "status_reason": "old"}, "not a step status"),
    ({"status": "achieved"}, "needs a reason"),
    ({"components": [{"name": "X", "apqp_phase": 6}]}, "APQP phase"),
    ({"components": [{"name": "X", "volumes": {"2026-Q5": 1}}]}, "not a period"),
    ({"components": [{"name": "X", "volumes": {"2026": -1}}]}, "whole number"),
])
def test_bad_step_input_is_one_sentence(changes, match) -> None:
    with pytest.raises(ValidationError, match=match):
        draft(**changes)


def test_a_manual_status_keeps_its_reason_and_none_means_computed() -> None:
    typed = draft(status="late", status_reason="Customer moved the SOP")
    assert (typed.status, typed.status_reason) == (StepStatus.LATE, "Customer moved the SOP")
    assert StepDraft.parse(typed.fields()) == typed
    assert draft().status is None and draft().fields()["status"] == ""


def test_components_carry_family_set_and_origin() -> None:
    step = draft(components=[{"name": "Seat frame", "part_id": "p1", "family": "seat",
                              "set_code": "SIEGES", "local": False}])
    [c] = step.components
    assert (c.part_id, c.family, c.set_code, c.local) == ("p1", "seat", "SIEGES", False)
    assert StepDraft.parse(step.fields()) == step
    assert draft().components[0].local  # local unless said otherwise


START = date(2025, 1, 1)
DAYS = 1500


def history(changes: list[tuple[int, int]]) -> RateHistory:
    points: dict[date, Decimal] = {}
    for offset, rate in sorted(changes):
        points[START + timedelta(days=offset)] = Decimal(rate)
    return RateHistory(tuple(sorted(points.items())))


def rate_on(changes: list[tuple[int, int]], day: date) -> Decimal:
    """The rate on a day, read the slow way: the last change on or before it."""
    value = Decimal(0)
    for offset, rate in sorted(changes):
        if START + timedelta(days=offset) <= day:
            value = Decimal(rate)
    return value


changes = st.lists(st.tuples(st.integers(0, DAYS), st.integers(0, 40)), max_size=8)


@given(changes, changes, st.integers(0, DAYS), st.integers(0, DAYS), st.integers(0, 40))
def test_the_status_is_the_one_the_rate_gives_for_any_data(actual, ahead, target_at, today_at,
                                                          target_rate) -> None:
    target, today = START + timedelta(days=target_at), START + timedelta(days=today_at)
    rate = Decimal(target_rate)
    past = [c for c in actual if START + timedelta(days=c[0]) < today]
    forecast = past + [(max(o, today_at), r) for o, r in ahead]
    got = computed_status(target, rate, history(actual), history(forecast), today)
    days = [target + timedelta(days=n) for n in range(DAYS * 2)]
    if target > today:
        expected = (StepStatus.ON_TRACK if rate_on(forecast, target) >= rate
                    else StepStatus.AT_RISK)
        assert got.status is expected and got.rate_at_target == rate_on(forecast, target)
        return
    assert got.rate_at_target == rate_on(actual, target)
    reached = next((d for d in days if d <= today and rate_on(actual, d) >= rate), None)
    expected_day = next((d for d in days if d >= today and rate_on(forecast, d) >= rate), None)
    if rate_on(actual, target) >= rate:
        assert got.status is StepStatus.ACHIEVED and got.days_late(target, today) == 0
    elif reached is not None:
        assert (got.status, got.reached_on) == (StepStatus.LATE, reached)
        assert got.days_late(target, today) == (reached - target).days
    elif expected_day is not None:
        assert (got.status, got.reached_on) == (StepStatus.LATE, expected_day)
    else:
        assert got.status is StepStatus.MISSED
        assert got.days_late(target, today) == (today - target).days
    assert is_late(got.status) == (got.status is not StepStatus.ACHIEVED)


def test_both_parties_must_sign() -> None:
    one = SignOff(Party.SUPPLIER, "a", "2026-01-01T00:00:00Z")
    assert not signed_by_both([one])
    assert signed_by_both([one, SignOff(Party.CARMAKER, "b", "2026-01-02T00:00:00Z")])


def test_the_plan_never_goes_down() -> None:
    plan = planned_history([(date(2026, 1, 1), Decimal(10)), (date(2026, 6, 1), Decimal(5)),
                            (date(2027, 1, 1), Decimal(20))])
    assert plan.at(date(2026, 7, 1)) == Decimal(10)
    assert plan.at(date(2027, 1, 1)) == Decimal(20)
