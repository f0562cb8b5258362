"""Dates, times and numbers as people read them, in the language of the window.

One date format everywhere in the window, the one the documents use (`documents.local_format`):
never ambiguous, the year in full — 31/10/2026 in French and Arabic, 31 Oct 2026 in English,
2026年10月31日 in Chinese. Stored UTC timestamps are shown in local time. Numbers take the
language's decimal separator and grouping (3 056 in French, 3,056 in English, Latin digits in
Arabic as written in Algeria)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDateTime, QLocale, QTimeZone
from PySide6.QtWidgets import QDateEdit

from desktop_app.documents import local_format
from desktop_app.ui.i18n import current_language

_DECIMAL = re.compile(r"(\d)\.(\d)")
# The same dates as `day()`, for date editors.
EDIT_FORMATS = {"fr": "dd/MM/yyyy", "ar": "dd/MM/yyyy", "en": "d MMM yyyy", "zh": "yyyy年M月d日"}


def _parse(stamp: str) -> QDateTime | None:
    text = (stamp or "").strip()
    if not text:
        return None
    moment = QDateTime.fromString(text[:19], "yyyy-MM-ddTHH:mm:ss")
    if not moment.isValid():
        return None
    moment.setTimeZone(QTimeZone.utc())
    return moment.toLocalTime()


def _locale() -> QLocale:
    """The language's locale (`i18n.app_locale`, set as Qt's default when the language is
    applied); Arabic as written in Algeria (Latin digits), like every other number shown."""
    locale = QLocale()
    if locale.language() == QLocale.Language.Arabic:
        return QLocale(QLocale.Language.Arabic, QLocale.Country.Algeria)
    return locale


def day(value: date | str | None, empty: str = "") -> str:
    """A calendar date ("2026-10-31" or a date) in the window's one date format; `empty` when
    there is none, any other text as it is."""
    if value is None or value == "":
        return empty
    return local_format.day(value, current_language())


def local_datetime(stamp: str, seconds: bool = False) -> str:
    """'2026-03-16T08:54:00.000000Z' -> the local date and 24-hour time, e.g. 16/03/2026 09:54
    (with seconds for histories, where the order of close edits matters)."""
    moment = _parse(stamp)
    if moment is None:
        return stamp or ""
    when = moment.date().toString("yyyy-MM-dd")
    return day(when) + " " + moment.time().toString("HH:mm:ss" if seconds else "HH:mm")


def local_date(stamp: str) -> str:
    """The local date of a UTC timestamp, in the window's date format."""
    moment = _parse(stamp)
    if moment is None:
        return day(stamp[:10]) if stamp else ""
    return day(moment.date().toString("yyyy-MM-dd"))


def count(n: int) -> str:
    """A whole number with the language's grouping: 3,056 / 3 056."""
    return _locale().toString(n)


def number(value: Decimal | float | int | str | None, empty: str = "") -> str:
    """A decimal as it is stored ("5.2"), with the language's decimal separator (5,2 in
    French); text that is not a number as it is."""
    if value is None or value == "":
        return empty
    return local_format.number(value, current_language())


def numbers(text: str) -> str:
    """Every decimal number in a text of numbers (limits "9.95 … 10.05") with the language's
    decimal separator; only for texts that hold numbers, never names or codes."""
    separator = local_format.number("0.5", current_language())[1]
    return _DECIMAL.sub(lambda m: m.group(1) + separator + m.group(2), text or "")


def set_date_format(edit: QDateEdit) -> QDateEdit:
    """A date editor that shows dates as the rest of the window does (the year in full)."""
    edit.setDisplayFormat(EDIT_FORMATS.get(current_language(), "dd/MM/yyyy"))
    return edit

