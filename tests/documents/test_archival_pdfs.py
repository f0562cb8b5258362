"""Archival PDFs: every font embedded, title, subject and language in the document's language,
numbers, dates, colons and signature meanings written as the document's language writes them."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from desktop_app.documents.local_format import colon, day, number, stamp
from tests.documents.pdf_text import text_of, unembedded_fonts
from tests.documents.test_scripts_in_documents import (
    LANGUAGE_SETS,
    certificate_pdf,
    roadmap_pdf,
)


def flat(pdf) -> str:
    return " ".join(text_of(pdf).replace("\xa0", " ").split())


@pytest.mark.parametrize("languages", LANGUAGE_SETS, ids="-".join)
def test_every_certificate_font_is_embedded(languages):
    assert unembedded_fonts(certificate_pdf(languages)) == []


@pytest.mark.parametrize("language", ["fr", "en", "ar", "zh"])
def test_every_roadmap_report_font_is_embedded(tmp_path, language):
    assert unembedded_fonts(roadmap_pdf(tmp_path, language)) == []


def test_the_embedded_font_check_catches_helvetica(tmp_path):
    """The check itself: a page that draws in reportlab's default font fails it."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "helvetica.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 72, "Helvetica, never embedded")
    canvas.save()
    assert unembedded_fonts(path.read_bytes()) == ["/Helvetica"]


@pytest.mark.parametrize(("languages", "title", "subject", "lang"), [
    (("fr", "en"), "Certificat d'approbation de pièce / Part approval certificate",
     "Pièce JT-5401-220, indice C / Part JT-5401-220, revision C", "fr-FR"),
    (("ar",), "شهادة اعتماد القطعة", "القطعة JT-5401-220، المراجعة C", "ar-DZ"),
    (("zh",), "零件批准证书", "零件 JT-5401-220，版本 C", "zh-CN"),
])
def test_certificate_metadata_in_its_language(languages, title, subject, lang):
    reader = PdfReader(__import__("io").BytesIO(certificate_pdf(languages)))
    assert reader.metadata.title == f"{title} CERT-MSR-2026-0042"
    assert reader.metadata.subject == subject
    assert reader.trailer["/Root"]["/Lang"] == lang


def test_roadmap_metadata_in_its_language(tmp_path):
    def french(context: str, text: str) -> str:
        return {"Integration rate and roadmap": "Taux d'intégration et feuille de route",
                "Site: {site} — situation on {day} — printed {at}":
                    "Site : {site} — situation au {day} — imprimé le {at}"}.get(text, text)

    from desktop_app.documents.roadmap_report import write_pdf
    from tests.documents.test_roadmap_report import report

    reader = PdfReader(write_pdf(report(), tmp_path / "r.pdf", french, "fr"))
    assert reader.metadata.title == "Taux d'intégration et feuille de route"
    assert reader.metadata.subject.startswith("Site : MSR — Massar — situation au 26/11/2026")
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_french_numbers_dates_and_colons():
    text = flat(certificate_pdf(("fr", "en")))
    assert "1,499" in text and "1.499" not in text  # Ppk beside "1,33", never "1.499"
    assert "N° de certificat / Certificate no. : CERT-MSR-2026-0042" in text
    assert "Date d'émission / Issue date : 26/11/2026" in text
    assert "jusqu'au / until 31/03/2027" in text
    assert "26/11/2026 10:00:00" in text and "2026-11-26" not in text


def test_english_and_chinese_dates_and_signature_meanings():
    english = flat(certificate_pdf(("en",)))
    assert "Issue date: 26 Nov 2026" in english and "1.499" in english
    assert "approved as PPAP level 3" in english
    chinese = flat(certificate_pdf(("zh",)))
    assert "签发日期：2026年11月26日" in chinese
    assert "批准：PPAP 3 级" in chinese and "approved as" not in chinese
    assert "approved as" not in flat(certificate_pdf(("ar",)))


def test_local_formats():
    assert number("1.499", "fr") == "1,499" and number("1.499", "en") == "1.499"
    assert number("DEV-1.2", "fr") == "DEV-1.2" and number("—", "fr") == "—"
    assert day("2026-11-26", "fr") == "26/11/2026" and day("2026-11-26", "en") == "26 Nov 2026"
    assert day("2026-11-26", "zh") == "2026年11月26日" and day(None, "fr") == "—"
    assert stamp("2026-11-26T10:00:00.000000Z", "ar") == "26/11/2026 10:00:00"
    assert colon("fr") == "\xa0: " and colon("en") == ": " and colon("zh") == "："


def test_signature_meanings_in_each_language():
    from desktop_app.documents.certificate_text import meaning

    ots = "conditionally approved as OTS engineering approval"
    assert meaning(ots, ("fr",)) == "approuvée sous conditions\xa0: approbation technique OTS"
    assert meaning(ots, ("en",)) == ots
    assert meaning("approval as PPAP level 2 revoked", ("zh",)) == "撤销批准：PPAP 2 级"
    assert meaning("approved as PPAP level 3", ("ar",)) == "معتمدة: PPAP المستوى 3"
    assert meaning("signed for the record", ("fr", "en")) == "signed for the record"
