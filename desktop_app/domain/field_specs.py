"""Kinds of field in a record schema (`domain/record_schemas.py`) and how a value is checked.

Each spec checks one JSON value and raises `ValidationError` with one sentence naming the record
type, the short record id and the field path (`Where.fail`). A spec never walks further than
its schema: a list where text belongs is refused on its type, however deep it is nested, and a
list or object is refused on its size before its items are looked at, so a check costs at most
what the schema allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, NoReturn, Protocol

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

# -- the sentences ---------------------------------------------------------------------------
# Every one starts with the record ("part record 0190f3a2…9c1e:") and names the field path.

UNKNOWN_FIELD = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not a field of this kind of record.")
MISSING = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is missing.")
NOT_TEXT = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is not text.")
TOO_LONG = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is longer than {limit} characters.")
BAD_CHARACTER = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} holds a character that cannot be stored "
              "(NUL or a lone surrogate).")
BAD_FORM = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not written in the form this field takes.")
NOT_INTEGER = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is not a whole number.")
OUT_OF_RANGE = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is outside the range {low} to {high}.")
NOT_BOOLEAN = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is not true or false.")
NOT_ONE_OF = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is not one of {allowed}.")
NOT_DATE = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not a date (YYYY-MM-DD).")
NOT_TIMESTAMP = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not a UTC time stamp such as "
              "2026-01-31T08:00:00.000000Z.")
NOT_DECIMAL = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not a decimal number written as text.")
DECIMAL_MAGNITUDE = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is a number too large or too close to zero "
              "(1E-12 to 1E+13 in size).")
NOT_RECORD_ID = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not a record id (a UUID in lower case).")
NOT_HASH = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} is not 64 hexadecimal digits (a hash or a key).")
NOT_LIST = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is not a list.")
NOT_OBJECT = QT_TRANSLATE_NOOP("Errors", "{type} record {record}: {name} is not an object.")
TOO_MANY = QT_TRANSLATE_NOOP(
    "Errors", "{type} record {record}: {name} holds more than {limit} entries.")

_SHOWN = 40  # at most this many characters of untrusted text in a sentence
_STORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL: not in PostgreSQL text; surrogates: no UTF-8
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (\d takes any script's)
# As revisions.format_timestamp writes it: "%Y-%m-%dT%H:%M:%S.%fZ".
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
# As str(Decimal) writes a finite number (and format(d, "f")): no comma, no spaces, no "+".
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?(E[+-][0-9]+)?")
DECIMAL_CHARS = 40  # the query tables keep decimals in String(40) at most
MIN_ADJUSTED, MAX_ADJUSTED = -12, 12  # what domain.evidence.parse_decimal reads back


def shown(value: Any, limit: int = _SHOWN) -> str:
    """Untrusted text made safe to quote in a sentence: printable, short."""
    if not isinstance(value, str):
        return f"<{type(value).__name__}>"
    if len(value) <= limit and value.isprintable() and value.strip():  # a field name
        return value
    text = "".join(c if c.isprintable() else "?" for c in value[:limit])
    text = text + "…" if len(value) > limit else text
    return text if text.strip() else f'"{text}"'  # an empty name is still seen


def short_id(record_id: Any) -> str:
    """A record id as a sentence shows it: first 8 and last 4 digits of a UUID (a UUIDv7 starts
    with its time, so records made in the same minute share their first digits)."""
    if isinstance(record_id, str) and _UUID.fullmatch(record_id):
        return f"{record_id[:8]}…{record_id[-4:]}"
    return shown(record_id, 12)


def is_record_id(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def is_hex64(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class Where:
    """The record being checked, for the sentences (made quotable only when one fails)."""

    record_type: Any
    record_id: Any

    def fail(self, template: str, path: str, **params: Any) -> NoReturn:
        raise ValidationError(template, field=path, type=shown(self.record_type),
                              record=short_id(self.record_id), name=path, **params)


class Spec(Protocol):
    def check(self, value: Any, path: str, where: Where) -> None: ...


def _item(path: str, key: Any) -> str:
    name = shown(key)
    return f"{path}.{name}" if path else name


@dataclass(frozen=True, slots=True)
class Text:
    limit: int

    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, str):
            where.fail(NOT_TEXT, path)
        if len(value) > self.limit:
            where.fail(TOO_LONG, path, limit=self.limit)
        if ("\x00" in value) if value.isascii() else _STORABLE.search(value) is not None:
            where.fail(BAD_CHARACTER, path)


@dataclass(frozen=True, slots=True)
class Form:
    """Text that a domain rule accepts as it stands (a site code, a period, a user name...)."""

    accepts: Callable[[str], bool]
    limit: int

    def check(self, value: Any, path: str, where: Where) -> None:
        Text(self.limit).check(value, path, where)
        if not self.accepts(value):
            where.fail(BAD_FORM, path)


def pattern(regex: str) -> Callable[[str], bool]:
    compiled = re.compile(regex)
    return lambda text: compiled.fullmatch(text) is not None


def kept_by(rule: Callable[[str], str]) -> Callable[[str], bool]:
    """Text that a domain check returns unchanged (it is already clean)."""

    def accepts(text: str) -> bool:
        try:
            return rule(text) == text
        except ValidationError:
            return False

    return accepts


@dataclass(frozen=True, slots=True)
class Int:
    low: int
    high: int
    null: bool = False

    def check(self, value: Any, path: str, where: Where) -> None:
        if value is None and self.null:
            return
        if not isinstance(value, int) or isinstance(value, bool):  # bool is not a number here
            where.fail(NOT_INTEGER, path)
        if not self.low <= value <= self.high:
            where.fail(OUT_OF_RANGE, path, low=self.low, high=self.high)


@dataclass(frozen=True, slots=True)
class Bool:
    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, bool):
            where.fail(NOT_BOOLEAN, path)


@dataclass(frozen=True, slots=True)
class OneOf:
    """One of the given values: the members of an enum, or plain text or integer values."""

    values: frozenset[str | int]
    shown_as: str = ""

    @classmethod
    def of(cls, values: Iterable[Any]) -> OneOf:
        plain = [v.value if hasattr(v, "value") else v for v in values]
        listed = ", ".join(str(v) if v != "" else "(empty)" for v in sorted(plain, key=str))
        return cls(frozenset(plain), listed)

    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, str | int) or isinstance(value, bool) or (
                value not in self.values):
            where.fail(NOT_ONE_OF, path, allowed=self.shown_as)


@dataclass(frozen=True, slots=True)
class Day:
    """A date as YYYY-MM-DD; `empty` allows "" (no date)."""

    empty: bool = False

    def check(self, value: Any, path: str, where: Where) -> None:
        if value == "" and self.empty:
            return
        if not isinstance(value, str) or not _DAY.fullmatch(value):
            where.fail(NOT_DATE, path)
        try:
            date.fromisoformat(value)
        except ValueError:
            where.fail(NOT_DATE, path)


@dataclass(frozen=True, slots=True)
class Stamp:
    """A moment as `revisions.format_timestamp` writes it (UTC, microseconds, "Z")."""

    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, str) or not _STAMP.fullmatch(value):
            where.fail(NOT_TIMESTAMP, path)
        try:
            datetime.fromisoformat(value[:-1])  # the form is checked above: now the values
        except ValueError:
            where.fail(NOT_TIMESTAMP, path)


@dataclass(frozen=True, slots=True)
class Dec:
    """A decimal number as text, as `str(Decimal)` writes it; `empty` allows "" (no value).

    Besides its range, a number is at most 1E+13 and, unless zero, at least 1E-12 in size: what
    the parsers of evidence read back (`domain.evidence.parse_decimal`)."""

    low: Decimal | None = None
    high: Decimal | None = None
    empty: bool = False

    def check(self, value: Any, path: str, where: Where) -> None:
        if value == "" and self.empty:
            return
        if not isinstance(value, str):
            where.fail(NOT_DECIMAL, path)
        number = _decimal(value)
        if isinstance(number, str):
            where.fail(number, path)
        if (self.low is not None and number < self.low) or (
                self.high is not None and number > self.high):
            where.fail(OUT_OF_RANGE, path, low=self.low, high=self.high)


    def fits_all(self, values: Any) -> bool:
        """Whether every value passes (a fast path; the caller checks one by one otherwise)."""
        low, high = self.low, self.high
        for value in values:
            if type(value) is not str:
                return False
            if value == "" and self.empty:
                continue
            number = _decimal(value)
            if isinstance(number, str) or (low is not None and number < low) or (
                    high is not None and number > high):
                return False
        return True


@lru_cache(maxsize=1 << 16)
def _decimal(value: str) -> Decimal | str:
    """The number a decimal text stands for, or the template saying why it is none. Readings
    repeat (a gauge's resolution makes few distinct values): each text is parsed once."""
    if len(value) > DECIMAL_CHARS or not _DECIMAL.fullmatch(value):
        return NOT_DECIMAL
    try:
        number = Decimal(value)
    except InvalidOperation:
        return NOT_DECIMAL
    if number and not MIN_ADJUSTED <= number.adjusted() <= MAX_ADJUSTED:
        return DECIMAL_MAGNITUDE
    return number


@dataclass(frozen=True, slots=True)
class RecordId:
    """The id of a record (a UUID in canonical lower-case form); `empty` allows "" (none)."""

    empty: bool = False

    def check(self, value: Any, path: str, where: Where) -> None:
        if not (value == "" and self.empty) and not is_record_id(value):
            where.fail(NOT_RECORD_ID, path)


@dataclass(frozen=True, slots=True)
class Hex64:
    """64 lower-case hexadecimal digits: a rev_id, a blob hash, an Ed25519 public key."""

    empty: bool = False

    def check(self, value: Any, path: str, where: Where) -> None:
        if not (value == "" and self.empty) and not is_hex64(value):
            where.fail(NOT_HASH, path)


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Spec
    limit: int

    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, list | tuple):
            where.fail(NOT_LIST, path)
        if len(value) > self.limit:
            where.fail(TOO_MANY, path, limit=self.limit)
        if isinstance(self.item, Dec) and self.item.fits_all(value):
            return  # readings: thousands of decimals, checked without a call each
        item_path = f"{path}[]"
        for i, item in enumerate(value):
            try:
                self.item.check(item, item_path, where)
            except ValidationError:
                # The sentence names the item: its path is built only for the one that fails.
                self.item.check(item, f"{path}[{i}]", where)
                raise


