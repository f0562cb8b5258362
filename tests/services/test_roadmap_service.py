"""Roadmap steps: saving, the approval-date rule, lateness, sign-offs by both parties."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import PermissionDenied, StaleEdit, ValidationError
from desktop_app.domain.roadmap import ApqpPhase, Party, StepStatus
from desktop_app.services.roadmap import RoadmapService
from tests.services.roadmap_fixtures import TODAY, make_programme


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
    assert step.late and step.days_late == 76  # forecast 2026-12-15 vs target 2026-09-30
    assert step.model_code == "X70"
    assert [s.code for s in service.list_steps(actors["insp"], late_only=True)] == ["R-01"]
    on_time = service.save_step(actors["eng"], step_data(setup.model_id, code="R-02",
                                                         target_date="2027-06-30",
                                                         forecast_date=""))
    assert not on_time.late


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
    changed = service.set_status(actors["eng"], step.step_id, StepStatus.AT_RISK)
    assert len(changed.signoffs) == 2 and not changed.signed_by_both
