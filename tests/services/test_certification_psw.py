"""The warrant gathered from the records: who signed it and when, the customer's part, the
requirements answer derived from the linked results, and no print of a conflicting record."""

from __future__ import annotations

import pytest

from desktop_app.domain.certification import Action, State
from desktop_app.domain.errors import RecordInConflict, ValidationError
from desktop_app.domain.psw import Answer
from desktop_app.domain.revisions import Revision
from desktop_app.services.certification_psw import (
    find_submission,
    update_warrant_fields,
    warrant,
    write_psw_pdf,
)
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import (
    Services,
    approved,
    make_part,
    ready_submission,
)


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


@pytest.fixture
def part(svc, actors) -> dict:
    return make_part(svc, actors)


def test_draft_then_submitted_then_approved(svc, actors, part) -> None:
    sid = ready_submission(svc, actors, part)
    draft = warrant(svc.cert, actors["insp"], sid)
    assert draft.results == (("dimensional", Answer.YES), ("material_functional", Answer.YES),
                             ("appearance", Answer.NA), ("statistical", Answer.NA))
    assert draft.meets_requirements is Answer.YES and draft.notes == ()
    assert draft.signer_name == "Eng Person" and draft.signed_on == ""  # not signed yet
    assert draft.disposition == "" and draft.customer_tracking == ""
    svc.cert.submit(actors["eng"], sid)
    submitted = warrant(svc.cert, actors["insp"], sid)
    assert submitted.signed_on and submitted.signer_name == "Eng Person"
    svc.cert.start_review(actors["insp"], sid)
    svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    decided = warrant(svc.cert, actors["insp"], sid)
    number = svc.cert.submission(actors["insp"], sid).decisions[-1].certificate_number
    assert decided.disposition == State.APPROVED and decided.customer_tracking == number
    assert decided.customer_name == "Appr Person"
    assert decided.customer_signature.startswith("Appr Person — approved as PPAP level 3")


def test_unlinking_a_result_turns_the_answer_to_no(svc, actors, part) -> None:
    sid = ready_submission(svc, actors, part)
    svc.cert.unlink_evidence(actors["eng"], sid, "09", part["dimensional"])
    w = warrant(svc.cert, actors["insp"], sid)
    assert w.result("dimensional") is Answer.NO
    assert w.meets_requirements is Answer.NO
    assert any("Dimensional measurements" in n.text() for n in w.notes)


def test_typed_fields_are_checked_and_kept(svc, actors, part) -> None:
    sid = ready_submission(svc, actors, part)
    with pytest.raises(ValidationError):
        update_warrant_fields(svc.cert, actors["eng"], sid, {"safety_regulation": "sure"})
    update_warrant_fields(svc.cert, actors["eng"], sid, {
        "safety_regulation": "no", "org_part_number": " MER-1 ", "drawing_number": "DWG-9"})
    w = warrant(svc.cert, actors["insp"], sid)
    assert w.safety_regulation is Answer.NO  # typed, over the part's CC/SC flag
    assert w.org_part_number == "MER-1" and w.drawing_number == "DWG-9"
    assert find_submission(svc.cert, actors["insp"], w.submission_number.lower()) == sid


def test_a_conflicting_submission_prints_no_warrant(svc, actors, part, ctx, tmp_path) -> None:
    sid = approved(svc, actors, part, PASSWORD)
    with ctx.unit_of_work() as uow:
        head = uow.records.state(sid)
        parent = uow.records.revision(head.winner.parents[0])
        rival = Revision.create(
            record_type="submission", record_id=sid, parents=(parent.rev_id,),
            site_id="0190a000-0000-7000-8000-000000000001", lamport=head.winner.lamport,
            author="someone-else", fields={**parent.fields, "level": 2}, reason="edited")
        uow.records.apply_many([rival], actor_name="sync")
    target = tmp_path / "psw.pdf"
    with pytest.raises(RecordInConflict, match="edited at two sites"):
        write_psw_pdf(svc.cert, actors["insp"], sid, target)
    assert not target.exists()
