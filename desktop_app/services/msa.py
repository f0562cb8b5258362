"""Measurement system analysis studies (PPAP element 8): a gauge R&R or an attribute agreement
study of a gauge, recorded from a sheet (`services/msa_sheets.py`: operator, part, trial, value;
a reference column for an OK / NG study) or from a list, kept as a record with its raw readings;
its figures are computed from them (`domain/msa_study.py`).

Studies are evidence, insert-only: a new study of a gauge supersedes the older ones. The study
that answers for a characteristic is the latest valid study of its gauge recorded for that
characteristic, else the latest valid study of the gauge; certification reads, for every gauge
the part's characteristics are measured with, that study's verdict (`gauge_study_facts`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.attributes import DataType, parse_attribute
from desktop_app.domain.certification_checks import GaugeStudyFact
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.evidence import decimal_text, optional_decimal, parse_date, parse_decimal
from desktop_app.domain.msa import MsaKind, MsaVerdict, Reading
from desktop_app.domain.msa_study import StudyResult, result_of
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.record_schemas import LONG_TEXT, MAX_READINGS
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    UnitOfWork,
    never_cancelled,
    no_progress,
)
from desktop_app.services.msa_sheets import is_judgement, read_study_sheet
from desktop_app.storage.models.evidence import Characteristic, Gauge
from desktop_app.storage.models.msa import MsaStudy


@dataclass(frozen=True, slots=True)
class MsaStudyDraft:
    gauge_id: str
    readings: Sequence[Reading]
    kind: str = ""  # "variable" / "attribute"; "" told by the readings
    reference: Mapping[str, str] = field(default_factory=dict)
    tolerance: str = ""  # USL - LSL; "" takes the characteristic's when one is named
    unit: str = ""
    studied_on: str = ""  # ISO date; today when empty
    conducted_by: str = ""  # who ran the study; the person recording it when empty
    characteristic_id: str = ""
    note: str = ""
    source_name: str = ""


@dataclass(frozen=True, slots=True)
class MsaStudyInfo:
    study_id: str
    gauge_id: str
    gauge_code: str
    kind: str
    characteristic_id: str
    characteristic_number: str
    part_id: str
    studied_on: str
    conducted_by: str
    tolerance: str
    unit: str
    operators: int
    parts: int
    trials: int
    pct_ev: str
    pct_av: str
    pct_grr: str
    pct_pv: str
    pct_grr_tolerance: str
    ndc: str
    effectiveness: str
    miss_rate: str
    false_alarm_rate: str
    kappa: str
    verdict: str  # acceptable / marginal / unacceptable, or "invalid"
    problem: str
    recorded_at: str
    conflict: bool

    @property
    def valid(self) -> bool:
        return self.verdict in tuple(MsaVerdict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MsaStudyDetail:
    info: MsaStudyInfo
    result: StudyResult | None  # None when the readings make no study:
    problem: str = ""  # ... the sentence's template (context "Errors") and its parameters
    problem_params: tuple[tuple[str, str], ...] = ()

    def problem_text(self, translate: Translate = untranslated) -> str:
        return translate("Errors", self.problem).format(**dict(self.problem_params)) \
            if self.problem else ""


# -- reading the register ------------------------------------------------------------------------


def _info(row: MsaStudy, gauge_code: str, number: str) -> MsaStudyInfo:
    return MsaStudyInfo(
        study_id=row.id, gauge_id=row.gauge_id, gauge_code=gauge_code, kind=row.kind,
        characteristic_id=row.characteristic_id, characteristic_number=number,
        part_id=row.part_id, studied_on=row.studied_on, conducted_by=row.conducted_by,
        tolerance=row.tolerance, unit=row.unit, operators=row.operators, parts=row.parts,
        trials=row.trials, pct_ev=row.pct_ev, pct_av=row.pct_av, pct_grr=row.pct_grr,
        pct_pv=row.pct_pv, pct_grr_tolerance=row.pct_grr_tolerance, ndc=row.ndc,
        effectiveness=row.effectiveness, miss_rate=row.miss_rate,
        false_alarm_rate=row.false_alarm_rate, kappa=row.kappa, verdict=row.verdict,
        problem=row.problem, recorded_at=row.recorded_at, conflict=row.conflict)


def _newest_first(rows: Sequence[MsaStudy]) -> list[MsaStudy]:
    return sorted(rows, key=lambda r: (r.studied_on, r.recorded_at, r.id), reverse=True)


def _infos(uow: UnitOfWork, rows: Sequence[MsaStudy]) -> list[MsaStudyInfo]:
    codes = dict(uow.session.execute(select(Gauge.id, Gauge.code)).tuples().all())
    wanted = sorted({r.characteristic_id for r in rows if r.characteristic_id})
    numbers = dict(uow.session.execute(select(Characteristic.id, Characteristic.number).where(
        Characteristic.id.in_(wanted))).tuples().all()) if wanted else {}
    return [_info(r, codes.get(r.gauge_id, ""), numbers.get(r.characteristic_id, ""))
            for r in _newest_first(rows)]


def _valid(uow: UnitOfWork, gauge_ids: Sequence[str]) -> dict[str, list[MsaStudy]]:
    """Valid studies by gauge, newest first."""
    found: dict[str, list[MsaStudy]] = {}
    rows = uow.session.execute(select(MsaStudy).where(
        MsaStudy.gauge_id.in_(sorted(set(gauge_ids))),
        MsaStudy.verdict.in_([str(v) for v in MsaVerdict]))).scalars().all()
    for row in _newest_first(rows):
        found.setdefault(row.gauge_id, []).append(row)
    return found


def _answering(studies: Sequence[MsaStudy], characteristic_id: str) -> MsaStudy | None:
    """The study that answers for a characteristic: its own latest, else the gauge's."""
    own = [s for s in studies if s.characteristic_id == characteristic_id]
    chosen = own or list(studies)
    return chosen[0] if chosen else None


