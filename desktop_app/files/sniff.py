"""What a file really is, judged by its content (never by its name).

Allowed for attachments: PDF, PNG, JPEG, TIFF, XLSX, CSV and plain text, and DXF (ASCII) and STEP
(ISO 10303-21) drawings, which are plain text and are kept as data only (never rendered or run).
Everything else — a program renamed `.pdf`, a ZIP, a Word file, a binary DXF — is refused with one
sentence that says what the content looks like.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class FileType:
    content_type: str  # MIME type
    label: str  # short name shown to people
    extension: str  # with the dot, for safe file names

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


PDF = FileType("application/pdf", "PDF", ".pdf")
PNG = FileType("image/png", "PNG", ".png")
JPEG = FileType("image/jpeg", "JPEG", ".jpg")
TIFF = FileType("image/tiff", "TIFF", ".tif")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX",
                ".xlsx")
CSV = FileType("text/csv", "CSV", ".csv")
TXT = FileType("text/plain", "TXT", ".txt")
DXF = FileType("image/vnd.dxf", "DXF", ".dxf")
STEP = FileType("model/step", "STEP", ".step")

ALLOWED = (PDF, PNG, JPEG, TIFF, XLSX, CSV, TXT, DXF, STEP)
ALLOWED_LABELS = ", ".join(t.label for t in ALLOWED)
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED}

# Signatures of common refused content, to say what a file looks like.
_KNOWN_OTHERS = (
    (b"MZ", QT_TRANSLATE_NOOP("Errors", "a Windows program")),
    (b"\x7fELF", QT_TRANSLATE_NOOP("Errors", "a program")),
    (b"\xcf\xfa\xed\xfe", QT_TRANSLATE_NOOP("Errors", "a program")),
    (b"#!", QT_TRANSLATE_NOOP("Errors", "a script")),
    (b"\xd0\xcf\x11\xe0", QT_TRANSLATE_NOOP("Errors", "an old Office document")),
    (b"Rar!", QT_TRANSLATE_NOOP("Errors", "a RAR archive")),
    (b"7z\xbc\xaf", QT_TRANSLATE_NOOP("Errors", "a 7-Zip archive")),
    (b"\x1f\x8b", QT_TRANSLATE_NOOP("Errors", "a compressed archive")),
    (b"GIF8", QT_TRANSLATE_NOOP("Errors", "a GIF image")),
    (b"AutoCAD Binary DXF", QT_TRANSLATE_NOOP("Errors", "a binary DXF drawing")),
)


def _refuse(name: str, looks_like: str) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP(
            "Errors", "{name} is not an allowed file type ({allowed}); its content looks like "
            "{looks_like}."),
        field="file", name=name, allowed=ALLOWED_LABELS, looks_like=looks_like)


def _text(head: bytes) -> str | None:
    """The head decoded as text, or None when it is binary."""
    if b"\x00" in head:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the end of the head is still text.
            if encoding == "utf-8-sig" and exc.start >= len(head) - 3:
                text = head[:exc.start].decode(encoding)
            else:
                continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        return text if controls == 0 else None
    return None


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    for sep in (";", ",", "\t"):
        counts = {line.count(sep) for line in lines[:-1]}  # the last line may be cut
        if len(counts) == 1 and counts.pop() > 0:
            return True
    return False


def _xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def sniff(path: Path, name: str | None = None) -> FileType:
    """The allowed type of the file at `path`, judged by content; refused otherwise.

    `name` is the original file name for the sentence (and tells CSV from plain text)."""
    shown = name or path.name
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{name} is empty."), field="file",
                              name=shown)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith(b"PK\x03\x04"):
        if _xlsx(path):
            return XLSX
        raise _refuse(shown, QT_TRANSLATE_NOOP("Errors", "a ZIP archive (not an Excel workbook)"))
    for magic, looks_like in _KNOWN_OTHERS:
        if head.startswith(magic):
            raise _refuse(shown, looks_like)
    text = _text(head)
    if text is None:
        raise _refuse(shown, QT_TRANSLATE_NOOP("Errors", "binary data of an unknown kind"))
    start = text.lstrip()
    if start.startswith("ISO-10303-21;"):
        return STEP
    if start.startswith("0") and "SECTION" in start[:200]:
        return DXF
    if shown.lower().endswith(".csv") or _looks_like_csv(text):
        return CSV
    return TXT
