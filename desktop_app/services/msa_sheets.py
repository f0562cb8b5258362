"""Sheets of MSA study readings as people have them: one row per reading with its operator,
part, trial and value (a number, or OK / NG with the part's reference decision in a reference
column), the header row found by its column names (English, French, Arabic, Chinese) past titles
and logos; every bad row refused with its row number."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from desktop_app.domain.attributes import DataType, parse_attribute
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evidence import decimal_text, parse_decimal
from desktop_app.domain.msa import MAX_TRIALS, MsaKind, Reading
from desktop_app.domain.record_schemas import MAX_READINGS
from desktop_app.domain.tabular import map_headers, missing_fields
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.header_detect import HeaderVocabulary
from desktop_app.files.tables import read_table
from desktop_app.services.context import IsCancelled, Progress, never_cancelled, no_progress

# Column names of a study sheet (compared without case, accents or punctuation).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "operator": ("appraiser", "opérateur", "évaluateur", "contrôleur", "inspector", "المشغل",
                 "المقيم", "操作员", "评价人"),
    "part": ("sample", "piece", "pièce", "échantillon", "part no", "n° pièce", "القطعة",
             "العينة", "零件", "样件"),
    "trial": ("repeat", "replicate", "run", "essai", "répétition", "mesure n°", "المحاولة",
              "التكرار", "试验", "次数"),
    "value": ("reading", "measurement", "result", "decision", "judgement", "valeur", "mesure",
              "lecture", "résultat", "décision", "القيمة", "القراءة", "测量值", "读数", "结果"),
    "reference": ("standard", "expected", "reference value", "référence", "attendu",
                  "valeur de référence", "المرجع", "基准", "参考值"),
}
REQUIRED = ("operator", "part", "trial", "value")
VOCABULARY = HeaderVocabulary.of(SYNONYMS, REQUIRED, (
    "Operator / Opérateur", "Part / Pièce", "Trial / Essai", "Value / Valeur"))


@dataclass(frozen=True, slots=True)
class StudySheet:
    """The readings of a study as read from a sheet."""

    kind: MsaKind
    readings: tuple[Reading, ...]
    reference: dict[str, str] = field(default_factory=dict)  # part -> OK / NG (attribute)
    source_name: str = ""


def _row_error(row: int, template: str, **params: object) -> ValidationError:
    return ValidationError(template, field="readings", row=row, **params)


def _trial(text: str, row: int) -> int:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value != value.to_integral_value() or not 1 <= value <= MAX_TRIALS:
        raise _row_error(row, QT_TRANSLATE_NOOP(
            "Errors", "Row {row}: the trial '{value}' is not a whole number from 1 to 100."),
            value=text[:40])
    return int(value)


def is_judgement(text: str) -> bool:
    try:
        parse_attribute(text, DataType.ATTRIBUTE)
    except ValueError:
        return False
    return True


def read_study_sheet(path: Path | str, kind: str = "", progress: Progress = no_progress,
                     cancelled: IsCancelled = never_cancelled) -> StudySheet:
    """The readings of a study from a CSV or Excel sheet: one row per reading with its operator,
    part, trial and value (a number, or OK / NG with the part's reference decision). The kind
    of study is told by the first value unless given; every problem refused with its row."""
    table = read_table(path, progress, cancelled, vocabulary=VOCABULARY)
    mapping = map_headers(table.headers, SYNONYMS)
    missing = missing_fields(mapping, REQUIRED)
    if missing:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The sheet has no {columns} column: a study sheet has one row per reading "
                      "with its operator, part, trial and value."), field="readings",
            columns=", ".join(missing))
    if not table.rows:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The sheet {name} holds no readings."), field="readings",
            name=Path(path).name)
    if len(table.rows) > MAX_READINGS:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "A study holds at most {limit} readings; the sheet has {count}."),
            field="readings", limit=MAX_READINGS, count=len(table.rows))
    first = table.rows[0].value(mapping["value"])
    chosen = MsaKind(kind) if kind else (
        MsaKind.ATTRIBUTE if is_judgement(first) else MsaKind.VARIABLE)
    if chosen is MsaKind.ATTRIBUTE and "reference" not in mapping:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "An attribute agreement sheet needs a reference column: the right "
                      "decision (OK or NG) for each part."), field="reference")
    readings: list[Reading] = []
    reference: dict[str, str] = {}
    for row in table.rows:
        operator = row.value(mapping["operator"]).strip()
        part = row.value(mapping["part"]).strip()
        trial = _trial(row.value(mapping["trial"]), row.number)
        raw = row.value(mapping["value"])
        if chosen is MsaKind.VARIABLE:
            value: str = decimal_text(parse_decimal(raw, "value", row.number))
        else:
            try:
                value = parse_attribute(raw, DataType.ATTRIBUTE)
            except ValueError:
                raise _row_error(row.number, QT_TRANSLATE_NOOP(
                    "Errors", "Row {row}: '{value}' is neither OK nor NG."),
                    value=raw[:40]) from None
            said = row.value(mapping["reference"]).strip()
            if said:
                try:
                    truth = parse_attribute(said, DataType.ATTRIBUTE)
                except ValueError:
                    raise _row_error(row.number, QT_TRANSLATE_NOOP(
                        "Errors", "Row {row}: the reference '{value}' is neither OK nor NG."),
                        value=said[:40]) from None
                if reference.setdefault(part, truth) != truth:
                    raise _row_error(row.number, QT_TRANSLATE_NOOP(
                        "Errors", "Row {row}: part {part} has the reference {value} here and "
                                  "{other} above; a part has one reference decision."),
                        part=part, value=truth, other=reference[part])
        readings.append(Reading(operator, part, trial, value))
    return StudySheet(chosen, tuple(readings), reference, Path(path).name)
