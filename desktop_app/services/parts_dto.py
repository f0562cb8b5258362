"""Frozen data of the parts registry handed to the UI, the CLI and other areas."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from desktop_app.domain.parts import PartDraft, PartStatus, SupplierDraft, VehicleModelDraft

SORT_KEYS = ("part_number", "revision", "designation", "family", "supplier", "material", "mass",
             "status", "volume", "updated")


@dataclass(frozen=True, slots=True)
class SupplierInfo:
    supplier_id: str
    rev_id: str
    draft: SupplierDraft
    conflict: bool

    @property
    def name(self) -> str:
        return self.draft.name

    @property
    def code(self) -> str:
        return self.draft.code

    def to_json(self) -> dict[str, Any]:
        return {"supplier_id": self.supplier_id, "conflict": self.conflict, **asdict(self.draft)}


@dataclass(frozen=True, slots=True)
class VehicleModelInfo:
    model_id: str
    rev_id: str
    draft: VehicleModelDraft
    conflict: bool

    @property
    def label(self) -> str:
        return f"{self.draft.carmaker} {self.draft.model}"

    def to_json(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "conflict": self.conflict, **asdict(self.draft)}


@dataclass(frozen=True, slots=True)
class FamilyInfo:
    code: str
    name: str  # untranslated built-in label or the name a person gave
    active: bool
    built_in: bool
    record_id: str = ""


@dataclass(frozen=True, slots=True)
class PartQuery:
    search: str = ""
    supplier_id: str = ""
    family: str = ""
    model_id: str = ""
    status: str = ""
    sort_key: str = "part_number"
    descending: bool = False
    # ISO day: only the parts that hold a valid PPAP approval (full or interim) on that day
    approved_on: str = ""


@dataclass(frozen=True, slots=True)
class PartSummary:
    """One row of the parts table."""

    part_id: str
    rev_id: str
    part_number: str
    revision: str
    designation: str
    family: str
    supplier_id: str
    supplier_name: str
    material: str
    mass_kg: str
    unit: str
    status: PartStatus
    annual_volume: int | None
    special_characteristics: bool
    conflict: bool
    updated_at: str
    designations: dict[str, str] = field(default_factory=dict)  # language code -> text

    def designation_in(self, language: str) -> str:
        """The designation in `language` when the part has one, else its main designation."""
        return self.designations.get(language) or self.designation

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "status": str(self.status)}


@dataclass(frozen=True, slots=True)
class PartPage:
    rows: tuple[PartSummary, ...]
    total: int
    offset: int = 0


@dataclass(frozen=True, slots=True)
class PartDetail:
    """A part revision as the detail dialog shows it."""

    part_id: str
    rev_id: str
    draft: PartDraft
    supplier_name: str
    model_labels: tuple[str, ...]
    conflict: bool
    replaced_by: tuple[str, ...]  # record ids of later drawing revisions
    updated_at: str
    updated_by: str

    @property
    def locked(self) -> bool:
        return self.draft.status == PartStatus.RELEASED

    def to_json(self) -> dict[str, Any]:
        fields = asdict(self.draft)
        fields["status"] = str(self.draft.status)
        fields["vehicle_model_ids"] = list(self.draft.vehicle_model_ids)
        return {"part_id": self.part_id, "rev_id": self.rev_id, **fields,
                "supplier_name": self.supplier_name, "models": list(self.model_labels),
                "conflict": self.conflict, "replaced_by": list(self.replaced_by)}
