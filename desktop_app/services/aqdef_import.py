"""Characteristics and readings from a Q-DAS AQDEF file (`files/aqdef.py`), as the same previews
as a CSV or Excel import (`EvidenceImportService` branches here for .dfq / .dfd / .dfx).

- Characteristics: K2001 number, K2002 description, K2004 type, K2101 nominal, K2110 / K2111
  limits (or K2112 / K2113 allowances around the nominal), K2142 unit. A problem names the line
  of the file.
- Readings: matched to the part's characteristics by number (K2001). A variable reading is its
  K0001 value; an attribute reading is OK / NG: K0001 0 is OK, more is NG, and K0020 parts with
  K0021 nonconforming give that many NG and the rest OK. Values the measuring program excluded
  (K0002 255 / 256) are left out with a note. The report is dated by the last reading (K0004)
  and names the file's operators (K0008) unless the person gives them; a gauge (K0012) is
  recorded when it is in the register.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from desktop_app.domain.attributes import DataType
from desktop_app.domain.capability import Note
from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.evidence import Limits, limits_from, natural_key
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.aqdef import AqdefCharacteristic, AqdefFile, AqdefReading, LineError
from desktop_app.services.context import ServiceContext
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import CharacteristicDraft, CharacteristicInfo, ReportDraft
from desktop_app.services.evidence_import import (
    CharacteristicPreview,
    EvidenceImportService,
    ImportedResult,
    MeasurementPreview,
    RowProblem,
)
from desktop_app.services.parts import PartService

# The K-fields each preview column comes from, shown where a CSV shows its headers.
CHARACTERISTIC_KEYS = ("K2001", "K2002", "K2004", "K2101", "K2110", "K2111", "K2112", "K2113",
                       "K2142")
CHARACTERISTIC_MAPPING = {"number": 0, "description": 1, "data_type": 2, "nominal": 3,
                          "lower_limit": 4, "upper_limit": 5, "lower_tol": 6, "upper_tol": 7,
                          "unit": 8}
MEASUREMENT_KEYS = ("K0001", "K0002", "K0004", "K0008", "K0012", "K0020", "K0021")
MEASUREMENT_MAPPING = {"value": 0, "gauge": 4}
MAX_OPERATOR = 200  # the report's operator field


def _problem(line: int, error: ValidationError) -> RowProblem:
    wrapped = error if isinstance(error, LineError) else LineError(line, error)
    return RowProblem(line, wrapped.message(), wrapped)


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


# -- characteristics ---------------------------------------------------------------------------


def characteristic_preview(evidence: EvidenceService, part_id: str,
                           source: AqdefFile) -> CharacteristicPreview:
    existing = {c.number for c in evidence.queries.characteristics(part_id)}
    gauges = evidence.gauge_codes()
    drafts: list[tuple[int, CharacteristicDraft]] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for char in source.characteristics:
        draft = characteristic_draft(char)
        number = draft.number.strip()
        if number in existing:
            problems.append(_problem(char.line, ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number} already exists on this part."),
                number=number)))
            continue
        if number in seen:
            problems.append(_problem(char.line, ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number} is described twice in the file (K2001)."),
                number=number)))
            continue
        seen.add(number)
        try:
            evidence.characteristic_fields(part_id, draft, gauges, None)
        except ValidationError as exc:
            problems.append(_problem(char.line, exc))
            continue
        drafts.append((char.line, draft))
    return CharacteristicPreview(CHARACTERISTIC_KEYS, dict(CHARACTERISTIC_MAPPING), (),
                                 tuple(drafts), tuple(problems))


def characteristic_draft(char: AqdefCharacteristic) -> CharacteristicDraft:
    return CharacteristicDraft(
        char.number, char.description, nominal=_text(char.nominal),
        lower_tol=_text(char.lower_allowance), upper_tol=_text(char.upper_allowance),
        lower_limit=_text(char.lower_limit), upper_limit=_text(char.upper_limit),
        unit=char.unit, data_type=char.data_type)


# -- readings ----------------------------------------------------------------------------------


def measurement_preview(ctx: ServiceContext, evidence: EvidenceService, part_id: str,
                        source: AqdefFile) -> MeasurementPreview:
    chars = {c.number.strip().upper(): c for c in evidence.queries.characteristics(part_id)}
    registered = {code.upper(): code for code in evidence.gauge_codes()}
    notes = _part_notes(ctx, part_id, source)
    results: list[ImportedResult] = []
    problems: list[RowProblem] = []
    unknown: list[str] = []
    days, operators = [], []
    for file_char in source.characteristics:
        if not file_char.readings:
            continue
        char = chars.get(file_char.number.strip().upper())
        if char is None:
            unknown.append(file_char.number)
            continue
        used = [r for r in file_char.readings if not r.excluded]
        if len(used) < len(file_char.readings):
            notes.append(Note(QT_TRANSLATE_NOOP(
                "Evidence", "Characteristic {number}: {count} reading(s) that the measuring "
                            "program excluded (K0002 255 or 256) are left out."),
                {"number": char.number, "count": len(file_char.readings) - len(used)}))
        readings: list[str] = []
        for reading in used:
            try:
                readings += _readings(char, file_char, reading)
            except ValidationError as exc:
                problems.append(_problem(reading.line, exc))
                continue
            if reading.measured_at is not None:
                days.append(reading.measured_at.date())
            if reading.operator and reading.operator not in operators:
                operators.append(reading.operator)
        notes += _limit_notes(char, file_char)
        gauge = _gauge(char, used, registered, notes)
        if readings:
            results.append(EvidenceImportService.result_of(char, readings, gauge))
    return MeasurementPreview(
        "aqdef", MEASUREMENT_KEYS, dict(MEASUREMENT_MAPPING), (),
        tuple(sorted(results, key=lambda r: natural_key(r.number))), tuple(problems),
        tuple(unknown), notes=tuple(notes),
        first_day=min(days).isoformat() if days else "",
        tested_on=max(days).isoformat() if days else "", operators=tuple(operators))


def _readings(char: CharacteristicInfo, file_char: AqdefCharacteristic,
              reading: AqdefReading) -> list[str]:
    """One value of the file as the reading(s) recorded for the part's characteristic."""
    if not char.attribute:
        if file_char.data_type == "attribute" or reading.value is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number} is measured on this part, but the file "
                          "judges it as an attribute (K2004 1)."), field="readings",
                number=char.number)
        return [format(reading.value, "f")]
    data_type = DataType(char.data_type)
    if reading.nonconforming is not None:
        if data_type is not DataType.ATTRIBUTE:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number} counts defects per part on this part, but "
                          "the file counts nonconforming parts (K0021)."), field="readings",
                number=char.number)
        samples = reading.samples or 1
        return ["NG"] * reading.nonconforming + ["OK"] * (samples - reading.nonconforming)
    value = reading.value
    if value is None or value != value.to_integral_value() or value < 0:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Characteristic {number} is judged by attribute on this part; the file "
                      "gives {value}, not 0 (OK) or a number of nonconformities."),
            field="readings", number=char.number, value=_text(value))
    count = int(value)
    if data_type is DataType.ATTRIBUTE:
        return ["OK" if count == 0 else "NG"]
    return [str(count)]


