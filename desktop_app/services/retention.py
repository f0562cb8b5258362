"""Retention of records (domain/retention.py): the end of production of each part revision, the
customers' retention periods, and the list of records past their retention date — for a person
to review; nothing is deleted here or anywhere else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.retention import MAX_YEARS, retain_until, retention_years
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.storage.models.certification import (
    Certificate,
    Decision,
    Deviation,
    ProductionEnd,
    RetentionPolicy,
    Submission,
)
from desktop_app.storage.models.evidence import (
    Attachment,
    Characteristic,
    MeasurementSet,
    TestReport,
)
from desktop_app.storage.models.parts import Part, PartVehicleModel, VehicleModel


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    policy_id: str
    customer: str
    years: int
    reference: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.policy_id, "customer": self.customer, "years": self.years,
                "reference": self.reference}


@dataclass(frozen=True, slots=True)
class PartRetention:
    """A part revision whose production ended, and until when its records are kept."""

    part_id: str
    part_number: str
    revision: str
    customers: tuple[str, ...]
    ended_on: str
    years: int
    required_by: str  # the customer whose period applies; "" for the default year
    retain_until: str
    past: bool
    records: int  # the part's records (the part, evidence, submissions, decisions, ...)

    def to_json(self) -> dict[str, Any]:
        return {"part_id": self.part_id, "part_number": self.part_number,
                "revision": self.revision, "customers": list(self.customers),
                "production_ended_on": self.ended_on, "years": self.years,
                "required_by": self.required_by, "retain_until": self.retain_until,
                "past_retention": self.past, "records": self.records}


@dataclass(frozen=True, slots=True)
class RetainedRecord:
    record_type: str
    record_id: str
    label: str
    part_number: str
    revision: str
    retain_until: str

    def to_json(self) -> dict[str, Any]:
        return {"record_type": self.record_type, "id": self.record_id, "label": self.label,
                "part_number": self.part_number, "revision": self.revision,
                "retain_until": self.retain_until}


# What belongs to a part revision: (record type, table, label column), in the order listed.
_PART_RECORDS: tuple[tuple[str, Any, Any], ...] = (
    ("characteristic", Characteristic, Characteristic.number),
    ("test_report", TestReport, TestReport.number),
    ("measurement_set", MeasurementSet, MeasurementSet.char_number),
    ("attachment", Attachment, Attachment.original_name),
    ("submission", Submission, Submission.number),
    ("decision", Decision, Decision.action),
    ("certificate", Certificate, Certificate.number),
    ("deviation", Deviation, Deviation.number),
)


def _records_of(uow: UnitOfWork, part_ids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """Part id -> [(record type, record id, label)], the part itself first."""
    found: dict[str, list[tuple[str, str, str]]] = {p: [] for p in part_ids}
    for start in range(0, len(part_ids), 500):
        chunk = part_ids[start:start + 500]
        for pid, number, revision in uow.session.execute(
                select(Part.id, Part.part_number, Part.revision).where(Part.id.in_(chunk))):
            found[pid].append(("part", pid, f"{number} {revision}"))
        for record_type, model, label in _PART_RECORDS:
            for rid, pid, text in uow.session.execute(
                    select(model.id, model.part_id, label).where(model.part_id.in_(chunk))
                    .order_by(model.part_id, label, model.id)):
                found[pid].append((record_type, rid, str(text or "")))
    return found


class RetentionService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today

    # -- customers' periods ------------------------------------------------------------------

    def policies(self, actor: Actor) -> list[PolicyInfo]:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(RetentionPolicy).order_by(
                RetentionPolicy.customer)).scalars().all()
            return [PolicyInfo(r.id, r.customer, r.years, r.reference) for r in rows]

    def set_policy(self, actor: Actor, customer: str, years: int,
                   reference: str = "") -> PolicyInfo:
        """The customer's retention period (years after the end of production), replacing the
        one recorded for that customer."""
        actor.require(Permission.EDIT_REFERENCE_DATA)
        customer = customer.strip()
        if not customer:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Name the customer whose retention period this is."), field="customer")
        if not 1 <= years <= MAX_YEARS:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A retention period is 1 to {max} years after the end of "
                          "production."), field="years", max=MAX_YEARS)
        fields = {"customer": customer, "years": years, "reference": reference.strip()}
        with self._ctx.unit_of_work() as uow:
            existing = uow.session.execute(select(RetentionPolicy.id).where(
                func.lower(RetentionPolicy.customer) == customer.lower())).scalar()
            if existing:
                state = uow.records.update(existing, fields, actor, "retention period changed",
                                           what="Retention period")
            else:
                state = uow.records.create("retention_policy", fields, actor,
                                           reason="retention period set")
            return PolicyInfo(state.record_id, customer, years, reference.strip())

    # -- production ---------------------------------------------------------------------------

    def end_production(self, actor: Actor, part_id: str, ended_on: date,
                       note: str = "") -> PartRetention:
        """Record when series production of a part revision ended (a later date replaces an
        earlier one: production went on)."""
        actor.require(Permission.EDIT_PARTS)
        if ended_on > self._today():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The end of production is a day that has come; record it when "
                          "production has ended."), field="ended_on")
        fields = {"part_id": part_id, "ended_on": ended_on.isoformat(), "note": note.strip(),
                  "recorded_by": actor.user_id}
        with self._ctx.unit_of_work() as uow:
            if uow.session.get(Part, part_id) is None:
                raise NotFound(what="Part", key=part_id)
            existing = uow.session.execute(select(ProductionEnd.id).where(
                ProductionEnd.part_id == part_id)).scalar()
            if existing:
                uow.records.update(existing, fields, actor, "end of production changed",
                                   what="End of production")
            else:
                uow.records.create("production_end", fields, actor,
                                   reason="end of production recorded")
            uow.session.flush()
            return self._parts(uow, part_id)[0]

    # -- what is kept until when ----------------------------------------------------------------

    def parts(self, actor: Actor) -> list[PartRetention]:
        """Every part revision whose production ended, with its retention date (a part still
        in production keeps everything: it is not listed)."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            return self._parts(uow)

    def past_retention(self, actor: Actor) -> list[RetainedRecord]:
        """Every record whose retention date has passed, by part revision: for a person to
        review (archive, hand over to the customer, or keep). Nothing is deleted."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            past = [p for p in self._parts(uow) if p.past]
            records = _records_of(uow, [p.part_id for p in past])
            return [RetainedRecord(kind, rid, label, p.part_number, p.revision, p.retain_until)
                    for p in past for kind, rid, label in records[p.part_id]]

    def _parts(self, uow: UnitOfWork, part_id: str = "") -> list[PartRetention]:
        stmt = select(ProductionEnd.part_id, ProductionEnd.ended_on, Part.part_number,
                      Part.revision).join(Part, Part.id == ProductionEnd.part_id)
        if part_id:
            stmt = stmt.where(ProductionEnd.part_id == part_id)
        ends = uow.session.execute(stmt.order_by(Part.part_number, Part.revision)).all()
        policies = {r.customer: r.years for r in uow.session.execute(
            select(RetentionPolicy)).scalars()}
        ids = [e[0] for e in ends]
        customers: dict[str, set[str]] = {i: set() for i in ids}
        counts = {pid: len(rows) for pid, rows in _records_of(uow, ids).items()}
        for start in range(0, len(ids), 500):
            for pid, carmaker in uow.session.execute(
                    select(PartVehicleModel.part_id, VehicleModel.carmaker)
                    .join(VehicleModel, VehicleModel.id == PartVehicleModel.model_id)
                    .where(PartVehicleModel.part_id.in_(ids[start:start + 500]))):
                if carmaker:
                    customers[pid].add(carmaker)
        today = self._today()
        out = []
        for pid, ended_on, number, revision in ends:
            years, who = retention_years(customers[pid], policies)
            until = retain_until(date.fromisoformat(ended_on), years)
            out.append(PartRetention(pid, number, revision, tuple(sorted(customers[pid])),
                                     ended_on, years, who, until.isoformat(), until < today,
                                     counts.get(pid, 0)))
        return out
