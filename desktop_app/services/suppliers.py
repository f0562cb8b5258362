"""Reference data of the parts registry: suppliers, vehicle models and component families."""

from __future__ import annotations

from typing import Any, ClassVar

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


class _CodedReferenceService:
    """Reference records found by id, code or name, whose code is unique: the common part of
    suppliers and vehicle models."""

    record_type: ClassVar[str]
    what: ClassVar[str]
    model: ClassVar[Any]
    draft_type: ClassVar[Any]
    info_type: ClassVar[Any]
    created_reason: ClassVar[str]
    name_column: ClassVar[str]  # what `find` matches besides id and code
    order_columns: ClassVar[tuple[str, ...]]
    code_taken: ClassVar[str]  # the sentence when the code is used: {code}, {name}

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _name_column(self) -> Any:
        return getattr(self.model, self.name_column)

    def _order(self) -> tuple[Any, ...]:
        return tuple(getattr(self.model, c) for c in self.order_columns)

    def _all(self) -> list[Any]:
        with self._ctx.unit_of_work() as uow:
            ids = list(uow.session.execute(select(self.model.id).order_by(*self._order()))
                       .scalars())
            return [self._info(uow, i) for i in ids]

    def _one(self, record_id: str) -> Any:
        with self._ctx.unit_of_work() as uow:
            return self._info(uow, record_id)

    def find(self, key: str) -> Any:
        """A record by record id, code or name (case-insensitive)."""
        wanted = key.strip()
        with self._ctx.unit_of_work() as uow:
            found = uow.session.execute(select(self.model.id).where(
                (self.model.id == wanted) | (func.upper(self.model.code) == wanted.upper())
                | (func.lower(self._name_column()) == wanted.lower()))).scalars().first()
            if found is None:
                raise NotFound(what=self.what, key=key)
            return self._info(uow, found)

    def _add(self, actor: Actor, draft: Any, reason: str) -> Any:
        actor.require(Permission.EDIT_REFERENCE_DATA)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_code_free(uow, fields["code"], "")
            state = uow.records.create(self.record_type, fields, actor=actor,
                                       reason=reason or self.created_reason)
            return self._info(uow, state.record_id)

    def _edit(self, actor: Actor, record_id: str, draft: Any, expected_rev_id: str | None,
              reason: str) -> Any:
        actor.require(Permission.EDIT_REFERENCE_DATA)
        fields = draft.fields()
        with self._ctx.unit_of_work() as uow:
            self._check_code_free(uow, fields["code"], record_id)
            uow.records.update(record_id, fields, actor=actor, reason=reason or "edited",
                               expected_rev_id=expected_rev_id, what=self.what)
            return self._info(uow, record_id)

    def _check_code_free(self, uow: UnitOfWork, code: str, own_id: str) -> None:
        other = uow.session.execute(select(self._name_column()).where(
            func.upper(self.model.code) == code.upper(), self.model.id != own_id)).first()
        if other is not None:
            raise ValidationError(self.code_taken, field="code", code=code, name=str(other[0]))

    def _info(self, uow: UnitOfWork, record_id: str) -> Any:
        state = uow.records.require(record_id, self.what)
        if state.record_type != self.record_type:
            raise NotFound(what=self.what, key=record_id)
        return self.info_type(record_id, state.winner.rev_id,
                              self.draft_type.from_fields(state.fields), state.conflict)


class SupplierService(_CodedReferenceService):
    record_type = SUPPLIER
    what = "Supplier"
    model = Supplier
    draft_type = SupplierDraft
    info_type = SupplierInfo
    created_reason = "supplier registered"
    name_column = "name"
    order_columns = ("name",)
    code_taken = QT_TRANSLATE_NOOP("Errors", "The supplier code {code} is already used by {name}.")

    def suppliers(self) -> list[SupplierInfo]:
        return self._all()

    def supplier(self, supplier_id: str) -> SupplierInfo:
        return self._one(supplier_id)

    def add_supplier(self, actor: Actor, draft: SupplierDraft, reason: str = "") -> SupplierInfo:
        return self._add(actor, draft, reason)

    def edit_supplier(self, actor: Actor, supplier_id: str, draft: SupplierDraft,
                      expected_rev_id: str | None = None, reason: str = "") -> SupplierInfo:
        return self._edit(actor, supplier_id, draft, expected_rev_id, reason)


class VehicleModelService(_CodedReferenceService):
    record_type = VEHICLE_MODEL
    what = "Vehicle model"
    model = VehicleModel
    draft_type = VehicleModelDraft
    info_type = VehicleModelInfo
    created_reason = "vehicle model registered"
    name_column = "model"
    order_columns = ("carmaker", "model")
    code_taken = QT_TRANSLATE_NOOP("Errors", "The vehicle model code {code} is already used.")

    def models(self) -> list[VehicleModelInfo]:
        return self._all()

    def model_info(self, model_id: str) -> VehicleModelInfo:
        return self._one(model_id)

    def add_model(self, actor: Actor, draft: VehicleModelDraft,
                  reason: str = "") -> VehicleModelInfo:
        return self._add(actor, draft, reason)

    def edit_model(self, actor: Actor, model_id: str, draft: VehicleModelDraft,
                   expected_rev_id: str | None = None, reason: str = "") -> VehicleModelInfo:
        return self._edit(actor, model_id, draft, expected_rev_id, reason)


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
