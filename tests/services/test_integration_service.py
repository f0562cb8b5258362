"""The integration service: reference lists, links, the rate and the state of a model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from desktop_app.domain.approvals import ApprovalKind
from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.integration import Reason
from desktop_app.domain.milestones import ModelState
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.storage.models.roadmap import ReferenceSet
from tests.services.roadmap_fixtures import (
    STANDARD_LIST,
    TODAY,
    approve,
    make_programme,
    reference_file,
)


@pytest.fixture
def setup(ctx, actors, monkeypatch, tmp_path):
    programme = make_programme(ctx, actors["admin"], monkeypatch)
    ReferenceListService(ctx).apply_import(
        actors["eng"], programme.model_id, reference_file(tmp_path, STANDARD_LIST))
    return programme


def sets_by_code(ctx, actor, model_id):
    return {s.code: s for s in ReferenceListService(ctx).reference_list(actor, model_id)}


def test_import_previews_then_applies_and_reports_the_shortfall(ctx, actors, setup, tmp_path):
    service = ReferenceListService(ctx)
    rows = [*STANDARD_LIST[:4], ["PAINT", "Paint", "set", "10"]]
    preview = service.preview_import(actors["eng"], setup.model_id,
                                     reference_file(tmp_path, rows, "v2.xlsx"))
    assert preview.added == ("PAINT",) and preview.removed == ("TYRE",)
    assert preview.check.total == Decimal(40) and preview.check.shortfall == Decimal(60)
    assert set(sets_by_code(ctx, actors["eng"], setup.model_id)) == {
        "BIW", "SEAT", "GLASS", "HARN", "TYRE"}  # a preview writes nothing
    service.apply_import(actors["eng"], setup.model_id, reference_file(tmp_path, rows, "v2.xlsx"))
    assert set(sets_by_code(ctx, actors["eng"], setup.model_id)) == {
        "BIW", "SEAT", "GLASS", "HARN", "PAINT"}


@pytest.mark.parametrize("rows, match", [
    ([["A", "Seats", "set", "60"], ["B", "Glass", "set", "40.5"]], "0.5 % more than 100 %"),
    ([["A", "Seats", "set", "ten"]], r"Row 2: the rate 'ten' is not a number"),
    ([["A", "Seats", "set", "1"], ["B", "Glass", "set", Decimal(-3)]],
     r"Row 3: the rate -3 is negative"),
])
def test_a_bad_reference_list_is_refused_and_nothing_is_saved(ctx, actors, setup, tmp_path,
                                                              rows, match):
    with ctx.unit_of_work() as uow:
        before = uow.session.execute(select(func.count()).select_from(ReferenceSet)).scalar()
    with pytest.raises(ValidationError, match=match):
        ReferenceListService(ctx).apply_import(actors["eng"], setup.model_id,
                                               reference_file(tmp_path, rows, "bad.xlsx"))
    with ctx.unit_of_work() as uow:
        assert uow.session.execute(select(func.count()).select_from(ReferenceSet)).scalar() \
            == before


def test_editing_a_set_past_100_percent_is_refused(ctx, actors, setup):
    with pytest.raises(ValidationError, match="more than 100 %"):
        ReferenceListService(ctx).save_set(actors["eng"], setup.model_id, "EXH", "Exhaust",
                                           "set", "70")


def test_a_set_linked_to_a_part_of_another_model_is_refused(ctx, actors, setup):
    seat = sets_by_code(ctx, actors["eng"], setup.model_id)["SEAT"]
    with pytest.raises(ValidationError, match="belongs to another vehicle model.*SEAT of X70"):
        IntegrationService(ctx).link_part(actors["eng"], seat.set_id, setup.other_part)


def test_a_part_is_linked_once_to_a_set(ctx, actors, setup):
    seat = sets_by_code(ctx, actors["eng"], setup.model_id)["SEAT"]
    service = IntegrationService(ctx)
    service.link_part(actors["eng"], seat.set_id, setup.parts["SEAT-01"])
    with pytest.raises(ValidationError, match="SEAT-01 rev. A is already linked to the set SEAT"):
        service.link_part(actors["eng"], seat.set_id, setup.parts["SEAT-01"], share="50")


def test_rate_counts_approved_parts_in_series_supply_and_says_why_not(ctx, actors, setup):
    sets = sets_by_code(ctx, actors["eng"], setup.model_id)
    service = IntegrationService(ctx, today=lambda: TODAY)
    service.link_part(actors["eng"], sets["SEAT"].set_id, setup.parts["SEAT-01"],
                      supply_start="2026-03-01")
    service.link_part(actors["eng"], sets["GLASS"].set_id, setup.parts["GLASS-01"],
                      supply_start=None, expected_approval="2026-12-15",
                      planned_supply_start="2027-01-05")
    service.link_part(actors["eng"], sets["HARN"].set_id, setup.parts["HARN-01"],
                      supply_start="2026-01-01")
    approve(setup, "SEAT-01", date(2026, 2, 1))
    approve(setup, "HARN-01", date(2026, 1, 1), date(2026, 10, 1), ApprovalKind.INTERIM)
    [model] = service.status(actors["insp"], "x70")
    reasons = {s.code: s.reason for s in model.sets}
    assert reasons == {"BIW": Reason.NO_LINK, "SEAT": Reason.COUNTS,
                       "GLASS": Reason.NOT_APPROVED, "HARN": Reason.NOT_APPROVED,
                       "TYRE": Reason.NO_LINK}
    assert model.rate == Decimal(8) == sum(s.contribution for s in model.counting)
    assert model.shortfall == Decimal(65)
    # on a past date the interim approval of the harness still held
    [past] = service.status(actors["insp"], "X70", day=date(2026, 5, 1))
    assert past.rate == Decimal(14)
    # year-2 milestone 2027-01-15 at 10 %: the glazing expected before it keeps the model on track
    assert model.next_milestone.day == date(2027, 1, 15)
    assert model.next_milestone.forecast == Decimal(12)
    assert model.state is ModelState.ON_TRACK


def test_a_model_whose_forecast_misses_the_next_milestone_is_at_risk(ctx, actors, setup):
    service = IntegrationService(ctx, today=lambda: TODAY)
    [model] = service.status(actors["eng"], "X70")
    assert model.state is ModelState.AT_RISK
    assert model.state_milestone.target == Decimal(10)
    after_deadline = IntegrationService(ctx, today=lambda: date(2027, 2, 1))
    [later] = after_deadline.status(actors["eng"], "X70")
    assert later.state is ModelState.GRACE and later.grace_until == date(2028, 1, 15)
    assert later.supply_factor == Decimal("0.75")


def test_milestones_are_editable_data(ctx, actors, setup):
    service = IntegrationService(ctx, today=lambda: TODAY)
    service.set_milestone_rules(actors["admin"], setup.model_id,
                                [(1, "0", "Contract"), (2, "5", "New reference 2026")])
    [model] = service.status(actors["eng"], "X70")
    assert [(m.years, m.target) for m in model.milestones] == [(1, 0), (2, 5)]
    with pytest.raises(ValidationError, match="negative"):
        service.set_milestone_rules(actors["admin"], setup.model_id, [(2, "-5", "")])
    for role in ("insp", "eng"):  # regulatory rules are the administrator's
        with pytest.raises(PermissionDenied):
            service.set_milestone_rules(actors[role], setup.model_id, [(2, "5", "")])


def test_the_rules_for_a_missed_milestone_are_data_per_model(ctx, actors, setup):
    service = IntegrationService(ctx, today=lambda: date(2027, 2, 1))
    rules, default = service.supply_rules(actors["eng"], setup.model_id)
    assert default and rules.grace_months == 12 and rules.supply_cut == 25
    assert "24-159" in rules.grace_source and not rules.cut_ends_early
    with pytest.raises(PermissionDenied):
        service.set_supply_rules(actors["eng"], setup.model_id, rules.fields())
    with pytest.raises(ValidationError, match="text it comes from"):
        service.set_supply_rules(actors["admin"], setup.model_id,
                                 {**rules.fields(), "grace_source": ""})
    service.set_supply_rules(actors["admin"], setup.model_id, {
        **rules.fields(), "grace_months": 6, "grace_source": "New reference 2026, art. 12",
        "supply_cut": "40"})
    service.set_supply_rules(actors["admin"], setup.model_id, {  # a second edit updates
        **rules.fields(), "grace_months": 6, "grace_source": "New reference 2026, art. 12",
        "supply_cut": "50", "supply_cut_source": "New reference 2026, art. 13"})
    [model] = service.status(actors["eng"], "X70")  # year 2 (2027-01-15) missed
    assert model.state is ModelState.GRACE and model.grace_until == date(2027, 7, 15)
    assert model.supply_factor == Decimal("0.5")
    assert model.rules.supply_cut_source == "New reference 2026, art. 13"
    [other] = service.status(actors["eng"], "DASH")  # the other model keeps the defaults
    assert other.rules.grace_months == 12
    assert service.supply_rules(actors["eng"], setup.model_id)[1] is False


def test_series_has_planned_forecast_and_milestones(ctx, actors, setup):
    service = IntegrationService(ctx, today=lambda: TODAY)
    series = service.series(actors["eng"], setup.model_id)
    assert [m.day for m in series.milestones] == [date(2027, 1, 15), date(2028, 1, 15),
                                                  date(2030, 1, 15)]
    assert series.start == date(2025, 1, 15) and series.end == date(2031, 1, 1)
