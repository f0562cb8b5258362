"""Reading the sheets of a workbook: .xlsx, .xlsb, .xls (Excel 97-2003) and .ods.

calamine (Rust, through python-calamine) reads them all, 14-25 times faster than openpyxl, but
holds the whole sheet while it is read. An .xlsx one of whose sheets passes `STREAM_ABOVE` bytes
of XML is streamed instead (`xlsx_stream`), so that memory stays flat however many rows it has;
an .xls holds at most 65,536 rows, so calamine is always right for it. Either lists the sheets
(chart sheets left out, hidden ones known) and reads the top of any of them, so that the table's
sheet and header row can be chosen (`tables.TableStream`) before the rows are read on.

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
    OLE_MAGIC,
    Row,
    RowSource,
    TableKind,
    cell_text,
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
    """A workbook held by calamine: a sheet is loaded whole when it is looked at; rows counted
    against the chosen sheet's height for progress."""

    def __init__(self, path: Path, data: bytes, digest: str) -> None:
        import python_calamine

        self._path = path
        self._digest = digest
        # A workbook saved with a password is an OLE container holding the encrypted package.
        self._encrypted = data.startswith(OLE_MAGIC) and _ENCRYPTED in data
        self._loaded: dict[int, Any] = {}
        self._sheet: Any = None
        self._book: Any = None
        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [m for m in self._book.sheets_metadata
                      if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        except Exception as exc:  # noqa: BLE001 - calamine raises many kinds for a damaged file
            self.close()
            raise self._refusal(exc) from exc
        self._names = [m.name for m in sheets]
        self._visible = [i for i, m in enumerate(sheets)
                         if m.visible == python_calamine.SheetVisibleEnum.Visible]
        self._first_column = 0
        self._total = 0
        self._merged: list[tuple[int, int]] = []

    def _refusal(self, exc: BaseException) -> ValidationError:
        import python_calamine

        if isinstance(exc, python_calamine.PasswordError) or self._encrypted:
            return _password(self._path)
        return _damaged(self._path, exc)

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def visible_sheets(self) -> list[int]:
        return list(self._visible)

    def _load(self, index: int) -> Any:
        if index not in self._loaded:
            try:
                self._loaded[index] = self._book.get_sheet_by_name(self._names[index])
            except Exception as exc:  # noqa: BLE001 - as when the workbook is opened
                raise self._refusal(exc) from exc
        return self._loaded[index]

    def numbered(self, sheet: int) -> Iterator[Row]:
        loaded = self._load(sheet)
        # calamine gives rows from the sheet's first row, columns from its first used column.
        start = loaded.start
        first_column = start[1] if start else 0
        pad, gap = ("",) * first_column, [None] * first_column
        for index, raw in enumerate(loaded.iter_rows()):
            values = pad + tuple(cell_text(v) for v in raw)
            yield index + 1, values, (gap + list(raw)) if first_column else raw

    def choose(self, sheet: int) -> None:
        self._sheet = self._load(sheet)
        self._loaded = {sheet: self._sheet}  # the sheets only looked at are let go
        if self._book is not None:
            self._book.close()
            self._book = None
        end = self._sheet.end
        self._total = end[0] + 1 if end else 0
        self._merged = [(first[0] + 1, last[0] + 1)
                        for first, last in (self._sheet.merged_cell_ranges or [])]

    def header_found(self, number: int) -> None:
        refuse_merged_header(self._path, number, self._merged)

    def position(self, rows: int) -> tuple[int, int]:
        return rows, self._total

    def digest(self) -> str:
        return self._digest

    def close(self) -> None:
        self._loaded = {}
        self._sheet = None
        if self._book is not None:
            self._book.close()
            self._book = None


def _streamed(path: Path) -> RowSource | None:
    """The streaming reader for a large .xlsx (one of its sheets is large), None for one
    calamine may hold whole."""
    from desktop_app.files.tables import file_digest
    from desktop_app.files.xlsx_stream import XlsxBook

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None
    try:
        book = XlsxBook(archive)
        if book.sheets and max(s.size for s in book.sheets) > STREAM_ABOVE:
            return StreamedSource(path, archive, book, file_digest(path))
    except Exception:  # noqa: BLE001, S110 - whatever is odd here, calamine says in one sentence
        pass
    archive.close()
    return None


class StreamedSource(RowSource):
    """A large .xlsx read row by row; progress from the bytes of sheet XML parsed."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, book: Any, digest: str) -> None:
        self._path = path
        self._archive = archive
        self._book = book
        self._opened: dict[int, Any] = {}
        self._sheet: Any = None
        self._digest = digest
        self._header = 0

    def sheet_names(self) -> list[str]:
        return [s.name for s in self._book.sheets]

    def visible_sheets(self) -> list[int]:
        return [i for i, s in enumerate(self._book.sheets) if s.visible]

    def numbered(self, sheet: int) -> Iterator[Row]:
        reader = self._opened[sheet] = self._book.reader(sheet)
        try:
            for number, raw in reader.rows():
                yield number, tuple(cell_text(v) for v in raw), raw
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, ExpatError) as exc:
            raise _damaged(self._path, exc) from exc

    def choose(self, sheet: int) -> None:
        self._sheet = self._opened[sheet]

    def header_found(self, number: int) -> None:
        self._header = number

    def position(self, rows: int) -> tuple[int, int]:
        if self._sheet is None:
            return rows, rows
        return self._sheet.consumed, self._sheet.size

    def finish(self, rows: int) -> None:
        # Merged ranges follow the rows in the sheet's XML: known only now.
        if self._header and self._sheet is not None:
            refuse_merged_header(self._path, self._header, self._sheet.merged)

    def digest(self) -> str:
        return self._digest

    def close(self) -> None:
        self._archive.close()
