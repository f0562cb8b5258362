"""What a parts import shows and returns: the preview (backed by its plan on disk), the result,
and the two refusals that send the person back to the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.tables import SheetLayout
from desktop_app.services.parts_import_plan import ImportRow, PlanRows, PlanStore, RowStatus


class ColumnsNeeded(ValidationError):
    """A required field has no column: the person maps one by hand (`headers` to choose from)."""

    def __init__(self, name: str, label: str, headers: list[str], mapping: dict[str, int],
                 layout: SheetLayout | None = None) -> None:
        super().__init__(QT_TRANSLATE_NOOP(
            "Errors", "No column of {name} holds the {label}; map one by hand."),
            name=name, label=label)
        self.headers = headers
        self.mapping = mapping
        self.layout = layout  # the sheet and header row these headers were read from


class PlanOutdated(ValidationError):
    """The file or the parts changed since the preview: it must be read and checked again."""


@dataclass(frozen=True, slots=True)
class ImportPreview:
    file_name: str
    source_kind: str
    headers: tuple[str, ...]
    mapping: dict[str, int]  # field -> column index
    unmapped: tuple[int, ...]
    rows: Sequence[ImportRow]  # every row, read from the plan on disk a page at a time
    new_suppliers: tuple[str, ...]  # suppliers that applying would create
    strict: bool
    counts: dict[RowStatus, int] = field(default_factory=dict)
    path: Path | None = None
    digest: str = ""  # SHA-256 of the file's bytes as read
    marker: int = 0  # the last revision stored when the file was checked
    plan: PlanStore | None = field(default=None, compare=False, repr=False)
    layout: SheetLayout | None = None  # the sheet read and its header row

    def count(self, status: RowStatus) -> int:
        return self.counts.get(status, 0)

    @property
    def errors(self) -> Sequence[ImportRow]:
        return PlanRows(self.plan, self.count(RowStatus.ERROR), RowStatus.ERROR)

    @property
    def can_apply(self) -> bool:
        return not self.count(RowStatus.ERROR) and bool(len(self.rows))

    def discard(self) -> None:
        """Remove the plan's file now (it also goes when the preview is garbage-collected)."""
        if self.plan is not None:
            self.plan.discard()

    def to_json(self) -> dict[str, Any]:
        where = {"sheet": self.layout.sheet, "header_row": self.layout.header_row} \
            if self.layout is not None else {}
        return {
            "file": self.file_name, "kind": self.source_kind, **where,
            "mapping": {f: self.headers[i] for f, i in self.mapping.items()},
            "ignored_columns": [self.headers[i] for i in self.unmapped],
            "counts": {str(s): self.count(s) for s in RowStatus},
            "new_suppliers": list(self.new_suppliers),
            "rows": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int
    suppliers_created: int

    def to_json(self) -> dict[str, Any]:
        return {"created": self.created, "changed": self.changed, "unchanged": self.unchanged,
                "suppliers_created": self.suppliers_created}
