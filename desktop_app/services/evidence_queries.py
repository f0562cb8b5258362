"""Reading test evidence: lists for the screens and the queries certification relies on.

Certification (PPAP elements 9, 10, 11, 12, 16) calls these methods of `EvidenceQueries`:

- `evidence_of_part(part_id)` — current reports and attachments (with SHA-256) of a part revision;
- `dimensional_coverage(part_id)` — for every characteristic, whether it has results;
- `special_capability(part_id)` — Ppk / Cpk and bands of the CC/SC characteristics;
- `gauge_checks(part_id)` — whether each result's gauge was in calibration on the day measured.

"Current" means not superseded: a report that another report names in `supersedes` is kept
(evidence is never deleted) but no longer counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select

from desktop_app.domain.capability import capability
from desktop_app.domain.errors import NotFound
from desktop_app.domain.evidence import (
    CharacteristicClass,
    ReportType,
    StatedResult,
    Verdict,
    combine_verdicts,
    in_calibration,
    parse_readings,
)
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.evidence_dto import (
    AttachmentInfo,
    CapabilitySummary,
    CharacteristicCoverage,
    CharacteristicInfo,
    GaugeCheck,
    GaugeInfo,
    MeasurementSetInfo,
    PartEvidence,
    ReportDetail,
    ReportSummary,
    readings_json,
)
from desktop_app.storage.models.core import RecordRow
from desktop_app.storage.models.evidence import (
    Attachment,
    Characteristic,
    Gauge,
    MeasurementSet,
    TestReport,
)

DIMENSIONAL_TYPES = (str(ReportType.DIMENSIONAL), str(ReportType.CAPABILITY))


def characteristic_info(row: Characteristic, gauge_codes: dict[str, str],
                        rev_id: str = "") -> CharacteristicInfo:
    return CharacteristicInfo(
        characteristic_id=row.id, part_id=row.part_id, number=row.number,
        description=row.description, nominal=row.nominal, lower_tol=row.lower_tol,
        upper_tol=row.upper_tol, lower_limit=row.lower_limit, upper_limit=row.upper_limit,
        unit=row.unit, char_class=row.char_class, method=row.method, gauge_id=row.gauge_id,
        gauge_code=gauge_codes.get(row.gauge_id, ""), conflict=row.conflict, rev_id=rev_id,
        data_type=row.data_type)


def gauge_info(row: Gauge, today: date) -> GaugeInfo:
    return GaugeInfo(
        gauge_id=row.id, code=row.code, gauge_type=row.gauge_type, range_text=row.range_text,
        resolution=row.resolution, calibrated_on=row.calibrated_on, due_on=row.due_on,
        overdue=bool(row.due_on) and row.due_on < today.isoformat(), conflict=row.conflict)


def set_info(row: MeasurementSet) -> MeasurementSetInfo:
    return MeasurementSetInfo(
        set_id=row.id, report_id=row.report_id, part_id=row.part_id,
        characteristic_id=row.characteristic_id, number=row.char_number,
        description=row.description, char_class=row.char_class, nominal=row.nominal,
        lower_limit=row.lower_limit, upper_limit=row.upper_limit, unit=row.unit,
        gauge_code=row.gauge_code, gauge_calibrated_on=row.gauge_calibrated_on,
        gauge_due_on=row.gauge_due_on, gauge_overdue=row.gauge_overdue,
        measured_on=row.measured_on, subgroup_size=row.subgroup_size,
        readings=readings_json(row.readings), verdict=row.verdict, data_type=row.data_type)


def attachment_info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        attachment_id=row.id, part_id=row.part_id, report_id=row.report_id, kind=row.kind,
        original_name=row.original_name, content_type=row.content_type, size=row.size,
        blob_sha256=row.blob_sha256, note=row.note, attached_at=row.attached_at,
        attached_by=row.attached_by)


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class EvidenceQueries:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    # -- lists for the screens -------------------------------------------------------------

    def characteristics(self, part_id: str) -> list[CharacteristicInfo]:
        """The characteristics of a part revision in balloon order (2 before 10)."""
        with self._ctx.unit_of_work() as uow:
            codes = dict(uow.session.execute(select(Gauge.id, Gauge.code)).tuples().all())
            rows = uow.session.execute(
                select(Characteristic, RecordRow.current_rev_id)
                .join(RecordRow, RecordRow.record_id == Characteristic.id)
                .where(Characteristic.part_id == part_id).order_by(Characteristic.sort_key))
            return [characteristic_info(r, codes, rev) for r, rev in rows.tuples()]

    def gauges(self, search: str = "") -> list[GaugeInfo]:
        with self._ctx.unit_of_work() as uow:
            stmt = select(Gauge).order_by(Gauge.code)
            if search.strip():
                like = f"%{search.strip()}%"
                stmt = stmt.where(Gauge.code.ilike(like) | Gauge.gauge_type.ilike(like))
            return [gauge_info(g, self._today()) for g in uow.session.execute(stmt).scalars()]

    def reports(self, part_id: str, include_superseded: bool = True) -> list[ReportSummary]:
        """Reports of a part, newest first; superseded ones carry `superseded_by`."""
        with self._ctx.unit_of_work() as uow:
            rows = list(uow.session.execute(select(TestReport).where(
                TestReport.part_id == part_id).order_by(TestReport.recorded_at.desc(),
                                                        TestReport.number.desc())).scalars())
            summaries = self._summaries(uow, rows)
        return [s for s in summaries if include_superseded or s.current]

    def report(self, report_id: str) -> ReportDetail:
        with self._ctx.unit_of_work() as uow:
            return self.detail_in(uow, report_id)

    def report_by_number(self, number: str) -> ReportDetail:
        with self._ctx.unit_of_work() as uow:
            report_id = uow.session.execute(select(TestReport.id).where(
                TestReport.number == number.strip())).scalar()
            if report_id is None:
                raise NotFound(what="Report", key=number)
            return self.detail_in(uow, report_id)

    def attachments(self, part_id: str, report_id: str | None = None) -> list[AttachmentInfo]:
        with self._ctx.unit_of_work() as uow:
            stmt = select(Attachment).where(Attachment.part_id == part_id)
            if report_id is not None:
                stmt = stmt.where(Attachment.report_id == report_id)
            stmt = stmt.order_by(Attachment.attached_at.desc())
            return [attachment_info(a) for a in uow.session.execute(stmt).scalars()]

    def results_of_characteristic(self, characteristic_id: str) -> list[MeasurementSetInfo]:
        """Every result of one characteristic, oldest first (for its histogram over time)."""
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(MeasurementSet).where(
                MeasurementSet.characteristic_id == characteristic_id).order_by(
                MeasurementSet.measured_on)).scalars()
            return [set_info(r) for r in rows]

    # -- what certification needs ----------------------------------------------------------

    def evidence_of_part(self, part_id: str, include_superseded: bool = False) -> PartEvidence:
        """The evidence of one part revision: its reports (current ones by default, newest
        first, each with its computed verdict) and every attached file with its SHA-256."""
        return PartEvidence(part_id, tuple(self.reports(part_id, include_superseded)),
                            tuple(self.attachments(part_id)))

    def dimensional_coverage(self, part_id: str) -> list[CharacteristicCoverage]:
        """For every characteristic of the part (balloon order): how many results it has in
        current dimensional or capability reports, and the verdict of the latest one
        (`no_data` when it has none — a gap in PPAP element 9)."""
        chars = self.characteristics(part_id)
        latest = self._latest_sets(part_id, DIMENSIONAL_TYPES)
        out = []
        for c in chars:
            sets = latest.get(c.characteristic_id, [])
            last = sets[-1] if sets else None
            out.append(CharacteristicCoverage(
                characteristic=c, result_count=len(sets),
                latest_verdict=last[0].verdict if last else str(Verdict.NO_DATA),
                latest_report_number=last[1] if last else "",
                latest_measured_on=last[0].measured_on if last else ""))
        return out

    def special_capability(self, part_id: str) -> list[CapabilitySummary]:
        """Capability of each special characteristic (CC, SC) from its latest current result:
        n, Cpk, Ppk (text, rounded down to 0.001), the Ppk band and the acceptance
        (`insufficient_data` below 30 readings, `no_data` without results), plus notes."""
        latest = self._latest_sets(part_id, None)
        out = []
        for c in self.characteristics(part_id):
            # An attribute characteristic has no capability: its verdict is its counts.
            if not CharacteristicClass(c.char_class).special or c.attribute:
                continue
            sets = latest.get(c.characteristic_id, [])
            if not sets:
                out.append(CapabilitySummary(
                    c.characteristic_id, c.number, c.description, c.char_class, c.lower_limit,
                    c.upper_limit, c.unit, "", "", 0, "", "", "", "no_data",
                    str(Verdict.NO_DATA), ()))
                continue
            result, report_id, number = sets[-1][0], sets[-1][2], sets[-1][1]
            cap = capability(parse_readings(list(result.readings)), result.limits,
                             result.subgroup_size)
            fields = cap.to_fields()
            out.append(CapabilitySummary(
                c.characteristic_id, c.number, c.description, c.char_class, result.lower_limit,
                result.upper_limit, result.unit, report_id, number, cap.n, str(fields["cpk"]),
                str(fields["ppk"]), str(fields["band"]), cap.acceptance, result.verdict,
                tuple(n.text() for n in cap.notes), cap.findings))
        return out

    def gauge_checks(self, part_id: str) -> list[GaugeCheck]:
        """For each result of the part's current reports made with a gauge: the gauge's
        calibration interval copied when the result was recorded and whether the day it was
        measured falls inside it (False: an impact assessment is needed, IATF 16949
        7.1.5.2.1)."""
        out = []
        for sets in self._latest_sets(part_id, None).values():
            for info, number, report_id in sets:
                if not info.gauge_code:
                    continue
                day = date.fromisoformat(info.measured_on) if info.measured_on else None
                ok = day is not None and in_calibration(
                    _day(info.gauge_calibrated_on), _day(info.gauge_due_on), day)
                out.append(GaugeCheck(info.set_id, report_id, number, info.number,
                                      info.gauge_code, info.measured_on,
                                      info.gauge_calibrated_on, info.gauge_due_on, ok))
        return sorted(out, key=lambda g: (g.report_number, g.char_number))

    # -- helpers ---------------------------------------------------------------------------

    def _latest_sets(self, part_id: str, types: tuple[str, ...] | None
                     ) -> dict[str, list[tuple[MeasurementSetInfo, str, str]]]:
        """Results of current reports by characteristic, oldest first:
        (result, report number, report id)."""
        with self._ctx.unit_of_work() as uow:
            reports = list(uow.session.execute(select(TestReport).where(
                TestReport.part_id == part_id)).scalars())
            superseded = {r.supersedes for r in reports if r.supersedes}
            current = {r.id: r for r in reports if r.id not in superseded
                       and (types is None or r.report_type in types)}
            rows = uow.session.execute(select(MeasurementSet).where(
                MeasurementSet.part_id == part_id)).scalars()
            by_char: dict[str, list[tuple[MeasurementSetInfo, str, str]]] = defaultdict(list)
            for row in rows:
                report = current.get(row.report_id)
                if report is not None:
                    by_char[row.characteristic_id].append(
                        (set_info(row), report.number, report.id))
        for sets in by_char.values():
            sets.sort(key=lambda t: (t[0].measured_on, t[1]))
        return by_char

    @staticmethod
    def _summaries(uow: UnitOfWork, rows: list[TestReport]) -> list[ReportSummary]:
        ids = [r.id for r in rows]
        verdicts: dict[str, list[Verdict]] = defaultdict(list)
        overdue: set[str] = set()
        newer: dict[str, str] = {}
        for chunk in _chunks(ids):
            for report_id, verdict, late in uow.session.execute(select(
                    MeasurementSet.report_id, MeasurementSet.verdict,
                    MeasurementSet.gauge_overdue).where(MeasurementSet.report_id.in_(chunk))):
                verdicts[report_id].append(Verdict(verdict) if verdict else Verdict.NO_DATA)
                if late:
                    overdue.add(report_id)
            for new_id, old_id in uow.session.execute(select(
                    TestReport.id, TestReport.supersedes).where(TestReport.supersedes.in_(chunk))):
                newer[old_id] = new_id
        out = []
        for r in rows:
            if verdicts.get(r.id):
                verdict = combine_verdicts(verdicts[r.id])
            else:
                verdict = {StatedResult.CONFORMING: Verdict.PASS,
                           StatedResult.NOT_CONFORMING: Verdict.FAIL}.get(
                    StatedResult(r.stated_result or ""), Verdict.NO_DATA)
            out.append(ReportSummary(
                report_id=r.id, number=r.number, part_id=r.part_id, report_type=r.report_type,
                title=r.title, standard=r.standard, laboratory=r.laboratory,
                lab_kind=r.lab_kind, accreditation=r.accreditation, sample_size=r.sample_size,
                tested_on=r.tested_on, issued_on=r.issued_on, operator=r.operator,
                conclusion=r.conclusion, stated_result=r.stated_result,
                supersedes=r.supersedes, supersede_reason=r.supersede_reason,
                superseded_by=newer.get(r.id, ""), recorded_at=r.recorded_at,
                recorded_by=r.recorded_by, verdict=str(verdict),
                set_count=len(verdicts.get(r.id, [])), gauge_overdue=r.id in overdue,
                conflict=r.conflict))
        return out

    @classmethod
    def detail_in(cls, uow: UnitOfWork, report_id: str) -> ReportDetail:
        row = uow.session.get(TestReport, report_id)
        if row is None:
            raise NotFound(what="Report", key=report_id)
        summary = cls._summaries(uow, [row])[0]
        sets = [set_info(s) for s in uow.session.execute(select(MeasurementSet).where(
            MeasurementSet.report_id == report_id).order_by(MeasurementSet.sort_key)).scalars()]
        files = [attachment_info(a) for a in uow.session.execute(select(Attachment).where(
            Attachment.report_id == report_id).order_by(Attachment.attached_at)).scalars()]
        return ReportDetail(summary, tuple(sets), tuple(files))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
