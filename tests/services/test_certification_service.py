"""Submissions through the whole state machine, with separation of duties and signatures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.domain.approvals import ApprovalKind
from desktop_app.domain.certification import Action, CertificateStatus, State, SubmissionKind
from desktop_app.domain.errors import (
    AuthenticationFailed,
    PermissionDenied,
    RecordInConflict,
    ValidationError,
)
from desktop_app.domain.people import Role
from desktop_app.domain.ppap import ELEMENTS
from desktop_app.domain.revisions import Revision
from desktop_app.services.approvals import approval_periods
from desktop_app.services.certification import SubmissionIncomplete
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.core import RevisionRow
from tests.conftest import PASSWORD
from tests.documents.test_certificate_pdf import text_of
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


def revision_count(ctx) -> int:
    with ctx.unit_of_work() as uow:
        return uow.session.execute(select(func.count()).select_from(RevisionRow)).scalar_one()


def test_draft_to_approval_issues_a_signed_certificate(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part)
    assert svc.cert.check(actors["eng"], sid).ok
    assert svc.cert.submit(actors["eng"], sid).summary.state is State.SUBMITTED
    detail = svc.cert.start_review(actors["insp"], sid)
    assert detail.summary.state is State.UNDER_REVIEW
    assert Action.APPROVE not in detail.actions  # an inspector does not decide
    assert Action.APPROVE in svc.cert.submission(actors["appr"], sid).actions
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    assert detail.summary.state is State.APPROVED
    decision = detail.decisions[-1]
    assert decision.signature is not None
    assert decision.signature.meaning == "approved as PPAP level 3"
    assert decision.signature.printed_name == "Appr Person"
    assert decision.signature.covers_rev_id == detail.rev_id
    assert decision.signature.covers_current
    number = decision.certificate_number
    assert number.startswith("CERT-TST-") and number.endswith("-0001")
    [summary] = svc.certificates.list_certificates(actors["insp"])
    assert summary.number == number and summary.status is CertificateStatus.VALID
    data = svc.certificates.certificate(actors["insp"], number)
    assert data.part_number == "JT-5401-220" and data.drawing_revision == "C"
    assert {e.element for e in data.evidence} == {"9", "10"}
    assert [c.special_class for c in data.capability] == ["CC"]
    assert svc.certificates.verify_certificate_payload(data.payload).answer == "genuine"
    periods = approval_periods(ctx)[part["part_id"]]
    assert len(periods) == 1 and periods[0].kind is ApprovalKind.APPROVED
    assert periods[0].end is None and periods[0].certificate_number == number


def test_submitting_with_a_missing_element_says_which_and_changes_nothing(svc, actors, part, ctx):
    sid = svc.cert.create_submission(actors["eng"], part["part_id"]).summary.submission_id
    before = revision_count(ctx)
    with pytest.raises(SubmissionIncomplete, match="Element 1 \\(Design records — all other"):
        svc.cert.submit(actors["eng"], sid)
    assert revision_count(ctx) == before
    assert svc.cert.submission(actors["eng"], sid).summary.state is State.DRAFT
    codes = {f.element for f in svc.cert.check(actors["eng"], sid).findings}
    assert {"01b", "09", "10", "13", "17"} <= codes


def test_checks_find_foreign_evidence_uncovered_characteristics_and_low_capability(
        svc, actors, part):
    other = make_part(svc, actors, number="JT-9999-001")
    sid = ready_submission(svc, actors, part)
    svc.cert.link_evidence(actors["eng"], sid, "10", [other["material"]])
    result = svc.cert.check(actors["eng"], sid)
    findings = result.problems
    assert [f.code for f in findings] == ["foreign_evidence"]
    # The 40 readings of the CC hole: a smaller study than a preliminary one, shown to the
    # approver, refusing nothing.
    assert "capability_small_study" in {f.code for f in result.findings if not f.blocking}
    assert "belongs to another part revision" in findings[0].message
    sid2 = ready_submission(svc, actors, part)
    svc.cert.unlink_evidence(actors["eng"], sid2, "09", part["dimensional"])
    svc.cert.link_evidence(actors["eng"], sid2, "09", [part["material"]])
    codes = [f.code for f in svc.cert.check(actors["eng"], sid2).findings]
    assert codes.count("uncovered") == 2


def test_out_of_calibration_gauge_blocks_submission(svc, actors):
    part = make_part(svc, actors, number="JT-7777-010", gauge_due="2026-11-01")
    sid = ready_submission(svc, actors, part)
    findings = svc.cert.check(actors["eng"], sid).problems
    assert findings and {f.code for f in findings} == {"calibration"}
    assert "out of calibration" in findings[0].message
    with pytest.raises(SubmissionIncomplete):
        svc.cert.submit(actors["eng"], sid)


def test_an_approver_cannot_approve_a_submission_they_prepared(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    # The engineer who prepared it is promoted to approver later: still not their own work.
    PeopleService(ctx).change_role(actors["admin"], actors["eng"].user_id, Role.APPROVER)
    promoted = PeopleService(ctx).sign_in("eng", PASSWORD)
    before = revision_count(ctx)
    with pytest.raises(PermissionDenied, match="prepared this submission"):
        svc.decisions.decide(promoted, sid, Action.APPROVE, PASSWORD)
    with pytest.raises(PermissionDenied, match="prepared this submission"):
        svc.decisions.decide(promoted, sid, Action.APPROVE_INTERIM, PASSWORD,
                             valid_until=date(2027, 1, 31), action_plan="x")
    assert revision_count(ctx) == before
    detail = svc.cert.submission(promoted, sid)
    assert Action.APPROVE not in detail.actions and "approve" in detail.blocked


def test_an_approver_cannot_approve_evidence_they_produced(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part)
    # A report recorded by appr2 (e.g. while they were an inspector) is linked to element 10.
    with ctx.unit_of_work() as uow:
        report = uow.records.create("test_report", {
            "part_id": part["part_id"], "number": "TR-X", "title": "Salt spray 480 h"},
            actors["appr2"], reason="recorded")
    svc.cert.link_evidence(actors["eng"], sid, "10", [report.record_id])
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    with pytest.raises(PermissionDenied, match="produced evidence"):
        svc.decisions.decide(actors["appr2"], sid, Action.APPROVE, PASSWORD)
    assert svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD).summary.state \
        is State.APPROVED


@pytest.mark.parametrize("who", ["admin", "eng", "insp"])
def test_only_approvers_decide(svc, actors, part, who):
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    for action in (Action.APPROVE, Action.REJECT):
        with pytest.raises(PermissionDenied):
            svc.decisions.decide(actors[who], sid, action, PASSWORD, reason="r")


def test_only_preparers_submit_and_reviewers_review(svc, actors, part):
    sid = ready_submission(svc, actors, part)
    for who in ("appr", "admin"):
        with pytest.raises(PermissionDenied):
            svc.cert.submit(actors[who], sid)
    svc.cert.submit(actors["eng"], sid)
    for who in ("eng", "admin"):
        with pytest.raises(PermissionDenied):
            svc.cert.start_review(actors[who], sid)


def test_a_wrong_password_at_signing_changes_nothing(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    before = revision_count(ctx)
    with pytest.raises(AuthenticationFailed):
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE, "not-the-password")
    assert revision_count(ctx) == before
    assert svc.cert.submission(actors["appr"], sid).summary.state is State.UNDER_REVIEW
    assert svc.certificates.list_certificates(actors["appr"]) == []


def test_rejection_needs_reasons_then_resubmission_is_a_new_round(svc, actors, part):
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    with pytest.raises(ValidationError, match="needs a reason"):
        svc.decisions.decide(actors["appr"], sid, Action.REJECT, PASSWORD)
    detail = svc.decisions.decide(actors["appr"], sid, Action.REJECT, PASSWORD,
                                  reason="Element 9: CMM report not signed")
    assert detail.summary.state is State.REJECTED
    assert detail.decisions[-1].reason == "Element 9: CMM report not signed"
    assert detail.decisions[-1].certificate_number == ""
    detail = svc.cert.reopen(actors["eng"], sid)
    assert detail.summary.state is State.DRAFT and detail.summary.round == 2
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    assert svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD).summary.state \
        is State.APPROVED


def test_interim_approval_is_limited_and_upgraded(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    with pytest.raises(ValidationError, match="expiry date, a quantity"):
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                             action_plan="plan")
    with pytest.raises(ValidationError, match="action plan"):
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                             quantity_limit=500)
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                                  valid_until=date(2099, 12, 1), quantity_limit=5000,
                                  action_plan="Rework die OP30; 100 % check of hole 1")
    assert detail.summary.state is State.INTERIM and detail.interim_quantity == "5000"
    interim_number = detail.decisions[-1].certificate_number
    [period] = approval_periods(ctx)[part["part_id"]]
    assert period.kind is ApprovalKind.INTERIM and period.end == date(2099, 12, 1)
    detail = svc.decisions.decide(actors["appr2"], sid, Action.APPROVE, PASSWORD)
    assert detail.summary.state is State.APPROVED
    statuses = {c.number: c.status for c in svc.certificates.list_certificates(actors["appr"])}
    assert statuses[interim_number] is CertificateStatus.SUPERSEDED
    assert statuses[detail.decisions[-1].certificate_number] is CertificateStatus.VALID


def test_suspend_reinstate_and_revoke(svc, actors, part, ctx):
    sid = approved(svc, actors, part, PASSWORD)
    number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    detail = svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD,
                                  reason="Customer complaint 8D-114")
    assert detail.summary.state is State.SUSPENDED
    assert svc.certificates.status(actors["appr"], number) is CertificateStatus.SUSPENDED
    detail = svc.decisions.decide(actors["appr"], sid, Action.REINSTATE, PASSWORD,
                                  reason="8D closed")
    assert detail.summary.state is State.APPROVED
    assert svc.certificates.status(actors["appr"], number) is CertificateStatus.SUPERSEDED
    detail = svc.decisions.decide(actors["appr"], sid, Action.REVOKE, PASSWORD,
                                  reason="Supplier lost IATF 16949 certificate")
    assert detail.summary.state is State.REVOKED
    # Everything happened today: no day of valid approval remains (periods end exclusive).
    assert approval_periods(ctx).get(part["part_id"], []) == []
    with pytest.raises(ValidationError, match="cannot be"):
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    with pytest.raises(ValidationError, match="cannot be edited"):
        svc.cert.mark_not_applicable(actors["eng"], sid, "02", "none")


def test_a_later_edit_leaves_the_signature_on_the_previous_revision(svc, actors, part):
    sid = approved(svc, actors, part, PASSWORD)
    detail = svc.cert.update_submission(actors["eng"], sid, psw={"purchase_order": "PO-88"})
    signature = detail.decisions[-1].signature
    assert signature is not None and not signature.covers_current
    assert signature.covers_rev_id != detail.rev_id
    number = detail.decisions[-1].certificate_number
    assert svc.certificates.status(actors["insp"], number) is CertificateStatus.NEEDS_REAPPROVAL
    printed = text_of(svc.certificates.render_pdf(actors["insp"], number, ("en",)))
    assert "NEEDS RE-APPROVAL — since" in printed and "Approved" not in printed
    # Re-approval: a new signature over the edited revision and a new certificate.
    assert Action.APPROVE in svc.cert.submission(actors["appr2"], sid).actions
    detail = svc.decisions.decide(actors["appr2"], sid, Action.APPROVE, PASSWORD)
    assert detail.decisions[-1].signature.covers_current
    assert svc.certificates.status(actors["insp"], number) is CertificateStatus.SUPERSEDED
    new_number = detail.decisions[-1].certificate_number
    assert svc.certificates.status(actors["insp"], new_number) is CertificateStatus.VALID
    with pytest.raises(ValidationError, match="approved as it stands"):
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    assert Action.APPROVE not in svc.cert.submission(actors["appr"], sid).actions


def test_a_conflicting_submission_blocks_decisions_and_printing(svc, actors, part, ctx):
    sid = approved(svc, actors, part, PASSWORD)
    number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    with ctx.unit_of_work() as uow:
        head = uow.records.state(sid)
        parent = uow.records.revision(head.winner.parents[0])
        rival = Revision.create(
            record_type="submission", record_id=sid, parents=(parent.rev_id,),
            site_id="0190a000-0000-7000-8000-000000000001", lamport=head.winner.lamport,
            author="someone-else", fields={**parent.fields, "level": 2}, reason="edited")
        uow.records.apply_many([rival], actor_name="sync")
    with pytest.raises(RecordInConflict, match="edited at two sites"):
        svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD, reason="x")
    with pytest.raises(ValidationError, match="edited at two sites"):
        svc.certificates.render_pdf(actors["insp"], number)
    assert svc.cert.submission(actors["appr"], sid).actions == ()


def test_a_revoked_certificate_prints_as_revoked(svc, actors, part):
    sid = approved(svc, actors, part, PASSWORD)
    number = svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="Fraud")
    printed = text_of(svc.certificates.render_pdf(actors["insp"], number, ("en",)))
    assert "REVOKED — since" in printed and "Reason: Fraud (Appr2 Person)" in printed
    assert "This certificate is not valid." in printed and "Approved" not in printed


def test_ots_then_ppap(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                                  valid_until=date(2099, 1, 1), action_plan="Fix trim edge")
    assert detail.decisions[-1].signature.meaning == \
        "conditionally approved as OTS engineering approval"
    assert part["part_id"] not in approval_periods(ctx)  # OTS does not count as PPAP approval
    approved(svc, actors, part, PASSWORD)
    assert approval_periods(ctx)[part["part_id"]][0].kind is ApprovalKind.APPROVED


def test_level_four_takes_the_customers_choice(svc, actors, part):
    sid = ready_submission(svc, actors, part, level=4)
    unchosen = svc.cert.check(actors["eng"], sid).problems  # nothing chosen yet: incomplete
    assert {f.code for f in unchosen} == {"customer_choice"}
    assert len(unchosen) == len([e for e in ELEMENTS if e.code != "18"])
    choices = {e.code: "R" for e in ELEMENTS if e.code != "18"}
    svc.cert.update_submission(actors["eng"], sid, customer_choices={**choices, "04": "S"})
    findings = svc.cert.check(actors["eng"], sid).problems
    assert [f.element for f in findings] == ["04"]
    rows = {r.code: r for r in svc.cert.submission(actors["eng"], sid).elements}
    assert rows["04"].matrix == "*" and rows["04"].requirement == "S" and rows["04"].required


def test_the_warrant_is_generated_from_the_data(svc, actors, part):
    from desktop_app.services.certification_psw import psw_summary

    sid = ready_submission(svc, actors, part)
    svc.cert.update_submission(actors["eng"], sid, psw={"purchase_order": "PO-2026-118",
                                                       "production_pieces": "300",
                                                       "production_hours": "8"})
    before = psw_summary(svc.cert, actors["insp"], sid).to_json()
    assert before["Part information"]["Customer part number"] == "JT-5401-220"
    assert before["Part information"]["Purchase order number"] == "PO-2026-118"
    assert before["Submission results"]["Dimensional measurements"] == "yes"
    assert before["Submission results"]["These results meet all design record requirements"] \
        == "yes"
    assert before["Requested submission level"]["Level"] == "PPAP 3"
    assert before["Authorised supplier signature"]["Name"] == "Eng Person"
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    after = psw_summary(svc.cert, actors["insp"], sid).to_json()
    assert after["Customer disposition"]["Disposition"] == "Approved"
    assert after["Customer disposition"]["Customer signature"].startswith(
        "Appr Person — approved as PPAP level 3")


def test_a_preparer_promoted_to_approver_cannot_reinstate_but_may_refuse(svc, actors, part, ctx):
    sid = approved(svc, actors, part, PASSWORD)
    svc.decisions.decide(actors["appr"], sid, Action.SUSPEND, PASSWORD, reason="8D open")
    PeopleService(ctx).change_role(actors["admin"], actors["eng"].user_id, Role.APPROVER)
    promoted = PeopleService(ctx).sign_in("eng", PASSWORD)
    with pytest.raises(PermissionDenied, match="prepared this submission"):
        svc.decisions.decide(promoted, sid, Action.REINSTATE, PASSWORD, reason="8D closed")
    # Withdrawing an approval of one's own work is not approving it: allowed.
    detail = svc.decisions.decide(promoted, sid, Action.REVOKE, PASSWORD, reason="Wrong part")
    assert detail.summary.state is State.REVOKED


def test_a_signer_whose_role_was_removed_since_sign_in_cannot_decide(svc, actors, part, ctx):
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    PeopleService(ctx).change_role(actors["admin"], actors["appr"].user_id, Role.INSPECTOR)
    with pytest.raises(PermissionDenied):
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
