"""What a file really is, judged by its content (never by its name).

Allowed for attachments: PDF, PNG, JPEG, TIFF, XLSX, CSV and plain text, and DXF (ASCII) and STEP
(ISO 10303-21) drawings, which are plain text and are kept as data only (never rendered or run).
Everything else — a program renamed `.pdf`, a ZIP, a Word file, a binary DXF — is refused with one
sentence that says what the content looks like.

`check_aqdef` does the same for measurement files named as Q-DAS AQDEF (.dfq, .dfd, .dfx): their
content must be K-fields or lines of values, whatever the name says.
"""

from __future__ import annotations

import re
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


# -- Q-DAS AQDEF measurement files -----------------------------------------------------------

AQDEF_SUFFIXES = (".dfq", ".dfd", ".dfx")
_K_FIELD = re.compile(r"K\d{4}(/|\s|$)")
# A line of values: numbers and the two separators of the format (0x14 between the fields of one
# characteristic, 0x0F between characteristics), or one number alone.
_PRINTABLE = r"[^\x00-\x08\x0a-\x0e\x10-\x13\x15-\x1f]*"  # with tab, 0x0F and 0x14
_VALUE_LINE = re.compile(_PRINTABLE + r"[\x0f\x14]" + _PRINTABLE
                         + r"|[+-]?\d+([.,]\d*)?([eE][+-]?\d+)?")


def is_aqdef_name(name: str | Path) -> bool:
    return Path(name).suffix.lower() in AQDEF_SUFFIXES


def check_aqdef(path: Path, name: str | None = None) -> None:
    """Refuse, in one sentence, a file named .dfq / .dfd / .dfx whose content is no AQDEF: its
    first line must be a K-field (K0100, K1001 …) or, in a .dfx, a line of values."""
    shown = name or path.name
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if not head.strip():
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "{name} is empty."), field="file",
                              name=shown)
    if head.startswith(b"%PDF-"):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is named as a Q-DAS AQDEF file but is a PDF document."),
            field="file", name=shown)
    if head.startswith(b"PK\x03\x04"):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is named as a Q-DAS AQDEF file but is a ZIP archive (or an Excel "
                      "workbook)."), field="file", name=shown)
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8")):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is named as a Q-DAS AQDEF file but is an image."),
            field="file", name=shown)
    text = aqdef_text(head)
    if text is None or any(head.startswith(magic) for magic, _ in _KNOWN_OTHERS):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is named as a Q-DAS AQDEF file but holds binary data."),
            field="file", name=shown)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not (_K_FIELD.match(first) or _VALUE_LINE.fullmatch(first)):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is named as a Q-DAS AQDEF file but its first line is no K-field "
                      "(such as K0100 or K1001)."), field="file", name=shown)


def aqdef_text(data: bytes) -> str | None:
    """The bytes of an AQDEF file as text: UTF-8 (with or without a byte order mark), else
    Windows-1252, else ISO-8859-1; None for binary data. A multi-byte character cut by the end of
    `data` is dropped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data[:len(data) // 2 * 2].decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[:exc.start].decode("utf-8-sig")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
