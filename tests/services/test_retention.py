"""Retention: records are kept until the end of production plus one calendar year, or as long as
the part's customer requires; past that date they are listed, never deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.parts import VehicleModelDraft
from desktop_app.domain.retention import add_years, retention_years
from desktop_app.services.retention import RetentionService
from desktop_app.services.suppliers import VehicleModelService
from desktop_app.storage.models.core import RecordRow
from tests.services.certification_fixtures import Services, make_part, ready_submission

TODAY = date(2026, 11, 26)


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


@pytest.fixture
def retention(ctx) -> RetentionService:
    return RetentionService(ctx, today=lambda: TODAY)


def _on_model(svc: Services, actors, part: dict, carmaker: str, code: str) -> None:
    model = VehicleModelService(svc.ctx).add_model(actors["admin"], VehicleModelDraft(
        code=code, carmaker=carmaker, model=f"{code} model"))
    draft = svc.parts.part(part["part_id"]).draft
    svc.parts.edit_part(actors["eng"], part["part_id"],
                        replace(draft, vehicle_model_ids=(model.model_id,)))


def test_one_calendar_year_after_the_end_of_production_then_listed(svc, retention, actors,
                                                                   ctx):
    part = make_part(svc, actors)
    ready_submission(svc, actors, part)
    assert retention.parts(actors["insp"]) == []  # in production: kept, not listed
    row = retention.end_production(actors["eng"], part["part_id"], date(2025, 11, 25))
    assert (row.years, row.retain_until, row.past) == (1, "2026-11-25", True)
    listed = retention.past_retention(actors["insp"])
    kinds = [r.record_type for r in listed]
    assert kinds[0] == "part" and {"characteristic", "test_report", "measurement_set",
                                   "submission"} <= set(kinds)
    assert len(listed) == row.records and {r.retain_until for r in listed} == {"2026-11-25"}
    # Listed is not deleted: every record is still there.
    with ctx.unit_of_work() as uow:
        for r in listed:
            assert not uow.session.get(RecordRow, r.record_id).deleted
    # On its retention day a record is still within retention.
    row = retention.end_production(actors["eng"], part["part_id"], date(2025, 11, 26))
    assert (row.retain_until, row.past) == ("2026-11-26", False)
    assert retention.past_retention(actors["insp"]) == []


def test_the_customers_longer_period_applies(svc, retention, actors):
    part = make_part(svc, actors)
    _on_model(svc, actors, part, "Jetour", "X70")
    retention.set_policy(actors["admin"], "JETOUR", 15, "Jetour CSR §7.5")  # case is no matter
    row = retention.end_production(actors["eng"], part["part_id"], date(2020, 2, 29))
    assert (row.customers, row.years, row.required_by) == (("Jetour",), 15, "Jetour")
    assert (row.retain_until, row.past) == ("2035-02-28", False)
    # A second change replaces the period, it does not add a second one.
    retention.set_policy(actors["admin"], "jetour", 20)
    assert [(p.customer, p.years) for p in retention.policies(actors["eng"])] == [("jetour", 20)]
    with pytest.raises(ValidationError, match="1 to 50 years"):
        retention.set_policy(actors["admin"], "Jetour", 0)
    with pytest.raises(PermissionDenied):
        retention.set_policy(actors["insp"], "Jetour", 3)
    with pytest.raises(PermissionDenied):
        retention.end_production(actors["appr"], part["part_id"], date(2025, 1, 1))
    with pytest.raises(ValidationError, match="has come"):
        retention.end_production(actors["eng"], part["part_id"], date(2027, 1, 1))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
       st.integers(min_value=1, max_value=50))
def test_adding_calendar_years_keeps_the_day_or_ends_february(day, years):
    later = add_years(day, years)
    assert later.year == day.year + years and later.month == day.month
    assert later.day == day.day or (day.month, day.day, later.day) == (2, 29, 28)


def test_the_longest_period_of_any_customer_wins():
    assert retention_years(["Chery", "Jetour"], {"jetour": 15, "chery": 20}) == (20, "Chery")
    assert retention_years(["Renault"], {"jetour": 15}) == (1, "")
