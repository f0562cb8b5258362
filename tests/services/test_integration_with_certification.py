"""The rate counts a part approved through the real certification workflow (no stand-ins)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from desktop_app.domain.integration import Reason
from desktop_app.domain.parts import VehicleModelDraft
from desktop_app.services.integration import IntegrationService
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.suppliers import VehicleModelService
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, approved, make_part


def test_an_approved_part_in_series_supply_counts(ctx, actors):
    svc = Services(ctx)
    eng = actors["eng"]
    model = VehicleModelService(ctx).add_model(eng, VehicleModelDraft(
        code="X70P", carmaker="Jetour", model="X70 Plus", approval_date="2025-05-29"))
    part = make_part(svc, actors)
    detail = svc.parts.part(part["part_id"])
    svc.parts.edit_part(eng, part["part_id"], dataclasses.replace(
        detail.draft, vehicle_model_ids=(model.model_id,)))
    lists = ReferenceListService(ctx)
    pillar = lists.save_set(eng, model.model_id, "BIW-B", "B-pillar reinforcements", "subset",
                            "3.5")
    lists.save_set(eng, model.model_id, "SEAT", "Seats", "set", "8")
    service = IntegrationService(ctx)
    service.link_part(eng, pillar.set_id, part["part_id"], supply_start="2026-01-05")
    [before] = service.status(eng, "X70P")
    assert before.rate == 0
    assert {s.code: s.reason for s in before.sets}["BIW-B"] is Reason.NOT_APPROVED
    approved(svc, actors, part, PASSWORD)
    [after] = service.status(eng, "X70P")
    assert after.rate == Decimal("3.5")
    assert {s.code: s.reason for s in after.sets}["BIW-B"] is Reason.COUNTS
    assert after.sets[0].links[0].approved
    # before the approval decision, the part did not count
    [past] = service.status(eng, "X70P", day=date(2026, 1, 10))
    assert past.rate == 0
