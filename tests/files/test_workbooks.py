"""Workbooks as people have them: .xls (Excel 97-2003), .ods, large .xlsx streamed, and the one
sentence for a damaged or password-protected workbook. Real files: openpyxl, a hand-made ODF zip,
and the small fixtures of tests/fixtures (WORKBOOKS.md says how they were made)."""

from __future__ import annotations

import zipfile
from datetime import datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from desktop_app.domain.errors import ValidationError
from desktop_app.files import workbooks
from desktop_app.files.tables import open_table, read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, float | int):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


def write_ods(path: Path, rows: list[list[object]], blank_rows_after_header: int = 0) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (mimetype stored first)."""
    body = []
    for index, row in enumerate(rows):
        body.append("<table:table-row>" + "".join(ods_cell(v) for v in row) +
                    "</table:table-row>")
        if index == 0 and blank_rows_after_header:
            body.append(f'<table:table-row table:number-rows-repeated="{blank_rows_after_header}">'
                        '<table:table-cell table:number-columns-repeated="4"/></table:table-row>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>'
               '<table:table table:name="Pièces">' + "".join(body) +
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_sheet_reads_like_a_workbook(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "pièces.ods", [
        ["Référence", "Indice", "Désignation", "Masse (kg)"],
        ["JT-5801", "A", "Traverse avant", 2.35],
        ["JT-1102", "B", "Écrou à souder M8", 12],
    ], blank_rows_after_header=2)
    table = read_table(path)
    assert table.source_kind == "ods"
    assert table.headers == ["Référence", "Indice", "Désignation", "Masse (kg)"]
    assert [r.number for r in table.rows] == [4, 5]  # the two blank rows are counted, not kept
    assert table.rows[0].values == ("JT-5801", "A", "Traverse avant", "2.35")
    assert table.rows[1].values == ("JT-1102", "B", "Écrou à souder M8", "12")


def test_an_ods_named_xlsx_is_told_by_its_content(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "parts.xlsx", [["Part number", "Rev"], ["P-1", "A"]])
    assert read_table(path).source_kind == "ods"


def test_an_excel_97_2003_sheet_reads_with_its_row_numbers() -> None:
    table = read_table(FIXTURES / "parts-97-2003.xls")
    assert table.source_kind == "xls"
    assert table.headers == ["Référence", "Indice", "Désignation", "Masse (kg)"]
    assert [(r.number, r.values) for r in table.rows] == [
        (2, ("JT-1", "A", "Équerre", "0.25")), (4, ("JT-2", "B", "Goujon M8", "12"))]


def test_merged_header_cells_of_an_xls_are_refused_with_the_row() -> None:
    with pytest.raises(ValidationError, match=r"header row \(row 1\).*merged"):
        read_table(FIXTURES / "merged-header-97-2003.xls")


def test_a_password_protected_workbook_gets_one_sentence() -> None:
    with pytest.raises(ValidationError) as err:
        read_table(FIXTURES / "password-secret.xlsx")
    assert str(err.value) == ("The workbook password-secret.xlsx is protected by a password; "
                              "save a copy without the password and import that.")


@pytest.mark.parametrize("content", [
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048),  # an OLE header and nothing of a workbook
    None,  # an .xlsx whose sheet is cut off
])
def test_a_damaged_workbook_gets_one_sentence(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "parts.xls"
    if content is None:
        path = tmp_path / "parts.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    else:
        path.write_bytes(content)
    with pytest.raises(ValidationError, match=f"The workbook {path.name} cannot be read; it may "
                                              "be damaged"):
        read_table(path)


def test_calamine_rows_keep_the_sheet_s_row_numbers_and_columns(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A3"], sheet["B3"], sheet["C3"] = "Référence", "Indice", "Note"
    sheet["A4"], sheet["B4"] = "P-1", "A"
    sheet["C6"] = "B"
    path = workbook.save(tmp_path / "offset.xlsx") or tmp_path / "offset.xlsx"
    table = read_table(path)
    assert table.headers == ["Référence", "Indice", "Note"]
    assert [(r.number, r.values) for r in table.rows] == [(4, ("P-1", "A", "")),
                                                          (6, ("", "", "B"))]
    sheet.delete_cols(1)
    sheet.insert_cols(1)  # the same table, one column to the right: column A has no name
    workbook.save(path)
    with pytest.raises(ValidationError, match=r"Column A of the header row \(row 3\)"):
        read_table(path)


def sample_workbook(path: Path, rows: int) -> Path:
    """Shared strings, rich text, dates, times, booleans, numbers, formula-like text, gaps."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([None])
    sheet.append(["Référence", "Indice", "Date", "Heure", "Masse", "Actif", "Note"])
    for i in range(rows):
        sheet.append([f"P-{i:05d}", "A" if i % 2 else 3, datetime(2026, 3, 1 + i % 28),
                      time(12, 30) if i % 3 == 0 else None, i / 8, i % 2 == 0,
                      "=1+1" if i % 5 == 0 else f"note {i % 7}"])
        if i % 5 == 0:
            cell = sheet.cell(row=sheet.max_row, column=7)
            cell.data_type, cell.quotePrefix = "s", True
        if i % 50 == 0:
            sheet.append([])  # a blank row
    sheet["G3"] = CellRichText(["Sou", TextBlock(InlineFont(b=True), "dé"), " là"])
    sheet.merge_cells(f"B{sheet.max_row}:C{sheet.max_row}")
    sheet["C1"].number_format = "yyyy-mm-dd"
    workbook.save(path)
    return path


def test_a_large_xlsx_streamed_reads_exactly_as_calamine_does(tmp_path: Path,
                                                             monkeypatch) -> None:
    path = sample_workbook(tmp_path / "big.xlsx", 400)
    monkeypatch.setattr(workbooks, "STREAM_ABOVE", 1 << 40)
    whole = read_table(path)
    with open_table(path) as stream:
        assert isinstance(stream._source, workbooks.CalamineSource)
    monkeypatch.setattr(workbooks, "STREAM_ABOVE", 0)
    with open_table(path) as stream:
        assert isinstance(stream._source, workbooks.StreamedSource)
    streamed = read_table(path)
    assert streamed.headers == whole.headers
    assert streamed.rows == whole.rows
    assert whole.rows[0].values == ("P-00000", "3", "2026-03-01", "12:30:00", "0", "true",
                                    "Soudé là")
    assert whole.rows[0].number == 3 and whole.rows[1].number == 5  # a blank row between
    assert whole.rows[5].values[4:] == ("0.625", "false", "=1+1")


def test_merged_header_cells_are_refused_when_streamed_too(tmp_path: Path, monkeypatch) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Pièce", None, "Fournisseur"])
    sheet.append(["P-1", "A", "Massar"])
    sheet.merge_cells("A1:B1")
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    monkeypatch.setattr(workbooks, "STREAM_ABOVE", 0)
    with pytest.raises(ValidationError, match=r"header row \(row 1\).*merged"):
        read_table(path)


def test_progress_comes_from_bytes_read_and_the_digest_is_the_file_s(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "parts.csv"
    path.write_text("Référence;Indice\n" + "".join(f"P-{i};A\n" for i in range(5000)),
                    encoding="utf-8")
    seen: list[tuple[int, int]] = []
    with open_table(path, progress=lambda d, t, m: seen.append((d, t))) as stream:
        assert len(list(stream.rows())) == 5000
        digest = stream.digest
    size = path.stat().st_size
    assert seen[-1] == (size, size) and all(t == size for _d, t in seen)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
