"""Level 4 is "whatever the customer defines": a submission is not complete until the customer
has said, element by element, submit or retain; the bulk-material checklist is retained at
level 5 like every element reviewed at the supplier's plant."""

from __future__ import annotations

import pytest

from desktop_app.domain.certification import SubmissionKind
from desktop_app.domain.certification_checks import (
    EvidenceFacts,
    check_submission,
)
from desktop_app.domain.errors import PartDeskError
from desktop_app.domain.ppap import ELEMENTS, Requirement, requirement
from tests.services.certification_fixtures import Services, make_part, ready_submission


def test_every_level_4_element_without_the_customers_choice_is_a_finding() -> None:
    def codes(choices: dict[str, str]) -> list[str]:
        return sorted(f.element for f in check_submission(
            kind=SubmissionKind.PPAP, level=4, part_id="p", elements={},
            customer_choices=choices, bulk_material=True, deviations={},
            facts=EvidenceFacts(items={}, characteristics=())) if f.code == "customer_choice")

    chosen_by_customer = sorted([e.code for e in ELEMENTS if e.code != "18"] + ["bulk"])
    assert codes({}) == chosen_by_customer
    assert codes({"04": "S", "bulk": "R"}) == [c for c in chosen_by_customer
                                               if c not in ("04", "bulk")]
    everything = {c: "R" for c in chosen_by_customer}
    assert codes(everything) == []


def test_the_bulk_checklist_is_retained_at_level_5() -> None:
    assert requirement("bulk", 5) is Requirement.RETAIN
    assert requirement("bulk", 3, {"bulk": "S"}) is Requirement.SUBMIT


def test_a_level_4_submission_is_refused_until_the_customer_has_chosen(ctx, actors) -> None:
    svc = Services(ctx)
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    svc.cert.update_submission(actors["eng"], sid, level=4)
    with pytest.raises(PartDeskError) as refused:
        svc.cert.submit(actors["eng"], sid)
    assert "has no customer choice: at level 4" in refused.value.message()

    choices = {e.code: "R" for e in ELEMENTS if e.code != "18"}
    choices["09"] = "S"
    svc.cert.update_submission(actors["eng"], sid, customer_choices=choices)
    svc.cert.submit(actors["eng"], sid)  # dimensional results linked, the rest retained
