"""The rules of a part revision, a supplier and a vehicle model, and the sentences people read."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.parts import (
    PartDraft,
    PartStatus,
    SupplierDraft,
    VehicleModelDraft,
    check_editable,
    check_status_move,
    mass_milligrams,
    parse_bool,
    part_key,
)


def draft(**kw) -> PartDraft:
    values = {"part_number": "JT-5801", "revision": "a", "designation": " Traverse avant "}
    values.update(kw)
    return PartDraft(**values)


def test_fields_are_a_full_json_snapshot() -> None:
    fields = draft(mass_kg="2,350", designations={"zh": "前横梁", "fr": ""},
                   vehicle_model_ids=("b", "a", "a"), annual_volume="12 000").fields()
    assert fields["revision"] == "A" and fields["designation"] == "Traverse avant"
    assert fields["mass_kg"] == "2.35"  # decimal comma accepted, stored as text
    assert fields["designations"] == {"zh": "前横梁"}  # empty languages dropped
    assert fields["vehicle_model_ids"] == ["a", "b"]
    assert fields["annual_volume"] == 12000
    assert fields["status"] == "in_development" and fields["replaces"] == ""
    assert PartDraft.from_fields(fields).fields() == fields


@pytest.mark.parametrize("kw,sentence", [
    ({"part_number": ""}, "The part number is empty."),
    ({"revision": " "}, "The drawing revision is empty."),
    ({"designation": ""}, "The designation is empty."),
    ({"mass_kg": "lourd"}, "The mass (kg) “lourd” is not a number."),
    ({"mass_kg": "-1"}, "The mass (kg) cannot be negative."),
    ({"annual_volume": "12.5"}, "The planned annual volume “12.5” is not a whole number."),
    ({"unit": "box"}, "The unit box is not one of pc, set, kg, m, m2, l."),
    ({"part_number": "JT=1"}, "may use letters, digits"),
    ({"designations": {"de": "Querträger"}}, "not in de"),
])
def test_bad_input_gets_one_sentence_naming_the_field(kw, sentence) -> None:
    with pytest.raises(ValidationError) as err:
        draft(**kw).validated()
    assert sentence in str(err.value)
    assert err.value.field is not None


def test_part_key_ignores_case_and_spaces() -> None:
    assert part_key("jt 5801", " a") == part_key("JT5801", "A")
    assert part_key("JT5801", "A") != part_key("JT5801", "B")


def test_released_revision_is_locked_and_status_moves_are_one_way() -> None:
    check_editable(PartStatus.IN_DEVELOPMENT, "P", "A")
    with pytest.raises(ValidationError, match="released and locked"):
        check_editable(PartStatus.RELEASED, "P", "A")
    check_status_move(PartStatus.IN_DEVELOPMENT, PartStatus.RELEASED)
    check_status_move(PartStatus.RELEASED, PartStatus.OBSOLETE)
    with pytest.raises(ValidationError, match="from Released to In development"):
        check_status_move(PartStatus.RELEASED, PartStatus.IN_DEVELOPMENT)
    with pytest.raises(ValidationError, match="from Obsolete"):
        check_status_move(PartStatus.OBSOLETE, PartStatus.RELEASED)


def test_supplier_and_model_validation() -> None:
    supplier = SupplierDraft(name="SNS", code="sns-rba", iatf16949_expiry="2027-06-30")
    assert supplier.fields()["code"] == "SNS-RBA"
    with pytest.raises(ValidationError, match="not a date"):
        SupplierDraft(name="SNS", code="S", iso9001_expiry="31/12/2027").validated()
    with pytest.raises(ValidationError, match="supplier code is empty"):
        SupplierDraft(name="SNS", code="").validated()
    model = VehicleModelDraft(code="x70p", carmaker="Jetour", model="X70 Plus",
                              approval_date="2023-05-29").fields()
    assert model["code"] == "X70P" and model["name"] == "Jetour X70 Plus"


def test_small_helpers() -> None:
    assert mass_milligrams("2.35") == 2_350_000 and mass_milligrams("") is None
    assert parse_bool("Oui") and parse_bool("CC") and not parse_bool("non")
