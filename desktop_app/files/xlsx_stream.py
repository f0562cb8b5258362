"""The sheets of a large .xlsx, row by row, in bounded memory.

calamine (`workbooks.py`) is the fast reader, but it holds the whole sheet at once (about 110 bytes
a cell: a million rows of nine columns take a gigabyte). Past `workbooks.STREAM_ABOVE` bytes of
sheet XML, this reader walks the sheet's XML with expat instead: the rows in flight, the shared
strings and the styles are all it keeps. Values come out as calamine gives them (text, float,
bool, datetime / time for date-formatted numbers), so `tables.cell_text` shows both alike.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from xml.parsers import expat

CHUNK = 1 << 16
# Built-in number formats that show a date or a time (ECMA-376 18.8.30, with the CJK ones).
_DATE_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59),
                       *range(71, 82)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_CELL_REF = re.compile(r"([A-Z]+)(\d*)")


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _parser() -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    return parser


def _parse_member(archive: zipfile.ZipFile, name: str, parser: Any) -> None:
    with archive.open(name) as member:
        parser.ParseFile(member)


def column_index(letters: str) -> int:
    """"A" -> 0, "AA" -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def is_date_format(format_id: int, code: str) -> bool:
    if format_id in _DATE_IDS:
        return True
    if not code:
        return False
    bare = _QUOTED.sub("", code).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


@dataclass(frozen=True, slots=True)
class SheetInfo:
    name: str
    part: str  # the worksheet's XML in the archive
    visible: bool
    size: int  # bytes of XML


class XlsxBook:
    """The worksheets of an .xlsx archive (chart sheets left out), in the workbook's order, and
    what reading any of them needs: the shared strings and the date styles, read once."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        workbook_path, found, self.date1904 = _worksheets(archive)
        self.sheets = [SheetInfo(name, part, visible, archive.getinfo(part).file_size)
                       for name, part, visible in found]
        base = posixpath.dirname(workbook_path)
        self.strings = _shared_strings(archive, _related(archive, workbook_path, base,
                                                         "sharedStrings"))
        self.date_styles = _date_styles(archive, _related(archive, workbook_path, base,
                                                          "styles"))

    def reader(self, index: int) -> XlsxSheet:
        return XlsxSheet(self._archive, self, self.sheets[index])


class XlsxSheet:
    """One worksheet of an .xlsx archive; `rows()` streams it once."""

    def __init__(self, archive: zipfile.ZipFile, book: XlsxBook, info: SheetInfo) -> None:
        self._archive = archive
        self.sheet_path = info.part
        self._date1904 = book.date1904
        self._strings = book.strings
        self._date_styles = book.date_styles
        self.size = info.size
        self.consumed = 0  # bytes of sheet XML parsed so far
        self.merged: list[tuple[int, int]] = []  # (first row, last row), known once read

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values by column) for each row element, in sheet order."""
        ready: list[tuple[int, list[Any]]] = []
        strings, date_styles, base = self._strings, self._date_styles, self._epoch()
        names: dict[str, str] = {}
        row_number, col, kind, style, phonetic = 0, -1, "n", 0, 0
        values: list[Any] | None = None
        text: list[str] | None = None
        collect = False

        def local(name: str) -> str:
            found = names.get(name)
            if found is None:
                found = names[name] = name.rsplit(":", 1)[-1]
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_number, col, kind, style, phonetic, values, text, collect
            tag = names.get(name) or local(name)
            if tag == "c":
                ref = attrs.get("r")
                match = _CELL_REF.match(ref) if ref else None
                col = column_index(match.group(1)) if match else col + 1
                kind = attrs.get("t", "n")
                style = int(attrs.get("s") or 0)
                text = None
            elif (tag == "v" or tag == "t") and values is not None and not phonetic:
                if text is None:
                    text = []
                collect = True
            elif tag == "row":
                number = attrs.get("r")
                row_number = int(number) if number else row_number + 1
                values = []
                col = -1
            elif tag == "rPh":
                phonetic += 1
            elif tag == "mergeCell":
                self._merge(attrs.get("ref", ""))

        def end(name: str) -> None:
            nonlocal values, collect, phonetic
            tag = names.get(name) or local(name)
            if tag == "v" or tag == "t":
                collect = False
            elif tag == "c":
                if values is not None and text is not None:
                    if col >= len(values):
                        values.extend([None] * (col - len(values) + 1))
                    values[col] = _value("".join(text), kind, style, strings, date_styles,
                                         base)
            elif tag == "row":
                ready.append((row_number, values or []))
                values = None
            elif tag == "rPh":
                phonetic -= 1

        def characters(data: str) -> None:
            if collect and text is not None:
                text.append(data)

        parser = _parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        with self._archive.open(self.sheet_path) as member:
            while chunk := member.read(CHUNK):
                self.consumed += len(chunk)
                parser.Parse(chunk, False)
                if ready:
                    yield from ready
                    ready.clear()
            parser.Parse(b"", True)
        yield from ready

    def _merge(self, ref: str) -> None:
        first, _, last = ref.replace("$", "").partition(":")
        rows = [int(m.group(2)) for m in (_CELL_REF.match(first), _CELL_REF.match(last or first))
                if m and m.group(2)]
        if rows:
            self.merged.append((min(rows), max(rows)))

    def _epoch(self) -> datetime:
        return datetime(1904, 1, 1) if self._date1904 else datetime(1899, 12, 30)


