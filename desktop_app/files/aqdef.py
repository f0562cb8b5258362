"""Q-DAS AQDEF, the ASCII transfer format that most CMMs and measuring programs of the automotive
industry write: a .dfq file, or a .dfd (description) with its .dfx (values).

Each line is a K-field, `K<four digits>[/index] value`, or a line of values:

- K0100: the number of characteristics in the file;
- K1001 / K1002: part number and designation (K1xxx/2 would start a second part);
- K2001 number, K2002 description, K2003 short description, K2004 type (0 variable,
  1 attribute), K2101 nominal, K2110 / K2111 lower / upper specification limit, K2112 / K2113
  lower / upper allowance (signed, around the nominal), K2142 unit; `/n` names characteristic n,
  `/0` every characteristic that has no value of its own;
- K0001 value, K0002 attribute of the value, K0004 date and time, K0005 events, K0006 batch,
  K0007 nest, K0008 operator, K0010 machine, K0011 process parameter, K0012 gauge; for an
  attribute characteristic K0020 subgroup size and K0021 number of nonconforming parts.
  `K0001/2/5` names value 5 of characteristic 2; without it a key already given for the current
  value of that characteristic starts the next one.
- a line of values holds, for characteristic 1, 2 … in turn, the fields value, attribute,
  date/time, events, batch, nest, operator, machine, process parameter, gauge (attribute
  characteristics: subgroup size, nonconforming parts, -, attribute, date/time …), the fields
  separated by 0x14 and the characteristics by 0x0F (as the Q-DAS description and the open
  readers of the format have it).

Values whose attribute K0002 is 255 or 256 were taken out of the evaluation by the measuring
program (invalid or deactivated): they are kept apart as excluded. Numbers take a decimal point
or comma; dates read as 13.05.2025/08:15:00 (also 2025-05-13, 5/13/2025, with or without
seconds). The file is UTF-8 (with or without byte order mark) or Windows-1252 / ISO-8859-1.

Every malformed field is refused with one sentence naming its line and key. The format has
hundreds of other keys: they are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.domain.evidence import parse_decimal
from desktop_app.domain.record_schemas import MAX_READINGS
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.files.sniff import AQDEF_SUFFIXES, aqdef_text, check_aqdef

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]

FIELD_SEPARATOR = "\x14"  # between the fields of one characteristic in a line of values
CHARACTERISTIC_SEPARATOR = "\x0f"  # between the characteristics of a line of values
EXCLUDED_ATTRIBUTES = frozenset({255, 256})
VARIABLE_FIELDS = ("K0001", "K0002", "K0004", "K0005", "K0006", "K0007", "K0008", "K0010",
                   "K0011", "K0012")
ATTRIBUTE_FIELDS = ("K0020", "K0021", "", "K0002", "K0004", "K0005", "K0006", "K0007", "K0008",
                    "K0010", "K0011", "K0012")
CHECK_EVERY = 1000

_LINE = re.compile(r"\r\n|\r|\n")
_KEY = re.compile(r"K(\d{4})(?:/(\S*))?(?:[ \t]+(.*))?")
_INDEX = re.compile(r"(\d{1,6})(?:/(\d{1,9}))?")
_NUMBERS = frozenset({"K2101", "K2110", "K2111", "K2112", "K2113"})
_WHOLE = frozenset({"K0100", "K2004", "K0002", "K0020", "K0021"})
_CHARACTERISTIC_KEYS = frozenset({"K2001", "K2002", "K2003", "K2004", "K2142"}) | _NUMBERS
_VALUE_KEYS = frozenset(VARIABLE_FIELDS) | {"K0020", "K0021"}
_DATES = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
_TIMES = ("%H:%M:%S", "%H:%M", "")
_NONE = ("", "0")  # an operator or gauge "0": none given (catalogue entry 0)


class LineError(ValidationError):
    """An error about one line of a file: "Line 14: <the sentence>", both parts translated."""

    def __init__(self, line: int, inner: ValidationError, file: str = "") -> None:
        self.line, self.inner, self.file = line, inner, file
        super().__init__(self._template(), field=inner.field, line=line, file=file,
                         message=inner.message())

    def _template(self) -> str:
        if self.file:
            return QT_TRANSLATE_NOOP("Errors", "{file}, line {line}: {message}")
        return QT_TRANSLATE_NOOP("Errors", "Line {line}: {message}")

    def message(self, translate: Translate = untranslated) -> str:
        return translate("Errors", self._template()).format(
            line=self.line, file=self.file, message=self.inner.message(translate))


@dataclass(frozen=True, slots=True)
class AqdefReading:
    """One value of one characteristic as the file gives it."""

    line: int
    value: Decimal | None = None  # K0001: the measured value (attribute: nonconformities)
    samples: int | None = None  # K0020: parts checked (attribute characteristics)
    nonconforming: int | None = None  # K0021
    attribute: int = 0  # K0002
    measured_at: datetime | None = None  # K0004
    operator: str = ""  # K0008
    gauge: str = ""  # K0012
    batch: str = ""  # K0006

    @property
    def excluded(self) -> bool:
        """Taken out of the evaluation by the measuring program (K0002 255 or 256)."""
        return self.attribute in EXCLUDED_ATTRIBUTES


@dataclass(frozen=True, slots=True)
class AqdefCharacteristic:
    index: int  # n of K2001/n
    line: int  # where the file first describes it
    number: str
    description: str
    data_type: str  # "variable" or "attribute"
    nominal: Decimal | None
    lower_limit: Decimal | None
    upper_limit: Decimal | None
    lower_allowance: Decimal | None
    upper_allowance: Decimal | None
    unit: str
    readings: tuple[AqdefReading, ...]


@dataclass(frozen=True, slots=True)
class AqdefFile:
    name: str  # the file, or "X.dfd + X.dfx"
    part_number: str
    part_designation: str
    characteristics: tuple[AqdefCharacteristic, ...]

    @property
    def headers(self) -> list[str]:
        """No columns to map: the K-fields name what each value is."""
        return []


def companion_of(path: Path) -> Path | None:
    """The .dfx beside a .dfd, or the .dfd beside a .dfx (same name, any case)."""
    suffix = path.suffix.lower()
    wanted = {".dfd": ".dfx", ".dfx": ".dfd"}.get(suffix)
    if wanted is None or not path.parent.is_dir():
        return None
    for candidate in sorted(path.parent.iterdir()):
        if candidate.stem == path.stem and candidate.suffix.lower() == wanted:
            return candidate
    return None


def read_aqdef(path: Path, companion: Path | None = None, progress: Progress | None = None,
               cancelled: IsCancelled | None = None) -> AqdefFile:
    """The characteristics and values of an AQDEF file (.dfq), or of a description (.dfd) with
    its values (.dfx: `companion`, else the one beside it). A .dfx is read with its .dfd."""
    if path.suffix.lower() not in AQDEF_SUFFIXES:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is not a Q-DAS AQDEF file (.dfq, .dfd, .dfx)."), name=path.name)
    if path.suffix.lower() == ".dfx":
        description = companion or companion_of(path)
        if description is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "{name} holds only values; its description {stem}.dfd is not beside "
                          "it."), name=path.name, stem=path.stem)
        path, companion = description, path
    elif path.suffix.lower() == ".dfd" and companion is None:
        companion = companion_of(path)
    files = [path] + ([companion] if companion is not None else [])
    texts = []
    for item in files:
        _readable(item)
        check_aqdef(item)
        texts.append(_decoded(item))
    total = sum(len(t) for t in texts) or 1
    parser = _Parser(progress or (lambda done, all_, text: None), cancelled or (lambda: False),
                     total)
    for item, text in zip(files, texts, strict=True):
        parser.feed(text, item.name if companion is not None else "")
    name = " + ".join(item.name for item in files)
    return parser.result(name)


def parse_aqdef(text: str, name: str = "") -> AqdefFile:
    """The same, from text already read (tests, pasted content)."""
    parser = _Parser(lambda done, all_, text: None, lambda: False, max(len(text), 1))
    parser.feed(text, "")
    return parser.result(name)


def _readable(path: Path) -> None:
    if not path.is_file():
        raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file {name} does not exist."),
                              name=str(path))


def _decoded(path: Path) -> str:
    text = aqdef_text(path.read_bytes())
    if text is None:  # check_aqdef looked at the head only
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{name} is named as a Q-DAS AQDEF file but holds binary data."),
            field="file", name=path.name)
    return text


def parse_date(text: str) -> datetime | None:
    """A K0004 date and time, or None when it is not one."""
    raw = text.strip()
    for day in _DATES:
        for sep in ("/", " ", ".", "T"):
            for time in _TIMES:
                try:
                    return datetime.strptime(raw, f"{day}{sep}{time}" if time else day)
                except ValueError:
                    continue
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=None)
    except ValueError:
        return None


Where = tuple[int, str]  # line, file ("" when the file is read alone)


@dataclass
class _Value:
    """The fields of one value, each with the line it came from."""

    fields: dict[str, tuple[Any, Where]] = field(default_factory=dict)


@dataclass
class _Characteristic:
    index: int
    line: int = 0
    fields: dict[str, tuple[Any, Where]] = field(default_factory=dict)
    values: list[_Value] = field(default_factory=list)
    numbered: dict[int, _Value] = field(default_factory=dict)  # K0001/n/m: value m


class _Parser:
    def __init__(self, progress: Progress, cancelled: IsCancelled, total: int) -> None:
        self._progress, self._cancelled, self._total = progress, cancelled, total
        self._done = 0
        self._file = ""
        self._declared: tuple[int, Where] | None = None  # K0100 and its line
        self._part: dict[str, str] = {}
        self._defaults: dict[str, tuple[Any, Where]] = {}  # K2xxx/0
        self._chars: dict[int, _Characteristic] = {}
        self._lines = 0

    # -- lines -----------------------------------------------------------------------------

    def feed(self, text: str, file: str) -> None:
        self._file = file
        for number, line in enumerate(_LINE.split(text), start=1):
            self._lines += 1
            self._done += len(line) + 1
            if self._lines % CHECK_EVERY == 0:
                if self._cancelled():
                    raise Cancelled()
                self._progress(min(self._done, self._total), self._total, "")
            stripped = line.strip(" \t\ufeff\x1a")  # 0x1A: the end mark of old DOS tools
            if not stripped:
                continue
            if stripped[0] == "K" and not (FIELD_SEPARATOR in stripped
                                           or CHARACTERISTIC_SEPARATOR in stripped):
                self._k_field(number, stripped)
            elif (FIELD_SEPARATOR in stripped or CHARACTERISTIC_SEPARATOR in stripped
                  or _is_number(stripped)):
                self._value_line(number, line.strip(" \t\ufeff\x1a"))
            else:
                raise self._error(number, QT_TRANSLATE_NOOP(
                    "Errors", "The line is neither a K-field (such as K2001/1 …) nor a line of "
                              "values."))

    def _error(self, line: int, template: str, **params: Any) -> LineError:
        return _error((line, self._file), template, **params)

    def _k_field(self, line: int, text: str) -> None:
        match = _KEY.fullmatch(text)
        if match is None:
            raise self._error(line, QT_TRANSLATE_NOOP(
                "Errors", "\"{text}\" is not a K-field (K and four digits, such as K2110/1)."),
                text=text.split()[0][:20])
        key = "K" + match.group(1)
        index_text, raw = match.group(2), (match.group(3) or "").strip()
        shown = f"{key}/{index_text}" if index_text is not None else key
        index, value_no = 1, None
        if index_text is not None:
            found = _INDEX.fullmatch(index_text)
            if found is None or (found.group(2) is not None and key not in _VALUE_KEYS):
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} has no valid characteristic index (such as /1, /2, or /0 for "
                              "every characteristic)."), key=shown[:30])
            index = int(found.group(1))
            value_no = int(found.group(2)) if found.group(2) else None
        if key == "K0100":
            self._declared = (self._converted(line, key, shown, raw, "variable"),
                              (line, self._file))
        elif key.startswith("K1"):
            if index > 1:
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} starts a second part; import a file of one part."),
                    key=shown)
            if key in ("K1001", "K1002") and raw:
                self._part[key] = raw
        elif key in _CHARACTERISTIC_KEYS:
            self._characteristic_field(line, key, shown, index, raw)
        elif key in _VALUE_KEYS:
            self._value_field(line, key, shown, index, value_no, raw)

    def _characteristic_field(self, line: int, key: str, shown: str, index: int,
                              raw: str) -> None:
        if index:
            self._check_range(line, shown, index)
        value = self._converted(line, key, shown, raw, "variable") if raw else None
        if key == "K2004" and value is not None and value not in (0, 1):
            raise self._error(line, QT_TRANSLATE_NOOP(
                "Errors", "{key} is characteristic type {value}; this import reads 0 (variable) "
                          "and 1 (attribute)."), key=shown, value=value)
        if value is None:
            return
        if index == 0:
            self._defaults.setdefault(key, (value, (line, self._file)))
            return
        char = self._char(index, line)
        char.fields[key] = (value, (line, self._file))

    def _value_field(self, line: int, key: str, shown: str, index: int, value_no: int | None,
                     raw: str) -> None:
        if not raw:
            return
        if index == 0:
            if key in ("K0001", "K0020", "K0021"):
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} needs the index of one characteristic (/1, /2 …), not /0."),
                    key=shown)
            for each in self._chars.values():
                if each.values:
                    value = self._converted(line, key, shown, raw, self._type(each))
                    each.values[-1].fields.setdefault(key, (value, (line, self._file)))
            return
        self._check_range(line, shown, index)
        char = self._chars.get(index)
        if char is None:
            raise self._error(line, QT_TRANSLATE_NOOP(
                "Errors", "{key} gives a value of characteristic {index}, which the file does not "
                          "describe (no K2001/{index} …)."), key=shown, index=index)
        value = self._converted(line, key, shown, raw, self._type(char))
        if value_no is not None:
            record = char.numbered.get(value_no)
            if record is None:
                record = char.numbered[value_no] = _Value()
                char.values.append(record)
        elif not char.values or key in char.values[-1].fields:
            record = _Value()
            char.values.append(record)
        else:
            record = char.values[-1]
        record.fields[key] = (value, (line, self._file))

    def _value_line(self, line: int, text: str) -> None:
        portions = text.split(CHARACTERISTIC_SEPARATOR)
        count = self._count()
        if len(portions) > count and any(p.strip() for p in portions[count:]):
            raise self._error(line, QT_TRANSLATE_NOOP(
                "Errors", "The line gives values of {found} characteristics, but the file has "
                          "{count}."), found=len(portions), count=count)
        for index, portion in enumerate(portions, start=1):
            parts = portion.split(FIELD_SEPARATOR)
            if not any(p.strip() for p in parts):
                continue
            char = self._chars.get(index)
            if char is None:
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "The line gives a value of characteristic {index}, which the file "
                              "does not describe (no K2001/{index} …)."), index=index)
            data_type = self._type(char)
            layout = ATTRIBUTE_FIELDS if data_type == "attribute" else VARIABLE_FIELDS
            record = _Value()
            for key, raw in zip(layout, parts, strict=False):
                if key and raw.strip():
                    value = self._converted(line, key, f"{key}/{index}", raw.strip(), data_type)
                    record.fields[key] = (value, (line, self._file))
            char.values.append(record)

    # -- fields ----------------------------------------------------------------------------

    def _converted(self, line: int, key: str, shown: str, raw: str, data_type: str) -> Any:
        if key in _NUMBERS or (key == "K0001" and data_type == "variable"):
            try:
                return parse_decimal(raw)
            except ValidationError:
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} should be a number, not \"{value}\"."),
                    key=shown, value=raw[:40]) from None
        if key in _WHOLE or key == "K0001":
            if not re.fullmatch(r"[+-]?\d{1,9}", raw):
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} should be a whole number, not \"{value}\"."),
                    key=shown, value=raw[:40])
            number = int(raw)
            if key in ("K0001", "K0020", "K0021", "K0100") and number < 0:
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} should be a whole number, not \"{value}\"."),
                    key=shown, value=raw[:40])
            if key == "K0020" and not 1 <= number <= MAX_READINGS:
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} should be a subgroup size from 1 to {most}, not "
                              "\"{value}\"."), key=shown, most=MAX_READINGS, value=raw[:40])
            return number
        if key == "K0004":
            when = parse_date(raw)
            if when is None:
                raise self._error(line, QT_TRANSLATE_NOOP(
                    "Errors", "{key} should be a date and time such as 13.05.2025/08:15:00, not "
                              "\"{value}\"."), key=shown, value=raw[:40])
            return when
        return raw

    def _char(self, index: int, line: int) -> _Characteristic:
        char = self._chars.get(index)
        if char is None:
            char = self._chars[index] = _Characteristic(index, line)
        return char

    def _type(self, char: _Characteristic) -> str:
        found = char.fields.get("K2004") or self._defaults.get("K2004")
        return "attribute" if found is not None and found[0] == 1 else "variable"

    def _count(self) -> int:
        if self._declared is not None:
            return int(self._declared[0])
        return max(self._chars, default=0)

    def _check_range(self, line: int, shown: str, index: int) -> None:
        if self._declared is not None and index > self._declared[0]:
            raise self._error(line, QT_TRANSLATE_NOOP(
                "Errors", "{key} names characteristic {index}, but the file has {count} "
                          "(K0100)."), key=shown, index=index, count=self._declared[0])

    # -- the result ------------------------------------------------------------------------

    def result(self, name: str) -> AqdefFile:
        described = [c for c in self._chars.values() if c.fields]
        if self._declared is not None and self._declared[0] != len(described):
            raise _error(self._declared[1], QT_TRANSLATE_NOOP(
                "Errors", "K0100 says the file has {declared} characteristics, but it describes "
                          "{found}."), declared=self._declared[0], found=len(described))
        if not described:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "{name} describes no characteristic (no K2001 … fields)."),
                field="file", name=name)
        return AqdefFile(name, self._part.get("K1001", ""), self._part.get("K1002", ""),
                         tuple(self._characteristic(c) for c in sorted(
                             described, key=lambda c: c.index)))

    def _characteristic(self, char: _Characteristic) -> AqdefCharacteristic:
        def get(key: str) -> Any:
            found = char.fields.get(key) or self._defaults.get(key)
            return found[0] if found else None

        data_type = self._type(char)
        number = str(get("K2001") or char.index).strip()
        description = str(get("K2002") or get("K2003") or "").strip()
        readings = tuple(self._reading(char, v) for v in char.values if _has_value(v))
        return AqdefCharacteristic(
            char.index, char.line, number, description, data_type, get("K2101"), get("K2110"),
            get("K2111"), get("K2112"), get("K2113"), str(get("K2142") or "").strip(), readings)

    def _reading(self, char: _Characteristic, record: _Value) -> AqdefReading:
        f = record.fields

        def get(key: str, default: Any = None) -> Any:
            return f[key][0] if key in f else default

        line = min(found[1] for found in f.values())[0]
        samples, bad = None, get("K0021")
        if bad is not None:
            samples = get("K0020", 1)
            if bad > samples:
                raise _error(f["K0021"][1], QT_TRANSLATE_NOOP(
                    "Errors", "K0021/{index} counts {bad} nonconforming parts in a subgroup of "
                              "{size} (K0020)."), index=char.index, bad=bad, size=samples)
        value = get("K0001")
        operator, gauge = str(get("K0008", "")).strip(), str(get("K0012", "")).strip()
        return AqdefReading(
            line, Decimal(value) if isinstance(value, int) else value, samples, bad,
            get("K0002", 0), get("K0004"), "" if operator in _NONE else operator,
            "" if gauge in _NONE else gauge, str(get("K0006", "")).strip())


def _error(where: Where, template: str, **params: Any) -> LineError:
    line, file = where
    return LineError(line, ValidationError(template, field="file", **params), file)


def _has_value(record: _Value) -> bool:
    """A value to import: a measured value (K0001) or a count of nonconforming parts (K0021);
    a record of a date or a batch alone is none."""
    return "K0001" in record.fields or "K0021" in record.fields


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?", text) is not None
