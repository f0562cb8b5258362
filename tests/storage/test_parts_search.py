"""The parts search index: kept in the same transaction, rebuilt if missing, LIKE elsewhere."""

from __future__ import annotations

from sqlalchemy import select, text

from desktop_app.domain.parts import PartDraft
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.storage.models.parts import Part, PartVehicleModel
from desktop_app.storage.search import SearchIndex, normalise_text, query_tokens


def numbers(ctx, search: str) -> list[str]:
    return [r.part_number for r in PartService(ctx).page(PartQuery(search=search)).rows]


def register(ctx, actor, number: str, designation: str, **kw):
    return PartService(ctx).register_part(actor, PartDraft(number, "A", designation, **kw))


def test_normalisation_and_tokens() -> None:
    assert normalise_text("Écrou à souder", "عارضة أمامية") == "ecrou a souder عارضة امامية"
    assert query_tokens("JT-58 trav") == ["jt", "58", "trav"]


def test_tombstone_and_rollback_keep_the_index_in_step(ctx, actors) -> None:
    eng = actors["eng"]
    kept = register(ctx, eng, "JT-1", "Traverse avant")
    gone = register(ctx, eng, "JT-2", "Traverse arrière")
    assert numbers(ctx, "traverse") == ["JT-1", "JT-2"]
    with ctx.unit_of_work() as uow:
        uow.records.tombstone(gone.part_id, eng, reason="entered twice")
    assert numbers(ctx, "traverse") == ["JT-1"]
    try:
        with ctx.unit_of_work() as uow:
            uow.records.patch(kept.part_id, {"designation": "Longeron"}, eng, reason="x")
            raise RuntimeError("the caller fails after writing")
    except RuntimeError:
        pass
    assert numbers(ctx, "traverse") == ["JT-1"] and numbers(ctx, "longeron") == []


def test_a_missing_index_is_rebuilt_from_the_parts_table(ctx, actors) -> None:
    register(ctx, actors["eng"], "JT-1", "Pare-brise", material="Verre feuilleté")
    with ctx.unit_of_work() as uow:
        uow.session.execute(text("DROP TABLE fts_parts"))
    assert numbers(ctx, "verre feuil") == ["JT-1"]


def test_vehicle_model_links_follow_the_part(ctx, actors) -> None:
    from desktop_app.domain.parts import VehicleModelDraft
    from desktop_app.services.suppliers import VehicleModelService

    eng = actors["eng"]
    model = VehicleModelService(ctx).add_model(eng, VehicleModelDraft("X70", "Jetour", "X70"))
    part = register(ctx, eng, "JT-1", "Cric", vehicle_model_ids=(model.model_id,))
    PartService(ctx).edit_part(eng, part.part_id, PartDraft("JT-1", "A", "Cric"))
    with ctx.unit_of_work() as uow:
        assert uow.session.execute(select(PartVehicleModel)).first() is None
        assert uow.session.execute(select(Part.designation)).scalar() == "Cric"


def test_like_fallback_when_the_database_has_no_fts(ctx, actors, monkeypatch) -> None:
    eng = actors["eng"]
    register(ctx, eng, "JT-5801", "Traverse avant", material="HC340LA")
    register(ctx, eng, "JT-1102", "Écrou à souder")
    monkeypatch.setattr(SearchIndex, "_sqlite", staticmethod(lambda session: False))
    assert numbers(ctx, "trav av") == ["JT-5801"]
    assert numbers(ctx, "ecrou") == ["JT-1102"]
    assert numbers(ctx, "hc34") == ["JT-5801"]
    assert numbers(ctx, "jt") == ["JT-1102", "JT-5801"]
