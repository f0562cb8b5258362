"""PPAP seed data (AIAG PPAP 4th edition, 2006): the 18 elements, levels, matrix, reasons.

Kept as data: the texts and the matrix change with customer-specific requirements. Element codes
are stable identifiers stored in submissions; labels are marked for translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.domain.text import QT_TRANSLATE_NOOP


class Requirement(StrEnum):
    SUBMIT = "S"  # submit to the customer and retain
    RETAIN = "R"  # retain, available on request
    CUSTOMER = "*"  # as the customer specifies (level 4: a per-element choice)


REQUIREMENT_LABELS = {
    Requirement.SUBMIT: QT_TRANSLATE_NOOP("Ppap", "Submit"),
    Requirement.RETAIN: QT_TRANSLATE_NOOP("Ppap", "Retain"),
    Requirement.CUSTOMER: QT_TRANSLATE_NOOP("Ppap", "As customer specifies"),
}

LEVELS = (1, 2, 3, 4, 5)
DEFAULT_LEVEL = 3

LEVEL_LABELS = {
    1: QT_TRANSLATE_NOOP("Ppap", "Warrant only (and AAR for appearance items)"),
    2: QT_TRANSLATE_NOOP("Ppap", "Warrant with samples and limited supporting data"),
    3: QT_TRANSLATE_NOOP("Ppap", "Warrant with samples and complete supporting data"),
    4: QT_TRANSLATE_NOOP("Ppap", "Warrant and other requirements as defined by the customer"),
    5: QT_TRANSLATE_NOOP("Ppap", "Warrant with samples and complete data reviewed at the "
                                 "supplier's manufacturing location"),
}


@dataclass(frozen=True, slots=True)
class Element:
    code: str  # stable: "01a", "09", "bulk"
    number: str  # as printed: "1", "9", "—"
    label: str  # English source text, translated in the UI
    matrix: tuple[str, str, str, str, str]  # requirement at levels 1..5
    kind: str = ""  # what evidence satisfies it: "dimensional", "material", "capability", ...

    def requirement(self, level: int) -> Requirement:
        return Requirement(self.matrix[level - 1])


def _e(code: str, number: str, label: str, matrix: str, kind: str = "") -> Element:
    return Element(code, number, label, tuple(matrix.split()), kind)  # type: ignore[arg-type]


ELEMENTS: tuple[Element, ...] = (
    _e("01a", "1", QT_TRANSLATE_NOOP("Ppap", "Design records — proprietary components"),
       "R R R * R", "design"),
    _e("01b", "1", QT_TRANSLATE_NOOP("Ppap", "Design records — all other components"),
       "R S S * R", "design"),
    _e("02", "2", QT_TRANSLATE_NOOP("Ppap", "Engineering change documents, if any"),
       "R S S * R"),
    _e("03", "3", QT_TRANSLATE_NOOP("Ppap", "Customer engineering approval, if required"),
       "R R S * R"),
    _e("04", "4", QT_TRANSLATE_NOOP("Ppap", "Design FMEA"), "R R S * R"),
    _e("05", "5", QT_TRANSLATE_NOOP("Ppap", "Process flow diagrams"), "R R S * R"),
    _e("06", "6", QT_TRANSLATE_NOOP("Ppap", "Process FMEA"), "R R S * R"),
    _e("07", "7", QT_TRANSLATE_NOOP("Ppap", "Control plan"), "R R S * R"),
    _e("08", "8", QT_TRANSLATE_NOOP("Ppap", "Measurement system analysis studies"),
       "R R S * R", "msa"),
    _e("09", "9", QT_TRANSLATE_NOOP("Ppap", "Dimensional results"), "R S S * R", "dimensional"),
    _e("10", "10", QT_TRANSLATE_NOOP("Ppap", "Material, performance test results"),
       "R S S * R", "material"),
    _e("11", "11", QT_TRANSLATE_NOOP("Ppap", "Initial process studies"), "R R S * R",
       "capability"),
    _e("12", "12", QT_TRANSLATE_NOOP("Ppap", "Qualified laboratory documentation"),
       "R S S * R", "laboratory"),
    _e("13", "13", QT_TRANSLATE_NOOP("Ppap", "Appearance approval report (AAR), if applicable"),
       "S S S * R"),
    _e("14", "14", QT_TRANSLATE_NOOP("Ppap", "Sample production parts"), "R S S * R"),
    _e("15", "15", QT_TRANSLATE_NOOP("Ppap", "Master sample"), "R R R * R"),
    _e("16", "16", QT_TRANSLATE_NOOP("Ppap", "Checking aids"), "R R R * R"),
    _e("17", "17", QT_TRANSLATE_NOOP("Ppap", "Records of compliance with customer-specific "
                                             "requirements"), "R R S * R"),
    _e("18", "18", QT_TRANSLATE_NOOP("Ppap", "Part submission warrant (PSW)"), "S S S S R",
       "warrant"),
)

# Bulk materials only, when the customer asks: outside the matrix at levels 1 to 4, required
# when chosen; retained at level 5 like every element reviewed at the supplier's plant.
BULK_MATERIAL = _e("bulk", "—", QT_TRANSLATE_NOOP("Ppap", "Bulk material requirements checklist"),
                   "* * * * R")

ELEMENTS_BY_CODE = {e.code: e for e in (*ELEMENTS, BULK_MATERIAL)}
# The warrant is generated from the submission itself: it never needs linked evidence.
WARRANT = "18"


class Reason(StrEnum):
    INITIAL = "initial"
    ENGINEERING_CHANGE = "engineering_change"
    TOOLING = "tooling"
    CORRECTION = "correction"
    TOOLING_INACTIVE = "tooling_inactive"
    OPTIONAL_CONSTRUCTION = "optional_construction"
    SUB_SUPPLIER = "sub_supplier"
    PROCESSING_CHANGE = "processing_change"
    ADDITIONAL_LOCATION = "additional_location"
    OTHER = "other"


REASON_LABELS = {
    Reason.INITIAL: QT_TRANSLATE_NOOP("Ppap", "Initial submission"),
    Reason.ENGINEERING_CHANGE: QT_TRANSLATE_NOOP("Ppap", "Engineering change(s)"),
    Reason.TOOLING: QT_TRANSLATE_NOOP(
        "Ppap", "Tooling: transfer, replacement, refurbishment, or additional"),
    Reason.CORRECTION: QT_TRANSLATE_NOOP("Ppap", "Correction of discrepancy"),
    Reason.TOOLING_INACTIVE: QT_TRANSLATE_NOOP("Ppap", "Tooling inactive > 1 year"),
    Reason.OPTIONAL_CONSTRUCTION: QT_TRANSLATE_NOOP(
        "Ppap", "Change to optional construction or material"),
    Reason.SUB_SUPPLIER: QT_TRANSLATE_NOOP("Ppap", "Sub-supplier or material source change"),
    Reason.PROCESSING_CHANGE: QT_TRANSLATE_NOOP("Ppap", "Change in part processing"),
    Reason.ADDITIONAL_LOCATION: QT_TRANSLATE_NOOP("Ppap", "Parts produced at additional location"),
    Reason.OTHER: QT_TRANSLATE_NOOP("Ppap", "Other"),
}


def requirement(code: str, level: int, customer_choices: dict[str, str] | None = None
                ) -> Requirement:
    """What an element needs at a level; level 4 (and the bulk checklist) take the customer's
    per-element choice, which defaults to retain."""
    element = ELEMENTS_BY_CODE[code]
    req = element.requirement(level)
    if req is Requirement.CUSTOMER:
        choice = (customer_choices or {}).get(code, Requirement.RETAIN.value)
        return Requirement(choice) if choice in ("S", "R") else Requirement.RETAIN
    return req


def elements_for(bulk_material: bool = False) -> tuple[Element, ...]:
    return (*ELEMENTS, BULK_MATERIAL) if bulk_material else ELEMENTS
