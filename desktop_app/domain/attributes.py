"""Attribute characteristics: judged OK / NG, or counted as defects per sample, not measured.

A characteristic is either variable (readings are numbers against limits, `domain/evidence.py`)
or attribute:

- `attribute`: each sample is OK or NG (also accepted: NOK for NG, and the French C / NC);
- `defects`: each sample's number of defects (0, 1, 2 …); a sample with one or more is
  nonconforming.

The result of a sample of n parts: the number nonconforming (np), the fraction nonconforming
p = np / n and, for defect counts, the total c and the defects per unit u = c / n. The verdict:
any nonconforming part in a PPAP sample fails it; only the customer's agreement (a deviation)
accepts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.evidence import Verdict
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated


class DataType(StrEnum):
    VARIABLE = "variable"
    ATTRIBUTE = "attribute"  # OK / NG
    DEFECTS = "defects"  # defect count per sample

    @property
    def is_attribute(self) -> bool:
        return self is not DataType.VARIABLE


DATA_TYPE_LABELS = {
    DataType.VARIABLE: QT_TRANSLATE_NOOP("Evidence", "Variable (measured)"),
    DataType.ATTRIBUTE: QT_TRANSLATE_NOOP("Evidence", "Attribute (OK / NG)"),
    DataType.DEFECTS: QT_TRANSLATE_NOOP("Evidence", "Attribute (defects per sample)"),
}

OK, NG = "OK", "NG"
_WORDS = {"OK": OK, "C": OK, "NG": NG, "NOK": NG, "NC": NG}


def data_type_of(text: str | None) -> DataType:
    """The data type named in a form or a file ("" is variable); anything else is refused."""
    raw = (text or "").strip().lower()
    aliases = {"": "variable", "var": "variable", "variable": "variable",
               "attribute": "attribute", "attr": "attribute", "ok/ng": "attribute",
               "defects": "defects", "defect": "defects", "defect count": "defects"}
    if raw in aliases:
        return DataType(aliases[raw])
    raise ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "The characteristic type '{value}' is not one of: variable, attribute "
                  "(OK/NG), defects."), field="data_type", value=str(text)[:40])


def parse_attribute(value: object, data_type: DataType) -> str:
    """One sample's judgement as stored: "OK" / "NG", or a defect count as text."""
    raw = str(value if value is not None else "").strip()
    if data_type is DataType.ATTRIBUTE:
        word = _WORDS.get(raw.upper())
        if word is None:
            raise ValueError(raw)
        return word
    if raw.isdigit():
        return str(int(raw))
    raise ValueError(raw)


def parse_attribute_readings(values: Sequence[object], data_type: DataType,
                             number: str) -> list[str]:
    """The samples in order, blanks skipped; a word that is no judgement is refused with its
    position."""
    out = []
    for i, value in enumerate(values, start=1):
        if value is None or not str(value).strip():
            continue
        try:
            out.append(parse_attribute(value, data_type))
        except ValueError:
            template = (QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number}, sample {row}: '{value}' is neither OK nor "
                          "NG.") if data_type is DataType.ATTRIBUTE else QT_TRANSLATE_NOOP(
                "Errors", "Characteristic {number}, sample {row}: '{value}' is not a number of "
                          "defects (0, 1, 2 …)."))
            raise ValidationError(template, field="readings", number=number, row=i,
                                  value=str(value)[:40]) from None
    if not out:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Characteristic {number} has no readings."), field="readings",
            number=number)
    return out


def nonconforming(reading: str) -> bool:
    return reading == NG or (reading.isdigit() and int(reading) > 0)


@dataclass(frozen=True, slots=True)
class AttributeResult:
    data_type: DataType
    n: int
    np: int  # parts nonconforming
    defects: int  # total defects (defect counts; for OK / NG, equal to np)

    @property
    def p(self) -> Decimal | None:
        """The fraction nonconforming, rounded down to 0.0001."""
        if not self.n:
            return None
        return (Decimal(self.np) / Decimal(self.n)).quantize(Decimal("0.0001"),
                                                             rounding=ROUND_FLOOR)

    @property
    def u(self) -> Decimal | None:
        """Defects per unit, rounded down to 0.0001."""
        if not self.n:
            return None
        return (Decimal(self.defects) / Decimal(self.n)).quantize(Decimal("0.0001"),
                                                                  rounding=ROUND_FLOOR)

    @property
    def verdict(self) -> Verdict:
        if not self.n:
            return Verdict.NO_DATA
        return Verdict.FAIL if self.np else Verdict.PASS

    def to_fields(self) -> dict[str, str | int]:
        return {"data_type": str(self.data_type), "n": self.n, "np": self.np,
                "p": "" if self.p is None else str(self.p), "defects": self.defects,
                "u": "" if self.u is None else str(self.u), "verdict": str(self.verdict)}

    def text(self, translate: Translate = untranslated) -> str:
        """Counts, p and np as a person reads them, with what a nonconforming part means."""
        counts = translate("Evidence", QT_TRANSLATE_NOOP(
            "Evidence", "{n} samples: {np} nonconforming (np = {np}, p = {p})")).format(
            n=self.n, np=self.np, p=self.p)
        if self.data_type is DataType.DEFECTS:
            counts += "; " + translate("Evidence", QT_TRANSLATE_NOOP(
                "Evidence", "{c} defects (u = {u} per unit)")).format(
                c=self.defects, u=self.u)
        if self.np:
            counts += ". " + translate("Evidence", QT_TRANSLATE_NOOP(
                "Evidence", "Any nonconforming part fails a PPAP sample unless the customer "
                            "agreed (a deviation)."))
        return counts


def attribute_result(readings: Sequence[str], data_type: DataType) -> AttributeResult:
    """The counts of stored judgements (see `parse_attribute`)."""
    bad = sum(1 for r in readings if nonconforming(r))
    if data_type is DataType.DEFECTS:
        defects = sum(int(r) for r in readings if r.isdigit())
    else:
        defects = bad
    return AttributeResult(data_type, len(readings), bad, defects)
