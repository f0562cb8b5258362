"""Importing characteristics and measurements from CSV / Excel (a drawing list, a CMM or lab
export): map the columns, preview what would be recorded, then apply it in one transaction.

Measurement files come in two shapes, both recognised from the headers:

- long: one reading per row, with a characteristic column and a value column (CMM exports);
- wide: one column per characteristic, headed by its number ("1", "#2", "Char 10"), one row
  per sample part (lab sheets).

A Q-DAS AQDEF file (.dfq, or .dfd with its .dfx) names what each value is in its K-fields: it is
read by `files/aqdef.py` and previewed by `services/aqdef_import.py`, into the same previews.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop_app.domain.attributes import DataType, attribute_result, parse_attribute
from desktop_app.domain.capability import Note
from desktop_app.domain.errors import PartDeskError, ValidationError
from desktop_app.domain.evidence import (
    Limits,
    natural_key,
    parse_decimal,
    reading_verdict,
    set_verdict,
)
from desktop_app.domain.people import Actor
from desktop_app.domain.tabular import (
    Overrides,
    map_headers,
    missing_fields,
    normalise_header,
    unmapped_columns,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.aqdef import AqdefFile, read_aqdef
from desktop_app.files.sniff import is_aqdef_name
from desktop_app.files.tables import Table, read_table
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import (
    CharacteristicDraft,
    CharacteristicInfo,
    ReportDetail,
    ReportDraft,
    ResultDraft,
)

CHARACTERISTIC_SYNONYMS: dict[str, list[str]] = {
    "number": ["no", "n°", "nr", "balloon", "char", "characteristic", "repere", "numero", "#",
               "رقم الخاصية", "الرقم", "序号", "编号", "特性编号", "气泡号"],
    "description": ["designation", "feature", "caracteristique", "libelle", "name",
                    "الوصف", "الخاصية", "التسمية", "特性", "特性名称", "描述", "名称"],
    "nominal": ["nom", "nominal value", "valeur nominale", "cote nominale", "القيمة الاسمية",
                "名义值", "公称值", "标称值"],
    "lower_tol": ["lower tolerance", "tol min", "tol inf", "tolerance inferieure", "ltol", "-tol",
                  "التفاوت الأدنى", "التفاوت السفلي", "下公差"],
    "upper_tol": ["upper tolerance", "tol max", "tol sup", "tolerance superieure", "utol", "+tol",
                  "التفاوت الأعلى", "التفاوت العلوي", "上公差"],
    "lower_limit": ["lsl", "min", "lower limit", "limite inferieure", "lower spec limit",
                    "الحد الأدنى", "下限", "规格下限"],
    "upper_limit": ["usl", "max", "upper limit", "limite superieure", "upper spec limit",
                    "الحد الأعلى", "上限", "规格上限"],
    "unit": ["unite", "uom", "units", "الوحدة", "单位"],
    "char_class": ["class", "classe", "special", "cc sc", "type", "التصنيف", "分类", "特性分类"],
    "method": ["measuring method", "methode", "methode de mesure", "inspection method",
               "طريقة القياس", "测量方法", "检验方法"],
    "gauge_code": ["gauge", "instrument", "moyen de mesure", "gauge id", "appareil",
                   "أداة القياس", "جهاز القياس", "量具", "量具编号", "检具"],
    "data_type": ["data type", "characteristic type", "kind", "variable / attribute",
                  "variable attribute", "type de caracteristique", "nature", "نوع البيانات",
                  "نوع الخاصية", "数据类型", "特性类型"],
}
MEASUREMENT_SYNONYMS: dict[str, list[str]] = {
    "characteristic": ["char", "characteristic number", "balloon", "feature", "number", "no",
                       "caracteristique", "repere", "cote", "الخاصية", "رقم الخاصية", "特性",
                       "特性编号"],
    "value": ["reading", "measured", "measured value", "actual", "mesure", "valeur",
              "measurement", "result", "القيمة", "القياس", "القيمة المقاسة", "النتيجة",
              "测量值", "实测值", "读数", "结果"],
    "gauge": ["gauge", "instrument", "gauge id", "moyen de mesure", "appareil", "أداة القياس",
              "جهاز القياس", "量具", "量具编号"],
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # of the sheet; of the file for an AQDEF file ("Line 14: …")
    message: str
    error: ValidationError | None = field(default=None, compare=False)  # translatable whole


@dataclass(frozen=True, slots=True)
class CharacteristicPreview:
    headers: tuple[str, ...]
    mapping: dict[str, int]
    ignored_columns: tuple[str, ...]
    drafts: tuple[tuple[int, CharacteristicDraft], ...]  # (row, draft) that would be added
    problems: tuple[RowProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.drafts)


@dataclass(frozen=True, slots=True)
class ImportedResult:
    """The readings of one characteristic as they would be recorded."""

    characteristic_id: str
    number: str
    description: str
    lower_limit: str
    upper_limit: str
    readings: tuple[str, ...]
    failing: int
    verdict: str
    gauge_code: str = ""


@dataclass(frozen=True, slots=True)
class MeasurementPreview:
    shape: str  # "long" or "wide"
    headers: tuple[str, ...]
    mapping: dict[str, int]
    ignored_columns: tuple[str, ...]
    results: tuple[ImportedResult, ...]
    problems: tuple[RowProblem, ...]
    unknown: tuple[str, ...] = field(default=())  # characteristic numbers not on the part
    # An AQDEF file also says when its readings were taken and by whom, with notes on what the
    # import left out or found different (excluded values, other limits, unknown gauges).
    notes: tuple[Note, ...] = field(default=())
    first_day: str = ""  # ISO dates of the first and last reading
    tested_on: str = ""
    operators: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unknown and bool(self.results)

    @property
    def reading_count(self) -> int:
        return sum(len(r.readings) for r in self.results)


def _problem(row: int, error: PartDeskError) -> RowProblem:
    return RowProblem(row, error.message())


def _first_problem(problems: Sequence[RowProblem]) -> ValidationError:
    first = problems[0]
    if first.error is not None:
        return first.error
    return ValidationError(QT_TRANSLATE_NOOP("Errors", "Row {row}: {message}"), row=first.row,
                           message=first.message.removeprefix(f"Row {first.row}: "))


class EvidenceImportService:
    def __init__(self, ctx: ServiceContext, evidence: EvidenceService | None = None) -> None:
        self._ctx = ctx
        self._evidence = evidence or EvidenceService(ctx)

    @staticmethod
    def read(path: Path | str, progress: Progress = no_progress,
             cancelled: IsCancelled = never_cancelled,
             companion: Path | str | None = None) -> Table | AqdefFile:
        """A table, or an AQDEF file (by its name, and refused when its content is not AQDEF);
        `companion` is the .dfx of a .dfd (or the .dfd of a .dfx) when it is not beside it."""
        if is_aqdef_name(path):
            return read_aqdef(Path(path), Path(companion) if companion else None, progress,
                              cancelled)
        return read_table(Path(path), progress, cancelled)

    # -- characteristics -------------------------------------------------------------------

    def preview_characteristics(self, part_id: str, table: Table | AqdefFile,
                                overrides: Overrides | None = None) -> CharacteristicPreview:
        if isinstance(table, AqdefFile):
            from desktop_app.services import aqdef_import

            return aqdef_import.characteristic_preview(self._evidence, part_id, table)
        mapping = map_headers(table.headers, CHARACTERISTIC_SYNONYMS, overrides)
        missing = missing_fields(mapping, ["number", "description"])
        if missing:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "No column holds the characteristic {field}; map one by hand."),
                field=missing[0])
        existing = {c.number for c in self._evidence.queries.characteristics(part_id)}
        gauges = self._evidence.gauge_codes()
        drafts, problems, seen = [], [], set()
        for row in table.rows:
            values = {f: row.value(i) for f, i in mapping.items()}
            draft = CharacteristicDraft(**{"unit": "", **values})
            number = draft.number.strip()
            if number in existing or number in seen:
                problems.append(RowProblem(row.number, ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Row {row}: characteristic {number} already exists on this "
                    "part."), row=row.number, number=number).message()))
                continue
            seen.add(number)
            try:
                self._evidence.characteristic_fields(part_id, draft, gauges, row.number)
            except PartDeskError as exc:
                problems.append(_problem(row.number, exc))
                continue
            drafts.append((row.number, draft))
        return CharacteristicPreview(
            tuple(table.headers), mapping,
            tuple(table.headers[i] for i in unmapped_columns(table.headers, mapping)),
            tuple(drafts), tuple(problems))

    def import_characteristics(self, actor: Actor, part_id: str, table: Table | AqdefFile,
                               overrides: Overrides | None = None) -> list[CharacteristicInfo]:
        """Everything or nothing: the first problem is the sentence of the refusal."""
        preview = self.preview_characteristics(part_id, table, overrides)
        if preview.problems:
            raise _first_problem(preview.problems)
        if not preview.drafts:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file has no rows to import."))
        return self._evidence.add_characteristics(
            actor, part_id, [d for _, d in preview.drafts], rows=[r for r, _ in preview.drafts])

    # -- measurements ----------------------------------------------------------------------

    def preview_measurements(self, part_id: str, table: Table | AqdefFile,
                             overrides: Overrides | None = None) -> MeasurementPreview:
        if isinstance(table, AqdefFile):
            from desktop_app.services import aqdef_import

            return aqdef_import.measurement_preview(self._ctx, self._evidence, part_id, table)
        chars = {c.number.strip().upper(): c for c in
                 self._evidence.queries.characteristics(part_id)}
        mapping = map_headers(table.headers, MEASUREMENT_SYNONYMS, overrides)
        if not missing_fields(mapping, ["characteristic", "value"]):
            return self._long(table, mapping, chars)
        return self._wide(table, chars)

    def _long(self, table: Table, mapping: dict[str, int],
              chars: dict[str, CharacteristicInfo]) -> MeasurementPreview:
        values: dict[str, list[str]] = defaultdict(list)
        gauges: dict[str, str] = {}
        problems: list[RowProblem] = []
        unknown: list[str] = []
        for row in table.rows:
            number = row.value(mapping["characteristic"]).strip()
            raw = row.value(mapping["value"]).strip()
            if not number and not raw:
                continue
            key = number.upper()
            if key not in chars:
                if number not in unknown:
                    unknown.append(number)
                continue
            try:
                values[key].append(_reading(chars[key], raw, row.number))
            except PartDeskError as exc:
                problems.append(_problem(row.number, exc))
            if "gauge" in mapping and row.value(mapping["gauge"]).strip():
                gauges[key] = row.value(mapping["gauge"]).strip()
        results = [self.result_of(chars[k], v, gauges.get(k, "")) for k, v in values.items()]
        return MeasurementPreview(
            "long", tuple(table.headers), mapping,
            tuple(table.headers[i] for i in unmapped_columns(table.headers, mapping)),
            tuple(sorted(results, key=lambda r: natural_key(r.number))), tuple(problems),
            tuple(unknown))

    def _wide(self, table: Table, chars: dict[str, CharacteristicInfo]) -> MeasurementPreview:
        columns: dict[int, str] = {}
        for index, header in enumerate(table.headers):
            key = _number_of_header(header)
            if key in chars:
                columns[index] = key
        if not columns:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "No column is a characteristic of this part: name the columns after "
                "the characteristic numbers, or give a characteristic column and a value "
                "column."))
        values: dict[str, list[str]] = defaultdict(list)
        problems: list[RowProblem] = []
        for row in table.rows:
            for index, key in columns.items():
                raw = row.value(index).strip()
                if not raw:
                    continue
                try:
                    values[key].append(_reading(chars[key], raw, row.number))
                except PartDeskError as exc:
                    problems.append(_problem(row.number, exc))
        results = [self.result_of(chars[k], v, "") for k, v in values.items()]
        mapping = {f"#{key}": i for i, key in columns.items()}
        return MeasurementPreview(
            "wide", tuple(table.headers), mapping,
            tuple(h for i, h in enumerate(table.headers) if i not in columns),
            tuple(sorted(results, key=lambda r: natural_key(r.number))), tuple(problems))

    @staticmethod
    def result_of(char: CharacteristicInfo, readings: list[str], gauge: str) -> ImportedResult:
        if char.attribute:  # the failing samples are the nonconforming ones
            counted = attribute_result(readings, DataType(char.data_type))
            return ImportedResult(char.characteristic_id, char.number, char.description, "",
                                  "", tuple(readings), counted.np, str(counted.verdict), gauge)
        limits: Limits = char.limits
        decimals = [parse_decimal(v) for v in readings]
        failing = sum(1 for v in decimals if str(reading_verdict(v, limits)) == "fail")
        return ImportedResult(char.characteristic_id, char.number, char.description,
                              char.lower_limit, char.upper_limit, tuple(readings), failing,
                              str(set_verdict(decimals, limits)), gauge)

    def import_measurements(self, actor: Actor, draft: ReportDraft, table: Table | AqdefFile,
                            overrides: Overrides | None = None,
                            subgroup_size: int = 1) -> ReportDetail:
        """Record a report with the file's readings; refused whole on the first problem."""
        preview = self.preview_measurements(draft.part_id, table, overrides)
        if preview.problems:
            raise _first_problem(preview.problems)
        if preview.unknown:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number} in the file is not a characteristic of this "
                "part."), number=preview.unknown[0])
        if not preview.results:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file has no readings."))
        if isinstance(table, AqdefFile):
            from desktop_app.services.aqdef_import import completed_draft

            draft = completed_draft(draft, preview)
        detail = self._evidence.record_report(actor, draft, [
            ResultDraft(r.characteristic_id, r.readings, r.gauge_code, subgroup_size)
            for r in preview.results])
        return replace(detail, warnings=preview.notes + detail.warnings)


def _reading(char: CharacteristicInfo, raw: str, row: int) -> str:
    """One cell as it will be recorded: a number, or for an attribute characteristic its
    judgement (OK / NG) or defect count."""
    if not char.attribute:
        return str(parse_decimal(raw, "reading", row=row))
    try:
        return parse_attribute(raw, DataType(char.data_type))
    except ValueError:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Row {row}: '{value}' is not a judgement of characteristic {number} "
                      "(OK / NG, or a number of defects)."),
            field="readings", row=row, value=raw[:40], number=char.number) from None


def _number_of_header(header: str) -> str:
    text = normalise_header(header)
    for prefix in ("characteristic ", "char ", "caracteristique ", "no ", "n "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text.replace(" ", "").upper() if text else ""
