"""Suppliers, vehicle models and parts: their fields, rules and the one sentence for bad input.

A part record is one drawing revision of a part number. A new drawing revision is a new record whose
`replaces` names the record of the previous revision; a released revision is locked against edits
(only its lifecycle status may still change, to obsolete).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

SUPPLIER = "supplier"
VEHICLE_MODEL = "vehicle_model"
PART = "part"
COMPONENT_FAMILY = "component_family"

LANGUAGES = ("fr", "ar", "zh", "en")
UNITS = ("pc", "set", "kg", "m", "m2", "l")
MAX_TEXT = 500


class PartStatus(StrEnum):
    IN_DEVELOPMENT = "in_development"
    RELEASED = "released"
    OBSOLETE = "obsolete"


STATUS_LABELS = {
    PartStatus.IN_DEVELOPMENT: QT_TRANSLATE_NOOP("Parts", "In development"),
    PartStatus.RELEASED: QT_TRANSLATE_NOOP("Parts", "Released"),
    PartStatus.OBSOLETE: QT_TRANSLATE_NOOP("Parts", "Obsolete"),
}

# The list; people add to it (component_family records) and may rename or retire entries.
DEFAULT_FAMILIES: dict[str, str] = {
    "body_stamping": QT_TRANSLATE_NOOP("Families", "Body stamping"),
    "welded_assembly": QT_TRANSLATE_NOOP("Families", "Welded assembly"),
    "casting": QT_TRANSLATE_NOOP("Families", "Casting"),
    "forging": QT_TRANSLATE_NOOP("Families", "Forging"),
    "fastener": QT_TRANSLATE_NOOP("Families", "Fastener"),
    "glass": QT_TRANSLATE_NOOP("Families", "Glass"),
    "plastic_trim": QT_TRANSLATE_NOOP("Families", "Plastic trim"),
    "seat": QT_TRANSLATE_NOOP("Families", "Seat"),
    "harness": QT_TRANSLATE_NOOP("Families", "Harness"),
    "tyre": QT_TRANSLATE_NOOP("Families", "Tyre"),
    "battery": QT_TRANSLATE_NOOP("Families", "Battery"),
    "other": QT_TRANSLATE_NOOP("Families", "Other"),
}

_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
_PART_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/\-]{0,59}$")
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,9}$")


def _invalid(template: str, field_name: str, **params: Any) -> ValidationError:
    return ValidationError(template, field=field_name, **params)


def clean_text(value: Any, field_name: str, required: bool = False,
               label: str = "") -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _invalid(QT_TRANSLATE_NOOP("Errors", "The {label} is empty."), field_name,
                       label=label or field_name)
    if len(text) > MAX_TEXT:
        raise _invalid(QT_TRANSLATE_NOOP(
            "Errors", "The {label} is longer than {limit} characters."), field_name,
            label=label or field_name, limit=MAX_TEXT)
    return text


def parse_decimal(value: Any, field_name: str, label: str) -> str:
    """A decimal number as canonical text ("" when empty); "," accepted as decimal mark."""
    text = "" if value is None else str(value).strip().replace(" ", "")
    if not text:
        return ""
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise _invalid(QT_TRANSLATE_NOOP(
            "Errors", "The {label} \u201c{value}\u201d is not a number."),
            field_name, label=label, value=text)
    if number < 0:
        raise _invalid(QT_TRANSLATE_NOOP("Errors", "The {label} cannot be negative."),
                       field_name, label=label)
    plain = format(number.normalize(), "f")
    return plain


def parse_int(value: Any, field_name: str, label: str) -> int | None:
    text = "" if value is None else str(value).strip().replace(" ", "").replace("\u202f", "")
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise _invalid(QT_TRANSLATE_NOOP(
            "Errors", "The {label} \u201c{value}\u201d is not a whole number."),
            field_name, label=label, value=text)
    return int(number)


def parse_date(value: Any, field_name: str, label: str, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise _invalid(QT_TRANSLATE_NOOP("Errors", "The {label} is empty."), field_name,
                           label=label)
        return ""
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError as exc:
        raise _invalid(QT_TRANSLATE_NOOP(
            "Errors", "The {label} \u201c{value}\u201d is not a date (YYYY-MM-DD)."),
            field_name, label=label, value=text) from exc


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().casefold() in (
        "1", "true", "yes", "y", "x", "oui", "o", "vrai", "cc", "sc", "cc/sc")


def mass_milligrams(mass_kg: str) -> int | None:
    """For sorting by mass in SQL (query tables only; revisions keep the decimal text)."""
    return int(Decimal(mass_kg) * 1_000_000) if mass_kg else None


# -- suppliers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplierDraft:
    name: str
    code: str
    country: str = "DZ"
    site: str = ""
    contact: str = ""
    iso9001_certificate: str = ""
    iso9001_expiry: str = ""
    iatf16949_certificate: str = ""
    iatf16949_expiry: str = ""
    notes: str = ""

    def validated(self) -> SupplierDraft:
        return SupplierDraft(
            name=clean_text(self.name, "name", True, "supplier name"),
            code=clean_text(self.code, "code", True, "supplier code").upper(),
            country=clean_text(self.country, "country"),
            site=clean_text(self.site, "site"),
            contact=clean_text(self.contact, "contact"),
            iso9001_certificate=clean_text(self.iso9001_certificate, "iso9001_certificate"),
            iso9001_expiry=parse_date(self.iso9001_expiry, "iso9001_expiry",
                                      "ISO 9001 expiry date"),
            iatf16949_certificate=clean_text(self.iatf16949_certificate, "iatf16949_certificate"),
            iatf16949_expiry=parse_date(self.iatf16949_expiry, "iatf16949_expiry",
                                        "IATF 16949 expiry date"),
            notes=clean_text(self.notes, "notes"),
        )

    def fields(self) -> dict[str, Any]:
        v = self.validated()
        return {name: getattr(v, name) for name in SupplierDraft.__slots__}

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> SupplierDraft:
        return cls(**{k: str(fields.get(k, "") or "") for k in cls.__slots__})


# -- vehicle models ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VehicleModelDraft:
    code: str  # short, unique: "X70"
    carmaker: str
    model: str
    vehicle_type: str = ""
    power_range: str = ""
    approval_date: str = ""  # starts the regulatory clock (decree 22-384)

    def validated(self) -> VehicleModelDraft:
        return VehicleModelDraft(
            code=clean_text(self.code, "code", True, "model code").upper(),
            carmaker=clean_text(self.carmaker, "carmaker", True, "carmaker"),
            model=clean_text(self.model, "model", True, "model name"),
            vehicle_type=clean_text(self.vehicle_type, "vehicle_type"),
            power_range=clean_text(self.power_range, "power_range"),
            approval_date=parse_date(self.approval_date, "approval_date", "approval date"),
        )

    def fields(self) -> dict[str, Any]:
        v = self.validated()
        fields = {name: getattr(v, name) for name in VehicleModelDraft.__slots__}
        fields["name"] = f"{v.carmaker} {v.model}"  # what other areas show
        return fields

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> VehicleModelDraft:
        return cls(**{k: str(fields.get(k, "") or "") for k in cls.__slots__})


# -- component families ------------------------------------------------------------------------


def check_family_code(code: str) -> str:
    text = str(code or "").strip().lower().replace(" ", "_").replace("-", "_")
    if not _CODE.match(text):
        raise _invalid(QT_TRANSLATE_NOOP(
            "Errors", "A family code uses letters, digits and underscores only (at most 40)."),
            "code")
    return text


# -- parts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartDraft:
    """What a person enters for one drawing revision of a part."""

    part_number: str
    revision: str
    designation: str
    family: str = "other"
    supplier_id: str = ""
    vehicle_model_ids: tuple[str, ...] = ()
    designations: dict[str, str] = field(default_factory=dict)  # language code -> text
    material: str = ""
    grade: str = ""
    mass_kg: str = ""
    unit: str = "pc"
    drawing_ref: str = ""
    special_characteristics: bool = False
    annual_volume: int | None = None
    status: PartStatus = PartStatus.IN_DEVELOPMENT
    notes: str = ""
    replaces: str = ""  # record id of the previous drawing revision

    def validated(self) -> PartDraft:
        number = clean_text(self.part_number, "part_number", True, "part number")
        if not _PART_NUMBER.match(number):
            raise _invalid(QT_TRANSLATE_NOOP(
                "Errors", "The part number \u201c{value}\u201d may use letters, digits, spaces "
                          "and . _ / - only (at most 60)."), "part_number", value=number)
        revision = clean_text(self.revision, "revision", True, "drawing revision")
        if not _REVISION.match(revision):
            raise _invalid(QT_TRANSLATE_NOOP(
                "Errors", "The drawing revision \u201c{value}\u201d may use letters, digits, "
                          ". and - only (at most 10)."), "revision", value=revision)
        designations = {}
        for code, text in (self.designations or {}).items():
            if code not in LANGUAGES:
                raise _invalid(QT_TRANSLATE_NOOP(
                    "Errors", "Designations exist in {languages}, not in {code}."),
                    "designations", languages=", ".join(LANGUAGES), code=code)
            cleaned = clean_text(text, f"designation_{code}")
            if cleaned:
                designations[code] = cleaned
        unit = clean_text(self.unit, "unit") or "pc"
        if unit not in UNITS:
            raise _invalid(QT_TRANSLATE_NOOP("Errors", "The unit {value} is not one of {units}."),
                           "unit", value=unit, units=", ".join(UNITS))
        try:
            status = PartStatus(self.status)
        except ValueError as exc:
            raise _invalid(QT_TRANSLATE_NOOP("Errors", "The status {value} is not known."),
                           "status", value=str(self.status)) from exc
        volume = self.annual_volume
        if volume is not None and not isinstance(volume, int):
            volume = parse_int(volume, "annual_volume", "planned annual volume")
        if isinstance(volume, int) and volume < 0:
            raise _invalid(QT_TRANSLATE_NOOP("Errors", "The {label} cannot be negative."),
                           "annual_volume", label="planned annual volume")
        return PartDraft(  # every field given: faster than dataclasses.replace on big imports
            part_number=number,
            revision=revision.upper(),
            designation=clean_text(self.designation, "designation", True, "designation"),
            family=check_family_code(self.family or "other"),
            supplier_id=clean_text(self.supplier_id, "supplier_id"),
            vehicle_model_ids=tuple(sorted({m for m in self.vehicle_model_ids if m})),
            designations=designations,
            material=clean_text(self.material, "material"),
            grade=clean_text(self.grade, "grade"),
            mass_kg=parse_decimal(self.mass_kg, "mass_kg", "mass (kg)"),
            unit=unit,
            drawing_ref=clean_text(self.drawing_ref, "drawing_ref"),
            special_characteristics=bool(self.special_characteristics),
            annual_volume=volume,
            status=status,
            notes=clean_text(self.notes, "notes"),
            replaces=clean_text(self.replaces, "replaces"),
        )

    def fields(self) -> dict[str, Any]:
        """The record's fields: a full snapshot, JSON types only."""
        v = self.validated()
        return {
            "part_number": v.part_number,
            "revision": v.revision,
            "designation": v.designation,
            "designations": dict(sorted(v.designations.items())),
            "family": v.family,
            "supplier_id": v.supplier_id,
            "vehicle_model_ids": list(v.vehicle_model_ids),
            "material": v.material,
            "grade": v.grade,
            "mass_kg": v.mass_kg,
            "unit": v.unit,
            "drawing_ref": v.drawing_ref,
            "special_characteristics": v.special_characteristics,
            "annual_volume": v.annual_volume,
            "status": str(v.status),
            "notes": v.notes,
            "replaces": v.replaces,
        }

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> PartDraft:
        return cls(
            part_number=str(fields.get("part_number", "")),
            revision=str(fields.get("revision", "")),
            designation=str(fields.get("designation", "")),
            family=str(fields.get("family", "other") or "other"),
            supplier_id=str(fields.get("supplier_id", "") or ""),
            vehicle_model_ids=tuple(fields.get("vehicle_model_ids") or ()),
            designations=dict(fields.get("designations") or {}),
            material=str(fields.get("material", "") or ""),
            grade=str(fields.get("grade", "") or ""),
            mass_kg=str(fields.get("mass_kg", "") or ""),
            unit=str(fields.get("unit", "pc") or "pc"),
            drawing_ref=str(fields.get("drawing_ref", "") or ""),
            special_characteristics=bool(fields.get("special_characteristics", False)),
            annual_volume=fields.get("annual_volume"),
            status=PartStatus(fields.get("status", PartStatus.IN_DEVELOPMENT)),
            notes=str(fields.get("notes", "") or ""),
            replaces=str(fields.get("replaces", "") or ""),
        )


def part_key(part_number: str, revision: str) -> str:
    """Part number + revision as compared for duplicates (case and spaces ignored)."""
    compact = re.sub(r"\s+", "", part_number).upper()
    return f"{compact}#{revision.strip().upper()}"


def check_editable(current_status: str, part_number: str, revision: str) -> None:
    """A released revision is locked: only its status may move on (to obsolete)."""
    if current_status != PartStatus.RELEASED:
        return
    raise ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "Part {number} revision {revision} is released and locked against edits; "
                  "create a new drawing revision instead."),
        field="status", number=part_number, revision=revision)


ALLOWED_STATUS_MOVES: dict[PartStatus, set[PartStatus]] = {
    PartStatus.IN_DEVELOPMENT: {PartStatus.RELEASED, PartStatus.OBSOLETE},
    PartStatus.RELEASED: {PartStatus.OBSOLETE},
    PartStatus.OBSOLETE: set(),
}


def check_status_move(old: PartStatus, new: PartStatus) -> None:
    if new == old or new in ALLOWED_STATUS_MOVES[old]:
        return
    raise ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "A part cannot go from {old} to {new}."), field="status",
        old=STATUS_LABELS[old], new=STATUS_LABELS[new])
