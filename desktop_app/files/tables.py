"""Tabular files people bring and take away: CSV and Excel (.xlsx).

`read_table` returns every value as text with the row number a person sees in the sheet; the kind
of file is told by its content, not its name. The sheet of a workbook and the header row are found
as people lay them out, past a cover sheet, titles, logos and blank rows (`TableStream`,
`header_detect`), or taken as the person gives them.

`write_table` is the one way the application writes a table for people: cells that a spreadsheet
would run as a formula are neutralised (OWASP, "CSV injection") in a way that reading the file
back undoes, so one's own export re-imports unchanged:

- in .xlsx, such text is a typed text cell with Excel's "quote prefix" (what Excel itself stores
  when someone types '=...): shown and read back as written, never run;
- in .csv, it gets a leading apostrophe; so does text that starts with an apostrophe, which makes
  the mark reversible, and `read_table` takes one apostrophe off such cells.

A CSV for French Excel uses ";" between cells and a decimal comma (`CsvFormat`); every CSV starts
with a UTF-8 byte order mark so that Excel reads accents.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import zipfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Literal

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.files.header_detect import (
    SCAN_ROWS,
    HeaderGuess,
    HeaderNotFound,
    HeaderVocabulary,
    find_header,
)

TableKind = Literal["csv", "xlsx", "xlsb", "xls", "ods"]
Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]

CHECK_EVERY = 1000
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
CSV_DELIMITERS = (",", ";", "\t")
# Cells starting with these are run by spreadsheets as formulas (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# The first characters that make a CSV cell take the neutralising apostrophe.
_QUOTED_STARTS = (*FORMULA_STARTS, QUOTE)
HEADER_WIDTH = (8, 60)  # narrowest and widest column an .xlsx export gets, in characters


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """How a CSV file separates cells and writes decimals."""

    delimiter: str = ","
    decimal: str = "."


CSV_COMMA = CsvFormat()
CSV_FRENCH_EXCEL = CsvFormat(";", ",")
# Languages whose Excel expects ";" and a decimal comma (the list separator of their locale).
_SEMICOLON_LANGUAGES = frozenset({"fr"})


def csv_format_for(language: str) -> CsvFormat:
    """The CSV a person's Excel opens in columns, for the language of the interface."""
    code = (language or "").replace("-", "_").split("_")[0].lower()
    return CSV_FRENCH_EXCEL if code in _SEMICOLON_LANGUAGES else CSV_COMMA

_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or a workbook with a password
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def workbook_kind(path: Path) -> TableKind | None:
    """"xlsx", "xlsb" or "ods" for a zip that holds such a workbook, None for any other zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100].strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "[Content_Types].xml" in names and "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype == ODS_MIMETYPE and "content.xml" in names:
        return "ods"
    return None


@dataclass(frozen=True, slots=True)
class TableRow:
    number: int  # the row number a person sees in the sheet
    values: tuple[str, ...]

    def value(self, index: int) -> str:
        return self.values[index] if 0 <= index < len(self.values) else ""


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Where a table was found in its file: the sheet, the header row, and how it was found."""

    sheets: tuple[str, ...]  # every sheet of the workbook, in order (a CSV file: one, unnamed)
    sheet: str  # the sheet read
    header_row: int  # the header's row number, as the sheet shows it
    detected: bool  # found by the column names it holds (not given, nor merely the first row)
    top: tuple[TableRow, ...] = ()  # the first rows holding anything: where to choose it from

    @property
    def sheet_number(self) -> int:
        """The sheet's place in the workbook, counted from 1."""
        return self.sheets.index(self.sheet) + 1 if self.sheet in self.sheets else 1


@dataclass(frozen=True, slots=True)
class Table:
    headers: list[str]
    rows: list[TableRow]
    source_kind: TableKind
    layout: SheetLayout | None = None


# -- reading ---------------------------------------------------------------------------------


