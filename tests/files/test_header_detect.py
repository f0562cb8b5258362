"""Finding the header row and the sheet: scores, ties, the four languages, the scan's reach,
hidden sheets, sheets by name or number, title lines of a CSV file, an .xls listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.domain.errors import ValidationError
from desktop_app.files.header_detect import (
    SCAN_ROWS,
    HeaderNotFound,
    HeaderVocabulary,
    find_header,
)
from desktop_app.files.tables import read_table
from desktop_app.services.parts_import import VOCABULARY as PARTS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SMALL = HeaderVocabulary.of({"part_number": ["Référence", "رقم القطعة", "零件号"],
                             "revision": ["Indice", "المراجعة", "版本"],
                             "designation": ["Désignation", "التسمية", "名称"]},
                            required=("part_number", "revision"))


def numbered(*rows: list[str]) -> list[tuple[int, list[str]]]:
    return list(enumerate(rows, start=1))


def test_the_row_naming_most_known_columns_wins_past_titles_and_blank_rows() -> None:
    guess = find_header(numbered(["Liste des pièces — programme d'intégration"], [], [""],
                                 ["Référence", "Indice", "Désignation"],
                                 ["P-1", "A", "Patte"]), SMALL)
    assert guess is not None and (guess.row, guess.sure) == (4, True)
    assert guess.named == {"part_number", "revision", "designation"}


def test_two_known_columns_are_enough_and_the_first_of_equals_is_taken() -> None:
    guess = find_header(numbered(["Note", "Référence", "Désignation"],
                                 ["Référence", "Désignation", "x"]), SMALL)
    assert guess is not None and guess.row == 1


def test_a_row_naming_one_column_is_taken_only_when_none_names_two() -> None:
    rows = numbered(["Désignation"], ["Code", "Rev.", "Libellé"], ["Indice", "Désignation"])
    assert find_header(rows, SMALL).row == 3
    weak = find_header(rows[:2], SMALL)
    assert weak is not None and weak.row == 1 and not weak.sure
    one_required = HeaderVocabulary.of({"code": ["Code"], "name": ["Nom"]}, required=("code",))
    assert find_header(numbered(["Titre"], ["Code", "Autre"]), one_required).sure


def test_headers_in_arabic_and_chinese_match_whatever_their_spelling() -> None:
    # A tatweel, a final ه for ة, full-width brackets and a colon are the same header.
    assert SMALL.fields_named(["رقـم القطعه", "المراجعة:", "名称（）"]) == {
        "part_number", "revision", "designation"}
    assert SMALL.fields_named(["零件号", "版本"]) == {"part_number", "revision"}


def test_the_header_is_looked_for_among_the_first_rows_only() -> None:
    rows = numbered(*([f"note {i}"] for i in range(SCAN_ROWS)), ["Référence", "Indice"])
    assert find_header(rows, SMALL) is None
    assert find_header(rows[1:], SMALL).row == SCAN_ROWS + 1


def test_the_first_visible_sheet_naming_the_columns_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Couverture"
    workbook.active.append(["Fournisseur", "Massar"])  # names one known column only
    hidden = workbook.create_sheet("Ancienne liste")
    hidden.append(["Référence", "Indice", "Désignation"])
    hidden.append(["OLD-1", "A", "Ancienne"])
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("Liste")
    sheet.append(["Liste du 2 décembre"])
    sheet.append(["Référence", "Indice", "Désignation"])
    sheet.append(["P-1", "A", "Patte"])
    path = tmp_path / "liste.xlsx"
    workbook.save(path)
    table = read_table(path, vocabulary=PARTS)
    assert table.layout.sheets == ("Couverture", "Ancienne liste", "Liste")
    assert (table.layout.sheet, table.layout.header_row) == ("Liste", 2)
    assert table.rows[0].values == ("P-1", "A", "Patte")
    hidden_one = read_table(path, vocabulary=PARTS, sheet="ancienne liste")  # asked by name
    assert hidden_one.rows[0].values[0] == "OLD-1"
    assert read_table(path, vocabulary=PARTS, sheet=3).layout.sheet == "Liste"
    with pytest.raises(ValidationError, match="liste.xlsx has no sheet 4"):
        read_table(path, vocabulary=PARTS, sheet=4)
    # Without a vocabulary: the first sheet's first row, as before.
    assert read_table(path).headers == ["Fournisseur", "Massar"]


def test_an_explicit_header_row_beyond_the_scan_is_read_on_to(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("".join(f"note {i};\n" for i in range(40)) + "Code;Libellé\nP-1;Patte\n",
                    encoding="utf-8")
    with pytest.raises(HeaderNotFound) as err:
        read_table(path, vocabulary=PARTS)
    assert str(err.value).startswith("No row at the top of long.csv names the columns expected")
    with pytest.raises(ValidationError, match="Row 43 of long.csv is empty; choose the row"):
        read_table(path, vocabulary=PARTS, header_row=43)
    table = read_table(path, vocabulary=PARTS, header_row=41)
    assert table.headers == ["Code", "Libellé"] and [r.number for r in table.rows] == [42]
    assert not table.layout.detected and table.layout.header_row == 41


def test_csv_title_lines_do_not_decide_the_separator(tmp_path: Path) -> None:
    path = tmp_path / "titre.csv"
    path.write_text("Liste des pièces, édition 3\n\nRéférence;Indice;Désignation\n"
                    "P-1;A;Vis M12x1,5, zinguée\n", encoding="utf-8")
    table = read_table(path, vocabulary=PARTS)
    assert table.headers == ["Référence", "Indice", "Désignation"]
    assert table.rows[0].values == ("P-1", "A", "Vis M12x1,5, zinguée")
    assert table.layout.header_row == 3


def test_an_excel_97_2003_workbook_lists_its_sheet() -> None:
    table = read_table(FIXTURES / "parts-97-2003.xls", vocabulary=PARTS)
    assert table.layout.sheets == ("Pièces",) and table.layout.header_row == 1
    assert table.layout.detected
