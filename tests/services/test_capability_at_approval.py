"""At decision time the approver sees the capability findings that need the customer's
agreement; they refuse neither the submission nor the approval (only Ppk below 1.33 does)."""

from __future__ import annotations

import statistics

import pytest

from desktop_app.domain.certification import Action, State
from desktop_app.services.evidence_dto import ReportDraft, ResultDraft
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import Services, make_part, ready_submission


def marginal(ppk: float, n: int = 100) -> tuple[str, ...]:
    """Hole 12 ± 0.1 mm: a stable, normal-looking run of n parts whose Ppk is about `ppk`."""
    z = [statistics.NormalDist().inv_cdf((i + 0.5) / n) for i in range(n)]
    ordered = [z[(i * 37) % n] for i in range(n)]
    s = statistics.stdev(ordered)
    return tuple(f"{12 + v / s * 0.1 / (3 * ppk):.4f}" for v in ordered)


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


def test_ppk_needing_agreement_is_shown_and_the_approval_goes_through(svc, actors):
    part = make_part(svc, actors)
    svc.evidence.record_report(actors["insp"], ReportDraft(
        part_id=part["part_id"], report_type="capability", title="Capability study",
        tested_on="2026-11-22"), [ResultDraft(part["chars"]["1"], marginal(1.5))])
    sid = ready_submission(svc, actors, part)
    check = svc.cert.check(actors["eng"], sid)
    assert check.ok
    notices = [f for f in check.findings if not f.blocking]
    assert [f.code for f in notices] == ["capability_customer_agreement"]
    assert notices[0].message.startswith("Special characteristic 1 (CC) has Ppk 1.5")
    assert "acceptable only with the customer's agreement" in notices[0].message
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    # The approver signs knowing it: the same notice, no refusal.
    assert [f.code for f in svc.cert.check(actors["appr"], sid).findings
            if not f.blocking] == ["capability_customer_agreement"]
    detail = svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)
    assert detail.summary.state is State.APPROVED


def test_five_readings_are_indicative_only_for_the_approver(svc, actors):
    part = make_part(svc, actors)
    svc.evidence.record_report(actors["insp"], ReportDraft(
        part_id=part["part_id"], report_type="dimensional", title="Five samples",
        tested_on="2026-11-22"), [ResultDraft(part["chars"]["1"],
                                              ("12.02", "11.98", "12.01", "12.00", "11.97"))])
    sid = ready_submission(svc, actors, part)
    codes = {f.code for f in svc.cert.check(actors["eng"], sid).findings if not f.blocking}
    assert "capability_indicative_only" in codes