def detect_kind(path: Path) -> TableKind:
    """The kind of table the file holds, told by its content; a clear sentence otherwise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError as exc:
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file {name} does not exist."),
                              name=str(path)) from exc
    except OSError as exc:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "The file {name} cannot be read ({detail})."),
            name=path.name, detail=exc.strerror or str(exc)) from exc
    if head.startswith(b"PK\x03\x04"):
        kind = workbook_kind(path)
        if kind:
            return kind
    if head.startswith(OLE_MAGIC):
        return "xls"  # or a workbook saved with a password: told when it is opened
    what = next((label for magic, label in _MAGIC if head.startswith(magic)), "")
    if not what and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        what = "a binary file"
    named_excel = path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
    if what or named_excel:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The file {name} is not an Excel workbook (.xlsx) or a CSV file; "
                      "it looks like {what}."),
            name=path.name, what=what or "text")
    return "csv"


Row = tuple[int, tuple[str, ...], Sequence[Any]]  # (row number, cell texts, cell values as read)
SheetRef = str | int | None  # a sheet's name, or its number counted from 1


class TableStream:
    """One pass over a table: the header row when opened, then `rows()` as they are read.

    When opened, the sheet is chosen and its header row found (`layout` says which and how):
    with a `vocabulary`, the first sheet (in order, hidden ones left out) whose top rows hold a
    row naming the importer's columns, and that row, past titles, logos and blank rows
    (`header_detect`); without one, the first sheet and its first row holding anything. A sheet
    or a header row given by the person is taken as given. Only the top rows of the sheets
    looked at are read to choose: the rows after the header go on from where that stopped.

    Progress is reported every `CHECK_EVERY` rows from the bytes read (or the rows of a sheet
    already loaded), never from a count made beforehand; `cancelled` is asked as often.
    `digest` is the SHA-256 of the file's bytes, known once every row has been read."""

    def __init__(self, path: Path, kind: TableKind, source: RowSource, progress: Progress,
                 cancelled: IsCancelled, sheet: SheetRef = None, header_row: int | None = None,
                 vocabulary: HeaderVocabulary | None = None) -> None:
        self.path = path
        self.source_kind: TableKind = kind
        self._source = source
        self._progress = progress
        self._cancelled = cancelled
        self._count = 0
        self._started = False
        self._rest: Iterator[Row] = iter(())
        self.layout = self._open(sheet, header_row, vocabulary)
        self.headers = self._headers

    @property
    def digest(self) -> str:
        return self._source.digest()

    # -- choosing the sheet and the header row ------------------------------------------------

    def _open(self, sheet: SheetRef, header_row: int | None,
              vocabulary: HeaderVocabulary | None) -> SheetLayout:
        names = tuple(self._source.sheet_names())
        if sheet is not None:
            candidates = [self._sheet_index(names, sheet)]
        else:
            candidates = self._source.visible_sheets() or list(range(len(names)))
        probes: list[_Probe] = []
        chosen: _Probe | None = None
        try:
            for index in candidates:
                probe = _Probe(index, self._counted(self._source.numbered(index)))
                probes.append(probe)
                if vocabulary is not None:
                    probe.guess = find_header(((n, v) for n, v, _raw in probe.top), vocabulary)
                if vocabulary is None or len(candidates) == 1 or (
                        probe.guess is not None and probe.guess.sure):
                    chosen = probe
                    break
            if chosen is None:  # no sheet names two known columns: one naming one, or the first
                chosen = next((p for p in probes if p.guess is not None), probes[0]) \
                    if probes else None
        finally:
            for probe in probes:
                if probe is not chosen:
                    probe.close()
        if chosen is None or (not chosen.top and header_row is None):
            self._source.finish(0)
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file {name} is empty."),
                                  name=self.path.name)
        self._source.choose(chosen.index)
        self._count = chosen.consumed
        layout = SheetLayout(names, names[chosen.index], 0, False, tuple(
            TableRow(number, values) for number, values, _raw in chosen.top))
        if header_row is not None:
            number, values, raw = chosen.row(header_row, self.path.name, layout.sheet)
        elif vocabulary is not None:
            if chosen.guess is None:
                raise HeaderNotFound(self.path.name, layout.sheet, vocabulary.expected, layout)
            number, values, raw = chosen.row(chosen.guess.row, self.path.name, layout.sheet)
        else:
            number, values, raw = chosen.top[0]
        self._source.header_found(number)
        self._headers = _header_row(self.path, number, values, raw)
        self._rest = chosen.after(number)
        return replace(layout, header_row=number,
                       detected=header_row is None and vocabulary is not None)

    def _sheet_index(self, names: tuple[str, ...], sheet: str | int) -> int:
        if isinstance(sheet, str):
            wanted = sheet.strip().casefold()
            for index, name in enumerate(names):
                if name.strip().casefold() == wanted:
                    return index
            if wanted.isdigit():
                sheet = int(wanted)
        if isinstance(sheet, int) and 1 <= sheet <= len(names):
            return sheet - 1
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} has no sheet {sheet}; its sheets are: {sheets}."),
            name=self.path.name, sheet=sheet, sheets=", ".join(names))

    def _counted(self, rows: Iterator[Row]) -> Iterator[Row]:
        for item in rows:
            self._count += 1
            if self._count % CHECK_EVERY == 0:
                if self._cancelled():
                    raise Cancelled()
                self._progress(*self._source.position(self._count), "")
            yield item

    # -- reading ------------------------------------------------------------------------------

    def rows(self) -> Iterator[TableRow]:
        """The rows after the header (blank rows left out), each cut or padded to its width."""
        if self._started:
            raise RuntimeError("a table is read once")
        self._started = True
        width = len(self.headers)
        for number, values, _raw in self._rest:
            if any(values):
                yield TableRow(number, _fit(values, width))
        self._source.finish(self._count)
        done, total = self._source.position(self._count)
        self._progress(done, max(total, done), "")


