"""Attachment types are judged by content, never by name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.domain.errors import ValidationError
from desktop_app.files.sniff import CSV, DXF, JPEG, PDF, PNG, STEP, TIFF, TXT, XLSX, sniff


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_allowed_types_are_recognised_whatever_their_name(tmp_path):
    book = Workbook()
    book.active.append(["a", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    cases = {
        "a.bin": (b"%PDF-1.7\n...", PDF),
        "photo.pdf": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, PNG),
        "b": (b"\xff\xd8\xff\xe0" + b"\x00" * 20, JPEG),
        "scan.tif": (b"II*\x00" + b"\x00" * 20, TIFF),
        "scan2": (b"MM\x00*" + b"\x00" * 20, TIFF),
        "sheet.dat": (buffer.getvalue(), XLSX),
        "readings.csv": ("n°;valeur\n1;12,05\n".encode("cp1252"), CSV),
        "export.txt": (b"a,b,c\n1,2,3\n4,5,6\n", CSV),
        "notes.txt": ("Contrôle visuel : aucune bavure.\n".encode(), TXT),
        "part.step": (b"ISO-10303-21;\nHEADER;\n", STEP),
        "plan.dxf": (b"  0\nSECTION\n  2\nHEADER\n", DXF),
    }
    for name, (data, expected) in cases.items():
        assert sniff(_file(tmp_path, name, data)) == expected, name


@pytest.mark.parametrize("data,looks_like", [
    (b"MZ\x90\x00" + b"\x00" * 60, "a Windows program"),
    (b"\x7fELF\x02\x01" + b"\x00" * 60, "a program"),
    (b"#!/bin/sh\nrm -rf /\n", "a script"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 60, "an old Office document"),
    (b"\x00\x01\x02\x03binary", "binary data of an unknown kind"),
])
def test_other_content_is_refused_with_what_it_looks_like(tmp_path, data, looks_like):
    with pytest.raises(ValidationError, match=f"certificate.pdf is not an allowed file type.*"
                                              f"{looks_like}"):
        sniff(_file(tmp_path, "certificate.pdf", data))


def test_a_zip_that_is_not_a_workbook_and_an_empty_file_are_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError, match="ZIP archive"):
        sniff(_file(tmp_path, "report.docx", buffer.getvalue()))
    with pytest.raises(ValidationError, match="empty"):
        sniff(_file(tmp_path, "empty.pdf", b""))
