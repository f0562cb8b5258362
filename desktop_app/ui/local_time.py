"""Stored UTC timestamps as people read them: local time, in the language's own format."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, QTimeZone


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
    """The language's locale; Arabic as written in Algeria (Latin digits), like every other
    number the application shows."""
    locale = QLocale()
    if locale.language() == QLocale.Language.Arabic:
        return QLocale(QLocale.Language.Arabic, QLocale.Country.Algeria)
    return locale


def local_datetime(stamp: str, seconds: bool = False) -> str:
    """'2026-03-16T08:54:00.000000Z' -> the local date and time, e.g. 16/03/2026 09:54
    (with seconds for histories, where the order of close edits matters)."""
    moment = _parse(stamp)
    if moment is None:
        return stamp or ""
    locale = _locale()
    if seconds:
        return (locale.toString(moment.date(), QLocale.FormatType.ShortFormat) + " "
                + locale.toString(moment.time(), "HH:mm:ss"))
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


def local_date(stamp: str) -> str:
    """The local date of a UTC timestamp, in the language's short format."""
    moment = _parse(stamp)
    if moment is None:
        return stamp[:10] if stamp else ""
    return _locale().toString(moment.date(), QLocale.FormatType.ShortFormat)