class _Probe:
    """The top of one sheet, read to see whether it holds the header: its first `SCAN_ROWS`
    rows holding anything are kept (`top`), and the sheet can still be read on after them."""

    def __init__(self, index: int, rows: Iterator[Row]) -> None:
        self.index = index
        self.guess: HeaderGuess | None = None
        self.consumed = 0
        self._rows = rows
        self._kept: list[Row] = []  # the rows read that hold anything (blank ones are not kept)
        self._last = 0  # the number of the last row read
        while len(self._kept) < SCAN_ROWS and self._next():
            pass
        self.top = tuple(self._kept)

    def _next(self) -> bool:
        item = next(self._rows, None)
        if item is None:
            return False
        self.consumed += 1
        self._last = item[0]
        if any(item[1]):
            self._kept.append(item)
        return True

    def row(self, number: int, file_name: str, sheet: str) -> Row:
        """The row with this number, read on as far as needed; a sentence when it is empty."""
        self._kept = [item for item in self._kept if item[0] >= number]
        while self._last < number and self._next():
            if self._kept and self._kept[-1][0] < number:
                self._kept.pop()
        if self._kept and self._kept[0][0] == number:
            return self._kept[0]
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Row {row} of sheet {sheet} of {name} is empty; choose the row that "
                      "names the columns.") if sheet else QT_TRANSLATE_NOOP(
            "Errors", "Row {row} of {name} is empty; choose the row that names the columns."),
            row=number, sheet=sheet, name=file_name)

    def after(self, number: int) -> Iterator[Row]:
        """The rows below row `number`: those already read, then the rest of the sheet."""
        kept = [item for item in self._kept if item[0] > number]
        self._kept, self.top = [], ()
        yield from kept
        yield from self._rows

    def close(self) -> None:
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()


class RowSource(ABC):
    """Where a `TableStream` takes its rows: a CSV file, a workbook held by calamine, or a large
    .xlsx streamed. Rows come as (row number a person sees, values as text, values as read);
    a workbook has sheets, numbered from 0 here, a CSV file one."""

    def sheet_names(self) -> list[str]:
        return [""]

    def visible_sheets(self) -> list[int]:
        """The sheets a person sees (a hidden sheet is read only when asked for by name)."""
        return list(range(len(self.sheet_names())))

    @abstractmethod
    def numbered(self, sheet: int) -> Iterator[Row]:
        """Every row of a sheet, with its number (a sheet may be begun, then left)."""

    def choose(self, sheet: int) -> None:  # noqa: B027 - a hook, nothing by default
        """Called with the sheet that is read, before its header is known."""

    def header_found(self, number: int) -> None:  # noqa: B027 - a hook, nothing by default
        """Called with the header's row number before the rows are read."""

    def position(self, rows: int) -> tuple[int, int]:
        """(done, total) for progress, after `rows` rows."""
        return rows, rows

    def finish(self, rows: int) -> None:  # noqa: B027 - a hook, nothing by default
        """Called once every row was read: checks that need the whole file."""

    @abstractmethod
    def digest(self) -> str:
        """The SHA-256 of the file's bytes (what the preview's plan is guarded by)."""

    def close(self) -> None:  # noqa: B027 - a hook, nothing by default
        """Release the file."""


@contextmanager
def open_table(path: Path | str, progress: Progress | None = None,
               cancelled: IsCancelled | None = None, *, sheet: SheetRef = None,
               header_row: int | None = None, vocabulary: HeaderVocabulary | None = None
               ) -> Iterator[TableStream]:
    """Open a CSV file or a sheet of a workbook for one pass (see `TableStream`)."""
    path = Path(path)
    kind = detect_kind(path)
    report = progress or (lambda done, total, message: None)
    stop = cancelled or (lambda: False)
    source: RowSource
    if kind == "csv":
        source = CsvSource(path)
    else:
        from desktop_app.files.workbooks import open_workbook

        source = open_workbook(path, kind)
    try:
        yield TableStream(path, kind, source, report, stop, sheet, header_row, vocabulary)
    finally:
        source.close()


