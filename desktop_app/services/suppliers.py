"""Reference data of the parts registry: suppliers, vehicle models and component families."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.parts import (
    COMPONENT_FAMILY,
    DEFAULT_FAMILIES,
    SUPPLIER,
    VEHICLE_MODEL,
    SupplierDraft,
    VehicleModelDraft,
    check_family_code,
    clean_text,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.parts_dto import FamilyInfo, SupplierInfo, VehicleModelInfo
from desktop_app.storage.models.core import RecordRow
from desktop_app.storage.models.parts import ComponentFamily, Supplier, VehicleModel


class SupplierService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def suppliers(self) -> list[SupplierInfo]:
        with self._ctx.unit_of_work() as uow:
            ids = list(uow.session.execute(select(Supplier.id).order_by(Supplier.name)).scalars())
            return [self._info(uow, i) for i in ids]

    def supplier(self, supplier_id: str) -> SupplierInfo:
        with self._ctx.unit_of_work() as uow:
            return self._info(uow, supplier_id)

    def find(self, key: str) -> SupplierInfo:
        """A supplier by record id, code or name (case-insensitive)."""
        wanted = key.strip()
        with self._ctx.unit_of_work() as uow:
            found = uow.session.execute(select(Supplier.id).where(
                (Supplier.id == wanted) | (func.upper(Supplier.code) == wanted.upper())
                | (func.lower(Supplier.name) == wanted.lower()))).scalars().first()
            if found is None:
                raise NotFound(what="Supplier", key=key)
            return self._info(uow, found)

    def add_supplier(self, actor: Actor, draft: SupplierDraft, reason: str = "") -> SupplierInfo:
        actor.require(Permission.EDIT_REFERENCE_DATA)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_code_free(uow, fields["code"], "")
            state = uow.records.create(SUPPLIER, fields, actor=actor,
                                       reason=reason or "supplier registered")
            return self._info(uow, state.record_id)

    def edit_supplier(self, actor: Actor, supplier_id: str, draft: SupplierDraft,
                      expected_rev_id: str | None = None, reason: str = "") -> SupplierInfo:
        actor.require(Permission.EDIT_REFERENCE_DATA)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_code_free(uow, fields["code"], supplier_id)
            uow.records.update(supplier_id, fields, actor=actor, reason=reason or "edited",
                               expected_rev_id=expected_rev_id, what="Supplier")
            return self._info(uow, supplier_id)

    @staticmethod
    def _check_code_free(uow: UnitOfWork, code: str, own_id: str) -> None:
        other = uow.session.execute(select(Supplier.name).where(
            func.upper(Supplier.code) == code.upper(), Supplier.id != own_id)).scalar()
        if other is not None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The supplier code {code} is already used by {name}."),
                field="code", code=code, name=other)

    @staticmethod
    def _info(uow: UnitOfWork, supplier_id: str) -> SupplierInfo:
        state = uow.records.require(supplier_id, "Supplier")
        if state.record_type != SUPPLIER:
            raise NotFound(what="Supplier", key=supplier_id)
        return SupplierInfo(supplier_id, state.winner.rev_id,
                            SupplierDraft.from_fields(state.fields), state.conflict)


class VehicleModelService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def models(self) -> list[VehicleModelInfo]:
        with self._ctx.unit_of_work() as uow:
            ids = list(uow.session.execute(
                select(VehicleModel.id).order_by(VehicleModel.carmaker, VehicleModel.model)
            ).scalars())
            return [self._info(uow, i) for i in ids]

    def model(self, model_id: str) -> VehicleModelInfo:
        with self._ctx.unit_of_work() as uow:
            return self._info(uow, model_id)

    def find(self, key: str) -> VehicleModelInfo:
        wanted = key.strip()
        with self._ctx.unit_of_work() as uow:
            found = uow.session.execute(select(VehicleModel.id).where(
                (VehicleModel.id == wanted) | (func.upper(VehicleModel.code) == wanted.upper())
                | (func.lower(VehicleModel.model) == wanted.lower()))).scalars().first()
            if found is None:
                raise NotFound(what="Vehicle model", key=key)
            return self._info(uow, found)

    def add_model(self, actor: Actor, draft: VehicleModelDraft,
                  reason: str = "") -> VehicleModelInfo:
        actor.require(Permission.EDIT_REFERENCE_DATA)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_code_free(uow, fields["code"], "")
            state = uow.records.create(VEHICLE_MODEL, fields, actor=actor,
                                       reason=reason or "vehicle model registered")
            return self._info(uow, state.record_id)

    def edit_model(self, actor: Actor, model_id: str, draft: VehicleModelDraft,
                   expected_rev_id: str | None = None, reason: str = "") -> VehicleModelInfo:
        actor.require(Permission.EDIT_REFERENCE_DATA)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_code_free(uow, fields["code"], model_id)
            uow.records.update(model_id, fields, actor=actor, reason=reason or "edited",
                               expected_rev_id=expected_rev_id, what="Vehicle model")
            return self._info(uow, model_id)

    @staticmethod
    def _check_code_free(uow: UnitOfWork, code: str, own_id: str) -> None:
        taken = uow.session.execute(select(VehicleModel.id).where(
            func.upper(VehicleModel.code) == code.upper(), VehicleModel.id != own_id)).first()
        if taken is not None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The vehicle model code {code} is already used."), field="code",
                code=code)

    @staticmethod
    def _info(uow: UnitOfWork, model_id: str) -> VehicleModelInfo:
        state = uow.records.require(model_id, "Vehicle model")
        if state.record_type != VEHICLE_MODEL:
            raise NotFound(what="Vehicle model", key=model_id)
        return VehicleModelInfo(model_id, state.winner.rev_id,
                                VehicleModelDraft.from_fields(state.fields), state.conflict)


class FamilyService:
    """The editable list of component families: built-in entries plus people's additions."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def families(self, include_inactive: bool = False) -> list[FamilyInfo]:
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(ComponentFamily).order_by(
                ComponentFamily.code, ComponentFamily.id)).scalars().all()
            by_code = {code: FamilyInfo(code, name, True, True)
                       for code, name in DEFAULT_FAMILIES.items()}
            for row in rows:
                by_code[row.code] = FamilyInfo(row.code, row.name, row.active,
                                               row.code in DEFAULT_FAMILIES, row.id)
        return [f for f in by_code.values() if f.active or include_inactive]

    def set_family(self, actor: Actor, code: str, name: str, active: bool = True) -> FamilyInfo:
        """Add a family, or rename or retire one (built-in ones included)."""
        actor.require(Permission.EDIT_REFERENCE_DATA)
        code = check_family_code(code)
        label = clean_text(name, "name", True, "family name")
        fields: dict[str, Any] = {"code": code, "name": label, "active": bool(active)}
        with self._ctx.unit_of_work() as uow:
            existing = uow.session.execute(select(ComponentFamily.id).where(
                ComponentFamily.code == code)).scalars().first()
            if existing is None:
                state = uow.records.create(COMPONENT_FAMILY, fields, actor=actor,
                                           reason="family added")
            else:
                state = uow.records.update(existing, fields, actor=actor, reason="family edited",
                                           what="Component family")
            return FamilyInfo(code, label, bool(active), code in DEFAULT_FAMILIES,
                              state.record_id)


def record_count(uow: UnitOfWork, record_type: str) -> int:
    return int(uow.session.execute(select(func.count()).select_from(RecordRow).where(
        RecordRow.record_type == record_type, RecordRow.deleted.is_(False))).scalar_one())
