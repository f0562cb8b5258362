"""Importing parts from real .xlsx and CSV files: preview, all-or-nothing, twice equals once."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.domain.errors import Cancelled, PermissionDenied, ValidationError
from desktop_app.domain.parts import PartStatus, SupplierDraft, VehicleModelDraft
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_import import PartsImportService, RowStatus
from desktop_app.services.suppliers import SupplierService, VehicleModelService

FRENCH = ["Référence", "Indice", "Désignation", "Désignation AR", "Fournisseur", "Matière",
          "Masse (kg)", "Famille", "Modèles", "Statut", "Commentaire interne"]


def xlsx(path: Path, rows: list[list], merge: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


@pytest.fixture
def setup(ctx, actors):
    eng = actors["eng"]
    SupplierService(ctx).add_supplier(eng, SupplierDraft(name="SNS Rouiba", code="SNS"))
    VehicleModelService(ctx).add_model(eng, VehicleModelDraft(
        code="X70", carmaker="Jetour", model="X70 Plus"))
    return PartsImportService(ctx), eng


def good_rows() -> list[list]:
    return [
        FRENCH,
        ["JT-5801", "A", "Traverse avant", "عارضة أمامية", "SNS", "DC04", 2.35,
         "Emboutissage", "X70", "En développement", "à revoir"],
        ["JT-1102", "B", "Écrou à souder M8", None, "Visserie Est", "10B21", 0.012,
         "visserie", "", "", ""],
        ["JT-7700", "a", "Pare-brise", None, "sns rouiba", "Verre feuilleté", "11,5", "vitrage",
         "X70", "libéré", ""],
    ]


def test_preview_maps_french_headers_and_lists_new_suppliers(setup, tmp_path) -> None:
    service, eng = setup
    path = xlsx(tmp_path / "pièces.xlsx", good_rows())
    preview = service.preview(eng, path)
    assert preview.mapping["part_number"] == 0 and preview.mapping["mass_kg"] == 6
    assert preview.mapping["designation_ar"] == 3
    assert [preview.headers[i] for i in preview.unmapped] == ["Commentaire interne"]
    assert [(r.number, r.status) for r in preview.rows] == [
        (2, RowStatus.NEW), (3, RowStatus.NEW), (4, RowStatus.NEW)]
    assert preview.new_suppliers == ("Visserie Est",)
    assert "New supplier: Visserie Est" in preview.rows[1].message
    assert preview.can_apply
    assert PartService(service._ctx).page(PartQuery()).total == 0  # a preview writes nothing


def test_apply_then_same_file_again_changes_nothing(setup, tmp_path) -> None:
    service, eng = setup
    path = xlsx(tmp_path / "parts.xlsx", good_rows())
    result = service.apply(eng, path)
    assert (result.created, result.changed, result.suppliers_created) == (3, 0, 1)
    parts = PartService(service._ctx)
    windshield = parts.find("JT-7700", "A")
    assert windshield.draft.status == PartStatus.RELEASED
    assert windshield.draft.mass_kg == "11.5" and windshield.draft.family == "glass"
    assert windshield.supplier_name == "SNS Rouiba"
    assert parts.find("JT-5801").draft.designations == {"ar": "عارضة أمامية"}
    again = service.preview(eng, path)
    assert {r.status for r in again.rows} == {RowStatus.UNCHANGED}
    assert service.apply(eng, path).created == 0
    assert parts.page(PartQuery()).total == 3
    assert len(SupplierService(service._ctx).suppliers()) == 2


def test_changed_rows_say_which_fields_and_released_parts_are_locked(setup, tmp_path) -> None:
    service, eng = setup
    service.apply(eng, xlsx(tmp_path / "v1.xlsx", good_rows()))
    rows = good_rows()
    rows[1][5] = "DC05"  # material of an unreleased part: a change
    path = xlsx(tmp_path / "v2.xlsx", rows)
    preview = service.preview(eng, path)
    assert preview.rows[0].status == RowStatus.CHANGED
    assert preview.rows[0].changed_fields == ("material",)
    rows[3][2] = "Pare-brise chauffant"  # a released part
    preview = service.preview(eng, xlsx(tmp_path / "v3.xlsx", rows))
    assert preview.rows[2].status == RowStatus.ERROR
    assert "Row 4" in preview.rows[2].message and "released and locked" in preview.rows[2].message


def test_bad_rows_are_listed_with_row_numbers_and_nothing_is_written(setup, tmp_path) -> None:
    service, eng = setup
    rows = good_rows() + [
        ["", "A", "Sans référence", None, "SNS", "", "", "", "", "", ""],
        ["JT-9", "A", "Masse fausse", None, "SNS", "", "lourd", "", "", "", ""],
        ["JT-5801", "A", "Doublon", None, "SNS", "", "", "", "", "", ""],
        ["JT-10", "A", "Modèle inconnu", None, "SNS", "", "", "", "T1", "", ""],
    ]
    path = xlsx(tmp_path / "bad.xlsx", rows)
    preview = service.preview(eng, path)
    errors = {r.number: r.message for r in preview.errors}
    assert errors[5] == "Row 5: The part number is empty."
    assert "Row 6" in errors[6] and "“lourd” is not a number" in errors[6]
    assert "appears twice in the file (also row 2)" in errors[7]
    assert "“T1” is not registered" in errors[8]
    with pytest.raises(ValidationError, match="Row 5"):
        service.apply(eng, path)
    assert PartService(service._ctx).page(PartQuery()).total == 0
    assert len(SupplierService(service._ctx).suppliers()) == 1


def test_strict_import_refuses_unknown_suppliers(setup, tmp_path) -> None:
    service, eng = setup
    path = xlsx(tmp_path / "parts.xlsx", good_rows())
    preview = service.preview(eng, path, strict=True)
    assert [r.number for r in preview.errors] == [3]
    with pytest.raises(ValidationError, match="Visserie Est.*not registered"):
        service.apply(eng, path, strict=True)


def test_manual_mapping_and_missing_required_column(setup, tmp_path) -> None:
    service, eng = setup
    path = xlsx(tmp_path / "odd.xlsx", [["Code", "Rev.", "Libellé long"], ["P-1", "A", "Patte"]])
    with pytest.raises(ValidationError, match="Part number; map one by hand"):
        service.preview(eng, path)
    preview = service.preview(eng, path, overrides={"part_number": 0, "designation": 2})
    assert preview.rows[0].status == RowStatus.NEW and preview.rows[0].part_number == "P-1"


def test_merged_header_and_fake_xlsx_get_one_sentence(setup, tmp_path) -> None:
    service, eng = setup
    merged = xlsx(tmp_path / "merged.xlsx", [["Référence", None, "Désignation"],
                                             ["P-1", "A", "Patte"]], merge="A1:B1")
    with pytest.raises(ValidationError, match="merged cells"):
        service.preview(eng, merged)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        service.apply(eng, fake)


def test_csv_import_with_semicolons_and_cp1252(setup, tmp_path) -> None:
    service, eng = setup
    path = tmp_path / "parts.csv"
    path.write_bytes("Référence;Indice;Désignation;Masse (kg)\r\nJT-1;A;Équerre;0,25\r\n"
                     .encode("cp1252"))
    assert service.apply(eng, path).created == 1
    assert PartService(service._ctx).find("JT-1").draft.designation == "Équerre"


def test_cancel_writes_nothing_and_roles(setup, tmp_path, actors) -> None:
    service, eng = setup
    rows = [FRENCH[:3]] + [[f"P-{i}", "A", "Pièce"] for i in range(12000)]
    path = xlsx(tmp_path / "big.xlsx", rows)
    seen = []
    with pytest.raises(Cancelled):
        service.apply(eng, path, progress=lambda d, t, m: seen.append(d),
                      cancelled=lambda: bool(seen) and seen[-1] >= 60)
    assert PartService(service._ctx).page(PartQuery()).total == 0
    with pytest.raises(PermissionDenied):
        service.preview(actors["insp"], path)


@pytest.mark.slow
def test_a_200000_row_sheet_reports_progress_and_cancels_cleanly(setup, tmp_path) -> None:
    service, eng = setup
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Référence;Indice;Désignation;Masse (kg)\n")
        fh.writelines(f"P-{i:06d};A;Pièce {i};0,{i % 1000}\n" for i in range(200_000))
    seen: list[int] = []
    with pytest.raises(Cancelled):
        service.apply(eng, path, progress=lambda done, total, message: seen.append(done),
                      cancelled=lambda: bool(seen) and seen[-1] > 41)
    assert seen == sorted(seen) and seen[-1] > 41  # blocks were written when it stopped
    assert PartService(service._ctx).page(PartQuery()).total == 0  # and rolled back


def test_parts_import_from_an_xls_and_an_ods(setup, tmp_path) -> None:
    from tests.files.test_workbooks import FIXTURES, write_ods

    service, eng = setup
    result = service.apply(eng, service.preview(eng, FIXTURES / "parts-97-2003.xls"))
    assert (result.created, result.changed) == (2, 0)
    assert PartService(service._ctx).find("JT-2").draft.mass_kg == "12"
    ods = write_ods(tmp_path / "pièces.ods", [
        ["Référence", "Indice", "Désignation", "Masse (kg)"],
        ["JT-1", "A", "Équerre", 0.5],  # the .xls said 0.25: a change
        ["JT-3", "A", "Patte", 1]])
    preview = service.preview(eng, ods)
    assert preview.source_kind == "ods"
    assert [(r.number, r.status) for r in preview.rows] == [(2, RowStatus.CHANGED),
                                                             (3, RowStatus.NEW)]
    assert service.apply(eng, preview).created == 1
    assert PartService(service._ctx).find("JT-1").draft.mass_kg == "0.5"
