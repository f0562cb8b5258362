"""The warrant's requirements answer is derived from its results, never typed; the answers and
dates a person types are checked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.psw import (
    RESULT_ELEMENTS,
    Answer,
    Note,
    check_warrant_fields,
    requirements_met,
    result_answer,
)

KEYS = [key for key, _code, _label in RESULT_ELEMENTS]


def test_four_results_no_never_meet_the_requirements() -> None:
    answer, notes = requirements_met(dict.fromkeys(KEYS, Answer.NO))
    assert answer is Answer.NO
    assert [n.text() for n in notes] == [
        "Dimensional measurements: no result is linked to the submission.",
        "Material and functional tests: no result is linked to the submission.",
        "Appearance criteria: no result is linked to the submission.",
        "Statistical process package: no result is linked to the submission."]


def test_results_linked_or_not_applicable_meet_them_unless_a_check_finds_something() -> None:
    results = {"dimensional": Answer.YES, "material_functional": Answer.YES,
               "appearance": Answer.NA, "statistical": Answer.YES}
    assert requirements_met(results) == (Answer.YES, ())
    finding = Note("Element {element} has no evidence.", (("element", "16"),))
    answer, notes = requirements_met(results, (finding,))
    assert answer is Answer.NO and notes == (finding,)
    assert notes[0].text() == "Element 16 has no evidence."
    # Nothing measured at all (every element set aside) is no result, not a pass.
    answer, notes = requirements_met(dict.fromkeys(KEYS, Answer.NA))
    assert answer is Answer.NO and notes[0].text() == "No result is linked to the submission."


@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from([Answer.YES, Answer.NO, Answer.NA]),
                       min_size=4))
def test_yes_only_when_no_result_is_no(results) -> None:
    answer, notes = requirements_met(results)
    expected = Answer.NO in results.values() or Answer.YES not in results.values()
    assert (answer is Answer.NO) == expected and bool(notes) == expected


def test_a_result_is_its_evidence() -> None:
    assert result_answer(True, False) is Answer.YES
    assert result_answer(True, True) is Answer.YES
    assert result_answer(False, True) is Answer.NA
    assert result_answer(False, False) is Answer.NO


def test_typed_fields_are_trimmed_and_checked() -> None:
    assert check_warrant_fields({"purchase_order": "  PO-1 ", "safety_regulation": "n/a",
                                 "change_date": "2026-03-31", "production_pieces": "300",
                                 "future_field": "kept"}) == {
        "purchase_order": "PO-1", "safety_regulation": "n/a", "change_date": "2026-03-31",
        "production_pieces": "300", "future_field": "kept"}
    with pytest.raises(ValidationError, match="answer yes, no or n/a") as caught:
        check_warrant_fields({"customer_tools_tagged": "maybe"})
    assert caught.value.field == "customer_tools_tagged"
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        check_warrant_fields({"checking_aid_date": "31/03/2026"})
    with pytest.raises(ValidationError, match="write a number"):
        check_warrant_fields({"production_hours": "eight"})