@dataclass(frozen=True, slots=True)
class MapOf:
    """An object whose keys are data (language codes, element codes, record ids...)."""

    key: Spec
    value: Spec
    limit: int

    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, dict):
            where.fail(NOT_OBJECT, path)
        if len(value) > self.limit:
            where.fail(TOO_MANY, path, limit=self.limit)
        for key, item in value.items():
            self.key.check(key, _item(path, key), where)
            self.value.check(item, _item(path, key), where)


@dataclass(frozen=True, slots=True)
class Obj:
    """An object with named fields: unknown ones are refused, `required` ones must be there and
    the others may be missing (older versions wrote fewer; readers default them)."""

    fields: Mapping[str, Spec]
    required: frozenset[str] = field(default_factory=frozenset)

    def check(self, value: Any, path: str, where: Where) -> None:
        if not isinstance(value, dict):
            where.fail(NOT_OBJECT, path or "fields")
        known = self.fields.get  # a key that is not text matches no field name
        for key, item in value.items():
            spec = known(key)
            if spec is None:
                where.fail(UNKNOWN_FIELD, _item(path, key))
            spec.check(item, f"{path}.{key}" if path else key, where)  # a known, safe name
        if self.required and not self.required <= value.keys():
            for key in self.fields:  # in schema order: the same field is named every time
                if key in self.required and key not in value:
                    where.fail(MISSING, _item(path, key))


def obj(required: Iterable[str] = (), /, **fields: Spec) -> Obj:
    return Obj(fields, frozenset(required))
