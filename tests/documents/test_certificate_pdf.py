"""Certificates in four languages: text, pixels, the signed QR payload and the file seal."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from arabic_reshaper import reshape
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4

from desktop_app.documents.certificate_pdf import qr_modules, read_embedded, render_certificate
from desktop_app.documents.fonts import shape
from desktop_app.domain.certificates import (
    CapabilityLine,
    CertificateData,
    EvidenceLine,
    SignatureLine,
    key_id,
    parse_payload,
    sign_payload,
)
from desktop_app.domain.keys import fingerprint, generate_private_key, public_key_hex, sign
from desktop_app.domain.revisions import uuid7
from desktop_app.services.certificates import CertificateService
from desktop_app.services.sync_keys import SiteKeyService
from tests.conftest import PASSWORD
from tests.documents.raster import assert_printed_page
from tests.services.certification_fixtures import Services, approved, make_part


@pytest.fixture
def issued(ctx, actors):
    svc = Services(ctx)
    part = make_part(svc, actors)
    sid = approved(svc, actors, part, PASSWORD)
    number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    return svc, number


def text_of(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def to_png(pdf: bytes, tmp_path: Path, name: str) -> Path:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", "40", "-f", "1",
                    "-l", "1", str(source), str(tmp_path / name)], check=True)
    [png] = tmp_path.glob(f"{name}*.png")
    return png


@pytest.mark.parametrize(("languages", "expected"), [
    (("fr", "en"), ["Certificat d'approbation de pièce", "Part approval certificate",
                    "Approuvée / Approved", "Soumission initiale / Initial submission",
                    "approuvée : PPAP niveau 3 / approved as PPAP level 3"]),
    (("ar",), ["الأدلة"]),
    (("zh",), ["零件批准证书", "首次提交", "电子签名", "批准：PPAP 3 级"]),
])
def test_certificate_renders_in_each_language(issued, actors, tmp_path, languages, expected):
    svc, number = issued
    pdf = svc.certificates.render_pdf(actors["insp"], number, languages)
    text = text_of(pdf).replace("\xa0", " ")
    assert number in text and "JT-5401-220" in text and "Renfort de pied milieu" in text
    assert "Appr Person" in text
    # the signed meaning in the certificate's languages, never left in English alone
    assert ("approved as PPAP level 3" in text) == ("en" in languages)
    for phrase in expected:
        # pypdf gives Arabic in reading order, in the presentation forms printed
        assert reshape(phrase) in text or shape(phrase) in text, phrase
    assert_printed_page(to_png(pdf, tmp_path, "-".join(languages)), A4, dpi=40)
    payload, seal, _ = read_embedded(pdf)
    assert payload == svc.certificates.certificate(actors["insp"], number).payload
    assert seal is not None
    assert svc.certificates.verify_certificate_payload(payload).answer == "genuine"


def test_the_english_only_and_bilingual_defaults(issued, actors):
    svc, number = issued
    assert "Part approval certificate" in text_of(svc.certificates.render_pdf(
        actors["insp"], number, ("en",)))
    assert "Certificat" in text_of(svc.certificates.render_pdf(actors["insp"], number))


def test_a_printed_certificate_verifies_from_the_file(issued, actors, tmp_path):
    svc, number = issued
    path = svc.certificates.write_pdf(actors["insp"], number, tmp_path / "c.pdf")
    result = svc.certificates.verify_certificate_pdf(path)
    assert result.answer == "genuine" and result.state == "valid" and result.number == number
    assert result.file_seal == "issuer" and result.valid
    assert result.certificate is not None and result.certificate.part_number == "JT-5401-220"
    assert result.body["p"] == "JT-5401-220" and result.body["t"] == "P3"


def test_an_altered_page_fails_verification(issued, actors, tmp_path):
    svc, number = issued
    pdf = svc.certificates.render_pdf(actors["insp"], number)
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    content = page.get_contents()
    data = content.get_data().replace(b"JT-5401-220", b"JT-5401-221")
    content.set_data(data)
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(out.getvalue())
    result = svc.certificates.verify_certificate_pdf(altered)
    assert (result.answer, result.reason) == ("not_genuine", "file_altered")
    flipped = bytearray(pdf)
    at = len(flipped) // 2
    flipped[at] ^= 0x01
    (tmp_path / "flipped.pdf").write_bytes(bytes(flipped))
    assert svc.certificates.verify_certificate_pdf(tmp_path / "flipped.pdf").answer \
        == "not_genuine"


def test_an_altered_payload_fails_verification(issued, actors, tmp_path):
    svc, number = issued
    payload = svc.certificates.certificate(actors["insp"], number).payload
    forged = payload.replace("JT-5401-220", "JT-5401-999")
    result = svc.certificates.verify_certificate_payload(forged)
    assert (result.answer, result.reason) == ("not_genuine", "bad_signature")
    pdf = svc.certificates.render_pdf(actors["insp"], number)
    import base64

    def b64(text: str) -> bytes:
        return base64.urlsafe_b64encode(text.encode()).rstrip(b"=")

    changed = pdf.replace(b64(payload), b64(forged.ljust(len(payload))[:len(payload)]))
    assert changed != pdf
    (tmp_path / "p.pdf").write_bytes(changed)
    assert svc.certificates.verify_certificate_pdf(tmp_path / "p.pdf").answer == "not_genuine"
    assert svc.certificates.verify_certificate_payload("hello").answer == "not_a_certificate"


def _foreign_certificate() -> tuple[CertificateData, object]:
    key = generate_private_key()
    data = CertificateData(
        number="CERT-JTR-2026-0007", site_code="JTR", site_name="Jetour Algeria", supplier_name="X",
        supplier_code="X", customer="Jetour", vehicle_model="Dashing", part_number="P-1",
        designation="Bracket", drawing_revision="A", kind="ppap", level=3,
        approval_type="PPAP level 3", reason="initial", reason_detail="", disposition="approved",
        valid_until="", quantity_limit="", action_plan="", deviations=(),
        evidence=(EvidenceLine("9", "Dimensional", "ab" * 32),),
        capability=(CapabilityLine("1 Hole", "CC", "1.80", "acceptable"),),
        signatures=(SignatureLine("Li Wei (李伟)", "SQE", "approved as PPAP level 3",
                                  "2026-11-26T10:00:00.000000Z", "r"),),
        issued_on="2026-11-26")
    return CertificateData(**{**data.to_json(), "evidence": data.evidence,
                              "capability": data.capability, "signatures": data.signatures,
                              "payload": sign_payload(data, key)}), key


def test_a_site_record_key_is_never_trusted_an_enrolled_key_is(ctx, actors, tmp_path):
    service = CertificateService(ctx)
    data, key = _foreign_certificate()
    pdf = render_certificate(data, ("fr", "en"), key_id(public_key_hex(key)),
                             lambda digest: sign(key, digest))
    (tmp_path / "f.pdf").write_bytes(pdf)
    assert service.verify_certificate_payload(data.payload).answer == "site_not_enrolled"
    assert service.verify_certificate_pdf(tmp_path / "f.pdf").answer == "site_not_enrolled"
    with ctx.unit_of_work() as uow:  # the peer's site record, as a package would bring it
        uow.records.create("site", {"code": "JTR", "name": "Jetour Algeria", "kind": "carmaker",
                                    "public_key": public_key_hex(key)}, actors["admin"], "seen")
    assert service.verify_certificate_payload(data.payload).answer == "site_not_enrolled"
    key_file = tmp_path / "jtr.partdesk-key"
    key_file.write_text(json.dumps({
        "format": "partdesk-site-key", "version": 1, "site_id": uuid7(), "code": "JTR",
        "name": "Jetour Algeria", "kind": "carmaker", "public_key": public_key_hex(key)}))
    SiteKeyService(ctx).enrol(actors["admin"], key_file, fingerprint(public_key_hex(key)))
    assert service.verify_certificate_payload(data.payload).answer == "genuine_unregistered"
    result = service.verify_certificate_pdf(tmp_path / "f.pdf")
    assert result.answer == "genuine_unregistered" and result.certificate is None
    assert result.file_seal == "issuer"
    # One character of the signature changed (in its middle: the last characters of an Ed25519
    # signature are often zero bits, and "AAA" there could leave it as it was).
    i = len(data.payload) - 40
    forged = data.payload[:i] + ("B" if data.payload[i] != "B" else "C") + data.payload[i + 1:]
    result = service.verify_certificate_payload(forged)
    assert (result.answer, result.reason) == ("not_genuine", "bad_signature")


def test_the_qr_code_encodes_the_payload(issued, actors):
    svc, number = issued
    payload = svc.certificates.certificate(actors["insp"], number).payload
    parsed = parse_payload(payload)
    assert parsed is not None and parsed.body["n"] == number
    modules = qr_modules(payload)
    size = len(modules)
    assert size >= 21 and (size - 17) % 4 == 0 and len(payload) < 200
    assert size <= 45  # version 7 at most: the compact text, not the payload in bytes
    assert all(modules[r][c] for r in (0, 6) for c in range(7))  # finder pattern


def test_the_printed_qr_code_carries_the_signed_payload(issued, actors, tmp_path):
    """Rasterise the page and read every module of the printed QR code back: it is exactly the
    code of the payload, which verifies with the site's key."""
    from PIL import Image
    from reportlab.lib.units import mm

    from desktop_app.documents.certificate_pdf import QR_MODULE

    svc, number = issued
    pdf = svc.certificates.render_pdf(actors["insp"], number)
    payload = read_embedded(pdf)[0]
    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf)
    dpi = 300
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", str(dpi), "-f", "1",
                    "-l", "1", "-gray", str(source), str(tmp_path / "qr")], check=True)
    [png] = tmp_path.glob("qr*.png")
    image = Image.open(png).convert("L")
    modules = qr_modules(payload)
    count = len(modules)
    scale = dpi / 72
    x0 = (A4[0] - 16 * mm - count * QR_MODULE) * scale
    y0 = 14 * mm * scale
    cell = QR_MODULE * scale
    read = [[image.getpixel((int(x0 + (c + 0.5) * cell), int(y0 + (r + 0.5) * cell))) < 128
             for c in range(count)] for r in range(count)]
    assert read == modules
    assert svc.certificates.verify_certificate_payload(payload).answer == "genuine"