def _value(raw: str, kind: str, style: int, strings: list[str], date_styles: frozenset[int],
           base: datetime) -> Any:
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return ""
    if kind in ("inlineStr", "str", "e"):
        return raw
    if kind == "b":
        return raw.strip() == "1"
    if kind == "d":
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return raw
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    if style in date_styles:
        return _serial_date(number, base)
    return number


def _serial_date(serial: float, base: datetime) -> Any:
    moment = base + timedelta(seconds=round(serial * 86400))
    if 0 <= serial < 1:
        return time(moment.hour, moment.minute, moment.second)
    return moment


def _read_xml(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        return b""


def _worksheets(archive: zipfile.ZipFile) -> tuple[str, list[tuple[str, str, bool]], bool]:
    """The workbook part, its worksheets as (name, part, visible) in order, and whether dates
    count from 1904."""
    workbook_path = _root_target(archive) or "xl/workbook.xml"
    listed: list[tuple[str, str, bool]] = []  # (name, relationship id, visible)
    found: dict[str, Any] = {"date1904": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            listed.append((attrs.get("name", ""), rid,
                           attrs.get("state", "visible") not in ("hidden", "veryHidden")))
        elif tag == "workbookPr":
            found["date1904"] = attrs.get("date1904", "0").lower() in ("1", "true")

    parser = _parser()
    parser.StartElementHandler = start
    parser.Parse(_read_xml(archive, workbook_path), True)
    base = posixpath.dirname(workbook_path)
    targets = _relationships(archive, workbook_path, base)
    names = set(archive.namelist())
    sheets = [(name, targets[rid][1], visible) for name, rid, visible in listed
              if rid in targets and targets[rid][0].endswith("/worksheet")
              and targets[rid][1] in names]
    if not sheets:
        part = next(n for n in sorted(names)
                    if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        sheets = [(posixpath.splitext(posixpath.basename(part))[0], part, True)]
    return workbook_path, sheets, bool(found["date1904"])


def _root_target(archive: zipfile.ZipFile) -> str:
    for _rid, (kind, target) in _relationships(archive, "", "").items():
        if kind.endswith("/officeDocument"):
            return target
    return ""


def _relationships(archive: zipfile.ZipFile, part: str, base: str
                   ) -> dict[str, tuple[str, str]]:
    """rId -> (type, target part) of a part's relationships."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels") if part else "_rels/.rels"
    found: dict[str, tuple[str, str]] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship":
            target = attrs.get("Target", "")
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(base, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), target)

    parser = _parser()
    parser.StartElementHandler = start
    data = _read_xml(archive, rels)
    if data:
        parser.Parse(data, True)
    return found


def _related(archive: zipfile.ZipFile, part: str, base: str, kind: str) -> str:
    for rel_type, target in _relationships(archive, part, base).values():
        if rel_type.endswith("/" + kind):
            return target
    return ""


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    strings: list[str] = []
    if not name or name not in archive.namelist():
        return strings
    parts: list[str] = []
    state = {"collect": False, "phonetic": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "si":
            parts.clear()
        elif local == "t" and not state["phonetic"]:
            state["collect"] = True
        elif local == "rPh":
            state["phonetic"] += 1

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "si":
            strings.append("".join(parts))
        elif local == "t":
            state["collect"] = False
        elif local == "rPh":
            state["phonetic"] -= 1

    def text(data: str) -> None:
        if state["collect"]:
            parts.append(data)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    _parse_member(archive, name, parser)
    return strings


def _date_styles(archive: zipfile.ZipFile, name: str) -> frozenset[int]:
    """Indexes of the cell formats (cellXfs) that show a number as a date or time."""
    if not name:
        return frozenset()
    codes: dict[int, str] = {}
    formats: list[int] = []
    state = {"in_xfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "numFmt":
            with contextlib.suppress(ValueError):
                codes[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            state["in_xfs"] = True
        elif local == "xf" and state["in_xfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0") or 0))
            except ValueError:
                formats.append(0)

    def end(tag: str) -> None:
        if _local(tag) == "cellXfs":
            state["in_xfs"] = False

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    data = _read_xml(archive, name)
    if data:
        parser.Parse(data, True)
    return frozenset(i for i, fid in enumerate(formats) if is_date_format(fid, codes.get(fid, "")))
