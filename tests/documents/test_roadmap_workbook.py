"""The roadmap workbook as Excel reads it: rates as fractions with a percent format, every table
with a frozen, filterable header."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from desktop_app.documents.roadmap_workbook import write_workbook
from tests.documents.test_roadmap_report import french, report


def test_rates_are_fractions_shown_as_percentages(tmp_path) -> None:
    book = load_workbook(write_workbook(report(), tmp_path / "r.xlsx", french))
    summary, model, steps = book["Summary"], book["DASH"], book["Roadmap"]
    rate = summary["C2"]  # integration rate of 4.5 %
    assert Decimal(str(rate.value)) == Decimal("0.045")
    assert rate.number_format.endswith("%") and '"' not in rate.number_format
    assert Decimal(str(summary["D2"].value)) == 1  # the reference list sums to 100 %
    assert Decimal(str(summary["F2"].value)) == Decimal("0.1")  # next milestone target, 10 %
    assert Decimal(str(model["D2"].value)) == Decimal("0.08")  # the set's contributory rate
    assert model["D2"].number_format == rate.number_format
    assert Decimal(str(steps["D2"].value)) == Decimal("0.06")  # the step's target rate
    assert steps["D2"].number_format == rate.number_format
    total = model.cell(row=3, column=4)  # the sheet's integration rate, under the sets
    assert Decimal(str(total.value)) == Decimal("0.045")
    milestone_target = model.cell(row=6, column=3)
    assert Decimal(str(milestone_target.value)) == Decimal("0.1")
    assert model.cell(row=6, column=4).value is None  # no actual rate yet: an empty cell


def test_every_sheet_has_a_frozen_filtered_header(tmp_path) -> None:
    book = load_workbook(write_workbook(report(), tmp_path / "r.xlsx", french))
    assert book["Summary"].freeze_panes == "A2"
    assert book["Summary"].auto_filter.ref == "A1:H2"
    assert book["DASH"].freeze_panes == "A2"
    assert book["DASH"].auto_filter.ref == "A1:G2"  # the sets, not the milestones below
    assert book["Roadmap"].freeze_panes == "C2"
    assert book["Roadmap"].auto_filter.ref == "A1:M2"
    for sheet in book.worksheets:
        assert sheet.column_dimensions["B"].width >= 10
        assert sheet["A1"].font.b
