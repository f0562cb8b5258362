"""Reading the first sheet of a workbook: .xlsx, .xlsb, .xls (Excel 97-2003) and .ods.

calamine (Rust, through python-calamine) reads them all, 14-25 times faster than openpyxl, but
holds the whole sheet while it is read. An .xlsx whose sheet XML passes `STREAM_ABOVE` bytes is
streamed instead (`xlsx_stream`), so that memory stays flat however many rows it has; an .xls
holds at most 65,536 rows, so calamine is always right for it.

A file that is not a workbook, is damaged or is protected by a password gets one sentence.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.tables import (
    RowSource,
    TableKind,
    cell_text,
    looks_like_data,
    refuse_merged_header,
)

STREAM_ABOVE = 24 << 20  # bytes of sheet XML (about 45,000 rows of ten columns)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # an OOXML workbook saved with a password


def open_workbook(path: Path, kind: TableKind) -> RowSource:
    try:
        if kind == "xlsx":
            stream = _streamed(path)
            if stream is not None:
                return stream
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The file {name} cannot be read ({detail})."),
            name=path.name, detail=exc.strerror or str(exc)) from exc
    return CalamineSource(path, data, hashlib.sha256(data).hexdigest())


def _damaged(path: Path, exc: BaseException) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "The workbook {name} cannot be read; it may be damaged ({detail})."),
        name=path.name, detail=type(exc).__name__)


def _password(path: Path) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "The workbook {name} is protected by a password; save a copy without the "
                  "password and import that."), name=path.name)


class CalamineSource(RowSource):
    """A sheet loaded whole by calamine; rows counted against its height for progress."""

    def __init__(self, path: Path, data: bytes, digest: str) -> None:
        import python_calamine

        self._path = path
        self._digest = digest
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            try:
                self._sheet = book.get_sheet_by_index(0)
            finally:
                book.close()
        except python_calamine.PasswordError as exc:
            raise _password(path) from exc
        except Exception as exc:  # noqa: BLE001 - calamine raises many kinds for a damaged file
            if data.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED in data:
                raise _password(path) from exc
            raise _damaged(path, exc) from exc
        start = self._sheet.start
        self._first_column = start[1] if start else 0
        end = self._sheet.end
        self._total = end[0] + 1 if end else 0
        self._merged = [(first[0] + 1, last[0] + 1)
                        for first, last in (self._sheet.merged_cell_ranges or [])]
        self._first: list[Any] = []

    def numbered(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        # calamine gives rows from the sheet's first row, columns from its first used column.
        pad = ("",) * self._first_column
        for index, raw in enumerate(self._sheet.iter_rows()):
            values = pad + tuple(cell_text(v) for v in raw)
            if not self._first and any(values):
                self._first = [None] * self._first_column + list(raw)
            yield index + 1, values

    def header_is_data(self, index: int) -> bool:
        return looks_like_data(self._first[index])

    def header_found(self, number: int) -> None:
        refuse_merged_header(self._path, number, self._merged)

    def position(self, rows: int) -> tuple[int, int]:
        return rows, self._total

    def digest(self) -> str:
        return self._digest

    def close(self) -> None:
        self._sheet = None  # type: ignore[assignment]


def _streamed(path: Path) -> RowSource | None:
    """The streaming reader for a large .xlsx, None for one calamine may hold whole."""
    from desktop_app.files.tables import file_digest
    from desktop_app.files.xlsx_stream import XlsxSheet

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None
    try:
        sheet = XlsxSheet(archive)
        if sheet.size > STREAM_ABOVE:
            return StreamedSource(path, archive, sheet, file_digest(path))
    except Exception:  # noqa: BLE001, S110 - whatever is odd here, calamine says in one sentence
        pass
    archive.close()
    return None


class StreamedSource(RowSource):
    """A large .xlsx read row by row; progress from the bytes of sheet XML parsed."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, sheet: Any, digest: str) -> None:
        self._path = path
        self._archive = archive
        self._sheet = sheet
        self._digest = digest
        self._first: list[Any] = []
        self._header = 0

    def numbered(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        try:
            for number, raw in self._sheet.rows():
                values = tuple(cell_text(v) for v in raw)
                if not self._first and any(values):
                    self._first = list(raw)
                yield number, values
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, ExpatError) as exc:
            raise _damaged(self._path, exc) from exc

    def header_is_data(self, index: int) -> bool:
        return looks_like_data(self._first[index])

    def header_found(self, number: int) -> None:
        self._header = number

    def position(self, rows: int) -> tuple[int, int]:
        return self._sheet.consumed, self._sheet.size

    def finish(self, rows: int) -> None:
        # Merged ranges follow the rows in the sheet's XML: known only now.
        if self._header:
            refuse_merged_header(self._path, self._header, self._sheet.merged)

    def digest(self) -> str:
        return self._digest

    def close(self) -> None:
        self._archive.close()
