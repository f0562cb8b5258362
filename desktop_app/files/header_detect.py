"""Finding the header row of a sheet as people make them: past titles, logos and blank rows.

A sheet from a supplier or a carmaker seldom starts with its header: a merged title ("Liste des
pièces — programme d'intégration"), a row holding the logo, a date, a blank row come first, and a
workbook often opens on a cover sheet. The header is the row whose cells name the columns an
importer knows (`HeaderVocabulary`: each field's names in French, English, Arabic and Chinese,
compared as `domain.tabular.normalise_header` compares them, as the column mapping will).

`find_header` scores the first `SCAN_ROWS` rows that hold anything by how many fields their cells
name, and takes the best (the first of equals) among those that name at least two fields, or
every required one. A row naming a single known field is taken only when no row names two: a
sheet with unusual column names still reaches the hand mapping. No row naming any known field is
no header: the caller says which columns it expected (`HeaderNotFound`).

Pure functions over rows of text: the readers (`tables.TableStream`) feed them, whatever the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.tabular import normalise_header
from desktop_app.domain.text import QT_TRANSLATE_NOOP

SCAN_ROWS = 30  # rows holding anything, from the top of a sheet, where the header is looked for
STRONG = 2  # fields a row must name to be taken as the header (unless it names every required)


@dataclass(frozen=True, slots=True)
class HeaderVocabulary:
    """The column names one importer knows: field -> normalised names."""

    names: Mapping[str, frozenset[str]]
    required: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()  # how a sentence names the columns looked for
    _lookup: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, synonyms: Mapping[str, Iterable[str]], required: Sequence[str] = (),
           expected: Sequence[str] = ()) -> HeaderVocabulary:
        """From an importer's synonyms (field -> header texts), as `map_headers` reads them:
        the field's own name counts too ("part_number" is "part number")."""
        names: dict[str, frozenset[str]] = {}
        lookup: dict[str, str] = {}
        for name, texts in synonyms.items():
            normalised = {normalise_header(name), *(normalise_header(t) for t in texts)}
            normalised.discard("")
            names[name] = frozenset(normalised)
            for text in normalised:
                lookup.setdefault(text, name)  # a name two fields share counts for the first
        return cls(names, tuple(required), tuple(expected or required), lookup)

    def fields_named(self, values: Iterable[str]) -> frozenset[str]:
        """The fields that the cells of one row name."""
        lookup = self._lookup
        found = set()
        for value in values:
            if value:
                name = lookup.get(normalise_header(value))
                if name is not None:
                    found.add(name)
        return frozenset(found)

    def is_header(self, named: frozenset[str]) -> bool:
        """Whether a row naming these fields is surely a header row."""
        return len(named) >= STRONG or bool(self.required) and set(self.required) <= named


@dataclass(frozen=True, slots=True)
class HeaderGuess:
    """The row taken as header (its number in the sheet) and the fields its cells name."""

    row: int
    named: frozenset[str]
    sure: bool  # named two fields or every required one (`HeaderVocabulary.is_header`)


def find_header(rows: Iterable[tuple[int, Sequence[str]]], vocabulary: HeaderVocabulary,
                scan: int = SCAN_ROWS) -> HeaderGuess | None:
    """The header among the first `scan` non-blank rows, None when no row names a known field.

    `rows` are (row number, cell texts) in sheet order; blank rows are passed over."""
    best: HeaderGuess | None = None
    seen = 0
    for number, values in rows:
        if not any(values):
            continue
        seen += 1
        if seen > scan:
            break
        named = vocabulary.fields_named(values)
        if not named:
            continue
        guess = HeaderGuess(number, named, vocabulary.is_header(named))
        if best is None or (guess.sure, len(guess.named)) > (best.sure, len(best.named)):
            best = guess
    return best


class HeaderNotFound(ValidationError):
    """No row near the top of the sheet names the columns expected. The person chooses the
    header row (or another sheet) among `top`, the first rows as the sheet has them."""

    def __init__(self, file_name: str, sheet: str, expected: Sequence[str],
                 layout: object | None = None) -> None:
        template = QT_TRANSLATE_NOOP(
            "Errors", "No row at the top of sheet {sheet} of {name} names the columns expected "
                      "({fields}); choose the header row.") if sheet else QT_TRANSLATE_NOOP(
            "Errors", "No row at the top of {name} names the columns expected ({fields}); "
                      "choose the header row.")
        super().__init__(template, name=file_name, sheet=sheet, fields=", ".join(expected))
        self.layout = layout  # tables.SheetLayout: the sheets and the first rows to choose from
