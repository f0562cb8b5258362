"""Recording test evidence: characteristics of a part revision, the gauges register and test
reports with their readings.

Reports and their measurement sets are insert-only: a correction is a new report that names the
old one in `supersedes`, with a reason. When a result is recorded, the characteristic's limits and
the gauge's calibration dates are copied onto it, so a later change of either never re-grades old
evidence. Reading what was recorded (and the queries certification relies on) is in
`services/evidence_queries.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from desktop_app.domain.attributes import DataType, data_type_of, parse_attribute_readings
from desktop_app.domain.capability import Note
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.evidence import (
    CharacteristicClass,
    LabKind,
    Limits,
    ReportType,
    RowError,
    StatedResult,
    decimal_text,
    in_calibration,
    limits_from,
    optional_decimal,
    parse_date,
    parse_decimal,
    report_number,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.revisions import Revision, uuid7
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.evidence_dto import (
    CharacteristicDraft,
    CharacteristicInfo,
    GaugeDraft,
    GaugeInfo,
    ReportDetail,
    ReportDraft,
    ResultDraft,
)
from desktop_app.services.evidence_queries import EvidenceQueries, characteristic_info
from desktop_app.services.gauges import GaugeService, gauge_codes
from desktop_app.services.laboratories import accreditation_notes
from desktop_app.storage.models.core import KeyValue, RecordRow, Site
from desktop_app.storage.models.evidence import Characteristic, Gauge, TestReport


def parse_choice(enum: Any, value: str, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "{what} '{value}' is not one of: {allowed}."),
            field=what, what=what, value=str(value)[:40],
            allowed=", ".join(str(m.value) or "(empty)" for m in enum)) from None


def require_part(uow: UnitOfWork, part_id: str) -> None:
    """A part is a live record of type "part" (the parts area owns its table)."""
    row = uow.session.get(RecordRow, part_id)
    if row is None or row.record_type != "part" or row.deleted:
        raise NotFound(what="Part", key=part_id)


class EvidenceService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    @property
    def queries(self) -> EvidenceQueries:
        return EvidenceQueries(self._ctx, self._today)

    # -- characteristics -------------------------------------------------------------------

    def add_characteristic(self, actor: Actor, part_id: str,
                           draft: CharacteristicDraft) -> CharacteristicInfo:
        return self.add_characteristics(actor, part_id, [draft])[0]

    def add_characteristics(self, actor: Actor, part_id: str,
                            drafts: Sequence[CharacteristicDraft],
                            first_row: int | None = None,
                            rows: Sequence[int] | None = None) -> list[CharacteristicInfo]:
        """Add characteristics to a part revision in one transaction (all or nothing).

        `rows` (or `first_row`, for consecutive rows) numbers the drafts in error sentences."""
        actor.require(Permission.EDIT_PARTS)
        with self._ctx.unit_of_work() as uow:
            require_part(uow, part_id)
            taken = set(uow.session.execute(
                select(Characteristic.number).where(Characteristic.part_id == part_id)).scalars())
            gauges = self._gauge_codes(uow)
            created = []
            for i, draft in enumerate(drafts):
                row = rows[i] if rows is not None else (
                    None if first_row is None else first_row + i)
                fields = self.characteristic_fields(part_id, draft, gauges, row)
                if fields["number"] in taken:
                    raise _rowed(row, QT_TRANSLATE_NOOP(
                        "Errors", "Characteristic {number} already exists on this part."),
                        number=fields["number"])
                taken.add(fields["number"])
                created.append(self._revision(uow, actor, "characteristic", uuid7(), fields,
                                              "characteristic added"))
            uow.records.apply_many(created, actor_name=actor.username, origin="local")
            uow.session.flush()
            by_id = {c.id: c for c in uow.session.execute(select(Characteristic).where(
                Characteristic.part_id == part_id)).scalars()}
            codes = {g.id: g.code for g in uow.session.execute(select(Gauge)).scalars()}
            return [characteristic_info(by_id[r.record_id], codes) for r in created]

    def update_characteristic(self, actor: Actor, characteristic_id: str,
                              draft: CharacteristicDraft,
                              expected_rev_id: str | None = None) -> CharacteristicInfo:
        """Change the drawing's characteristic; results already recorded keep their limits."""
        actor.require(Permission.EDIT_PARTS)
        with self._ctx.unit_of_work() as uow:
            current = uow.records.require(characteristic_id, "Characteristic")
            part_id = str(current.fields.get("part_id", ""))
            fields = self.characteristic_fields(part_id, draft, self._gauge_codes(uow), None)
            clash = uow.session.execute(select(Characteristic.id).where(
                Characteristic.part_id == part_id, Characteristic.number == fields["number"],
                Characteristic.id != characteristic_id)).first()
            if clash:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Characteristic {number} already exists on this part."),
                    field="number", number=fields["number"])
            uow.records.update(characteristic_id, fields, actor, reason="characteristic changed",
                               expected_rev_id=expected_rev_id, what="Characteristic")
            uow.session.flush()
            row = uow.session.get(Characteristic, characteristic_id)
            assert row is not None
            return characteristic_info(row, {g.id: g.code for g in
                                             uow.session.execute(select(Gauge)).scalars()})

    def remove_characteristic(self, actor: Actor, characteristic_id: str, reason: str) -> None:
        actor.require(Permission.EDIT_PARTS)
        if not reason.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Say why the characteristic is removed."), field="reason")
        with self._ctx.unit_of_work() as uow:
            uow.records.tombstone(characteristic_id, actor, reason.strip(),
                                  what="Characteristic")

    def gauge_codes(self) -> dict[str, str]:
        """Gauge code -> gauge id, for checking many drafts at once."""
        with self._ctx.unit_of_work() as uow:
            return self._gauge_codes(uow)

    def characteristic_fields(self, part_id: str, d: CharacteristicDraft,
                              gauges: dict[str, str], row: int | None) -> dict[str, Any]:
        """The checked fields of a characteristic (refused with one sentence, with its row)."""
        number = d.number.strip()
        if not number or len(number) > 20:
            raise _rowed(row, QT_TRANSLATE_NOOP(
                "Errors", "A characteristic needs a number of 1 to 20 characters (the balloon)."))
        description = d.description.strip()
        if not description:
            raise _rowed(row, QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number} needs a description."), number=number)
        try:
            data_type = data_type_of(d.data_type)
        except ValidationError as error:
            raise (error if row is None else RowError(row, error)) from None
        values = {name: optional_decimal(getattr(d, name), name.replace("_", " "), row)
                  for name in ("nominal", "lower_tol", "upper_tol", "lower_limit", "upper_limit")}
        if data_type.is_attribute:  # judged OK / NG or counted: no limits
            values = dict.fromkeys(values)
            limits = Limits(None, None)
        else:
            limits = limits_from(values["nominal"], values["lower_tol"], values["upper_tol"],
                                 values["lower_limit"], values["upper_limit"], row)
        char_class = parse_choice(CharacteristicClass, _class_text(d.char_class), "class")
        gauge_id = ""
        if d.gauge_code.strip():
            gauge_id = gauges.get(d.gauge_code.strip().upper(), "")
            if not gauge_id:
                raise _rowed(row, QT_TRANSLATE_NOOP(
                    "Errors", "Gauge {code} is not in the gauges register."),
                    code=d.gauge_code.strip())
        return {
            "part_id": part_id, "number": number, "description": description,
            **{k: decimal_text(v) for k, v in values.items()},
            "lower_limit": decimal_text(limits.lower), "upper_limit": decimal_text(limits.upper),
            "unit": "" if data_type.is_attribute else d.unit.strip(),
            "char_class": str(char_class), "method": d.method.strip(), "gauge_id": gauge_id,
            "data_type": str(data_type),
        }

    # -- gauges (the register itself is `GaugeService`) ------------------------------------

    def add_gauge(self, actor: Actor, draft: GaugeDraft) -> GaugeInfo:
        """Add a gauge to the register (see `GaugeService.add_gauge`)."""
        return GaugeService(self._ctx, self._today).add_gauge(actor, draft)

    def recalibrate_gauge(self, actor: Actor, gauge_id: str, calibrated_on: str,
                          due_on: str) -> GaugeInfo:
        """Record a new calibration (see `GaugeService.recalibrate_gauge`)."""
        return GaugeService(self._ctx, self._today).recalibrate_gauge(
            actor, gauge_id, calibrated_on, due_on)

    @staticmethod
    def _gauge_codes(uow: UnitOfWork) -> dict[str, str]:
        return gauge_codes(uow)

    # -- reports ---------------------------------------------------------------------------

    def record_report(self, actor: Actor, draft: ReportDraft,
                      results: Sequence[ResultDraft] = ()) -> ReportDetail:
        """Record a test report and the readings of its characteristics in one transaction.

        Returns the recorded report with `warnings` (a gauge past its calibration due date, an
        external laboratory without an accreditation reference); those results are marked."""
        return self._record(actor, draft, results, supersedes="", reason="")

    def supersede_report(self, actor: Actor, old_report_id: str, draft: ReportDraft,
                         results: Sequence[ResultDraft], reason: str) -> ReportDetail:
        """Correct a report: a new report that supersedes the old one, which stays as it was."""
        if not reason.strip():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A correction needs a reason."), field="reason")
        return self._record(actor, draft, results, supersedes=old_report_id,
                            reason=reason.strip())

    def _record(self, actor: Actor, draft: ReportDraft, results: Sequence[ResultDraft],
                supersedes: str, reason: str) -> ReportDetail:
        actor.require(Permission.RECORD_EVIDENCE)
        report_type = parse_choice(ReportType, draft.report_type, "report type")
        lab_kind = parse_choice(LabKind, draft.lab_kind or "internal", "laboratory")
        stated = parse_choice(StatedResult, draft.stated_result, "stated result")
        if draft.sample_size < 0:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The sample size cannot be negative."), field="sample_size")
        tested_on = (parse_date(draft.tested_on, "test date") if draft.tested_on.strip()
                     else self._today())
        issued_on = parse_date(draft.issued_on, "issue date") if draft.issued_on.strip() else None
        if issued_on is not None and issued_on < tested_on:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The report is issued ({issued}) before the test ({tested})."),
                field="issued_on", issued=issued_on.isoformat(), tested=tested_on.isoformat())
        warnings: list[Note] = []
        if lab_kind is LabKind.EXTERNAL and not draft.accreditation.strip():
            warnings.append(Note(QT_TRANSLATE_NOOP(
                "Evidence", "The external laboratory has no ISO/IEC 17025 accreditation "
                "reference; PPAP element 12 asks for one.")))
        with self._ctx.unit_of_work() as uow:
            require_part(uow, draft.part_id)
            if supersedes:
                self._check_supersedable(uow, supersedes, draft.part_id)
            warnings += accreditation_notes(uow, draft.laboratory, draft.accreditation,
                                            draft.standard, tested_on)
            report_id = uuid7()
            sets = self._set_fields(uow, draft.part_id, report_id, results, tested_on, warnings)
            fields = {
                "number": self._next_number(uow, tested_on.year), "part_id": draft.part_id,
                "report_type": str(report_type), "title": draft.title.strip(),
                "standard": draft.standard.strip(), "laboratory": draft.laboratory.strip(),
                "lab_kind": str(lab_kind), "accreditation": draft.accreditation.strip(),
                "sample_size": int(draft.sample_size), "tested_on": tested_on.isoformat(),
                "issued_on": issued_on.isoformat() if issued_on else "",
                "operator": draft.operator.strip(), "conclusion": draft.conclusion.strip(),
                "stated_result": str(stated), "supersedes": supersedes,
                "supersede_reason": reason,
            }
            why = f"corrects {supersedes}: {reason}" if supersedes else "report recorded"
            revisions = [self._revision(uow, actor, "test_report", report_id, fields, why)]
            revisions += [self._revision(uow, actor, "measurement_set", uuid7(), f,
                                         "result recorded") for f in sets]
            uow.records.apply_many(revisions, actor_name=actor.username, origin="local")
            uow.session.flush()
            detail = EvidenceQueries.detail_in(uow, report_id)
        return ReportDetail(detail.summary, detail.sets, detail.attachments, tuple(warnings))

    def _revision(self, uow: UnitOfWork, actor: Actor, record_type: str, record_id: str,
                  fields: dict[str, Any], reason: str) -> Revision:
        return Revision.create(record_type=record_type, record_id=record_id, parents=(),
                               site_id=self._ctx.site_id, lamport=uow.records.next_lamport(),
                               author=actor.user_id, fields=fields, reason=reason,
                               created_at=self._ctx.clock())

    @staticmethod
    def _check_supersedable(uow: UnitOfWork, old_id: str, part_id: str) -> None:
        old = uow.session.get(TestReport, old_id)
        if old is None:
            raise NotFound(what="Report", key=old_id)
        if old.part_id != part_id:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A correction of report {number} must be for the same part."),
                field="part_id", number=old.number)
        newer = uow.session.execute(select(TestReport.number).where(
            TestReport.supersedes == old_id)).scalar()
        if newer:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Report {number} was already corrected by {newer}; correct {newer} "
                "instead."), field="supersedes", number=old.number, newer=newer)

    def _set_fields(self, uow: UnitOfWork, part_id: str, report_id: str,
                    results: Sequence[ResultDraft], measured_on: date,
                    warnings: list[Note]) -> list[dict[str, Any]]:
        ids = [r.characteristic_id for r in results]
        chars = {c.id: c for c in uow.session.execute(
            select(Characteristic).where(Characteristic.id.in_(ids))).scalars()}
        gauges = {g.id: g for g in uow.session.execute(select(Gauge)).scalars()}
        by_code = {g.code: g for g in gauges.values()}
        seen: set[str] = set()
        out = []
        for result in results:
            char = chars.get(result.characteristic_id)
            if char is None or char.part_id != part_id:
                raise NotFound(what="Characteristic", key=result.characteristic_id)
            if char.id in seen:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Characteristic {number} appears twice in the report."),
                    field="results", number=char.number)
            seen.add(char.id)
            data_type = DataType(char.data_type or "variable")
            stored = ([str(v) for v in _readings(char.number, result.readings)]
                      if not data_type.is_attribute else
                      parse_attribute_readings(result.readings, data_type, char.number))
            if not 1 <= result.subgroup_size <= 10:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "A subgroup size is between 1 and 10."), field="subgroup_size")
            gauge = (by_code.get(result.gauge_code.strip().upper()) if result.gauge_code.strip()
                     else gauges.get(char.gauge_id))
            if result.gauge_code.strip() and gauge is None:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Gauge {code} is not in the gauges register."), field="gauge",
                    code=result.gauge_code.strip())
            window = self._calibration_on(uow, gauge, measured_on) if gauge else ("", "")
            overdue = gauge is not None and not in_calibration(
                _date(window[0]), _date(window[1]), measured_on)
            if overdue and gauge is not None:
                warnings.append(Note(QT_TRANSLATE_NOOP(
                    "Evidence", "Gauge {code} was not in calibration on {day} (due {due}): "
                    "characteristic {number} is marked for an impact assessment (IATF 16949 "
                    "7.1.5.2.1)."), {"code": gauge.code, "day": measured_on.isoformat(),
                                     "due": window[1] or "?", "number": char.number}))
            out.append({
                "report_id": report_id, "part_id": part_id, "characteristic_id": char.id,
                "char_number": char.number, "description": char.description,
                "char_class": char.char_class, "nominal": char.nominal,
                "lower_limit": char.lower_limit, "upper_limit": char.upper_limit,
                "unit": char.unit, "gauge_id": gauge.id if gauge else "",
                "gauge_code": gauge.code if gauge else "", "gauge_calibrated_on": window[0],
                "gauge_due_on": window[1], "gauge_overdue": overdue,
                "measured_on": measured_on.isoformat(), "subgroup_size": result.subgroup_size,
                "readings": stored, "data_type": str(data_type),
            })
        return out

    @staticmethod
    def _calibration_on(uow: UnitOfWork, gauge: Gauge, day: date) -> tuple[str, str]:
        """The calibration interval of a gauge that covered `day`, from the gauge's history;
        the current interval when none did."""
        for revision in reversed(uow.records.history(gauge.id)):
            done, due = revision.fields.get("calibrated_on"), revision.fields.get("due_on")
            if done and due and in_calibration(_date(done), _date(due), day):
                return str(done), str(due)
        return gauge.calibrated_on, gauge.due_on

    def _next_number(self, uow: UnitOfWork, year: int) -> str:
        code = uow.session.execute(select(Site.code).where(
            Site.id == self._ctx.site_id)).scalar() or "X"
        key = f"seq/test_report/{year}"
        row = uow.session.get(KeyValue, key)
        sequence = int(row.value) + 1 if row else 1
        while uow.session.execute(select(TestReport.id).where(
                TestReport.number == report_number(code, year, sequence))).first():
            sequence += 1
        if row is None:
            uow.session.add(KeyValue(key=key, value=str(sequence)))
        else:
            row.value = str(sequence)
        return report_number(code, year, sequence)


def _class_text(value: str) -> str:
    text = (value or "").strip()
    upper = text.upper()
    if upper in ("CC", "SC"):
        return upper
    return "standard" if upper in ("", "STANDARD", "STD", "-") else text


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _readings(number: str, values: Sequence[str]) -> list[Decimal]:
    readings = []
    for i, value in enumerate(values, start=1):
        if value is None or not str(value).strip():
            continue
        try:
            readings.append(parse_decimal(value))
        except ValidationError:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number}, reading {row}: '{value}' is not a number."),
                field="readings", number=number, row=i, value=str(value)[:40]) from None
    if not readings:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Characteristic {number} has no readings."), field="readings",
            number=number)
    return readings


def _rowed(row: int | None, template: str, **params: Any) -> ValidationError:
    error = ValidationError(template, **params)
    return error if row is None else RowError(row, error)
