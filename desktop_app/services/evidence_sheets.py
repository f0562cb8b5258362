"""Sheets of characteristics and of readings as people have them: the sheet of a workbook and
its header row found by the column names they hold (French, English, Arabic, Chinese), past a
cover sheet, titles, logos and blank rows; or as the person gives them.

A sheet of readings in the wide shape is headed by the part's characteristic numbers ("1", "#2",
"Char 10"): those count as known column names too, so its header is found like any other.
An AQDEF file (.dfq, .dfd, .dfx) is no sheet: `EvidenceImportService.read` reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from desktop_app.files.header_detect import HeaderVocabulary
from desktop_app.files.tables import SheetRef, Table, read_table
from desktop_app.services.context import (
    IsCancelled,
    Progress,
    ServiceContext,
    never_cancelled,
    no_progress,
)
from desktop_app.services.evidence_import import CHARACTERISTIC_SYNONYMS, MEASUREMENT_SYNONYMS
from desktop_app.services.evidence_queries import EvidenceQueries

AQDEF_SUFFIXES = (".dfq", ".dfd", ".dfx")  # files of K-fields, not sheets

CHARACTERISTICS = HeaderVocabulary.of(
    CHARACTERISTIC_SYNONYMS, ("number", "description"),
    ("No. / Repère", "Description / Désignation", "Nominal / Cote nominale"))


def is_sheet(path: Path | str) -> bool:
    """Whether the file is read as a table (CSV or a workbook), not as an AQDEF file."""
    return Path(path).suffix.lower() not in AQDEF_SUFFIXES


def measurements_vocabulary(numbers: Iterable[str]) -> HeaderVocabulary:
    """The column names of a sheet of readings: a characteristic and a value column (long
    shape), or the numbers of the part's characteristics (wide shape)."""
    synonyms: dict[str, list[str]] = {k: list(v) for k, v in MEASUREMENT_SYNONYMS.items()}
    for number in numbers:
        synonyms[f"#{number}"] = [number, f"#{number}", f"char {number}",
                                  f"characteristic {number}", f"caracteristique {number}",
                                  f"no {number}", f"n {number}"]
    return HeaderVocabulary.of(synonyms, ("characteristic", "value"), (
        "Characteristic / Caractéristique", "Reading / Mesure",
        "or one column per characteristic number"))


def read_evidence_sheet(ctx: ServiceContext, path: Path | str, mode: str, part_id: str = "",
                        progress: Progress = no_progress,
                        cancelled: IsCancelled = never_cancelled, *, sheet: SheetRef = None,
                        header_row: int | None = None) -> Table:
    """The table of characteristics (`mode` "characteristics") or of readings of a part
    ("measurements"); `layout` says which sheet and header row were read."""
    if mode == "characteristics":
        vocabulary = CHARACTERISTICS
    else:
        numbers = [c.number.strip() for c in EvidenceQueries(ctx).characteristics(part_id)] \
            if part_id else []
        vocabulary = measurements_vocabulary(n for n in numbers if n)
    return read_table(Path(path), progress, cancelled, sheet=sheet, header_row=header_row,
                      vocabulary=vocabulary)
