"""Roadmap steps: parsing, the approval-date rule, lateness, the plan curve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.roadmap import (
    ApqpPhase,
    Party,
    SignOff,
    StepDraft,
    StepStatus,
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
    ({"components": [{"name": "X", "apqp_phase": 6}]}, "APQP phase"),
    ({"components": [{"name": "X", "volumes": {"2026-Q5": 1}}]}, "not a period"),
    ({"components": [{"name": "X", "volumes": {"2026": -1}}]}, "whole number"),
])
def test_bad_step_input_is_one_sentence(changes, match) -> None:
    with pytest.raises(ValidationError, match=match):
        draft(**changes)


def test_lateness() -> None:
    target = date(2026, 6, 30)
    assert not is_late(StepStatus.IN_PROGRESS, target, None, date(2026, 6, 30))
    assert is_late(StepStatus.IN_PROGRESS, target, None, date(2026, 7, 1))
    assert is_late(StepStatus.PLANNED, target, date(2026, 9, 1), date(2026, 1, 1))
    assert not is_late(StepStatus.ACHIEVED, target, None, date(2027, 1, 1))


def test_both_parties_must_sign() -> None:
    one = SignOff(Party.SUPPLIER, "a", "2026-01-01T00:00:00Z")
    assert not signed_by_both([one])
    assert signed_by_both([one, SignOff(Party.CARMAKER, "b", "2026-01-02T00:00:00Z")])


def test_the_plan_never_goes_down() -> None:
    plan = planned_history([(date(2026, 1, 1), Decimal(10)), (date(2026, 6, 1), Decimal(5)),
                            (date(2027, 1, 1), Decimal(20))])
    assert plan.at(date(2026, 7, 1)) == Decimal(10)
    assert plan.at(date(2027, 1, 1)) == Decimal(20)