def gauge_study_facts(uow: UnitOfWork, part_id: str) -> tuple[GaugeStudyFact, ...]:
    """For every gauge the part's characteristics are measured with: its code, those
    characteristics and the verdict of the study answering for them (the worst, when two
    characteristics read different studies of one gauge); PPAP element 8."""
    chars = uow.session.execute(select(Characteristic).where(
        Characteristic.part_id == part_id, Characteristic.gauge_id != "")
        .order_by(Characteristic.sort_key)).scalars().all()
    if not chars:
        return ()
    codes = dict(uow.session.execute(select(Gauge.id, Gauge.code).where(
        Gauge.id.in_(sorted({c.gauge_id for c in chars})))).tuples().all())
    studies = _valid(uow, [c.gauge_id for c in chars])
    by_gauge: dict[str, list[Characteristic]] = {}
    for c in chars:
        by_gauge.setdefault(c.gauge_id, []).append(c)
    facts = []
    for gauge_id, measured in by_gauge.items():
        answers = [_answering(studies.get(gauge_id, []), c.id) for c in measured]
        found = [a for a in answers if a is not None]
        chosen = max(found, key=lambda s: MsaVerdict(s.verdict).rank) if len(found) == len(
            answers) else None
        numbers = tuple(c.number for c in measured)
        code = codes.get(gauge_id, gauge_id[:8])
        if chosen is None:
            facts.append(GaugeStudyFact(code, numbers))
            continue
        figures = ({"grr": chosen.pct_grr, "grr_tolerance": chosen.pct_grr_tolerance,
                    "ndc": chosen.ndc} if chosen.kind == MsaKind.VARIABLE else
                   {"effectiveness": chosen.effectiveness, "miss": chosen.miss_rate,
                    "false_alarm": chosen.false_alarm_rate, "kappa": chosen.kappa})
        facts.append(GaugeStudyFact(code, numbers, chosen.kind, chosen.verdict,
                                    chosen.studied_on, tuple(sorted(figures.items()))))
    return tuple(sorted(facts, key=lambda f: f.gauge))


