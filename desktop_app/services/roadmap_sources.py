"""What the roadmap reads from other areas: vehicle models, parts, approval periods, sites.

Kept in one module so that the roadmap and integration services never reach into another area's
tables from several places.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.approvals import ApprovalPeriod
from desktop_app.domain.errors import NotFound
from desktop_app.domain.people import Actor, Permission
from desktop_app.services.approvals import ApprovalService
from desktop_app.services.context import ServiceContext
from desktop_app.storage.models.core import RecordRow, RevisionRow


def require_view(actor: Actor | None) -> None:
    """Reading needs no sign-in from the command line (actor None), like the other registers;
    a signed-in person needs the view permission."""
    if actor is not None:
        actor.require(Permission.VIEW)


@dataclass(frozen=True, slots=True)
class ModelRef:
    model_id: str
    code: str
    name: str
    approval_date: date | None


@dataclass(frozen=True, slots=True)
class PartRef:
    part_id: str
    number: str  # part number and revision
    name: str
    model_ids: tuple[str, ...]
    family: str = ""  # component family code


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _current_fields(session: Session, record_type: str,
                    ids: Iterable[str] | None = None) -> dict[str, dict]:
    stmt = (select(RecordRow.record_id, RevisionRow.fields)
            .join(RevisionRow, RevisionRow.rev_id == RecordRow.current_rev_id)
            .where(RecordRow.record_type == record_type, RecordRow.deleted.is_(False)))
    if ids is not None:
        wanted = list(ids)
        result: dict[str, dict] = {}
        for start in range(0, len(wanted), 500):
            for rec_id, fields in session.execute(
                    stmt.where(RecordRow.record_id.in_(wanted[start:start + 500]))):
                result[rec_id] = json.loads(fields)
        return result
    return {rec_id: json.loads(fields) for rec_id, fields in session.execute(stmt)}


def _model_ref(model_id: str, f: dict) -> ModelRef:
    return ModelRef(model_id, str(f.get("code") or f.get("name") or model_id),
                    str(f.get("name") or ""), _day(f.get("approval_date")))


def vehicle_models(session: Session) -> list[ModelRef]:
    refs = [_model_ref(k, f) for k, f in _current_fields(session, "vehicle_model").items()]
    return sorted(refs, key=lambda m: m.code.casefold())


def vehicle_model(session: Session, model_id: str) -> ModelRef:
    found = _current_fields(session, "vehicle_model", [model_id])
    if model_id not in found:
        raise NotFound(what="Vehicle model", key=model_id)
    return _model_ref(model_id, found[model_id])


def find_model(session: Session, key: str) -> ModelRef:
    """A model by record id or code (case-insensitive)."""
    for model in vehicle_models(session):
        if key in (model.model_id,) or model.code.casefold() == key.strip().casefold():
            return model
    raise NotFound(what="Vehicle model", key=key)


def _part_ref(part_id: str, f: dict) -> PartRef:
    number = str(f.get("part_number") or part_id)
    if f.get("revision"):
        number = f"{number} rev. {f['revision']}"
    return PartRef(part_id, number, str(f.get("designation") or ""),
                   tuple(str(m) for m in f.get("vehicle_model_ids") or ()),
                   str(f.get("family") or ""))


def parts(session: Session, part_ids: Iterable[str] | None = None) -> dict[str, PartRef]:
    return {k: _part_ref(k, f) for k, f in _current_fields(session, "part", part_ids).items()}


def find_part(session: Session, key: str, model_id: str = "") -> PartRef:
    """A part by record id or part number (a part of `model_id` first)."""
    wanted = key.strip().casefold()
    found = [p for p in parts(session).values()
             if key == p.part_id or p.number.split(" rev. ")[0].casefold() == wanted
             or p.number.casefold() == wanted]
    if not found:
        raise NotFound(what="Part", key=key)
    found.sort(key=lambda p: (model_id not in p.model_ids, p.number))
    return found[0]


def parts_of_model(session: Session, model_id: str) -> list[PartRef]:
    refs = [p for p in parts(session).values() if model_id in p.model_ids]
    return sorted(refs, key=lambda p: p.number)


def approval_periods(ctx: ServiceContext,
                     part_ids: Iterable[str]) -> dict[str, list[ApprovalPeriod]]:
    """When each part held a valid approval: certification's periods (the contract in
    `domain.approvals`); a part never approved has no period."""
    wanted = list(part_ids)
    found = ApprovalService(ctx).approval_periods(wanted) if wanted else {}
    return {p: found.get(p, []) for p in wanted}


def all_approval_periods(ctx: ServiceContext) -> dict[str, list[ApprovalPeriod]]:
    """The periods of every part that was ever approved."""
    return ApprovalService(ctx).approval_periods()
