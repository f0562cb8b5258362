"""Header normalisation and mapping shared by every importer."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.tabular import map_headers, normalise_header, unmapped_columns

SYNONYMS = {
    "part_number": ["Part number", "Référence", "Ref"],
    "revision": ["Revision", "Indice"],
    "mass_kg": ["Mass (kg)", "Masse (kg)", "Masse"],
}


def test_normalisation_ignores_case_accents_spaces_and_punctuation() -> None:
    assert normalise_header("  MASSE  (kg) ") == "masse kg"
    assert normalise_header("Référence_pièce") == "reference piece"
    assert normalise_header("Désignation (中文)") == "designation 中文"


def test_french_headers_map_to_fields() -> None:
    headers = ["REFERENCE", "indice", "Commentaire", "masse-kg"]
    mapping = map_headers(headers, SYNONYMS)
    assert mapping == {"part_number": 0, "revision": 1, "mass_kg": 3}
    assert unmapped_columns(headers, mapping) == [2]


def test_manual_override_wins_and_frees_nothing_twice() -> None:
    headers = ["Référence", "Code article", "Indice"]
    mapping = map_headers(headers, SYNONYMS, overrides={"part_number": 1, "revision": None})
    assert mapping == {"part_number": 1}


def test_bad_overrides_get_a_sentence() -> None:
    with pytest.raises(ValidationError, match="Column 9 does not exist"):
        map_headers(["A"], SYNONYMS, overrides={"part_number": 8})
    with pytest.raises(ValidationError, match="two fields"):
        map_headers(["A", "B"], SYNONYMS, overrides={"part_number": 0, "revision": 0})
    with pytest.raises(ValidationError, match="no field called colour"):
        map_headers(["A"], SYNONYMS, overrides={"colour": 0})
