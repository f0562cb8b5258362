"""Matching the column headers of a sheet to the fields an importer knows.

Every importer (parts, measurements, roadmap volumes, ...) names its fields and, for each, the
header texts people write in French, English, Arabic and Chinese. Headers are compared after
normalisation (case, accents, spaces and punctuation of any script ignored), so "Masse (kg)",
"MASSE kg" and "masse_kg" are one header, and so are "رقـم القطعة" and "رقم القطعه", or
"图号（版本）" and "图号 版本". A person can override any mapping by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

# Anything but a letter or a digit of any script separates words ("_", "°", "、", "（", "،").
_NOT_WORD = re.compile(r"[\W_]+")
# Arabic: the tatweel only stretches a word; a final ى / ة is often typed ي / ه.
_ARABIC_FOLD = str.maketrans({"\u0640": None, "\u0649": "\u064a", "\u0629": "\u0647"})

#: an override maps a field to a column index, or to None to leave the field unmapped
Overrides = Mapping[str, int | None]


def normalise_header(text: str) -> str:
    """Lower case, no accents, punctuation and runs of spaces as one space.

    >>> normalise_header("  Masse (kg) ")
    'masse kg'
    >>> normalise_header("Désignation_FR")
    'designation fr'
    >>> normalise_header("N° pièce")
    'n piece'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain.casefold().translate(_ARABIC_FOLD)).strip()


def map_headers(headers: Sequence[str], synonyms: Mapping[str, Sequence[str]],
                overrides: Overrides | None = None) -> dict[str, int]:
    """Field -> column index for every field found among `headers`.

    A field matches a header equal (after normalisation) to the field name or one of its synonyms;
    each column serves at most one field, the first field that claims it in `synonyms` order.
    `overrides` (field -> column index or None) win over automatic matches.
    """
    normalised = [normalise_header(h) for h in headers]
    manual = dict(overrides or {})
    for field, column in manual.items():
        if field not in synonyms:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "There is no field called {name} to map."),
                name=field)
        if column is not None and not 0 <= column < len(headers):
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "Column {column} does not exist in this sheet."),
                column=column + 1)
    mapping: dict[str, int] = {f: c for f, c in manual.items() if c is not None}
    taken = set(mapping.values())
    if len(taken) != len(mapping):
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "One column is mapped to two fields; map each column once."))
    for field, names in synonyms.items():
        if field in manual:
            continue
        wanted = {normalise_header(field), *(normalise_header(n) for n in names)}
        for index, header in enumerate(normalised):
            if header and header in wanted and index not in taken:
                mapping[field] = index
                taken.add(index)
                break
    return mapping


def unmapped_columns(headers: Sequence[str], mapping: Mapping[str, int]) -> list[int]:
    """Indexes of the columns no field uses (shown as ignored in a preview)."""
    used = set(mapping.values())
    return [i for i in range(len(headers)) if i not in used]


def missing_fields(mapping: Mapping[str, int], required: Sequence[str]) -> list[str]:
    return [f for f in required if f not in mapping]
