"""Reading and writing the tables people exchange: real .xlsx files made by openpyxl, real CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.files.tables import (
    CSV_COMMA,
    CSV_FRENCH_EXCEL,
    column_letter,
    csv_format_for,
    is_formula_like,
    neutralise,
    read_table,
    restore,
    write_table,
)

FRENCH = ["Référence", "Indice", "Désignation", "Fournisseur", "Matière", "Masse (kg)"]


def make_xlsx(path: Path, rows: list[list], merge: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def test_xlsx_with_french_headers_reads_text_values_and_row_numbers(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "pièces.xlsx", [
        FRENCH,
        ["JT-5801-A", "B", "Traverse avant", "SNS Rouiba", "DC04", 1.25],
        [None, None, None, None, None, None],
        ["JT-5802", 3, "Écrou M8", "Massar", "Acier 8.8", 2.0],
        ["JT-5803", "A", "Daté", "Massar", "PP", datetime(2026, 3, 1)],
    ])
    table = read_table(path)
    assert table.source_kind == "xlsx"
    assert table.headers == FRENCH
    assert [r.number for r in table.rows] == [2, 4, 5]
    assert table.rows[0].values == (
        "JT-5801-A", "B", "Traverse avant", "SNS Rouiba", "DC04", "1.25")
    assert table.rows[1].values[1] == "3"
    assert table.rows[1].values[5] == "2"  # no spurious ".0"
    assert table.rows[2].values[5] == "2026-03-01"


def test_kind_is_told_by_content_not_name(tmp_path: Path) -> None:
    workbook_named_csv = make_xlsx(tmp_path / "export.csv", [["Part number"], ["P-1"]])
    assert read_table(workbook_named_csv).source_kind == "xlsx"


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "Référence;Indice\nP-1;A\n".encode(),
])
def test_an_xlsx_that_is_something_else_is_refused_with_one_sentence(tmp_path: Path,
                                                                    content: bytes) -> None:
    path = tmp_path / "parts.xlsx"
    path.write_bytes(content)
    with pytest.raises(ValidationError) as err:
        read_table(path)
    assert "parts.xlsx is not an Excel workbook" in str(err.value)


def test_png_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "parts.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(ValidationError, match="PNG image"):
        read_table(path)


def test_merged_header_cells_are_refused_with_the_row(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "merged.xlsx", [
        ["Pièce", None, "Fournisseur"], ["P-1", "A", "Massar"]], merge="A1:B1")
    with pytest.raises(ValidationError, match=r"header row \(row 1\).*merged"):
        read_table(path)


def test_merged_cells_below_the_header_are_fine(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "ok.xlsx", [
        ["Référence", "Notes", "Autre"], ["P-1", "long", None]], merge="B2:C2")
    assert read_table(path).rows[0].values == ("P-1", "long", "")


def test_a_sheet_without_header_row_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "noheader.xlsx", [["P-1", "A", 0.25], ["P-2", "B", 1.5]])
    with pytest.raises(ValidationError, match="Row 1 of noheader.xlsx holds data"):
        read_table(path)


def test_header_with_a_nameless_column_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "hole.xlsx", [["Référence", None, "Indice"], ["P-1", "x", "A"]])
    with pytest.raises(ValidationError, match="Column B of the header row"):
        read_table(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ValidationError, match="empty"):
        read_table(path)


@pytest.mark.parametrize("encoding,delimiter", [
    ("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", ";"), ("utf-8", "\t"),
])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "parts.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(FRENCH)
        writer.writerow(["JT-1", "A", "Pare-chocs arrière", "Société Métal", "PP-EPDM", "2,5"])
    table = read_table(path)
    assert table.source_kind == "csv"
    assert table.headers == FRENCH
    assert table.rows[0].number == 2
    assert table.rows[0].values[2] == "Pare-chocs arrière"
    assert table.rows[0].values[5] == "2,5"


def test_large_sheet_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    rows = [["Référence", "Indice"]] + [[f"P-{i}", "A"] for i in range(5000)]
    path = make_xlsx(tmp_path / "big.xlsx", rows)
    seen: list[tuple[int, int]] = []
    table = read_table(path, progress=lambda d, t, m: seen.append((d, t)))
    assert len(table.rows) == 5000 and seen and seen[-1][0] == 5001
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) >= 2

    with pytest.raises(Cancelled):
        read_table(path, cancelled=cancelled)


def test_write_xlsx_keeps_formula_like_text_as_text_and_numbers_typed(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_table(path, ["Part", "Note", "Mass"], [
        ["=HYPERLINK(\"http://x\")", "+33 1", Decimal("-1.5")],
        ["@SUM(A1)", "-minus", 3],
        ["safe", None, date(2026, 1, 2)],
    ])
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "=HYPERLINK(\"http://x\")"  # as written, no apostrophe added
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix  # Excel shows it as text
    assert values[1][1] == "+33 1" and sheet["B2"].quotePrefix
    assert values[1][2] == -1.5  # a typed number stays a number
    assert values[2][0] == "@SUM(A1)" and values[2][1] == "-minus"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert not sheet["A4"].quotePrefix
    assert read_table(path).rows[0].values == ("=HYPERLINK(\"http://x\")", "+33 1", "-1.5")
    assert read_table(path).rows[2].values == ("safe", "", "2026-01-02")


def test_write_xlsx_freezes_filters_and_sizes_the_header(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_table(path, ["Référence", "Désignation", "N"], [["A", "x", 1], ["B", "y", 2]],
                widths=[18, 200])
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["B1"].font.b
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert widths == [18, 60, 8]  # as asked, at most 60, at least 8 (header "N" + 4)


def test_write_csv_has_bom_and_neutralised_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert write_table(path, ["Désignation", "Formula", "N"],
                       [["Écrou", "=1+1", -3], ["'cité", "x", Decimal("-0.5")]]) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [["Désignation", "Formula", "N"], ["Écrou", "'=1+1", "-3"],
                                        ["''cité", "x", "-0.5"]]
    # Reading the file back takes the neutralising apostrophe off again.
    assert [r.values for r in read_table(path).rows] == [("Écrou", "=1+1", "-3"),
                                                         ("'cité", "x", "-0.5")]


def test_csv_for_french_excel_uses_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "fr.csv"
    write_table(path, ["Référence", "Masse (kg)", "Volume", "Date"],
                [["JT-1;2", Decimal("2.35"), 12000, date(2026, 3, 1)]],
                csv_format=CSV_FRENCH_EXCEL)
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines() == ["Référence;Masse (kg);Volume;Date",
                                 '"JT-1;2";2,35;12000;2026-03-01']
    assert read_table(path).rows[0].values == ("JT-1;2", "2,35", "12000", "2026-03-01")
    assert csv_format_for("fr_DZ") == CSV_FRENCH_EXCEL and csv_format_for("fr") == CSV_FRENCH_EXCEL
    assert csv_format_for("en") == CSV_COMMA and csv_format_for("ar_DZ") == CSV_COMMA
    assert csv_format_for("zh_CN") == CSV_COMMA and csv_format_for("") == CSV_COMMA


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from("=+-@'\"; ,.aé1"), min_size=1, max_size=8))
def test_any_text_survives_csv_neutralising(tmp_path: Path, text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not is_formula_like(neutralise(text))
    for style in (CSV_COMMA, CSV_FRENCH_EXCEL):
        path = tmp_path / "round.csv"
        write_table(path, ["Code", "Text"], [["X", text]], csv_format=style)
        assert read_table(path).rows[0].values == ("X", text.strip())


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]