def _limit_notes(char: CharacteristicInfo, file_char: AqdefCharacteristic) -> list[Note]:
    if char.attribute or file_char.data_type == "attribute":
        return []
    try:
        limits = limits_from(file_char.nominal, file_char.lower_allowance,
                             file_char.upper_allowance, file_char.lower_limit,
                             file_char.upper_limit)
    except ValidationError:
        return []
    ours: Limits = char.limits
    if (limits.lower, limits.upper) == (ours.lower, ours.upper):
        return []
    return [Note(QT_TRANSLATE_NOOP(
        "Evidence", "Characteristic {number}: the file's limits ({file}) differ from this "
                    "part's ({part}); the part's limits grade the readings."),
        {"number": char.number, "file": limits.text(), "part": ours.text()})]


def _gauge(char: CharacteristicInfo, used: list[AqdefReading], registered: dict[str, str],
           notes: list[Note]) -> str:
    named = sorted({r.gauge.upper() for r in used if r.gauge})
    if not named:
        return ""
    if len(named) == 1 and named[0] in registered:
        return registered[named[0]]
    notes.append(Note(QT_TRANSLATE_NOOP(
        "Evidence", "Characteristic {number}: the gauge named in the file ({codes}, K0012) is "
                    "not one gauge of the register; the characteristic's own gauge is "
                    "recorded."), {"number": char.number, "codes": ", ".join(named)[:80]}))
    return ""


def _part_notes(ctx: ServiceContext, part_id: str, source: AqdefFile) -> list[Note]:
    if not source.part_number:
        return []
    try:
        ours = PartService(ctx).part(part_id).draft.part_number
    except PartDeskError:
        return []
    if _same_number(ours, source.part_number):
        return []
    return [Note(QT_TRANSLATE_NOOP(
        "Evidence", "The file is for part {file} (K1001), not {part}: check that it is the "
                    "right file."), {"file": source.part_number[:40], "part": ours})]


def _same_number(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch.isalnum())

    return key(a) == key(b)


def completed_draft(draft: ReportDraft, preview: MeasurementPreview) -> ReportDraft:
    """The report as the person gave it, dated by the file and naming its operators where the
    person left those empty."""
    tested_on = draft.tested_on.strip() or preview.tested_on
    operator = draft.operator.strip()
    if not operator and preview.operators:
        operator = ", ".join(preview.operators)
        if len(operator) > MAX_OPERATOR:
            operator = operator[:MAX_OPERATOR - 1].rsplit(", ", 1)[0] + "…"
    return replace(draft, tested_on=tested_on, operator=operator)
