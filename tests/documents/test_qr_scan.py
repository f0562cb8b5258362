"""The certificate's QR code read by a real decoder (zbar) after a simulated office scan: the
page rendered at 150 dpi, scaled down to 72 dpi, slightly blurred (ImageMagick's -blur 0x1) and
made grey. What it reads is the signed payload and verifies offline."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from desktop_app.documents.certificate_pdf import QR_MODULE, qr_modules, render_certificate
from desktop_app.domain.certificate_qr import expand, qr_text
from desktop_app.domain.certificates import (
    key_id,
    parse_payload,
    payload_signed_by,
    sign_payload,
)
from desktop_app.domain.keys import public_key_hex, sign
from tests.documents.test_certificate_pdf import issued  # noqa: F401 - a fixture
from tests.documents.test_scripts_in_documents import certificate

ZBARIMG = shutil.which("zbarimg")
pytestmark = pytest.mark.skipif(
    ZBARIMG is None, reason="zbarimg missing: installer/system-deps.sh offscreen installs it")


def scanned(pdf: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", "150", "-f", "1",
                    "-l", "1", "-singlefile", str(source), str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png")
    small = page.resize((round(page.width * 72 / 150), round(page.height * 72 / 150)),
                        Image.LANCZOS)
    return small.filter(ImageFilter.GaussianBlur(1)).convert("L")


def decode(image: Image.Image, tmp_path: Path) -> list[str]:
    path = tmp_path / "scan.png"
    image.save(path)
    run = subprocess.run([ZBARIMG or "zbarimg", "--quiet", "--raw", "-Sdisable",
                          "-Sqrcode.enable", str(path)], capture_output=True, text=True)
    return [line for line in run.stdout.splitlines() if line]


def test_a_scanned_certificate_reads_and_verifies(issued, actors, tmp_path):  # noqa: F811
    svc, number = issued
    pdf = svc.certificates.render_pdf(actors["insp"], number)
    [text] = decode(scanned(pdf, tmp_path), tmp_path)
    payload = svc.certificates.certificate(actors["insp"], number).payload
    assert text == qr_text(payload) and len(text) < len(payload) + 10
    assert expand(text) == payload
    check = svc.certificates.verify_certificate_payload(text)
    assert check.answer == "genuine" and check.number == number


@pytest.mark.parametrize("languages", [("fr", "en"), ("ar",), ("zh",)], ids="-".join)
def test_each_layout_scans(tmp_path, languages):
    """Fields outside the alphanumeric set (lower case) go in byte mode; the QR code still reads
    at 72 dpi in every layout (the Arabic one puts it on the left)."""
    data, key = certificate(part_number="jt-5401-220b", drawing_revision="c/2")
    pdf = render_certificate(data, languages, key_id(public_key_hex(key)),
                             lambda digest: sign(key, digest))
    [text] = decode(scanned(pdf, tmp_path), tmp_path)
    parsed = parse_payload(text)
    assert parsed is not None and parsed.body["p"] == "jt-5401-220b"
    assert payload_signed_by(parsed, public_key_hex(key))
    forged = parse_payload(text.replace("JT", "JX", 1).replace("jt", "jx", 1))
    assert forged is not None and not payload_signed_by(forged, public_key_hex(key))


def test_modules_are_at_least_0_8_mm_on_paper(issued, actors, tmp_path):  # noqa: F811
    """Measured on the printed page: the QR code's dark extent over its module count."""
    svc, number = issued
    pdf = svc.certificates.render_pdf(actors["insp"], number)
    source = tmp_path / "c.pdf"
    source.write_bytes(pdf)
    dpi = 300
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-png", "-r", str(dpi), "-gray",
                    "-singlefile", str(source), str(tmp_path / "hi")], check=True)
    image = Image.open(tmp_path / "hi.png").convert("L")
    count = len(qr_modules(read_payload(svc, actors, number)))
    px = dpi / 25.4
    right = round((A4[0] / 72 * 25.4 - 16) * px)
    top = round(14 * px)
    region = image.crop((right - round(70 * px), top - 2, right + 2, top + round(70 * px)))
    box = region.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert box is not None
    width_mm = (box[2] - box[0]) / px
    assert abs(width_mm - count * QR_MODULE / mm) < 0.5
    assert width_mm / count >= 0.8


def read_payload(svc, actors, number) -> str:
    return svc.certificates.certificate(actors["insp"], number).payload


def test_a_payload_that_cannot_be_compact_is_printed_as_it_is():
    data, key = certificate(part_number="JT*5401")
    signed = dataclasses.replace(data, payload=sign_payload(data, key))
    assert qr_text(signed.payload) == signed.payload
    assert expand(signed.payload) == signed.payload
