"""MSA studies between a supplier and its carmaker, through real packages signed with real keys:
the supplier's study of its gauge reaches the carmaker with the same figures and answers for
element 8 there; a carmaker writing a study of the supplier's gauge is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.msa import Reading
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Role, SiteKind
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import CharacteristicDraft, GaugeDraft
from desktop_app.services.msa import MsaService, MsaStudyDraft, gauge_study_facts
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.sync import errors as err
from tests.conftest import PASSWORD
from tests.services.msa_fixtures import made_up_rows
from tests.sync.crafting import refused
from tests.sync.sites import enrol, make_site


@pytest.fixture
def pair(tmp_path: Path):
    """SUP (a supplier) and CAR (its carmaker), each enrolling the other with its kind's
    default scope; each site has an inspector."""
    root = tmp_path / "sites"
    sup, car = make_site(root, "SUP", SiteKind.SUPPLIER), make_site(root, "CAR", SiteKind.CARMAKER)
    enrol(sup, car, tmp_path)
    enrol(car, sup, tmp_path)
    inspectors = {}
    for site in (sup, car):
        people = PeopleService(site.ctx)
        people.add_person(site.admin, "insp", f"Inspector {site.code}", Role.INSPECTOR, PASSWORD)
        inspectors[site.code] = people.sign_in("insp", PASSWORD)
    yield sup, car, inspectors
    sup.ctx.close()
    car.ctx.close()


def _gauge_and_part(sup) -> tuple[str, str]:
    evidence = EvidenceService(sup.ctx)
    gauge = evidence.add_gauge(sup.engineer, GaugeDraft(
        "MIC-014", "Micrometer 0-25 mm", "0-25 mm", "0.001", "2026-06-01", "2099-06-01"))
    part_id = PartService(sup.ctx).register_part(sup.engineer, PartDraft(
        part_number="JCM-5301010", revision="B", designation="Traverse",
        family="body")).part_id
    evidence.add_characteristics(sup.engineer, part_id, [
        CharacteristicDraft("4", "Sheet thickness", "12", "-0.1", "0.1", unit="mm",
                            gauge_code="MIC-014")])
    return gauge.gauge_id, part_id


def _readings() -> list[Reading]:
    return [Reading(*row[:3], str(row[3])) for row in made_up_rows(0.004)]


def test_a_suppliers_study_reaches_the_carmaker_with_its_figures(pair, tmp_path):
    sup, car, inspectors = pair
    gauge_id, part_id = _gauge_and_part(sup)
    here = MsaService(sup.ctx).record_study(inspectors["SUP"], MsaStudyDraft(
        gauge_id, _readings(), tolerance="0.2", conducted_by="K. Ouali"))
    car.sync.import_package(car.admin, sup.export(tmp_path, to="CAR"))
    [there] = MsaService(car.ctx).studies_of_gauge(car.admin, gauge_id)
    assert there == here  # the same figures, computed at the carmaker from the readings
    with car.ctx.unit_of_work() as uow:
        [fact] = gauge_study_facts(uow, part_id)
    assert (fact.gauge, fact.characteristics, fact.verdict) == ("MIC-014", ("4",), "marginal")


def test_a_carmaker_writing_a_study_of_the_suppliers_gauge_is_refused(pair, tmp_path):
    sup, car, inspectors = pair
    gauge_id, _ = _gauge_and_part(sup)
    car.sync.import_package(car.admin, sup.export(tmp_path, to="CAR"))
    MsaService(car.ctx).record_study(inspectors["CAR"], MsaStudyDraft(gauge_id, _readings()))
    sentence = refused(sup, car.export(tmp_path, to="SUP"), err.OutOfScope)
    assert "CAR" in sentence
    assert MsaService(sup.ctx).studies_of_gauge(sup.admin, gauge_id) == []
