"""Deviations between a supplier and its carmaker, through real packages signed with real keys:
the supplier's request travels to the carmaker, the carmaker's signed approval travels back and
makes the deviation valid at the supplier; a supplier writing the approval itself is refused."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop_app.domain.deviations import DeviationStatus
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Role, SiteKind
from desktop_app.services.deviations import DeviationService
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import CharacteristicDraft
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.sync import errors as err
from tests.conftest import PASSWORD
from tests.sync.crafting import refused
from tests.sync.sites import enrol, make_site

UNTIL = date.today() + timedelta(days=90)


@pytest.fixture
def pair(tmp_path: Path):
    """SUP (a supplier) and CAR (its carmaker), each enrolling the other with its kind's
    default scope; each site has an approver."""
    root = tmp_path / "sites"
    sup, car = make_site(root, "SUP", SiteKind.SUPPLIER), make_site(root, "CAR", SiteKind.CARMAKER)
    enrol(sup, car, tmp_path)
    enrol(car, sup, tmp_path)
    approvers = {}
    for site in (sup, car):
        people = PeopleService(site.ctx)
        people.add_person(site.admin, "appr", f"Approver {site.code}", Role.APPROVER, PASSWORD)
        approvers[site.code] = people.sign_in("appr", PASSWORD)
    yield sup, car, approvers
    sup.ctx.close()
    car.ctx.close()


def _request(sup) -> str:
    part_id = PartService(sup.ctx).register_part(sup.engineer, PartDraft(
        part_number="JCM-3101017", revision="B", designation="Wheel bolt",
        family="fasteners")).part_id
    [char] = EvidenceService(sup.ctx).add_characteristics(sup.engineer, part_id, [
        CharacteristicDraft("3", "Core hardness", "32", "-4", "4", unit="HRC", char_class="SC")])
    return DeviationService(sup.ctx).request_deviation(
        sup.engineer, part_id, [char.characteristic_id], "100 % hardness sorting",
        valid_until=UNTIL, quantity_limit=500, number="DEV-SUP-2026-003").deviation_id


def test_the_carmakers_approval_travels_back_and_makes_the_deviation_valid(pair, tmp_path):
    sup, car, approvers = pair
    dev_id = _request(sup)
    car.sync.import_package(car.admin, sup.export(tmp_path, to="CAR"))
    at_car = DeviationService(car.ctx)
    assert at_car.find(car.admin, "DEV-SUP-2026-003").status is DeviationStatus.REQUESTED
    at_car.decide(approvers["CAR"], dev_id, "approve", PASSWORD)
    sup.sync.import_package(sup.admin, car.export(tmp_path, to="SUP"))
    back = DeviationService(sup.ctx).find(sup.engineer, "DEV-SUP-2026-003")
    assert (back.status, back.decided_by, back.valid) == (
        DeviationStatus.APPROVED, "Approver CAR", True)


def test_a_supplier_writing_the_carmakers_approval_is_refused(pair, tmp_path):
    sup, car, approvers = pair
    dev_id = _request(sup)
    car.sync.import_package(car.admin, sup.export(tmp_path, to="CAR"))
    # The supplier's own approver signs an approval at the supplier's site and sends it.
    DeviationService(sup.ctx).decide(approvers["SUP"], dev_id, "approve", PASSWORD)
    sentence = refused(car, sup.export(tmp_path, to="CAR"), err.OutOfScope)
    assert "SUP" in sentence
    assert DeviationService(car.ctx).find(car.admin, "DEV-SUP-2026-003").status is \
        DeviationStatus.REQUESTED


def test_the_carmakers_retention_period_applies_at_the_supplier(pair, tmp_path):
    from desktop_app.domain.parts import VehicleModelDraft
    from desktop_app.services.retention import RetentionService
    from desktop_app.services.suppliers import VehicleModelService

    sup, car, _ = pair
    # The carmaker's vehicle model reaches the supplier, whose part is used on it.
    model = VehicleModelService(car.ctx).add_model(car.admin, VehicleModelDraft(
        code="X70", carmaker="Jetour", model="X70"))
    sup.sync.import_package(sup.admin, car.export(tmp_path, to="SUP"))
    part_id = PartService(sup.ctx).register_part(sup.engineer, PartDraft(
        part_number="JX7-1101050", revision="A", designation="Fuel tank strap",
        family="body_stamping", vehicle_model_ids=(model.model_id,))).part_id
    RetentionService(sup.ctx).end_production(sup.engineer, part_id, date(2024, 6, 30))
    assert RetentionService(sup.ctx).parts(sup.engineer)[0].past
    # The carmaker states its period; the supplier's end of production reaches it too.
    RetentionService(car.ctx).set_policy(car.admin, "Jetour", 15, "Jetour CSR")
    car.sync.import_package(car.admin, sup.export(tmp_path, to="CAR"))
    assert RetentionService(car.ctx).parts(car.admin)[0].retain_until == "2039-06-30"
    sup.sync.import_package(sup.admin, car.export(tmp_path, to="SUP"))
    [row] = RetentionService(sup.ctx).parts(sup.engineer)
    assert (row.retain_until, row.past, row.required_by) == ("2039-06-30", False, "Jetour")


def test_a_carmaker_writing_the_suppliers_laboratory_records_is_refused(pair, tmp_path):
    from desktop_app.services.laboratories import LaboratoryService

    sup, car, _ = pair
    LaboratoryService(car.ctx).save_laboratory(car.engineer, "LNMC", "ALGERAC", "L-0142", [],
                                               date(2030, 1, 1))
    sentence = refused(sup, car.export(tmp_path, to="SUP"), err.OutOfScope)
    assert "CAR" in sentence
