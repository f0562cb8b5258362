"""No approval contradicts its evidence: the completeness and consistency checks run again when an
approver signs, for OTS and PPAP alike. Real data folders, real reports and readings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop_app.domain.certification import Action, State, SubmissionKind
from desktop_app.domain.certification_checks import required_elements
from desktop_app.services.certification import SubmissionIncomplete
from desktop_app.services.certification_decisions import ApprovalContradictsEvidence
from desktop_app.services.deviations import DeviationService
from desktop_app.services.evidence_dto import ReportDraft, ResultDraft
from desktop_app.storage.models.certification import Certificate, Decision
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import (
    TODAY,
    Services,
    make_part,
    ready_submission,
)

# Hole diameter 12 ± 0.1 mm measured with a spread of ± 0.08 mm: Ppk about 0.59.
POOR = tuple(f"{12 + ((i % 5) - 2) * 0.04:.3f}" for i in range(40))


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


def record_poor_capability(svc: Services, actors, part: dict) -> None:
    """A later capability study of the hole (the CC characteristic) that fails."""
    svc.evidence.record_report(actors["insp"], ReportDraft(
        part_id=part["part_id"], report_type="capability", title="Capability run 2",
        tested_on="2026-11-24"), [ResultDraft(part["chars"]["1"], POOR)])


def under_review(svc: Services, actors, sid: str) -> None:
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)


def written(svc: Services) -> tuple[int, int]:
    with svc.ctx.unit_of_work() as uow:
        return (uow.session.execute(select(func.count()).select_from(Decision)).scalar_one(),
                uow.session.execute(select(func.count()).select_from(Certificate)).scalar_one())


@pytest.mark.parametrize("kind", [SubmissionKind.PPAP, SubmissionKind.OTS])
def test_capability_that_falls_after_submission_refuses_the_approval(svc, actors, kind):
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part, kind=kind)
    under_review(svc, actors, sid)
    record_poor_capability(svc, actors, part)
    for action, extra in ((Action.APPROVE, {}),
                          (Action.APPROVE_INTERIM, {"quantity_limit": 100,
                                                    "action_plan": "Sort 100 %"})):
        with pytest.raises(ApprovalContradictsEvidence) as refused:
            svc.decisions.decide(actors["appr"], sid, action, PASSWORD, **extra)
        assert refused.value.exit_code == 2
        assert str(refused.value).startswith(
            "This submission cannot be " + ("approved" if action is Action.APPROVE
                                            else "given an interim approval")
            + ": Special characteristic 1 (CC) has Ppk 0.")
        assert "below 1.33; improve the process or reference a deviation. (problems " \
               "found: 1; see the check list)." in str(refused.value)
    # Nothing was signed or issued, and the submission waits as it was.
    assert written(svc) == (0, 0)
    assert svc.cert.submission(actors["appr"], sid).summary.state is State.UNDER_REVIEW


def test_the_refusal_is_one_sentence_in_the_readers_language(svc, actors):
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    under_review(svc, actors, sid)
    record_poor_capability(svc, actors, part)
    with pytest.raises(ApprovalContradictsEvidence) as refused:
        svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    french = {
        "This submission cannot be {action}: {first} (problems found: {count}; see the check "
        "list).": "Ce dossier ne peut pas être {action} : {first} (problèmes relevés : {count}).",
        "approved": "homologué",
        "Special characteristic {number} ({cls}) has Ppk {ppk}, below 1.33; improve the process "
        "or reference a deviation.": "la caractéristique spéciale {number} ({cls}) a un Ppk de "
                                     "{ppk}, sous 1,33.",
    }
    text = refused.value.message(lambda context, source: french.get(source, source))
    assert text.startswith("Ce dossier ne peut pas être homologué : la caractéristique spéciale "
                           "1 (CC) a un Ppk de 0.")
    assert text.endswith("sous 1,33. (problèmes relevés : 1).")


def test_a_deviation_lets_an_ots_sample_below_the_requirement_be_approved(svc, actors):
    part = make_part(svc, actors)
    record_poor_capability(svc, actors, part)
    sid = ready_submission(svc, actors, part, kind=SubmissionKind.OTS)
    with pytest.raises(SubmissionIncomplete, match="Special characteristic 1 \\(CC\\) has Ppk"):
        svc.cert.submit(actors["eng"], sid)
    # A reference typed into the submission is no deviation: the customer's approval is.
    svc.cert.update_submission(actors["eng"], sid, deviations={
        part["chars"]["1"]: "DEV-TST-2026-001 (100 % sorting of the hole)"})
    with pytest.raises(SubmissionIncomplete, match="has Ppk"):
        svc.cert.submit(actors["eng"], sid)
    deviations = DeviationService(svc.ctx, today=lambda: TODAY)
    dev = deviations.request_deviation(actors["eng"], part["part_id"], [part["chars"]["1"]],
                                       "100 % sorting of the hole", quantity_limit=500)
    deviations.decide(actors["appr2"], dev.deviation_id, "approve", PASSWORD)
    under_review(svc, actors, sid)
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    data = svc.certificates.certificate(None, detail.decisions[-1].certificate_number)
    [line] = data.capability
    assert line.verdict == "deviation DEV-TST-2026-001"


def test_level_5_reviews_complete_data_the_results_need_evidence(svc, actors):
    part = make_part(svc, actors)
    who = actors["eng"]
    sid = svc.cert.create_submission(who, part["part_id"], level=5).summary.submission_id
    codes = required_elements(SubmissionKind.PPAP, 5, {}, False)
    assert codes == required_elements(SubmissionKind.PPAP, 3, {}, False)
    for code in codes:
        svc.cert.mark_not_applicable(who, sid, code, "Reviewed at the plant")
    with pytest.raises(SubmissionIncomplete, match="Element 9 \\(Dimensional results\\) needs "
                                                   "linked evidence at this level"):
        svc.cert.submit(who, sid)
    findings = svc.cert.check(who, sid).findings
    assert [(f.code, f.element) for f in findings][:2] == [("no_results", "09"),
                                                          ("no_results", "10")]
    svc.cert.link_evidence(who, sid, "09", [part["dimensional"]])
    svc.cert.link_evidence(who, sid, "10", [part["material"]])
    under_review(svc, actors, sid)
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    data = svc.certificates.certificate(None, detail.decisions[-1].certificate_number)
    assert [e.element for e in data.evidence] == ["9", "10"]
    assert [(c.special_class, c.verdict) for c in data.capability] == [("CC", "acceptable")]
