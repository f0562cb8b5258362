"""Characteristic and measurement import from CSV and Excel: map, preview, apply (all or none)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.domain.errors import ValidationError
from desktop_app.services.evidence_dto import ReportDraft
from desktop_app.services.evidence_import import EvidenceImportService
from tests.services.evidence_fixtures import make_part, make_service


@pytest.fixture
def setup(ctx, actors):
    evidence = make_service(ctx)
    return make_part(ctx, actors, evidence), EvidenceImportService(ctx, evidence)


def test_characteristics_import_with_french_headers_and_row_numbers(ctx, actors, setup, tmp_path):
    part, importer = setup
    path = tmp_path / "ballons.csv"
    path.write_text("Repère;Désignation;Nominal;Tol inf;Tol sup;Unité;Classe;Moyen de mesure\n"
                    "3;Épaisseur;2,0;-0,1;0,1;mm;SC;MIC-014\n"
                    "4;Rayon;5;-0,5;0,5;mm;;\n", encoding="utf-8")
    table = importer.read(path)
    preview = importer.preview_characteristics(part["part_id"], table)
    assert preview.ok and [d.number for _, d in preview.drafts] == ["3", "4"]
    added = importer.import_characteristics(actors["eng"], part["part_id"], table)
    assert [(c.number, c.lower_limit, c.upper_limit, c.char_class, c.gauge_code) for c in added] \
        == [("3", "1.9", "2.1", "SC", "MIC-014"), ("4", "4.5", "5.5", "standard", "")]


def test_a_bad_characteristic_row_refuses_the_whole_file(ctx, actors, setup, tmp_path):
    part, importer = setup
    path = tmp_path / "chars.csv"
    path.write_text("number,description,lsl,usl\n5,Width,1,2\n6,Depth,9,3\n", encoding="utf-8")
    table = importer.read(path)
    preview = importer.preview_characteristics(part["part_id"], table)
    assert [p.row for p in preview.problems] == [3]
    with pytest.raises(ValidationError, match="Row 3: The lower limit 9 must be below"):
        importer.import_characteristics(actors["eng"], part["part_id"], table)
    assert len(make_service(ctx).queries.characteristics(part["part_id"])) == 3


def test_long_cmm_export_preview_and_apply(ctx, actors, setup, tmp_path):
    part, importer = setup
    path = tmp_path / "cmm.csv"
    path.write_text("Feature,Actual,Gauge\n1,12.01,\n1,12.20,\n2,150.1,\n1,11.99,\n",
                    encoding="utf-8")
    table = importer.read(path)
    preview = importer.preview_measurements(part["part_id"], table)
    assert preview.shape == "long" and preview.ok and preview.reading_count == 4
    hole = {r.number: r for r in preview.results}["1"]
    assert hole.failing == 1 and hole.verdict == "fail"
    detail = importer.import_measurements(actors["insp"], ReportDraft(
        part["part_id"], "dimensional", tested_on="2026-11-20"), table)
    assert detail.summary.verdict == "fail" and len(detail.sets) == 2


def test_wide_lab_sheet_in_excel_and_a_reading_that_is_not_a_number(ctx, actors, setup, tmp_path):
    part, importer = setup
    book = Workbook()
    sheet = book.active
    sheet.append(["Sample", "#1", "Char 2"])
    sheet.append(["S1", 12.0, 150.0])
    sheet.append(["S2", "12,02", "n/a"])
    path = tmp_path / "lab.xlsx"
    book.save(path)
    table = importer.read(path)
    preview = importer.preview_measurements(part["part_id"], table)
    assert preview.shape == "wide" and preview.ignored_columns == ("Sample",)
    assert [p.row for p in preview.problems] == [3]
    assert "'n/a' is not a number" in preview.problems[0].message
    with pytest.raises(ValidationError, match="Row 3: reading 'n/a' is not a number"):
        importer.import_measurements(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                                     table)
    assert make_service(ctx).queries.reports(part["part_id"]) == []


def test_unknown_characteristics_are_named(ctx, actors, setup, tmp_path):
    part, importer = setup
    path: Path = tmp_path / "cmm.csv"
    path.write_text("characteristic;value\n99;1.0\n1;12.0\n", encoding="utf-8")
    table = importer.read(path)
    assert importer.preview_measurements(part["part_id"], table).unknown == ("99",)
    with pytest.raises(ValidationError, match="Characteristic 99 in the file"):
        importer.import_measurements(actors["insp"], ReportDraft(part["part_id"], "dimensional"),
                                     table)
