"""Exporting the parts view: files that open right in Excel and re-import unchanged."""

from __future__ import annotations

import csv

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.domain.parts import SupplierDraft
from desktop_app.files.tables import CSV_COMMA, CSV_FRENCH_EXCEL
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_export import EXPORT_COLUMNS, PartsExportService
from desktop_app.services.parts_import import PartsImportService, RowStatus
from desktop_app.services.suppliers import SupplierService

FRENCH_HEADERS = ["Référence pièce", "Indice", "Désignation", "Famille", "Fournisseur",
                  "Matière", "Masse (kg)", "Unité", "Volume annuel", "CC/SC", "Statut"]
# Text a spreadsheet would run as a formula, and text that merely starts with an apostrophe.
TRICKY = ["=HYPERLINK(\"http://x\";\"clic\")", "+33 garniture", "-10 % chanfrein",
          "@SUM(A1)", "'déjà cité", "''deux"]


@pytest.fixture
def parts(ctx, actors, tmp_path):
    eng = actors["eng"]
    SupplierService(ctx).add_supplier(eng, SupplierDraft(name="=Forge; Fonderie", code="SNS"))
    sheet = Workbook()
    sheet.active.append(["Part number", "Revision", "Designation", "Supplier", "Material",
                         "Mass (kg)", "Annual volume", "CC/SC"])
    for index, text in enumerate(TRICKY):
        sheet.active.append([f"JT-{index:04d}", "A", text, "SNS", "-DC04" if index else "Acier",
                             f"{index}.0125", 1000 * index, "CC" if index % 2 else ""])
    for row in sheet.active.iter_rows():
        for cell in row:
            cell.data_type = "n" if isinstance(cell.value, int) else "s"  # text, not formulas
    source = tmp_path / "source.xlsx"
    sheet.save(source)
    PartsImportService(ctx).apply(eng, source)
    return ctx, eng


def test_french_csv_opens_in_columns_and_reimports_unchanged(parts, tmp_path) -> None:
    ctx, eng = parts
    path = tmp_path / "pièces.csv"
    count = PartsExportService(ctx).export_view(eng, PartQuery(), path, FRENCH_HEADERS,
                                                csv_format=CSV_FRENCH_EXCEL)
    assert count == len(TRICKY)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the accents as UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == FRENCH_HEADERS
    assert all(len(row) == len(FRENCH_HEADERS) for row in rows)
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["JT-0002"][6] == "2,0125"  # decimal comma
    assert by_number["JT-0002"][8] == "2000"
    # Every formula-like cell starts with the neutralising apostrophe, so Excel shows it as text.
    assert by_number["JT-0000"][2] == "'=HYPERLINK(\"http://x\";\"clic\")"
    assert by_number["JT-0003"][2] == "'@SUM(A1)"
    assert by_number["JT-0001"][4] == "'=Forge; Fonderie"
    assert by_number["JT-0001"][5] == "'-DC04"
    assert by_number["JT-0004"][2] == "''déjà cité"

    preview = PartsImportService(ctx).preview(eng, path)
    assert preview.count(RowStatus.UNCHANGED) == len(TRICKY), [
        (r.part_number, r.changed_fields, r.message) for r in preview.rows]
    assert preview.count(RowStatus.CHANGED) == 0 and not preview.errors


def test_comma_csv_and_xlsx_reimport_unchanged(parts, tmp_path) -> None:
    ctx, eng = parts
    service = PartsExportService(ctx)
    comma = tmp_path / "parts.csv"
    service.export_view(eng, PartQuery(), comma, csv_format=CSV_COMMA)
    with open(comma, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(EXPORT_COLUMNS.values())
    assert {row[0]: row for row in rows[1:]}["JT-0002"][6] == "2.0125"
    workbook = tmp_path / "parts.xlsx"
    service.export_view(eng, PartQuery(), workbook)
    for path in (comma, workbook):
        preview = PartsImportService(ctx).preview(eng, path)
        assert {r.status for r in preview.rows} == {RowStatus.UNCHANGED}, path.name


def test_xlsx_has_a_frozen_filtered_header_widths_and_text_never_run(parts, tmp_path) -> None:
    ctx, eng = parts
    path = tmp_path / "parts.xlsx"
    PartsExportService(ctx).export_view(eng, PartQuery(), path)
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(TRICKY) + 1}"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["C"].width == 40  # designation
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["E"].width
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    formula = cells["JT-0000"][2]
    assert formula.value == "=HYPERLINK(\"http://x\";\"clic\")"  # exactly as recorded
    assert formula.data_type == "s" and formula.quotePrefix  # a text cell, never run
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert cells["JT-0004"][2].value == "'déjà cité"
    assert cells["JT-0002"][6].value == pytest.approx(2.0125)  # a number, not text
    assert cells["JT-0002"][8].value == 2000

