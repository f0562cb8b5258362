"""Deviations (IATF 16949 8.7.1.1): requested by the supplier, decided by the customer with an
electronic signature, and counted by the submission checks only while valid.

The request is a `deviation` record of the site that asks (supplier scope); the customer's answer
is an insert-only `deviation_decision` record with a `signature` covering the request's revision
(carmaker scope): a supplier site cannot write the customer's approval into a package, and the
approval copies the terms it approved, so a request edited afterwards is no longer approved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.deviations import (
    DeviationAction,
    DeviationStatus,
    Terms,
    deviation_number,
    deviation_status,
)
from desktop_app.domain.errors import NotFound, PermissionDenied, RecordInConflict, ValidationError
from desktop_app.domain.people import Actor, Permission, Role
from desktop_app.domain.revisions import uuid7
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.people import PeopleService
from desktop_app.services.site import site_code
from desktop_app.storage.models.certification import Deviation, DeviationDecision
from desktop_app.storage.models.core import Person, RecordRow, RevisionRow
from desktop_app.storage.models.evidence import Characteristic
from desktop_app.storage.models.parts import Part

WHAT = "Deviation"


@dataclass(frozen=True, slots=True)
class DeviationInfo:
    deviation_id: str
    number: str
    part_id: str
    part_number: str
    part_revision: str
    characteristic_ids: tuple[str, ...]
    characteristic_numbers: tuple[str, ...]
    description: str
    valid_until: str
    quantity_limit: str
    quantity_used: int
    status: DeviationStatus
    requested_by: str  # display name
    decided_by: str  # display name of the last decision's signer, "" when none
    decided_at: str
    decision_reason: str
    rev_id: str
    conflict: bool

    @property
    def valid(self) -> bool:
        return self.status is DeviationStatus.APPROVED and not self.conflict

    def to_json(self) -> dict[str, Any]:
        return {"id": self.deviation_id, "number": self.number, "part_number": self.part_number,
                "part_revision": self.part_revision,
                "characteristics": list(self.characteristic_numbers),
                "description": self.description, "valid_until": self.valid_until,
                "quantity_limit": self.quantity_limit, "quantity_used": self.quantity_used,
                "status": str(self.status), "valid": self.valid,
                "requested_by": self.requested_by, "decided_by": self.decided_by,
                "decided_at": self.decided_at}


def _decisions(uow: UnitOfWork, ids: list[str]) -> dict[str, list[tuple[DeviationDecision, str]]]:
    """Each deviation's decisions in the order they were taken (Lamport counter, then site and
    revision id), with the signer's display name."""
    found: dict[str, list[tuple[DeviationDecision, str]]] = {}
    for start in range(0, len(ids), 500):
        rows = uow.session.execute(
            select(DeviationDecision, Person.display_name)
            .join(RecordRow, RecordRow.record_id == DeviationDecision.id)
            .join(RevisionRow, RevisionRow.rev_id == RecordRow.current_rev_id)
            .outerjoin(Person, Person.id == DeviationDecision.decided_by)
            .where(DeviationDecision.deviation_id.in_(ids[start:start + 500]))
            .order_by(RevisionRow.lamport, RevisionRow.site_id, RevisionRow.rev_id)).all()
        for decision, name in rows:
            found.setdefault(decision.deviation_id, []).append((decision, name or ""))
    return found


def _terms(row: Deviation | DeviationDecision) -> Terms:
    return Terms(row.part_id, tuple(sorted(json.loads(row.characteristic_ids or "[]"))),
                 row.valid_until, row.quantity_limit)


def read_deviations(uow: UnitOfWork, today: date, part_id: str = "",
                    deviation_id: str = "") -> list[DeviationInfo]:
    """Deviations with their status today, newest request first."""
    stmt = select(Deviation, Part.part_number, Part.revision, Person.display_name).outerjoin(
        Part, Part.id == Deviation.part_id).outerjoin(Person, Person.id == Deviation.requested_by)
    if part_id:
        stmt = stmt.where(Deviation.part_id == part_id)
    if deviation_id:
        stmt = stmt.where(Deviation.id == deviation_id)
    rows = uow.session.execute(stmt.order_by(Deviation.requested_at.desc(),
                                             Deviation.number)).all()
    decisions = _decisions(uow, [r[0].id for r in rows])
    char_ids = sorted({c for r in rows for c in json.loads(r[0].characteristic_ids or "[]")})
    numbers: dict[str, str] = {}
    for start in range(0, len(char_ids), 500):
        numbers.update((cid, number) for cid, number in uow.session.execute(
            select(Characteristic.id, Characteristic.number).where(
                Characteristic.id.in_(char_ids[start:start + 500]))))
    out = []
    for dev, part_number, revision, requester in rows:
        taken = decisions.get(dev.id, [])
        status = deviation_status(_terms(dev), dev.quantity_used,
                                  [(d.action, _terms(d)) for d, _ in taken], today.isoformat())
        last, signer = taken[-1] if taken else (None, "")
        chars = tuple(json.loads(dev.characteristic_ids or "[]"))
        out.append(DeviationInfo(
            dev.id, dev.number, dev.part_id, part_number or "", revision or "", chars,
            tuple(numbers.get(c, c[:8]) for c in chars), dev.description, dev.valid_until,
            dev.quantity_limit, dev.quantity_used, status, requester or "", signer,
            last.decided_at if last else "", last.reason if last else "", dev.rev_id,
            dev.conflict))
    return out


