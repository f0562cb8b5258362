"""Deviations (IATF 16949 8.7.1.1) as records: the supplier asks, the customer approves with a
signature; only a valid deviation (approved, not expired, quantity not used up) waives the
capability finding of a special characteristic. Real data folder, real reports and readings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain.certification import Action, SubmissionKind
from desktop_app.domain.deviations import DeviationAction, DeviationStatus
from desktop_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from desktop_app.services.certification import CertificationService, SubmissionIncomplete
from desktop_app.services.deviations import DeviationService
from desktop_app.storage.models.certification import DeviationDecision, Signature
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import TODAY, Services, make_part, ready_submission
from tests.services.test_approval_checks import record_poor_capability, under_review


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


@pytest.fixture
def deviations(ctx) -> DeviationService:
    return DeviationService(ctx, today=lambda: TODAY)


def _poor_part(svc, actors) -> dict:
    part = make_part(svc, actors)
    record_poor_capability(svc, actors, part)
    return part


def _codes(cert: CertificationService, actors, sid: str) -> list[str]:
    return [f.code for f in cert.check(actors["eng"], sid).problems]


def test_only_an_approved_deviation_waives_the_capability_finding(svc, deviations, actors):
    part = _poor_part(svc, actors)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    assert _codes(svc.cert, actors, sid) == ["low_capability"]
    dev = deviations.request_deviation(
        actors["eng"], part["part_id"], [part["chars"]["1"]], "100 % sorting of the hole",
        valid_until=TODAY + timedelta(days=60), quantity_limit=500)
    assert dev.number == "DEV-TST-2026-001"
    assert dev.status is DeviationStatus.REQUESTED
    # Requested is not granted: the finding stays, naming the deviation.
    assert _codes(svc.cert, actors, sid) == ["deviation_not_valid"]
    with pytest.raises(SubmissionIncomplete, match="DEV-TST-2026-001, which the customer has "
                                                   "not approved yet"):
        svc.cert.submit(actors["eng"], sid)

    approved = deviations.decide(actors["appr"], dev.deviation_id, DeviationAction.APPROVE,
                                 PASSWORD)
    assert approved.status is DeviationStatus.APPROVED and approved.valid
    assert approved.decided_by == "Appr Person"
    assert _codes(svc.cert, actors, sid) == []
    under_review(svc, actors, sid)
    detail = svc.decisions.decide(actors["appr2"], sid, Action.APPROVE, PASSWORD)
    data = svc.certificates.certificate(None, detail.decisions[-1].certificate_number)
    [line] = data.capability
    assert line.verdict == "deviation DEV-TST-2026-001"
    assert data.deviations == ("1: DEV-TST-2026-001",)
    with svc.ctx.unit_of_work() as uow:
        [sig] = uow.session.execute(select(Signature).where(
            Signature.subject_id == dev.deviation_id)).scalars().all()
    assert sig.meaning == "deviation DEV-TST-2026-001 approved"
    assert sig.covers_rev_id == dev.rev_id


def test_free_text_no_longer_waives_anything(svc, actors):
    part = _poor_part(svc, actors)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    svc.cert.update_submission(actors["eng"], sid, deviations={
        part["chars"]["1"]: "DEV-TST-2026-001 (100 % sorting of the hole)"})
    assert _codes(svc.cert, actors, sid) == ["low_capability"]


def test_an_expired_or_used_up_deviation_no_longer_waives(svc, deviations, actors, ctx):
    part = _poor_part(svc, actors)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    dev = deviations.request_deviation(
        actors["eng"], part["part_id"], [part["chars"]["1"]], "100 % sorting",
        valid_until=TODAY + timedelta(days=10), quantity_limit=300)
    deviations.decide(actors["appr"], dev.deviation_id, "approve", PASSWORD)
    assert _codes(svc.cert, actors, sid) == []
    later = CertificationService(ctx, today=lambda: TODAY + timedelta(days=11))
    assert _codes(later, actors, sid) == ["deviation_not_valid"]
    assert later.check(actors["eng"], sid).problems[0].message.endswith(
        "DEV-TST-2026-001, which has expired.")
    # Back on a day it is in force, the quantity shipped under it ends it.
    assert deviations.record_use(actors["eng"], dev.deviation_id, 299).valid
    used = deviations.record_use(actors["eng"], dev.deviation_id, 1)
    assert used.status is DeviationStatus.USED_UP and used.quantity_used == 300
    assert svc.cert.check(actors["eng"], sid).problems[0].message.endswith(
        "whose quantity is used up.")


def test_a_rejected_deviation_does_not_waive(svc, deviations, actors):
    part = _poor_part(svc, actors)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    dev = deviations.request_deviation(actors["eng"], part["part_id"], [part["chars"]["1"]],
                                       "sorting", quantity_limit=50)
    with pytest.raises(ValidationError, match="needs a reason"):
        deviations.decide(actors["appr"], dev.deviation_id, "reject", PASSWORD)
    out = deviations.decide(actors["appr"], dev.deviation_id, "reject", PASSWORD,
                            reason="Sorting is no containment for a CC")
    assert out.status is DeviationStatus.REJECTED
    assert svc.cert.check(actors["eng"], sid).problems[0].message.endswith(
        "DEV-TST-2026-001, which the customer rejected.")


def test_who_may_decide_and_a_wrong_password_writes_nothing(svc, deviations, actors, ctx):
    part = _poor_part(svc, actors)
    dev = deviations.request_deviation(actors["eng"], part["part_id"], [part["chars"]["1"]],
                                       "sorting", quantity_limit=50)
    for who in ("eng", "insp", "admin"):
        with pytest.raises(PermissionDenied):
            deviations.decide(actors[who], dev.deviation_id, "approve", PASSWORD)
    with pytest.raises(AuthenticationFailed):
        deviations.decide(actors["appr"], dev.deviation_id, "approve", "wrong password!")
    with ctx.unit_of_work() as uow:
        assert uow.session.execute(select(func.count()).select_from(
            DeviationDecision)).scalar_one() == 0
    assert deviations.find(actors["eng"], dev.number.lower()).status is \
        DeviationStatus.REQUESTED


def test_a_request_is_bounded_and_names_its_own_characteristics(svc, deviations, actors):
    part = make_part(svc, actors)
    other = make_part(svc, actors, number="JT-5401-221")
    eng, pid, char = actors["eng"], part["part_id"], part["chars"]["1"]
    with pytest.raises(ValidationError, match="expiry date, a quantity or both"):
        deviations.request_deviation(eng, pid, [char], "sorting")
    with pytest.raises(ValidationError, match="not a characteristic of this part revision"):
        deviations.request_deviation(eng, pid, [other["chars"]["1"]], "sorting",
                                     quantity_limit=5)
    with pytest.raises(ValidationError, match="in the past"):
        deviations.request_deviation(eng, pid, [char], "sorting",
                                     valid_until=date(2026, 1, 1))
    deviations.request_deviation(eng, pid, [char], "sorting", quantity_limit=5,
                                 number="DEV-MSR-2026-003")
    with pytest.raises(ValidationError, match="already taken"):
        deviations.request_deviation(eng, pid, [char], "sorting", quantity_limit=5,
                                     number="dev-msr-2026-003")
    assert deviations.request_deviation(eng, pid, [char], "x", quantity_limit=5).number == \
        "DEV-TST-2026-001"


def test_terms_changed_after_the_approval_are_not_approved(svc, deviations, actors, ctx):
    part = _poor_part(svc, actors)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    dev = deviations.request_deviation(actors["eng"], part["part_id"], [part["chars"]["1"]],
                                       "sorting", quantity_limit=50)
    deviations.decide(actors["appr"], dev.deviation_id, "approve", PASSWORD)
    assert _codes(svc.cert, actors, sid) == []
    # The supplier stretches the quantity the customer approved: that is no longer approved.
    with ctx.unit_of_work() as uow:
        fields = dict(uow.records.state(dev.deviation_id).fields)
        uow.records.update(dev.deviation_id, {**fields, "quantity_limit": "5000"},
                           actors["eng"], "more parts")
    assert deviations.find(actors["eng"], dev.number).status is DeviationStatus.CHANGED
    assert svc.cert.check(actors["eng"], sid).problems[0].message.endswith(
        "which was changed after the customer approved it.")
    # Parts shipped under it change no term: approved again, it holds.
    deviations.decide(actors["appr"], dev.deviation_id, "approve", PASSWORD)
    assert deviations.record_use(actors["eng"], dev.deviation_id, 10).valid
