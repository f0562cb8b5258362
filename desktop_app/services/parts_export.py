"""Export of the current parts view to .xlsx or .csv (formula-like cells neutralised).

What is written re-imports unchanged through the parts import: the same columns, numbers typed
(or written with the CSV's decimal mark), the neutralising mark undone on reading."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import Cancelled
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.tables import CSV_COMMA, CsvFormat, write_table
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery, PartSummary

# Column key -> header (context "PartsExport"); the UI passes translated headers.
EXPORT_COLUMNS: dict[str, str] = {
    "part_number": QT_TRANSLATE_NOOP("PartsExport", "Part number"),
    "revision": QT_TRANSLATE_NOOP("PartsExport", "Revision"),
    "designation": QT_TRANSLATE_NOOP("PartsExport", "Designation"),
    "family": QT_TRANSLATE_NOOP("PartsExport", "Family"),
    "supplier_name": QT_TRANSLATE_NOOP("PartsExport", "Supplier"),
    "material": QT_TRANSLATE_NOOP("PartsExport", "Material"),
    "mass_kg": QT_TRANSLATE_NOOP("PartsExport", "Mass (kg)"),
    "unit": QT_TRANSLATE_NOOP("PartsExport", "Unit"),
    "annual_volume": QT_TRANSLATE_NOOP("PartsExport", "Annual volume"),
    "special_characteristics": QT_TRANSLATE_NOOP("PartsExport", "CC/SC"),
    "status": QT_TRANSLATE_NOOP("PartsExport", "Status"),
}
# Column key -> width in the workbook (characters).
EXPORT_WIDTHS: dict[str, int] = {
    "part_number": 18, "revision": 9, "designation": 40, "family": 18, "supplier_name": 28,
    "material": 16, "mass_kg": 11, "unit": 8, "annual_volume": 14,
    "special_characteristics": 9, "status": 15,
}


def _cell(summary: PartSummary, key: str) -> Any:
    value = getattr(summary, key)
    if key == "mass_kg":
        return Decimal(value) if value else None
    if key == "status":
        return str(value)
    if key == "special_characteristics":
        return "CC/SC" if value else ""
    return value


class PartsExportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def export_view(self, actor: Actor, query: PartQuery, path: Path | str,
                    headers: Sequence[str] | None = None, progress: Progress = no_progress,
                    cancelled: IsCancelled = never_cancelled,
                    csv_format: CsvFormat = CSV_COMMA) -> int:
        """Write every row of the view, in its order; returns the number of rows.

        A .csv separates cells and writes decimals as `csv_format` says (French Excel:
        `CSV_FRENCH_EXCEL`)."""
        actor.require(Permission.EXPORT)
        parts = PartService(self._ctx)
        total = parts.page(query, 0, 1).total
        keys = list(EXPORT_COLUMNS)

        def rows() -> Iterator[list[Any]]:
            for done, summary in enumerate(parts.iter_summaries(query)):
                if done % 1000 == 0:
                    if cancelled():
                        raise Cancelled()
                    progress(done, total, "")
                yield [_cell(summary, k) for k in keys]

        count = write_table(path, list(headers or EXPORT_COLUMNS.values()), rows(),
                            csv_format=csv_format, widths=[EXPORT_WIDTHS[k] for k in keys])
        progress(total, total, "")
        with self._ctx.unit_of_work() as uow:
            uow.audit.record(actor.username, "parts.export", Path(path).name,
                             {"rows": count, "search": query.search})
        return count