def deviation_cover(uow: UnitOfWork, part_id: str, today: date,
                    named: dict[str, str] | None = None
                    ) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """For the checks of one part revision: characteristic id -> the number of a valid
    deviation covering it, and characteristic id -> (number, status) of a recorded deviation
    that does not hold (awaiting the customer, rejected, expired, used up, changed).

    `named` (a submission's characteristic id -> the deviation it names) chooses among several
    valid ones; what it names is no deviation unless a valid record of that number covers the
    characteristic."""
    valid: dict[str, list[str]] = {}
    lapsed: dict[str, tuple[str, str]] = {}
    for dev in sorted(read_deviations(uow, today, part_id=part_id), key=lambda d: d.number):
        for char_id in dev.characteristic_ids:
            if dev.valid:
                valid.setdefault(char_id, []).append(dev.number)
            else:
                lapsed.setdefault(char_id, (dev.number, str(dev.status)))
    chosen: dict[str, str] = {}
    for char_id, numbers in valid.items():
        wanted = (named or {}).get(char_id, "").strip().upper()
        chosen[char_id] = next((n for n in numbers if wanted.startswith(n)), numbers[0])
    return chosen, {k: v for k, v in lapsed.items() if k not in chosen}


class DeviationService:
    def __init__(self, ctx: ServiceContext, people: PeopleService | None = None,
                 today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._people = people or PeopleService(ctx)
        self._today = today or ctx.today

    def list_deviations(self, actor: Actor, part_id: str = "") -> list[DeviationInfo]:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            return read_deviations(uow, self._today(), part_id=part_id)

    def find(self, actor: Actor, number: str) -> DeviationInfo:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            row = uow.session.execute(select(Deviation.id).where(
                func.upper(Deviation.number) == number.strip().upper())).scalar()
            if row is None:
                raise NotFound(what=WHAT, key=number)
            return read_deviations(uow, self._today(), deviation_id=row)[0]

    def request_deviation(self, actor: Actor, part_id: str, characteristic_ids: list[str],
                          description: str, valid_until: date | None = None,
                          quantity_limit: int | None = None, number: str = "") -> DeviationInfo:
        """The supplier asks the customer for a deviation on named characteristics of one part
        revision, limited by an expiry date, a quantity or both."""
        actor.require(Permission.PREPARE_SUBMISSION)
        if not characteristic_ids:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A deviation names at least one characteristic it allows."),
                field="characteristics")
        if not description.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A deviation says what it allows and how the product is contained."),
                field="description")
        if valid_until is None and not quantity_limit:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A deviation is limited by an expiry date, a quantity or both."),
                field="valid_until")
        if quantity_limit is not None and quantity_limit <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The quantity of a deviation is a positive number of parts."),
                field="quantity_limit")
        today = self._today()
        if valid_until is not None and valid_until < today:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The expiry date of a deviation cannot lie in the past."),
                field="valid_until")
        with self._ctx.unit_of_work() as uow:
            if uow.session.get(Part, part_id) is None:
                raise NotFound(what="Part", key=part_id)
            known = set(uow.session.execute(select(Characteristic.id).where(
                Characteristic.part_id == part_id)).scalars())
            foreign = [c for c in characteristic_ids if c not in known]
            if foreign:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Characteristic {characteristic} is not a characteristic of this "
                              "part revision."), field="characteristics",
                    characteristic=foreign[0][:13])
            number = number.strip().upper() or self._next_number(uow, today.year)
            if uow.session.execute(select(func.count()).select_from(Deviation).where(
                    func.upper(Deviation.number) == number)).scalar_one():
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Deviation number {number} is already taken."),
                    field="number", number=number)
            state = uow.records.create("deviation", {
                "number": number, "part_id": part_id,
                "characteristic_ids": sorted(set(characteristic_ids)),
                "description": description.strip(),
                "valid_until": valid_until.isoformat() if valid_until else "",
                "quantity_limit": str(quantity_limit or ""), "quantity_used": 0,
                "site_id": self._ctx.site_id, "requested_by": actor.user_id,
                "requested_at": self._ctx.clock(),
            }, actor, reason="deviation requested")
            uow.session.flush()
            return read_deviations(uow, today, deviation_id=state.record_id)[0]

    def _next_number(self, uow: UnitOfWork, year: int) -> str:
        code = site_code(uow, self._ctx.site_id)  # never invented: a missing site is one sentence
        prefix = f"DEV-{code}-{year}-"
        taken = uow.session.execute(select(Deviation.number).where(
            Deviation.number.like(prefix + "%"))).scalars().all()
        last = max((int(n[len(prefix):]) for n in taken if n[len(prefix):].isdigit()), default=0)
        return deviation_number(code, year, last + 1)

    def record_use(self, actor: Actor, deviation_id: str, quantity: int) -> DeviationInfo:
        """Parts shipped under the deviation: counted against its quantity."""
        actor.require(Permission.PREPARE_SUBMISSION)
        if quantity <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The quantity shipped under a deviation is a positive number of "
                          "parts."), field="quantity")
        with self._ctx.unit_of_work() as uow:
            current = self._load(uow, deviation_id)
            used = int(current.fields.get("quantity_used", 0)) + quantity
            uow.records.update(deviation_id, {**current.fields, "quantity_used": used}, actor,
                               reason=f"{quantity} part(s) shipped under the deviation", what=WHAT)
            uow.session.flush()
            return read_deviations(uow, self._today(), deviation_id=deviation_id)[0]

    def decide(self, actor: Actor, deviation_id: str, action: DeviationAction, password: str,
               reason: str = "") -> DeviationInfo:
        """The customer's decision, signed after re-entering the password; a wrong password
        writes nothing. The requester never decides on their own request."""
        action = DeviationAction(action)
        if action is DeviationAction.REJECT and not reason.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "This decision needs a reason, which is recorded with the signature."),
                field="reason")
        self._check_decider(actor, deviation_id)
        self._people.confirm_password(actor, password)
        with self._ctx.unit_of_work() as uow:
            current = self._check_decider(actor, deviation_id, uow)
            f = current.fields
            now = self._ctx.clock()
            person = uow.session.get(Person, actor.user_id)
            signature_id, decision_id = uuid7(), uuid7()
            meaning = (f"deviation {f.get('number', '')} approved"
                       if action is DeviationAction.APPROVE
                       else f"deviation {f.get('number', '')} rejected")
            uow.records.create("signature", {
                "subject_type": "deviation", "subject_id": deviation_id,
                "covers_rev_id": current.winner.rev_id, "signer_id": actor.user_id,
                "printed_name": person.display_name if person else actor.display_name,
                "title": person.title if person else "", "meaning": meaning, "signed_at": now,
            }, actor, reason="signed", record_id=signature_id)
            uow.records.create("deviation_decision", {
                "deviation_id": deviation_id, "deviation_rev_id": current.winner.rev_id,
                "action": str(action), "part_id": f["part_id"],
                "characteristic_ids": sorted(f.get("characteristic_ids") or []),
                "valid_until": f.get("valid_until", ""),
                "quantity_limit": f.get("quantity_limit", ""), "decided_by": actor.user_id,
                "decided_at": now, "reason": reason.strip(), "signature_id": signature_id,
            }, actor, reason=f"deviation {action}", record_id=decision_id)
            uow.audit.record(actor.username, f"deviation.{action}", f"deviation:{deviation_id}",
                             {"decision": decision_id, "covers": current.winner.rev_id})
            uow.session.flush()
            return read_deviations(uow, self._today(), deviation_id=deviation_id)[0]

    def _check_decider(self, actor: Actor, deviation_id: str,
                       uow: UnitOfWork | None = None) -> Any:
        if uow is None:
            with self._ctx.unit_of_work() as fresh:
                return self._check_decider(actor, deviation_id, fresh)
        current = self._load(uow, deviation_id)
        person = uow.session.get(Person, actor.user_id)
        role = Role(person.role) if person is not None else actor.role
        if role is Role.ADMINISTRATOR:
            raise PermissionDenied(user=actor.username, role=str(role), action=QT_TRANSLATE_NOOP(
                "Permissions", "decide on deviations"))
        Actor(actor.user_id, actor.username, actor.display_name, role, actor.site_id).require(
            Permission.DECIDE_SUBMISSION)
        if current.fields.get("requested_by") == actor.user_id:
            raise PermissionDenied(QT_TRANSLATE_NOOP(
                "Errors", "{user} requested this deviation and cannot decide on it; the "
                          "customer's approver must."), user=actor.username)
        return current

    def _load(self, uow: UnitOfWork, deviation_id: str) -> Any:
        state = uow.records.state(deviation_id)
        if state is None or state.deleted or state.record_type != "deviation":
            raise NotFound(what=WHAT, key=deviation_id)
        if state.conflict:
            raise RecordInConflict(what=WHAT, key=state.fields.get("number", deviation_id))
        return state
