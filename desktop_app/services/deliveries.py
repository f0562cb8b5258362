"""Deliveries of parts shipped under an approval, and how much of an interim approval's quantity
they have used.

    DeliveryService(ctx).record_delivery(actor, part_id, 400, "2026-11-20", "BL-2026-118")
    DeliveryService(ctx).interim_usage(actor)   # -> [InterimUsage(...), ...]

An interim approval limited by quantity ends after the day its quantity is shipped (or at its
expiry date, whichever comes first): from then on the part no longer counts toward the
integration rate (`services.approvals`). Deliveries are insert-only facts, as evidence is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from desktop_app.domain.approvals import ApprovalKind
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.integration import parse_day
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services import roadmap_sources as sources
from desktop_app.services.context import ServiceContext
from desktop_app.storage.models.roadmap import Delivery

MAX_QUANTITY = 10**9


@dataclass(frozen=True, slots=True)
class InterimUsage:
    """An interim approval limited by quantity: what was shipped under it and whether it ended."""

    part_id: str
    part_number: str
    certificate_number: str
    start: date
    quantity_limit: int
    shipped: int
    ends_on: date | None  # the first day it no longer holds (expiry or quantity reached)
    used_up: bool  # its quantity is shipped

    @property
    def remaining(self) -> int:
        return max(0, self.quantity_limit - self.shipped)

    def to_json(self) -> dict[str, Any]:
        return {"part_id": self.part_id, "part": self.part_number,
                "certificate": self.certificate_number, "start": self.start.isoformat(),
                "quantity_limit": self.quantity_limit, "shipped": self.shipped,
                "remaining": self.remaining,
                "ends_on": self.ends_on.isoformat() if self.ends_on else "",
                "used_up": self.used_up}


class DeliveryService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    def record_delivery(self, actor: Actor, part_id: str, quantity: object,
                        delivered_on: object = None, note: str = "") -> str:
        """Record pieces shipped on a day (default today); a day after today is refused."""
        actor.require(Permission.RECORD_EVIDENCE)
        try:
            pieces = int(str(quantity).strip())
        except ValueError:
            pieces = 0
        if not 0 < pieces <= MAX_QUANTITY:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A delivery is a whole number of pieces, 1 or more, not '{value}'."),
                field="quantity", value=str(quantity))
        today = self._today()
        day = parse_day(delivered_on, "delivered_on") or today
        if day > today:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A delivery on {day} is in the future; record it once shipped."),
                field="delivered_on", day=day.isoformat())
        with self._ctx.unit_of_work() as uow:
            if part_id not in sources.parts(uow.session, [part_id]):
                raise NotFound(what="Part", key=part_id)
            state = uow.records.create("delivery", {
                "part_id": part_id, "delivered_on": day.isoformat(), "quantity": pieces,
                "note": note.strip()[:200]}, actor, "delivery recorded")
            return state.record_id

    def interim_usage(self, actor: Actor | None, part_id: str | None = None
                      ) -> list[InterimUsage]:
        """Every interim approval limited by quantity (of one part, or all), oldest first."""
        sources.require_view(actor)
        periods = (sources.approval_periods(self._ctx, [part_id]) if part_id
                   else sources.all_approval_periods(self._ctx))
        with self._ctx.unit_of_work() as uow:
            stmt = select(Delivery)
            if part_id:
                stmt = stmt.where(Delivery.part_id == part_id)
            shipped = [(d.part_id, date.fromisoformat(d.delivered_on), d.quantity)
                       for d in uow.session.execute(stmt).scalars()]
            parts = sources.parts(uow.session, list(periods))
        result = []
        for pid, spans in periods.items():
            by_submission: dict[str, list] = {}
            for p in spans:
                if p.kind is ApprovalKind.INTERIM and p.quantity_limit is not None:
                    by_submission.setdefault(p.submission_id, []).append(p)
            for mine in by_submission.values():
                count = sum(q for d_part, day, q in shipped if d_part == pid
                            and any(p.valid_on(day) for p in mine))
                first, last = mine[0], mine[-1]
                limit = first.quantity_limit or 0
                part = parts.get(pid)
                result.append(InterimUsage(pid, part.number if part else pid,
                                           first.certificate_number, first.start, limit,
                                           count, last.end, count >= limit))
        return sorted(result, key=lambda u: (u.start, u.part_number))
