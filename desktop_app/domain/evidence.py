"""Test evidence: characteristics, limits, readings, verdicts, gauges, reports, attachments.

Plain Python. Stored values are `Decimal` (as text in revisions); floats appear only inside the
capability calculations (`domain/capability.py`). A verdict is always computed from the readings
and the limits copied onto the result when it was recorded; nobody ticks "pass".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated


class CharacteristicClass(StrEnum):
    CRITICAL = "CC"  # critical characteristic (safety / regulation)
    SIGNIFICANT = "SC"  # significant characteristic (fit / function)
    STANDARD = "standard"

    @property
    def special(self) -> bool:
        return self is not CharacteristicClass.STANDARD


CLASS_LABELS = {
    CharacteristicClass.CRITICAL: QT_TRANSLATE_NOOP("Evidence", "Critical (CC)"),
    CharacteristicClass.SIGNIFICANT: QT_TRANSLATE_NOOP("Evidence", "Significant (SC)"),
    CharacteristicClass.STANDARD: QT_TRANSLATE_NOOP("Evidence", "Standard"),
}


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NO_DATA = "no_data"


VERDICT_LABELS = {
    Verdict.PASS: QT_TRANSLATE_NOOP("Evidence", "Pass"),
    Verdict.FAIL: QT_TRANSLATE_NOOP("Evidence", "Fail"),
    Verdict.NO_DATA: QT_TRANSLATE_NOOP("Evidence", "No data"),
}


class ReportType(StrEnum):
    DIMENSIONAL = "dimensional"
    CAPABILITY = "capability"
    MATERIAL = "material"
    PERFORMANCE = "performance"
    DURABILITY = "durability"
    APPEARANCE = "appearance"
    SALT_SPRAY = "salt_spray"
    OTHER = "other"


REPORT_TYPE_LABELS = {
    ReportType.DIMENSIONAL: QT_TRANSLATE_NOOP("Evidence", "Dimensional"),
    ReportType.CAPABILITY: QT_TRANSLATE_NOOP("Evidence", "Capability study"),
    ReportType.MATERIAL: QT_TRANSLATE_NOOP("Evidence", "Material"),
    ReportType.PERFORMANCE: QT_TRANSLATE_NOOP("Evidence", "Performance"),
    ReportType.DURABILITY: QT_TRANSLATE_NOOP("Evidence", "Durability"),
    ReportType.APPEARANCE: QT_TRANSLATE_NOOP("Evidence", "Appearance"),
    ReportType.SALT_SPRAY: QT_TRANSLATE_NOOP("Evidence", "Salt spray"),
    ReportType.OTHER: QT_TRANSLATE_NOOP("Evidence", "Other"),
}


class LabKind(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


LAB_KIND_LABELS = {
    LabKind.INTERNAL: QT_TRANSLATE_NOOP("Evidence", "Internal laboratory"),
    LabKind.EXTERNAL: QT_TRANSLATE_NOOP("Evidence", "External laboratory"),
}


class StatedResult(StrEnum):
    """What a laboratory concluded in a report that has no readings here (e.g. a salt spray PDF)."""

    NONE = ""
    CONFORMING = "conforming"
    NOT_CONFORMING = "not_conforming"


STATED_RESULT_LABELS = {
    StatedResult.NONE: QT_TRANSLATE_NOOP("Evidence", "Not stated"),
    StatedResult.CONFORMING: QT_TRANSLATE_NOOP("Evidence", "Conforming"),
    StatedResult.NOT_CONFORMING: QT_TRANSLATE_NOOP("Evidence", "Not conforming"),
}


class AttachmentKind(StrEnum):
    DRAWING = "drawing"
    CERT_2_1 = "material_cert_2.1"
    CERT_2_2 = "material_cert_2.2"
    CERT_3_1 = "material_cert_3.1"
    CERT_3_2 = "material_cert_3.2"
    TEST_REPORT = "test_report"
    PHOTO = "photo"
    OTHER = "other"


ATTACHMENT_KIND_LABELS = {
    AttachmentKind.DRAWING: QT_TRANSLATE_NOOP("Evidence", "Drawing"),
    AttachmentKind.CERT_2_1: QT_TRANSLATE_NOOP("Evidence", "Material certificate EN 10204 2.1"),
    AttachmentKind.CERT_2_2: QT_TRANSLATE_NOOP("Evidence", "Material certificate EN 10204 2.2"),
    AttachmentKind.CERT_3_1: QT_TRANSLATE_NOOP("Evidence", "Material certificate EN 10204 3.1"),
    AttachmentKind.CERT_3_2: QT_TRANSLATE_NOOP("Evidence", "Material certificate EN 10204 3.2"),
    AttachmentKind.TEST_REPORT: QT_TRANSLATE_NOOP("Evidence", "Test report"),
    AttachmentKind.PHOTO: QT_TRANSLATE_NOOP("Evidence", "Photo"),
    AttachmentKind.OTHER: QT_TRANSLATE_NOOP("Evidence", "Other"),
}


# -- numbers ---------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_decimal(text: object, what: str = "", row: int | None = None) -> Decimal:
    """A number typed by a person or read from a file; a decimal comma is accepted (12,05).

    Refuses anything else with one sentence naming the row when there is one."""
    if isinstance(text, Decimal):
        if text.is_finite():
            return text
        raw = str(text)
    elif isinstance(text, int) and not isinstance(text, bool):
        return Decimal(text)
    elif isinstance(text, float):
        raw = repr(text)
        if raw not in ("nan", "inf", "-inf"):
            return Decimal(raw)
    else:
        raw = str(text if text is not None else "").strip().replace("\u00a0", "").replace(" ", "")
        if _NUMBER_RE.match(raw):
            try:
                value = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                value = None
            if value is not None and (value == 0 or -12 <= value.adjusted() <= 12):
                return value
    shown = str(text if text is not None else "")[:40]
    if row is not None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Row {row}: {what} '{value}' is not a number."),
            field=what, row=row, what=what or "value", value=shown)
    raise ValidationError(
        QT_TRANSLATE_NOOP("Errors", "{what} '{value}' is not a number."),
        field=what, what=what or "The value", value=shown)


def optional_decimal(text: object, what: str = "", row: int | None = None) -> Decimal | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    return parse_decimal(text, what, row)


def decimal_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# -- limits ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """Specification limits; either side may be absent (a one-sided characteristic)."""

    lower: Decimal | None
    upper: Decimal | None

    @classmethod
    def checked(cls, lower: Decimal | None, upper: Decimal | None,
                row: int | None = None) -> Limits:
        if lower is None and upper is None:
            raise _row_error(row, QT_TRANSLATE_NOOP(
                "Errors", "A characteristic needs a lower limit, an upper limit or both."))
        if lower is not None and upper is not None and lower >= upper:
            raise _row_error(row, QT_TRANSLATE_NOOP(
                "Errors", "The lower limit {lower} must be below the upper limit {upper}."),
                lower=str(lower), upper=str(upper))
        return cls(lower, upper)

    @classmethod
    def from_fields(cls, lower: str | None, upper: str | None) -> Limits:
        return cls(optional_decimal(lower), optional_decimal(upper))

    @property
    def two_sided(self) -> bool:
        return self.lower is not None and self.upper is not None

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and value < self.lower:
            return False
        return not (self.upper is not None and value > self.upper)

    def text(self) -> str:
        if self.lower is not None and self.upper is not None:
            return f"{self.lower} … {self.upper}"
        if self.lower is not None:
            return f"≥ {self.lower}"
        return f"≤ {self.upper}"


class RowError(ValidationError):
    """An error about one row of an input: "Row 7: <the sentence>", both parts translated."""

    def __init__(self, row: int, inner: ValidationError) -> None:
        self.row = row
        self.inner = inner
        super().__init__(QT_TRANSLATE_NOOP("Errors", "Row {row}: {message}"), field=inner.field,
                         row=row, message=inner.message())

    def message(self, translate: Translate = untranslated) -> str:
        text = translate("Errors", "Row {row}: {message}")
        return text.format(row=self.row, message=self.inner.message(translate))


def _row_error(row: int | None, template: str, **params: object) -> ValidationError:
    error = ValidationError(template, field="limits", **params)
    return error if row is None else RowError(row, error)


def limits_from(nominal: Decimal | None, lower_tol: Decimal | None, upper_tol: Decimal | None,
                lower_limit: Decimal | None, upper_limit: Decimal | None,
                row: int | None = None) -> Limits:
    """Limits given either as absolute values or as tolerances around the nominal
    (signed deviations: nominal 12, tolerances -0.1 / +0.2 give 11.9 … 12.2). Absolute limits win
    when both are given."""
    lower, upper = lower_limit, upper_limit
    if (lower_tol is not None or upper_tol is not None) and nominal is None:
        raise _row_error(row, QT_TRANSLATE_NOOP(
            "Errors", "Tolerances need a nominal value."))
    if lower is None and lower_tol is not None and nominal is not None:
        lower = nominal + lower_tol
    if upper is None and upper_tol is not None and nominal is not None:
        upper = nominal + upper_tol
    return Limits.checked(lower, upper, row)


# -- verdicts --------------------------------------------------------------------------------


def reading_verdict(value: Decimal, limits: Limits) -> Verdict:
    return Verdict.PASS if limits.contains(value) else Verdict.FAIL


def set_verdict(readings: Iterable[Decimal], limits: Limits) -> Verdict:
    """A characteristic passes when every reading is within its limits."""
    seen = False
    for value in readings:
        seen = True
        if not limits.contains(value):
            return Verdict.FAIL
    return Verdict.PASS if seen else Verdict.NO_DATA


def combine_verdicts(verdicts: Iterable[Verdict]) -> Verdict:
    result = Verdict.NO_DATA
    for v in verdicts:
        if v is Verdict.FAIL:
            return Verdict.FAIL
        if v is Verdict.PASS:
            result = Verdict.PASS
    return result


def parse_readings(values: Sequence[object], what: str = "reading") -> list[Decimal]:
    """Readings in order; blanks skipped; a non-number is refused with its position."""
    result = []
    for i, value in enumerate(values, start=1):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        result.append(parse_decimal(value, what, row=i))
    return result


# -- gauges ----------------------------------------------------------------------------------


def parse_date(text: object, what: str, row: int | None = None) -> date:
    if isinstance(text, date):
        return text
    raw = str(text or "").strip()[:10]
    try:
        return date.fromisoformat(raw)
    except ValueError:
        template = QT_TRANSLATE_NOOP("Errors", "{what} '{value}' is not a date (YYYY-MM-DD).")
        if row is not None:
            raise _row_error(row, template, what=what, value=str(text)[:40]) from None
        raise ValidationError(template, field=what, what=what, value=str(text)[:40]) from None


def check_calibration(calibrated_on: date, due_on: date) -> None:
    if due_on < calibrated_on:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The calibration due date {due} is before the calibration date {done}."),
            field="due_on", due=due_on.isoformat(), done=calibrated_on.isoformat())


def in_calibration(calibrated_on: date | None, due_on: date | None, on: date) -> bool:
    """Whether a gauge was within its calibration interval on a day (due date included)."""
    if calibrated_on is None or due_on is None:
        return False
    return calibrated_on <= on <= due_on


# -- human numbers ---------------------------------------------------------------------------


def report_number(site_code: str, year: int, sequence: int) -> str:
    return f"TR-{site_code}-{year}-{sequence:04d}"


def natural_key(number: str) -> str:
    """Sort key that puts balloon "2" before "10" and "10a" after "10"."""
    match = re.match(r"^(\d+)(.*)$", number.strip())
    if match:
        return f"{int(match.group(1)):08d}{match.group(2)}"
    return number.strip()
