"""The gauges register: measuring instruments with their calibration interval.

A new calibration changes a gauge's dates; results already recorded keep the dates copied onto
them, and `EvidenceService` finds in a gauge's history the interval that covered the day of a
measurement.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evidence import (
    check_calibration,
    decimal_text,
    optional_decimal,
    parse_date,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.evidence_dto import GaugeDraft, GaugeInfo
from desktop_app.services.evidence_queries import gauge_info
from desktop_app.storage.models.evidence import Gauge


def gauge_codes(uow: UnitOfWork) -> dict[str, str]:
    """Gauge code -> gauge record id."""
    return {code: gid for gid, code in uow.session.execute(select(Gauge.id, Gauge.code))}


class GaugeService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    def add_gauge(self, actor: Actor, draft: GaugeDraft) -> GaugeInfo:
        actor.require(Permission.RECORD_EVIDENCE)
        with self._ctx.unit_of_work() as uow:
            fields = self._gauge_fields(draft)
            if fields["code"] in gauge_codes(uow):
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Gauge {code} is already in the register."), field="code",
                    code=fields["code"])
            state = uow.records.create("gauge", fields, actor, reason="gauge registered")
            uow.session.flush()
            row = uow.session.get(Gauge, state.record_id)
            assert row is not None
            return gauge_info(row, self._today())

    def recalibrate_gauge(self, actor: Actor, gauge_id: str, calibrated_on: str,
                          due_on: str) -> GaugeInfo:
        """A new calibration: the dates change; results keep the dates they were taken with."""
        actor.require(Permission.RECORD_EVIDENCE)
        done = parse_date(calibrated_on, "calibration date")
        due = parse_date(due_on, "due date")
        check_calibration(done, due)
        with self._ctx.unit_of_work() as uow:
            uow.records.patch(gauge_id, {"calibrated_on": done.isoformat(),
                                         "due_on": due.isoformat()}, actor,
                              reason="calibrated", what="Gauge")
            uow.session.flush()
            row = uow.session.get(Gauge, gauge_id)
            assert row is not None
            return gauge_info(row, self._today())

    @staticmethod
    def _gauge_fields(d: GaugeDraft) -> dict[str, Any]:
        code = d.code.strip().upper()
        if not code or len(code) > 40:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A gauge needs an identifier of 1 to 40 characters."), field="code")
        if not d.gauge_type.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Gauge {code} needs a type (e.g. micrometer)."), field="gauge_type",
                code=code)
        done = parse_date(d.calibrated_on, "calibration date")
        due = parse_date(d.due_on, "due date")
        check_calibration(done, due)
        resolution = optional_decimal(d.resolution, "resolution")
        if resolution is not None and resolution <= 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The resolution of a gauge is above zero."), field="resolution")
        return {"code": code, "gauge_type": d.gauge_type.strip(),
                "range_text": d.range_text.strip(), "resolution": decimal_text(resolution),
                "calibrated_on": done.isoformat(), "due_on": due.isoformat()}
