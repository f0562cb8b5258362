"""Query tables of the parts registry: suppliers, vehicle models, component families and parts.

Projections read only their own record's fields; the supplier of a part, the models it is used on
and the family names are joined at query time. The parts projection also keeps the link rows to
vehicle models and the search index, in the same transaction.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, delete, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from desktop_app.domain.parts import (
    COMPONENT_FAMILY,
    PART,
    SUPPLIER,
    VEHICLE_MODEL,
    mass_milligrams,
    part_key,
)
from desktop_app.domain.revisions import RecordState
from desktop_app.storage.models.base import Base
from desktop_app.storage.projections import RowProjection, register
from desktop_app.storage.search import SearchIndex, compact, doc_rowid, normalise_text


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    country: Mapped[str] = mapped_column(String(60), default="")
    site: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    iso9001_certificate: Mapped[str] = mapped_column(String(80), default="")
    iso9001_expiry: Mapped[str] = mapped_column(String(10), default="")
    iatf16949_certificate: Mapped[str] = mapped_column(String(80), default="")
    iatf16949_expiry: Mapped[str] = mapped_column(String(10), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class VehicleModel(Base):
    __tablename__ = "vehicle_models"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    carmaker: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(120), index=True)
    vehicle_type: Mapped[str] = mapped_column(String(120), default="")
    power_range: Mapped[str] = mapped_column(String(120), default="")
    approval_date: Mapped[str] = mapped_column(String(10), default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class ComponentFamily(Base):
    """Additions to, and renames of, the built-in list of component families."""

    __tablename__ = "component_families"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


# Indexes a server database has beside the models (migration 0014): the trigram index that
# answers search on PostgreSQL. Schema comparisons leave them out.
SERVER_ONLY_INDEXES = frozenset({"ix_parts_search_trgm"})


class Part(Base):
    """One row per drawing revision of a part (one part record)."""

    __tablename__ = "parts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part_number: Mapped[str] = mapped_column(String(60))  # indexed below, with the sort order
    revision: Mapped[str] = mapped_column(String(10))
    part_key: Mapped[str] = mapped_column(String(80), index=True)
    designation: Mapped[str] = mapped_column(String(500), index=True)
    # The designation in other languages (JSON {"ar": …, "zh": …}): lists show the person's own.
    designations: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    family: Mapped[str] = mapped_column(String(40), index=True)
    supplier_id: Mapped[str] = mapped_column(String(36), index=True, default="")
    material: Mapped[str] = mapped_column(String(500), index=True, default="")
    grade: Mapped[str] = mapped_column(String(500), default="")
    mass_kg: Mapped[str] = mapped_column(String(30), default="")
    mass_mg: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    unit: Mapped[str] = mapped_column(String(10), default="pc")
    drawing_ref: Mapped[str] = mapped_column(String(500), default="")
    special_characteristics: Mapped[bool] = mapped_column(Boolean, default=False)
    annual_volume: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    replaces: Mapped[str] = mapped_column(String(36), index=True, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_key: Mapped[int] = mapped_column(BigInteger)  # rowid in fts_parts, indexed below
    # The record's own current revision, so that a page of parts needs no join.
    rev_id: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[str] = mapped_column(String(32), index=True, default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)

    # Two covering indexes for search (services/parts.py): the part-number order holding each
    # row's search key, so a walk down the order tests matches without reading rows; and the
    # search key holding the part-number order, so matches are sorted without reading rows.
    __table_args__ = (
        Index("ix_parts_status_number", "status", "part_number"),
        Index("ix_parts_number_walk", "part_number", "revision", "id", "search_key"),
        Index("ix_parts_search_sort", "search_key", "part_number", "revision", "id"),
    )


class PartVehicleModel(Base):
    """Which vehicle models a part is used on (kept by the part projection)."""

    __tablename__ = "part_vehicle_models"

    part_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    model_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


PART_SEARCH = SearchIndex("parts", Part.__table__)


def part_search_text(fields: dict[str, Any]) -> str:
    designations = fields.get("designations") or {}
    number = str(fields.get("part_number", ""))
    return normalise_text(number, compact(number), str(fields.get("designation", "")),
                          *(str(v) for v in designations.values()),
                          str(fields.get("material", "")), str(fields.get("grade", "")))


# The search text computed for a row is reused by the FTS update of the same apply (per thread).
_texts = threading.local()


def _pending_texts() -> dict[str, str]:
    if not hasattr(_texts, "by_rev"):
        _texts.by_rev = {}
    return _texts.by_rev


def _part_row(state: RecordState) -> dict[str, Any]:
    f = state.fields
    text = part_search_text(f)
    _pending_texts()[state.winner.rev_id] = text
    mass = str(f.get("mass_kg", "") or "")
    try:
        mass_mg = mass_milligrams(mass)
    except ArithmeticError:
        mass_mg = None
    volume = f.get("annual_volume")
    return {
        "part_number": str(f.get("part_number", "")),
        "revision": str(f.get("revision", "")),
        "part_key": part_key(str(f.get("part_number", "")), str(f.get("revision", ""))),
        "designation": str(f.get("designation", "")),
        "designations": json.dumps({str(k): str(v) for k, v in
                                    (f.get("designations") or {}).items() if v},
                                   ensure_ascii=False, sort_keys=True),
        "family": str(f.get("family", "other")),
        "supplier_id": str(f.get("supplier_id", "") or ""),
        "material": str(f.get("material", "") or ""),
        "grade": str(f.get("grade", "") or ""),
        "mass_kg": mass,
        "mass_mg": mass_mg,
        "unit": str(f.get("unit", "pc") or "pc"),
        "drawing_ref": str(f.get("drawing_ref", "") or ""),
        "special_characteristics": bool(f.get("special_characteristics", False)),
        "annual_volume": volume if isinstance(volume, int) else None,
        "status": str(f.get("status", "in_development")),
        "replaces": str(f.get("replaces", "") or ""),
        "search_text": text,
        "search_key": doc_rowid(state.record_id),
        "rev_id": state.winner.rev_id,
        "updated_at": state.winner.created_at,
    }


def _after_parts(session: Session, states: Sequence[RecordState]) -> None:
    ids = [s.record_id for s in states]
    for start in range(0, len(ids), 500):
        session.execute(delete(PartVehicleModel).where(
            PartVehicleModel.part_id.in_(ids[start:start + 500])))
    links = [{"part_id": s.record_id, "model_id": m}
             for s in states if not s.deleted
             for m in sorted(set(s.fields.get("vehicle_model_ids") or []))]
    for start in range(0, len(links), 2000):
        session.execute(insert(PartVehicleModel), links[start:start + 2000])
    texts = _pending_texts()
    docs = {s.record_id: texts.pop(s.winner.rev_id, "") or part_search_text(s.fields)
            for s in states if not s.deleted}
    texts.clear()
    PART_SEARCH.update(session, docs, removed=[s.record_id for s in states if s.deleted])


def _supplier_row(state: RecordState) -> dict[str, Any]:
    f = state.fields
    row = {k: str(f.get(k, "") or "") for k in (
        "name", "code", "country", "site", "contact", "iso9001_certificate", "iso9001_expiry",
        "iatf16949_certificate", "iatf16949_expiry")}
    row["search_text"] = normalise_text(row["name"], row["code"], compact(row["code"]))
    return row


register(RowProjection(SUPPLIER, Supplier, _supplier_row))
register(RowProjection(VEHICLE_MODEL, VehicleModel, lambda s: {
    k: str(s.fields.get(k, "") or "")
    for k in ("code", "carmaker", "model", "vehicle_type", "power_range", "approval_date")}))
register(RowProjection(COMPONENT_FAMILY, ComponentFamily, lambda s: {
    "code": str(s.fields.get("code", "")),
    "name": str(s.fields.get("name", "")),
    "active": bool(s.fields.get("active", True)),
}))
register(RowProjection(PART, Part, _part_row, after=_after_parts))
