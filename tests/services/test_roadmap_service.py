"""Roadmap steps: saving, the approval-date rule, lateness, sign-offs by both parties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import PermissionDenied, StaleEdit, ValidationError
from desktop_app.domain.integration import RateHistory
from desktop_app.domain.roadmap import ApqpPhase, Party, StepStatus, computed_status
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.roadmap import RoadmapService
from tests.services.roadmap_fixtures import (
    STANDARD_LIST,
    TODAY,
    approve,
    make_programme,
    reference_file,
)


@pytest.fixture
def setup(ctx, actors, monkeypatch):
    return make_programme(ctx, actors["admin"], monkeypatch)


def step_data(model_id, **changes):
    data = {"code": "R-01", "title": "Seats in series supply", "model_id": model_id,
            "target_date": "2026-09-30", "target_rate": "8", "milestone_years": 2,
            "forecast_date": "2026-12-15", "owner": "K. Benali",
            "required_evidence": ["PSW", "Dimensional results"],
            "components": [{"name": "Front seat frame", "apqp_phase": 4,
                            "volumes": {"2026-Q4": 1500, "2027-Q1": 3000}}]}
    data.update(changes)
    return data


def test_a_step_is_saved_with_components_and_shows_late(ctx, actors, setup):
    service = RoadmapService(ctx, today=lambda: TODAY)
    step = service.save_step(actors["eng"], step_data(setup.model_id))
    assert step.components[0].apqp_phase is ApqpPhase.VALIDATION
    # nothing counts toward the rate: the target date passed at 0 % and nothing is forecast
    assert step.status is StepStatus.MISSED and step.late
    assert step.days_late == (TODAY - date(2026, 9, 30)).days
    assert step.model_code == "X70"
    assert [s.code for s in service.list_steps(actors["insp"], late_only=True)] == ["R-01"]
    # a target date still ahead is never late, even with a forecast date typed after it
    ahead = service.save_step(actors["eng"], step_data(setup.model_id, code="R-02",
                                                       target_date="2027-06-30",
                                                       forecast_date="2027-09-30"))
    assert ahead.status is StepStatus.AT_RISK and not ahead.late and ahead.days_late == 0


@pytest.fixture
def linked(ctx, actors, setup, tmp_path):
    """SEAT (8 %) approved and supplied since 2026-03-01; GLASS (4 %) expected 2026-12-15."""
    ReferenceListService(ctx).apply_import(actors["eng"], setup.model_id,
                                           reference_file(tmp_path, STANDARD_LIST))
    sets = {s.code: s for s in ReferenceListService(ctx).reference_list(actors["eng"],
                                                                         setup.model_id)}
    links = IntegrationService(ctx)
    links.link_part(actors["eng"], sets["SEAT"].set_id, setup.parts["SEAT-01"],
                    supply_start="2026-03-01")
    links.link_part(actors["eng"], sets["GLASS"].set_id, setup.parts["GLASS-01"],
                    expected_approval="2026-12-15", planned_supply_start="2027-01-05")
    approve(setup, "SEAT-01", date(2026, 2, 1))
    return setup


@pytest.mark.parametrize("target, rate, status, days_late", [
    ("2026-06-30", "8", StepStatus.ACHIEVED, 0),  # 8 % from 2026-03-01
    ("2026-01-31", "8", StepStatus.LATE, 29),  # reached on 2026-03-01
    ("2026-09-30", "12", StepStatus.LATE, 97),  # expected with the glazing on 2027-01-05
    ("2026-09-30", "20", StepStatus.MISSED, 57),  # not reached, nothing forecast reaches it
    ("2027-03-31", "12", StepStatus.ON_TRACK, 0),
    ("2027-03-31", "15", StepStatus.AT_RISK, 0),
])
def test_the_status_follows_from_the_rate(ctx, actors, linked, target, rate, status, days_late):
    service = RoadmapService(ctx, today=lambda: TODAY)
    step = service.save_step(actors["eng"], step_data(linked.model_id, target_date=target,
                                                      target_rate=rate, forecast_date=""))
    assert (step.status, step.computed_status, step.days_late) == (status, status, days_late)
    assert step.late == (status in (StepStatus.LATE, StepStatus.MISSED))
    assert not step.mismatch


def test_a_status_set_by_hand_needs_a_reason_and_shows_the_mismatch(ctx, actors, linked):
    service = RoadmapService(ctx, today=lambda: TODAY)
    step = service.save_step(actors["eng"], step_data(linked.model_id, target_rate="20",
                                                      forecast_date=""))
    assert step.status is StepStatus.MISSED
    with pytest.raises(ValidationError, match="needs a reason"):
        service.set_status(actors["eng"], step.step_id, StepStatus.ACHIEVED)
    with pytest.raises(ValidationError, match="needs a reason"):
        service.save_step(actors["eng"], step_data(linked.model_id, target_rate="20",
                                                   status="achieved"), step.step_id)
    typed = service.set_status(actors["eng"], step.step_id, StepStatus.ACHIEVED,
                               "Ministry accepted the seat frames counted as of October")
    assert typed.status is StepStatus.ACHIEVED and typed.computed_status is StepStatus.MISSED
    assert typed.mismatch and typed.status_reason.startswith("Ministry")
    assert typed.late  # the dashboard counts what the rate says
    [listed] = service.list_steps(actors["insp"], status=StepStatus.ACHIEVED)
    assert listed.mismatch
    back = service.set_status(actors["eng"], step.step_id, None)
    assert back.status is StepStatus.MISSED and back.manual_status is None and not back.mismatch


def test_a_status_typed_by_an_older_version_without_reason_is_not_shown(ctx, actors, linked):
    service = RoadmapService(ctx, today=lambda: TODAY)
    step = service.save_step(actors["eng"], step_data(linked.model_id, target_rate="20"))
    with ctx.unit_of_work() as uow:  # what versions before the computed status wrote
        uow.records.patch(step.step_id, {"status": "achieved"}, actors["eng"], "old version",
                          what="Roadmap step")
    again = service.step(actors["eng"], step.step_id)
    assert again.status is StepStatus.MISSED and again.manual_status is None
    assert again.rate_at_target == Decimal(8)


def test_a_target_date_before_the_model_approval_is_refused(ctx, actors, setup):
    with pytest.raises(ValidationError, match="before the approval of X70 on 2025-01-15"):
        RoadmapService(ctx).save_step(actors["eng"],
                                      step_data(setup.model_id, target_date="2024-12-31"))
    assert RoadmapService(ctx).list_steps(actors["eng"]) == []


def test_a_step_code_is_unique_per_model_and_edits_do_not_overwrite(ctx, actors, setup):
    service = RoadmapService(ctx, today=lambda: TODAY)
    step = service.save_step(actors["eng"], step_data(setup.model_id))
    with pytest.raises(ValidationError, match="already has a roadmap step R-01"):
        service.save_step(actors["eng"], step_data(setup.model_id))
    service.save_step(actors["eng"], step_data(setup.model_id, title="Seats v2"), step.step_id,
                      step.rev_id)
    with pytest.raises(StaleEdit):
        service.save_step(actors["eng"], step_data(setup.model_id, title="Seats v3"),
                          step.step_id, step.rev_id)


def test_both_parties_sign_and_a_change_leaves_old_signatures_behind(ctx, actors, setup):
    service = RoadmapService(ctx, today=lambda: TODAY)
    step = service.save_step(actors["eng"], step_data(setup.model_id))
    with pytest.raises(PermissionDenied):
        service.sign_off(actors["eng"], step.step_id, Party.SUPPLIER)
    signed = service.sign_off(actors["appr"], step.step_id, Party.SUPPLIER, "Volumes agreed")
    assert not signed.signed_by_both
    with pytest.raises(ValidationError, match="other party"):
        service.sign_off(actors["appr"], step.step_id, Party.CARMAKER)
    both = service.sign_off(actors["appr2"], step.step_id, Party.CARMAKER, "OK for Jetour")
    assert both.signed_by_both
    assert [s.comment for s in both.signoffs] == ["Volumes agreed", "OK for Jetour"]
    changed = service.set_status(actors["eng"], step.step_id, StepStatus.AT_RISK,
                                 "Seat supplier's press down for a month")
    assert len(changed.signoffs) == 2 and not changed.signed_by_both


def test_components_link_to_parts_and_sets_of_the_model_and_steps_plan_vehicles(ctx, actors,
                                                                               linked):
    service = RoadmapService(ctx, today=lambda: TODAY)
    with ctx.unit_of_work() as uow:  # the seat part is in the seat family
        uow.records.patch(linked.parts["SEAT-01"], {"family": "seat"}, actors["admin"], "test",
                          what="Part")
    seat = {"name": "Seat frame", "part_id": linked.parts["SEAT-01"], "set_code": "SEAT",
            "apqp_phase": 4}
    step = service.save_step(actors["eng"], step_data(
        linked.model_id, components=[seat], vehicle_volumes={"2027-Q1": 3000, "2026-Q4": 1500}))
    [c] = step.components
    assert (c.part_id, c.set_code, c.family, c.local) == (linked.parts["SEAT-01"], "SEAT",
                                                          "seat", True)
    assert step.vehicle_volumes == (("2026-Q4", 1500), ("2027-Q1", 3000))
    assert service.step(actors["insp"], step.step_id).vehicle_volumes == step.vehicle_volumes
    with pytest.raises(ValidationError, match="belongs to another vehicle model than X70"):
        service.save_step(actors["eng"], step_data(
            linked.model_id, code="R-02", components=[{**seat, "part_id": linked.other_part}]))
    with pytest.raises(ValidationError, match="set PAINT of the component Seat frame"):
        service.save_step(actors["eng"], step_data(
            linked.model_id, code="R-02", components=[{**seat, "set_code": "PAINT"}]))
    with pytest.raises(ValidationError, match="vehicles planned for 2027-Q1"):
        service.save_step(actors["eng"], step_data(
            linked.model_id, code="R-02", vehicle_volumes={"2027-Q1": -1}))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["SEAT-01", "GLASS-01"]), st.integers(0, 700),
                          st.one_of(st.none(), st.integers(1, 400))), max_size=4),
       st.integers(0, 900), st.integers(0, 15))
def test_a_step_shows_the_status_its_model_rate_gives_for_any_approvals(
        ctx, actors, linked, approvals, target_days, target_rate):
    linked.periods.clear()
    for number, start, length in approvals:
        begin = date(2025, 1, 15) + timedelta(days=start)
        approve(linked, number, begin, begin + timedelta(days=length) if length else None)
    service = RoadmapService(ctx, today=lambda: TODAY)
    target = date(2025, 1, 15) + timedelta(days=target_days)
    data = step_data(linked.model_id, code="P-1", target_date=target.isoformat(),
                     target_rate=str(target_rate))
    existing = service.list_steps(actors["eng"])
    step = (service.save_step(actors["eng"], data, existing[0].step_id) if existing
            else service.save_step(actors["eng"], data))
    series = IntegrationService(ctx, today=lambda: TODAY).series(actors["eng"], linked.model_id)
    expected = computed_status(target, Decimal(target_rate), RateHistory(series.actual),
                               RateHistory(series.forecast), TODAY)
    assert step.status is expected.status and step.rate_at_target == expected.rate_at_target
    assert step.late == (target <= TODAY and expected.status is not StepStatus.ACHIEVED)
