"""Arabic that wraps and Chinese names, in every document and language: a person reads the lines
of a wrapped Arabic text in order, and a Chinese name prints in a font that has its glyphs."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.documents.certificate_pdf import render_certificate
from desktop_app.documents.roadmap_data import ReportComponent, ReportStep, RoadmapReport
from desktop_app.documents.roadmap_report import write_pdf
from desktop_app.domain.certificates import (
    CapabilityLine,
    CertificateData,
    EvidenceLine,
    SignatureLine,
    key_id,
    sign_payload,
)
from desktop_app.domain.keys import generate_private_key, public_key_hex, sign
from desktop_app.domain.roadmap import ApqpPhase, StepStatus
from tests.documents import test_roadmap_report
from tests.documents.pdf_text import (
    ARABIC_PLAN,
    CHINESE_NAME,
    arabic_lines,
    font_of,
    missing_glyphs,
    text_of,
)

LANGUAGE_SETS = [("fr", "en"), ("fr",), ("en",), ("ar",), ("zh",)]


def certificate(**changes) -> CertificateData:
    key = generate_private_key()
    data = CertificateData(
        number="CERT-MSR-2026-0042", site_code="MSR", site_name="Massar Composants",
        supplier_name="Massar", supplier_code="MSR", customer="Jetour", vehicle_model="Dashing",
        part_number="JT-5401-220", designation="Renfort de pied milieu", drawing_revision="C",
        kind="ppap", level=3, approval_type="PPAP level 3", reason="initial", reason_detail="",
        disposition="interim", valid_until="2027-03-31", quantity_limit="",
        action_plan=ARABIC_PLAN, deviations=(),
        evidence=(EvidenceLine("9", "Dimensional", "ab" * 32),),
        capability=(CapabilityLine("1 Hole", "CC", "1.499", "customer agreement"),),
        signatures=(SignatureLine(CHINESE_NAME, "SQE", "approved as PPAP level 3",
                                  "2026-11-26T10:00:00.000000Z", "r"),),
        issued_on="2026-11-26")
    data = dataclasses.replace(data, **changes)
    return dataclasses.replace(data, payload=sign_payload(data, key)), key


def certificate_pdf(languages: tuple[str, ...]) -> bytes:
    data, key = certificate()
    return render_certificate(data, languages, key_id(public_key_hex(key)),
                              lambda digest: sign(key, digest))


def roadmap_pdf(tmp_path, language: str) -> bytes:
    base = test_roadmap_report.report()
    step = ReportStep("DASH", "DSH-02", ARABIC_PLAN, Decimal(6), date(2026, 6, 30), None,
                      date(2027, 2, 28), StepStatus.AT_RISK, True, 243, CHINESE_NAME,
                      (ReportComponent("Hayon", ApqpPhase.PROCESS_DESIGN, "2027-Q1: 2000"),),
                      "PSW", "Supplier: A. Cherif (2026-11-20)")
    report = RoadmapReport(base.site, base.day, base.generated_at, base.models, (step,))
    return write_pdf(report, tmp_path / f"roadmap-{language}.pdf", language=language).read_bytes()


def assert_readable(pdf: bytes) -> None:
    lines = arabic_lines(pdf)
    assert len(lines) >= 3, lines  # the text wraps over three lines or more
    assert [i for line in lines for i in line] == list(range(len(ARABIC_PLAN.split()))), lines
    assert CHINESE_NAME in " ".join(text_of(pdf).split())
    assert font_of(pdf, "李伟") == {"WenQuanYiMicroHei-0"}
    assert missing_glyphs(pdf) == []


@pytest.mark.parametrize("languages", LANGUAGE_SETS, ids="-".join)
def test_certificate_arabic_lines_in_order_and_chinese_glyphs(languages):
    assert_readable(certificate_pdf(languages))


@pytest.mark.parametrize("language", ["fr", "en", "ar", "zh"])
def test_roadmap_report_arabic_lines_in_order_and_chinese_glyphs(tmp_path, language):
    assert_readable(roadmap_pdf(tmp_path, language))


def test_a_number_inside_an_arabic_sentence_keeps_its_order():
    """A reference made of digits and dashes after Arabic words ("reason — 2026-114-7") reads
    2026-114-7, not 7-114-2026; a date reads day/month/year."""
    data, key = certificate(reason="correction", reason_detail="2026-114-7")
    pdf = render_certificate(data, ("ar",), key_id(public_key_hex(key)),
                             lambda digest: sign(key, digest))
    text = " ".join(text_of(pdf).split())
    assert "2026-114-7" in text and "7-114-2026" not in text
    assert "31/03/2027" in text and "2027/03/31" not in text


def test_a_line_never_breaks_after_an_opening_bracket():
    """"Li Wei (" at the end of a line and "李伟)" on the next reads wrongly in any direction."""
    from desktop_app.documents.fonts import SANS, ensure_fonts, wrap_lines

    ensure_fonts()
    text = "المورد: Li Wei (李伟)، الجودة (2026-12-02)"
    for width in range(30, 160, 3):
        lines = wrap_lines(text, SANS, 8, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.endswith("(") for line in lines), (width, lines)
        assert not any(line.startswith((")", "،")) for line in lines), (width, lines)
