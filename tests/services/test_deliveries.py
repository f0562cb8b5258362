"""Deliveries against an interim approval limited by quantity, through the real certification
workflow: the approval ends after the day its quantity ships and the part stops counting."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import PermissionDenied, ValidationError
from desktop_app.domain.parts import VehicleModelDraft
from desktop_app.services.deliveries import DeliveryService
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.suppliers import VehicleModelService
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part, ready_submission


@pytest.fixture
def interim(ctx, actors):
    """A part of the X70P realising its SEAT set (8 %), approved on an interim basis for 1000
    pieces and no date."""
    svc = Services(ctx)
    eng = actors["eng"]
    model = VehicleModelService(ctx).add_model(eng, VehicleModelDraft(
        code="X70P", carmaker="Jetour", model="X70 Plus", approval_date="2025-05-29"))
    part = make_part(svc, actors)
    detail = svc.parts.part(part["part_id"])
    svc.parts.edit_part(eng, part["part_id"], dataclasses.replace(
        detail.draft, vehicle_model_ids=(model.model_id,)))
    seats = ReferenceListService(ctx).save_set(eng, model.model_id, "SEAT", "Seats", "set", "8")
    IntegrationService(ctx).link_part(eng, seats.set_id, part["part_id"],
                                      supply_start="2026-01-05")
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(eng, sid)
    svc.cert.start_review(actors["insp"], sid)
    svc.decisions.decide(actors["appr"], sid, "approve_interim", PASSWORD, quantity_limit=1000,
                         action_plan="Second press line qualified by week 8")
    return part["part_id"]


def test_the_approval_ends_when_its_quantity_is_shipped_and_stops_counting(ctx, actors,
                                                                          interim):
    deliveries, integration = DeliveryService(ctx), IntegrationService(ctx)
    today = ctx.today()
    [usage] = deliveries.interim_usage(actors["insp"])
    assert (usage.quantity_limit, usage.shipped, usage.ends_on, usage.used_up) == (
        1000, 0, None, False)
    assert integration.status(actors["eng"], "X70P")[0].rate == Decimal(8)
    deliveries.record_delivery(actors["eng"], interim, 600, note="BL-2026-118")
    [usage] = deliveries.interim_usage(actors["insp"], interim)
    assert (usage.shipped, usage.remaining, usage.used_up) == (600, 400, False)
    deliveries.record_delivery(actors["eng"], interim, "400", today.isoformat())
    [usage] = deliveries.interim_usage(actors["insp"], interim)
    assert usage.used_up and usage.remaining == 0 and usage.ends_on == today + timedelta(1)
    # the pieces of today shipped under it; from tomorrow the part no longer counts
    assert integration.status(actors["eng"], "X70P")[0].rate == Decimal(8)
    [tomorrow] = integration.status(actors["eng"], "X70P", day=today + timedelta(1))
    assert tomorrow.rate == 0
    assert not tomorrow.sets[0].links[0].approved


def test_a_delivery_is_a_positive_quantity_already_shipped_by_someone_allowed(ctx, actors,
                                                                           interim):
    deliveries = DeliveryService(ctx)
    for bad in ("0", "-5", "many"):
        with pytest.raises(ValidationError, match="whole number of pieces"):
            deliveries.record_delivery(actors["eng"], interim, bad)
    tomorrow = ctx.today() + timedelta(1)
    with pytest.raises(ValidationError, match="in the future"):
        deliveries.record_delivery(actors["eng"], interim, 5, tomorrow.isoformat())
    with pytest.raises(PermissionDenied):
        deliveries.record_delivery(actors["admin"], interim, 5)
    assert deliveries.interim_usage(actors["insp"])[0].shipped == 0