# -- the service ---------------------------------------------------------------------------------


class MsaService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today

    def gauge_id(self, code: str) -> str:
        """The record id of the gauge with this identifier (any case)."""
        with self._ctx.unit_of_work() as uow:
            found = uow.session.execute(select(Gauge.id).where(
                func.upper(Gauge.code) == code.strip().upper())).scalar()
        if not found:
            raise NotFound(what="Gauge", key=code.strip())
        return found

    def record_study(self, actor: Actor, draft: MsaStudyDraft) -> MsaStudyInfo:
        """Record a study of a gauge; refused with one sentence, nothing written, when its
        readings do not make a study (domain/msa.py) or what it names does not exist."""
        actor.require(Permission.RECORD_EVIDENCE)
        readings = list(draft.readings)
        if not readings:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A study needs its readings."), field="readings")
        if len(readings) > MAX_READINGS:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "A study holds at most {limit} readings; the sheet has {count}."),
                field="readings", limit=MAX_READINGS, count=len(readings))
        kind = self._kind(draft.kind, readings)
        studied_on = parse_date(draft.studied_on or self._today(), "study date")
        if studied_on > self._today():
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The study date {date} is after today."), field="studied_on",
                date=studied_on.isoformat())
        tolerance = optional_decimal(draft.tolerance, "tolerance")
        with self._ctx.unit_of_work() as uow:
            gauge = uow.session.get(Gauge, draft.gauge_id)
            if gauge is None:
                raise NotFound(what="Gauge", key=draft.gauge_id)
            part_id, unit = "", draft.unit.strip()
            if draft.characteristic_id:
                char = uow.session.get(Characteristic, draft.characteristic_id)
                if char is None:
                    raise NotFound(what="Characteristic", key=draft.characteristic_id)
                if char.gauge_id and char.gauge_id != gauge.id:
                    other = uow.session.get(Gauge, char.gauge_id)
                    raise ValidationError(QT_TRANSLATE_NOOP(
                        "Errors", "Characteristic {number} is measured with gauge {other}, "
                                  "not {gauge}."), field="characteristic_id",
                        number=char.number, other=other.code if other else char.gauge_id[:8],
                        gauge=gauge.code)
                part_id, unit = char.part_id, unit or char.unit
                if tolerance is None and kind is MsaKind.VARIABLE:
                    tolerance = _width(char.lower_limit, char.upper_limit)
            studied = {str(r.part).strip() for r in readings}
            fields: dict[str, Any] = {
                "gauge_id": gauge.id, "kind": str(kind),
                "characteristic_id": draft.characteristic_id, "part_id": part_id,
                "studied_on": studied_on.isoformat(),
                "conducted_by": (draft.conducted_by.strip() or actor.display_name)[:200],
                "tolerance": decimal_text(tolerance) if kind is MsaKind.VARIABLE else "",
                "unit": unit[:20],
                "readings": [{"operator": str(r.operator).strip(), "part": str(r.part).strip(),
                              "trial": r.trial, "value": _stored(r.value, kind)}
                             for r in readings],
                "reference": ({part: parse_attribute(v, DataType.ATTRIBUTE)
                               for part, v in ((p.strip(), v) for p, v in draft.reference.items())
                               if part in studied and is_judgement(v)}
                              if kind is MsaKind.ATTRIBUTE else {}),
                "source_name": draft.source_name[:255],
                "note": draft.note.strip()[:LONG_TEXT],
            }
            result_of(fields)  # refuses, with its sentence, what makes no study
            state = uow.records.create("msa_study", fields, actor, reason="MSA study recorded")
            uow.session.flush()
            row = uow.session.get(MsaStudy, state.record_id)
            assert row is not None
            return _infos(uow, [row])[0]

    def record_sheet(self, actor: Actor, gauge_id: str, path: Path | str, *, kind: str = "",
                     tolerance: str = "", studied_on: str = "", conducted_by: str = "",
                     characteristic_id: str = "", note: str = "",
                     progress: Progress = no_progress,
                     cancelled: IsCancelled = never_cancelled) -> MsaStudyInfo:
        """Record a study from a CSV or Excel sheet (see `read_study_sheet`)."""
        actor.require(Permission.RECORD_EVIDENCE)
        sheet = read_study_sheet(path, kind, progress, cancelled)
        return self.record_study(actor, MsaStudyDraft(
            gauge_id, sheet.readings, str(sheet.kind), sheet.reference, tolerance,
            studied_on=studied_on, conducted_by=conducted_by,
            characteristic_id=characteristic_id, note=note, source_name=sheet.source_name))

    def studies_of_gauge(self, actor: Actor, gauge_id: str) -> list[MsaStudyInfo]:
        """The gauge's studies, newest first (invalid ones too, with why)."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(MsaStudy).where(
                MsaStudy.gauge_id == gauge_id)).scalars().all()
            return _infos(uow, rows)

    def latest_for_characteristic(self, actor: Actor, characteristic_id: str
                                  ) -> MsaStudyInfo | None:
        """The study that answers for a characteristic as evidence: the latest valid study of
        its gauge recorded for it, else the latest valid study of the gauge; None without one
        (or without a gauge)."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            char = uow.session.get(Characteristic, characteristic_id)
            if char is None:
                raise NotFound(what="Characteristic", key=characteristic_id)
            if not char.gauge_id:
                return None
            chosen = _answering(_valid(uow, [char.gauge_id]).get(char.gauge_id, []), char.id)
            return _infos(uow, [chosen])[0] if chosen is not None else None

    def study(self, actor: Actor, study_id: str) -> MsaStudyDetail:
        """A study with its full result (the ANOVA table, the appraisers' agreement)."""
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            row = uow.session.get(MsaStudy, study_id)
            state = uow.records.state(study_id)
            if row is None or state is None or state.deleted:
                raise NotFound(what="MSA study", key=study_id)
            info = _infos(uow, [row])[0]
            fields = dict(state.fields)
        try:
            return MsaStudyDetail(info, result_of(fields))
        except ValidationError as exc:
            return MsaStudyDetail(info, None, exc.template,
                                  tuple((k, str(v)) for k, v in sorted(exc.params.items())))
        except ArithmeticError:
            return MsaStudyDetail(info, None, QT_TRANSLATE_NOOP(
                "Errors", "The figures of this study could not be computed."))

    @staticmethod
    def _kind(kind: str, readings: Sequence[Reading]) -> MsaKind:
        if kind:
            try:
                return MsaKind(kind)
            except ValueError:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "The kind of study '{value}' is not one of: variable (gauge "
                              "R&R), attribute (OK / NG)."), field="kind",
                    value=str(kind)[:40]) from None
        return MsaKind.ATTRIBUTE if is_judgement(str(readings[0].value)) else MsaKind.VARIABLE


def _stored(value: Decimal | float | str, kind: MsaKind) -> str:
    """A reading as the record keeps it: decimal text, or OK / NG (what is neither is kept as
    written, and the study refuses it with its sentence)."""
    text = str(value).strip()
    if kind is MsaKind.ATTRIBUTE:
        return parse_attribute(text, DataType.ATTRIBUTE) if is_judgement(text) else text[:40]
    try:
        return decimal_text(parse_decimal(value))
    except ValidationError:
        return text[:40]


def _width(lower: str, upper: str) -> Decimal | None:
    """USL - LSL of a characteristic with both limits."""
    try:
        low, high = Decimal(lower), Decimal(upper)
    except InvalidOperation:
        return None
    return high - low if high > low else None
