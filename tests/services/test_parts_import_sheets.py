"""Parts sheets as people have them (issue 14): a cover sheet first, then a merged title row, a
logo row and a blank row above the header; .xlsx, .ods and CSV, French, Arabic and Chinese
headers; the sheet and the header row chosen by hand; imported into a real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import SupplierDraft
from desktop_app.files import workbooks
from desktop_app.files.header_detect import HeaderNotFound
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService, RowStatus
from desktop_app.services.suppliers import SupplierService
from tests.files.sheets_as_people_have_them import (
    HEADER_ROW,
    parts_csv,
    parts_ods,
    parts_workbook,
)


@pytest.fixture
def setup(ctx, actors):
    eng = actors["eng"]
    SupplierService(ctx).add_supplier(eng, SupplierDraft(name="SNS Rouiba", code="SNS"))
    return PartsImportService(ctx), eng


def total(service: PartsImportService) -> int:
    return PartService(service._ctx).page(PartQuery()).total


@pytest.mark.parametrize("make", [parts_workbook, parts_ods, parts_csv],
                         ids=["xlsx", "ods", "csv"])
def test_a_cover_sheet_a_merged_title_a_logo_and_a_blank_row_come_before_the_header(
        setup, tmp_path: Path, make) -> None:
    service, eng = setup
    suffix = {"parts_workbook": ".xlsx", "parts_ods": ".ods", "parts_csv": ".csv"}[make.__name__]
    path = make(tmp_path / f"programme{suffix}")
    preview = service.preview(eng, path)
    layout = preview.layout
    assert layout is not None and layout.header_row == HEADER_ROW and layout.detected
    if suffix != ".csv":
        assert layout.sheets == ("Couverture", "Pièces") and layout.sheet == "Pièces"
    assert [r.number for r in layout.top[:2]] == [1, 2]  # the title and the logo's row, shown
    assert preview.headers[:3] == ("Référence", "Indice", "Désignation")
    assert preview.mapping["mass_kg"] == 4 and preview.mapping["family"] == 5
    assert preview.count(RowStatus.NEW) == 20 and preview.can_apply
    assert [r.number for r in preview.rows][:2] == [5, 6]  # the sheet's own row numbers
    result = service.apply(eng, preview)
    assert result.created == 20 and total(service) == 20
    part = PartService(service._ctx).find("JX7-2819")
    assert part.draft.designation == "Support de pare-chocs 19"
    assert part.draft.mass_kg == "2.15"


def test_a_large_xlsx_is_streamed_and_its_header_found_past_the_title(
        setup, tmp_path: Path, monkeypatch) -> None:
    service, eng = setup
    path = parts_workbook(tmp_path / "programme.xlsx", count=3000)
    monkeypatch.setattr(workbooks, "STREAM_ABOVE", 0)
    preview = service.preview(eng, path)
    assert preview.layout is not None and preview.layout.sheet == "Pièces"
    assert preview.layout.header_row == HEADER_ROW
    assert preview.count(RowStatus.NEW) == 3000
    assert service.apply(eng, preview).created == 3000


def test_the_person_chooses_the_sheet_and_the_header_row(setup, tmp_path: Path) -> None:
    service, eng = setup
    path = parts_workbook(tmp_path / "programme.xlsx")
    with pytest.raises(HeaderNotFound) as err:
        service.preview(eng, path, sheet="Couverture")
    assert str(err.value) == (
        "No row at the top of sheet Couverture of programme.xlsx names the columns expected "
        "(Référence / Part number, Indice / Revision, Désignation / Designation); choose the "
        "header row.")
    assert err.value.layout.sheets == ("Couverture", "Pièces")  # to choose another
    # Row 5 is the first part: refused as a header (it holds a mass, a number).
    with pytest.raises(ValidationError, match="Row 5 of programme.xlsx holds data, not column "
                                              "names: choose the row that names the columns."):
        service.preview(eng, path, sheet=2, header_row=5)
    preview = service.preview(eng, path, sheet="2", header_row=HEADER_ROW)
    assert preview.layout.header_row == HEADER_ROW and not preview.layout.detected
    assert preview.count(RowStatus.NEW) == 20
    with pytest.raises(ValidationError, match="Row 3 of sheet Pièces of programme.xlsx is empty"):
        service.preview(eng, path, header_row=3)
    with pytest.raises(ValidationError, match="programme.xlsx has no sheet Tarifs; its sheets "
                                              "are: Couverture, Pièces."):
        service.preview(eng, path, sheet="Tarifs")
    assert total(service) == 0


def test_merged_cells_in_the_header_row_itself_are_still_refused(setup, tmp_path: Path) -> None:
    service, eng = setup
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Liste des pièces"
    sheet.merge_cells("A1:D1")
    sheet.append(["Référence", None, "Désignation", "Fournisseur"])
    sheet.merge_cells("A2:B2")
    sheet.append(["P-1", "A", "Patte", "SNS"])
    workbook.save(tmp_path / "merged.xlsx")
    with pytest.raises(ValidationError) as err:
        service.preview(eng, tmp_path / "merged.xlsx")
    assert str(err.value) == ("The header row (row 2) of merged.xlsx has merged cells; unmerge "
                              "them so that every column has its own name.")


@pytest.mark.parametrize(("header", "first"), [
    (["رقم القطعة", "المراجعة", "التسمية", "المورّد", "الكتلة (كغ)", "عائلة المكوّنات"], "ar"),
    (["零件号", "版本", "名称", "供应商", "重量（kg）", "零件类别"], "zh"),
])
def test_arabic_and_chinese_headers_are_found_and_mapped(setup, tmp_path: Path, header,
                                                         first) -> None:
    service, eng = setup
    path = parts_workbook(tmp_path / f"parts-{first}.xlsx", header=header, count=4)
    preview = service.preview(eng, path)
    assert preview.layout.sheet == "Pièces" and preview.layout.header_row == HEADER_ROW
    assert preview.mapping == {"part_number": 0, "revision": 1, "designation": 2,
                               "supplier": 3, "mass_kg": 4, "family": 5}
    assert service.apply(eng, preview).created == 4


def test_a_sheet_naming_nothing_known_says_which_columns_it_expected(setup, tmp_path) -> None:
    service, eng = setup
    path = tmp_path / "notes.csv"
    path.write_text("Réunion du 2 décembre\nPoints ouverts;Responsable\nGabarit;Karim\n",
                    encoding="utf-8")
    with pytest.raises(HeaderNotFound, match=r"names the columns expected \(Référence / Part "
                                             r"number, Indice / Revision"):
        service.preview(eng, path)
