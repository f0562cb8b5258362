"""Numbers, dates and colons as each document language writes them (fr, en, ar, zh).

A document has one locale: its first language (a French and English certificate writes
"1,499" and "26/11/2026" in both halves, as a French reader expects). Decimal comma in French
and in Arabic as written in Algeria; a space before the French colon ("Ppk : 1,33"); the
full-width colon in Chinese. Dates are never ambiguous: day/month/year in French and Arabic,
"26 Nov 2026" in English, "2026年11月26日" in Chinese.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

_DECIMAL_COMMA = frozenset({"fr", "ar"})
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NUMBER = re.compile(r"[-+−]?\d+(?:\.\d+)?")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en", "ar": "ar-DZ", "zh": "zh-CN"}


def number(text: str | Decimal | float | int, language: str) -> str:
    """A plain decimal number written the local way ("1.499" -> "1,499" in French); any other
    text as it is."""
    value = f"{text:f}" if isinstance(text, Decimal) else str(text)
    if language in _DECIMAL_COMMA and _NUMBER.fullmatch(value.strip()):
        return value.replace(".", ",")
    return value


def day(value: date | str | None, language: str) -> str:
    """A date ("2026-11-26" or a date) written the local way; "—" when there is none, any
    other text as it is."""
    if value is None or value == "":
        return "—"
    text = value.isoformat() if isinstance(value, date) else str(value)
    match = _ISO_DAY.fullmatch(text[:10])
    if match is None:
        return text
    y, m, d = match.groups()
    if language == "en":
        return f"{int(d)} {_MONTHS[int(m) - 1]} {y}"
    if language == "zh":
        return f"{y}年{int(m)}月{int(d)}日"
    return f"{d}/{m}/{y}"


def stamp(value: str, language: str) -> str:
    """An ISO UTC time stamp ("2026-11-26T10:00:00.000000Z") as local date and hh:mm:ss."""
    if len(value) < 19 or _ISO_DAY.fullmatch(value[:10]) is None:
        return value
    return f"{day(value[:10], language)} {value[11:19]}"


def colon(language: str) -> str:
    """What follows a label before its value: " : " in French (no-break space before), "："
    in Chinese, ": " otherwise."""
    if language == "fr":
        return "\u00a0: "
    if language == "zh":
        return "："
    return ": "


def language_tag(language: str) -> str:
    """The document's language as the PDF catalog states it (BCP 47)."""
    return LANGUAGE_TAGS.get(language, language)
