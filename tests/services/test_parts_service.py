"""The parts registry through its services, with actors of every role and a real SQLite file."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from desktop_app.domain.parts import PartDraft, PartStatus, SupplierDraft, VehicleModelDraft
from desktop_app.domain.people import Actor
from desktop_app.services.context import ServiceContext
from desktop_app.services.history import HistoryService
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.suppliers import FamilyService, SupplierService, VehicleModelService


@pytest.fixture
def refs(ctx: ServiceContext, actors: dict[str, Actor]) -> dict[str, str]:
    eng = actors["eng"]
    sns = SupplierService(ctx).add_supplier(eng, SupplierDraft(
        name="SNS Rouiba Emboutissage", code="sns-rba", site="Rouiba",
        iatf16949_certificate="IATF 0412345", iatf16949_expiry="2027-06-30"))
    tub = SupplierService(ctx).add_supplier(eng, SupplierDraft(name="Tuberie Oranaise", code="TUB"))
    x70 = VehicleModelService(ctx).add_model(eng, VehicleModelDraft(
        code="X70", carmaker="Jetour", model="X70 Plus", approval_date="2023-05-10"))
    return {"sns": sns.supplier_id, "tub": tub.supplier_id, "x70": x70.model_id}


def draft(number: str = "JT-5801", revision: str = "A", **kw) -> PartDraft:
    values = {"designation": "Traverse avant", "family": "body_stamping"}
    values.update(kw)
    return PartDraft(part_number=number, revision=revision, **values)


@pytest.mark.parametrize("who,allowed", [
    ("eng", True), ("insp", False), ("appr", False), ("admin", False)])
def test_who_may_register_parts(ctx, actors, refs, who, allowed) -> None:
    service = PartService(ctx)
    if allowed:
        assert service.register_part(actors[who], draft()).draft.part_number == "JT-5801"
    else:
        with pytest.raises(PermissionDenied):
            service.register_part(actors[who], draft())
        assert service.page(PartQuery()).total == 0


@pytest.mark.parametrize("who,allowed", [
    ("eng", True), ("admin", True), ("insp", False), ("appr", False)])
def test_who_may_edit_reference_data(ctx, actors, who, allowed) -> None:
    service = SupplierService(ctx)
    if allowed:
        service.add_supplier(actors[who], SupplierDraft(name="Massar Verre", code="MVR"))
        assert [s.code for s in service.suppliers()] == ["MVR"]
    else:
        with pytest.raises(PermissionDenied):
            service.add_supplier(actors[who], SupplierDraft(name="Massar Verre", code="MVR"))


def test_register_then_find_by_search_filters_and_sort(ctx, actors, refs) -> None:
    service = PartService(ctx)
    eng = actors["eng"]
    service.register_part(eng, draft("JT-5801", "A", supplier_id=refs["sns"], material="DC04",
                                     designations={"fr": "Traverse avant", "zh": "前横梁"},
                                     vehicle_model_ids=(refs["x70"],), mass_kg="2,35"))
    service.register_part(eng, draft("JT-1102", "B", designation="Écrou à souder M8",
                                     family="fastener", supplier_id=refs["tub"],
                                     material="Acier 10B21", mass_kg="0.012"))
    service.register_part(eng, draft("JT-7700", "A", designation="Pare-brise",
                                     family="glass", mass_kg="11"))

    def numbers(**kw) -> list[str]:
        return [r.part_number for r in service.page(PartQuery(**kw)).rows]

    assert numbers() == ["JT-1102", "JT-5801", "JT-7700"]
    assert numbers(search="trav av") == ["JT-5801"]
    assert numbers(search="ecrou") == ["JT-1102"]  # accents ignored
    assert numbers(search="前横") == ["JT-5801"]  # Chinese designation, prefix
    assert numbers(search="jt58") == ["JT-5801"]  # part number without punctuation
    assert numbers(search="rouiba") == ["JT-5801"]  # supplier name, joined at query time
    assert numbers(search="tub") == ["JT-1102"]  # supplier code
    assert numbers(search="10b") == ["JT-1102"]  # material
    assert numbers(search="zzz") == []
    assert numbers(family="glass") == ["JT-7700"]
    assert numbers(model_id=refs["x70"]) == ["JT-5801"]
    assert numbers(supplier_id=refs["tub"]) == ["JT-1102"]
    assert numbers(sort_key="mass", descending=True) == ["JT-7700", "JT-5801", "JT-1102"]
    assert numbers(sort_key="supplier") == ["JT-7700", "JT-5801", "JT-1102"]
    page = service.page(PartQuery(), offset=1, limit=1)
    assert page.total == 3 and [r.part_number for r in page.rows] == ["JT-5801"]
    first = service.page(PartQuery(search="JT-5801")).rows[0]
    assert first.supplier_name == "SNS Rouiba Emboutissage" and first.mass_kg == "2.35"


def test_bad_input_gets_one_sentence(ctx, actors, refs) -> None:
    service = PartService(ctx)
    eng = actors["eng"]
    service.register_part(eng, draft())
    with pytest.raises(ValidationError, match="(?i)jt-5801 revision A is already registered"):
        service.register_part(eng, draft("jt-5801", "a"))
    with pytest.raises(ValidationError, match="part number is empty"):
        service.register_part(eng, draft(" "))
    with pytest.raises(ValidationError, match="“abc” is not a number"):
        service.register_part(eng, draft("JT-2", mass_kg="abc"))
    with pytest.raises(NotFound):
        service.register_part(eng, draft("JT-3", supplier_id="nope"))
    assert service.page(PartQuery()).total == 1


def test_released_revision_is_locked_and_a_new_revision_replaces_it(ctx, actors, refs) -> None:
    service = PartService(ctx)
    eng = actors["eng"]
    first = service.register_part(eng, draft())
    edited = service.edit_part(eng, first.part_id, draft(designation="Traverse AV"),
                               expected_rev_id=first.rev_id, reason="typo")
    released = service.change_status(eng, first.part_id, PartStatus.RELEASED)
    with pytest.raises(ValidationError, match="released and locked"):
        service.edit_part(eng, first.part_id, draft(designation="Other"))
    with pytest.raises(StaleEdit):
        service.change_status(eng, first.part_id, PartStatus.OBSOLETE,
                              expected_rev_id=edited.rev_id)
    second = service.new_drawing_revision(eng, first.part_id, draft(revision="B"))
    assert second.draft.replaces == first.part_id
    assert second.draft.status == PartStatus.IN_DEVELOPMENT
    assert service.part(first.part_id).replaced_by == (second.part_id,)
    assert [d.draft.revision for d in service.replaced_chain(second.part_id)] == ["B", "A"]
    with pytest.raises(ValidationError, match="revision other than A"):
        service.new_drawing_revision(eng, first.part_id, draft(revision="a"))
    obsolete = service.change_status(eng, first.part_id, PartStatus.OBSOLETE,
                                     expected_rev_id=released.rev_id)
    assert obsolete.draft.status == PartStatus.OBSOLETE
    with pytest.raises(ValidationError, match="cannot go from Obsolete"):
        service.change_status(eng, first.part_id, PartStatus.RELEASED)


def test_history_shows_who_when_why_and_field_changes(ctx, actors, refs) -> None:
    service = PartService(ctx)
    eng = actors["eng"]
    part = service.register_part(eng, draft(designations={"fr": "Traverse"}))
    service.edit_part(eng, part.part_id, draft(designation="Traverse AV",
                                               designations={"fr": "Traverse AV"}),
                      reason="drawing note 3")
    history = HistoryService(ctx).history(part.part_id)
    assert [h.reason for h in history] == ["drawing note 3", "registered"]
    latest = history[0]
    assert latest.author == "Eng Person" and latest.site_code == "TST"
    assert ("designation", "Traverse avant", "Traverse AV") in latest.changes
    assert ("designations.fr", "Traverse", "Traverse AV") in latest.changes
    assert all(field != "status" for field, _old, _new in latest.changes)
    assert history[1].changes and all(old is None for _f, old, _n in history[1].changes)


def test_families_are_an_editable_list(ctx, actors) -> None:
    service = FamilyService(ctx)
    codes = [f.code for f in service.families()]
    assert "body_stamping" in codes and "battery" in codes
    service.set_family(actors["eng"], "Brake disc", "Brake disc")
    service.set_family(actors["eng"], "tyre", "Tyre", active=False)
    codes = [f.code for f in service.families()]
    assert "brake_disc" in codes and "tyre" not in codes
    with pytest.raises(PermissionDenied):
        service.set_family(actors["insp"], "x", "X")
