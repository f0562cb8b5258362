"""The roadmap report as PDF and .xlsx: translated, database text kept as plain text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.documents.roadmap_data import (
    ReportComponent,
    ReportMilestone,
    ReportModel,
    ReportSet,
    ReportStep,
    RoadmapReport,
)
from desktop_app.documents.roadmap_report import write_pdf
from desktop_app.documents.roadmap_workbook import write_workbook
from desktop_app.domain.integration import Reason, SetKind
from desktop_app.domain.milestones import ModelState
from desktop_app.domain.roadmap import ApqpPhase, StepStatus

FRENCH = {"Integration rate and roadmap": "Taux d'intégration et feuille de route",
          "Roadmap steps": "Étapes de la feuille de route", "At risk": "À risque"}


def french(context: str, text: str) -> str:
    return FRENCH.get(text, text)


def report(name: str = "Sièges <b>avant</b> & arrière") -> RoadmapReport:
    milestone = ReportMilestone(2, date(2027, 5, 22), Decimal(10), None, Decimal("4.5"))
    return RoadmapReport(
        site="MSR — Massar", day=date(2026, 11, 26), generated_at="2026-11-26 10:00",
        models=(ReportModel("DASH", "Jetour Dashing", date(2025, 5, 22), Decimal("4.5"),
                            Decimal(100), ModelState.AT_RISK, None, milestone,
                            (ReportSet("SIEGES", name, SetKind.SET, Decimal(8), Decimal("4.5"),
                                       Reason.COUNTS, "JCM-6800110 rev. A"),),
                            (milestone,)),),
        steps=(ReportStep("DASH", "DSH-02", "Emboutissage", Decimal(6), date(2026, 6, 30), None,
                          date(2027, 2, 28), StepStatus.AT_RISK, True, 243, "K. Benali",
                          (ReportComponent("Hayon", ApqpPhase.PROCESS_DESIGN, "2027-Q1: 2000"),),
                          "PSW", "Supplier: A. Cherif (2026-11-20)"),))


def test_pdf_in_french_keeps_database_text_plain(tmp_path):
    path = write_pdf(report(), tmp_path / "r.pdf", french, "fr")
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Taux d'intégration et feuille de route" in text
    assert "Sièges <b>avant</b> & arrière" in text
    assert "À risque" in text and "DSH-02" in text


def test_pdf_in_arabic_and_chinese(tmp_path):
    for language, name in (("ar", "المقاعد"), ("zh", "座椅")):
        path = write_pdf(report(name), tmp_path / f"r-{language}.pdf", french, language)
        assert len(PdfReader(path).pages) == 2


def test_workbook_has_a_sheet_per_model_and_the_steps(tmp_path):
    path = write_workbook(report("=HYPERLINK(\"x\")"), tmp_path / "r.xlsx", french)
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "DASH", "Roadmap"]
    assert book["DASH"]["B2"].value == "=HYPERLINK(\"x\")"  # as written, a text cell
    assert book["DASH"]["B2"].data_type == "s" and book["DASH"]["B2"].quotePrefix
    assert book["Roadmap"]["I2"].value == 243