def read_table(path: Path | str, progress: Progress | None = None,
               cancelled: IsCancelled | None = None, *, sheet: SheetRef = None,
               header_row: int | None = None, vocabulary: HeaderVocabulary | None = None
               ) -> Table:
    """Read the header row and the rows of a CSV file or a sheet of a workbook."""
    with open_table(path, progress, cancelled, sheet=sheet, header_row=header_row,
                    vocabulary=vocabulary) as stream:
        rows = list(stream.rows())
        return Table(headers=stream.headers, rows=rows, source_kind=stream.source_kind,
                     layout=stream.layout)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _fit(values: tuple[str, ...], width: int) -> tuple[str, ...]:
    if len(values) > width:
        return values[:width]
    return values + ("",) * (width - len(values))


def _header_row(path: Path, number: int, values: tuple[str, ...],
                raw: Sequence[Any]) -> list[str]:
    last = max(i for i, v in enumerate(values) if v)
    headers = [v.strip() for v in values[:last + 1]]
    if any(looks_like_data(raw[i]) for i in range(min(len(headers), len(raw)))):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Row {row} of {name} holds data, not column names: choose the row that "
                      "names the columns."), name=path.name, row=number)
    for index, header in enumerate(headers):
        if not header:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Column {column} of the header row (row {row}) of {name} has no name; "
                          "give every column a name."),
                name=path.name, row=number, column=column_letter(index))
    return headers



def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# A header may be a whole number (a year: "2027"); a fraction or a date is data.
_DATA_TEXT = re.compile(
    r"^([+-]?\d*[.,]\d+([eE][+-]?\d+)?|\d{4}-\d{2}-\d{2}.*|\d{1,2}/\d{1,2}/\d{2,4})$")


def looks_like_data(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(_DATA_TEXT.match(value.strip()))
    if isinstance(value, bool | float | Decimal | date | time):
        return not (isinstance(value, float) and value.is_integer())
    return False


# CSV

SAMPLE_BYTES = 1 << 20  # what the encoding and the separator are judged on
_FALLBACK = "partdesk-cp1252"


def _cp1252_or_latin1(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 in a UTF-8 file: read as Windows-1252 (Latin-1 for the five
    bytes it leaves out), as the whole file would have been."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad)
    return text, exc.end


codecs.register_error(_FALLBACK, _cp1252_or_latin1)


class _Counted(io.RawIOBase):
    """A file read straight through, hashed and counted as it goes."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.hash = hashlib.sha256()
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self.hash.update(memoryview(buffer)[:count])
            self.read_bytes += count
        return count or 0


class CsvSource(RowSource):
    def __init__(self, path: Path) -> None:
        self._path = path
        self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            self._size = os.fstat(self._raw.fileno()).st_size
            sample = self._raw.read(SAMPLE_BYTES)
            self._raw.seek(0)
        except OSError:
            self._raw.close()
            raise
        self._encoding = _encoding(sample)
        text = sample.decode(self._encoding, errors=_FALLBACK)
        self._delimiter = _delimiter(text[:65536])
        self._counted = _Counted(self._raw)
        self._done = False

    def numbered(self, sheet: int = 0) -> Iterator[Row]:
        text = io.TextIOWrapper(io.BufferedReader(self._counted, 1 << 16),
                                encoding=self._encoding, errors=_FALLBACK, newline="")
        reader = csv.reader(text, delimiter=self._delimiter)
        try:
            for values in reader:
                row = tuple(restore(v).strip() for v in values)
                yield reader.line_num, row, row
        except csv.Error as exc:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "Row {row} of {name} is not valid CSV ({detail})."),
                name=self._path.name, row=reader.line_num, detail=str(exc)) from exc

    def position(self, rows: int) -> tuple[int, int]:
        return self._counted.read_bytes, self._size

    def finish(self, rows: int) -> None:  # noqa: B027 - a hook, nothing by default
        self._done = True

    def digest(self) -> str:
        if not self._done:
            raise RuntimeError("the digest is known once every row has been read")
        return self._counted.hash.hexdigest()

    def close(self) -> None:
        self._raw.close()


def _encoding(sample: bytes) -> str:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if len(sample) == SAMPLE_BYTES and exc.start >= len(sample) - 3:
            return "utf-8-sig"  # a character cut by the end of the sample
    return "cp1252"


def _delimiter(sample: str) -> str:
    """The separator that splits the most of the first lines into the same number of columns
    (more than one), then into the most columns: title lines above the header, which no
    separator splits or only a comma of their text does, are outvoted by the header and the
    rows, and so is a separator inside a cell ("M12x1,5; zingué"); the sniffer when that says
    nothing."""
    lines = [line for line in sample.splitlines() if line.strip()][:SCAN_ROWS]
    scores: dict[str, tuple[int, int]] = {}
    for d in CSV_DELIMITERS:
        widths = [len(next(csv.reader([line], delimiter=d), [])) for line in lines]
        wide = Counter(w for w in widths if w > 1)
        if wide:
            width, agreeing = max(wide.items(), key=lambda item: (item[1], item[0]))
            scores[d] = (agreeing, width)
    if scores:
        best = max(scores.values())
        if list(scores.values()).count(best) == 1:
            return max(scores, key=lambda d: scores[d])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(CSV_DELIMITERS)).delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        return max(CSV_DELIMITERS, key=first_line.count)


def refuse_merged_header(path: Path, header_row: int, merged: list[tuple[int, int]]) -> None:
    if any(first <= header_row <= last for first, last in merged):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The header row (row {row}) of {name} has merged cells; unmerge them so "
                      "that every column has its own name."), name=path.name, row=header_row)


def cell_text(value: Any) -> str:
    """A cell value as text: numbers without a spurious ".0", dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return _plain(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# -- writing ---------------------------------------------------------------------------------

Cell = str | int | Decimal | date | None


def is_formula_like(value: str) -> bool:
    """True for text a spreadsheet would run as a formula (OWASP CSV injection)."""
    return value.startswith(FORMULA_STARTS)


def neutralise(value: str) -> str:
    """The text of a CSV cell: a leading apostrophe before formula-like text, and before text
    that already starts with one, so that `restore` gives the value back exactly."""
    return QUOTE + value if value.startswith(_QUOTED_STARTS) else value


def restore(value: str) -> str:
    """Undo `neutralise`: one apostrophe off a cell whose next character needed it."""
    if value.startswith(QUOTE) and value[1:].startswith(_QUOTED_STARTS):
        return value[1:]
    return value


def _export_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | date):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return str(value)


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                kind: TableKind | None = None, csv_format: CsvFormat = CSV_COMMA,
                widths: Sequence[int] | None = None) -> int:
    """Write a table to .xlsx or .csv; returns the number of rows.

    Numbers (int, Decimal) and dates stay typed; formula-like text is neutralised (see the
    module's note). A CSV is UTF-8 with a byte order mark, cells and decimals as `csv_format`
    says. A workbook has its header row frozen, bold and filterable, columns `widths` wide (in
    characters; by default as wide as their header). `kind` defaults to the file's suffix."""
    path = Path(path)
    kind = kind or ("csv" if path.suffix.lower() == ".csv" else "xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        if kind == "csv":
            count = _write_csv(tmp, headers, rows, csv_format)
        else:
            count = _write_xlsx(tmp, headers, rows, widths)
        replace_file(tmp, path)
    except OSError as exc:
        raise fault_from_os_error(exc, path) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _write_csv(tmp: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]],
               style: CsvFormat) -> int:
    count = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=style.delimiter)
        writer.writerow([neutralise(str(h)) for h in headers])
        for row in rows:
            writer.writerow([_csv_text(_export_value(v), style) for v in row])
            count += 1
    return count


def _write_xlsx(tmp: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                widths: Sequence[int] | None) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    # A write-only sheet takes its views and columns before the first row.
    sheet.freeze_panes = "A2"
    low, high = HEADER_WIDTH
    for index, header in enumerate(headers):
        wanted = widths[index] if widths and index < len(widths) else len(str(header)) + 4
        sheet.column_dimensions[column_letter(index)].width = max(low, min(high, wanted))
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = xlsx_text_cell(sheet, str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(sheet, _export_value(v)) for v in row])
        count += 1
    if headers:
        sheet.auto_filter.ref = f"A1:{column_letter(len(headers) - 1)}{count + 1}"
    workbook.save(tmp)
    return count


def xlsx_text_cell(sheet: Any, text: str) -> Any:
    """A write-only cell holding `text` as text, even when it starts like a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    protect_text(cell, text)
    return cell


def protect_text(cell: Any, text: str) -> None:
    """Keep formula-like text a typed text cell with Excel's quote prefix (never run)."""
    if isinstance(text, str) and is_formula_like(text):
        cell.data_type = "s"
        cell.quotePrefix = True


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if isinstance(value, str) and is_formula_like(value):
        return xlsx_text_cell(sheet, value)
    return value


def _csv_text(value: Any, style: CsvFormat) -> str:
    if isinstance(value, Decimal):
        return _plain(value).replace(".", style.decimal)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))
