"""A computer clock set back or forward changes nothing that was decided: decisions are taken in
the order they were made, validity and due dates are never judged before the last change
recorded here, and the person is told their clock is behind."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from desktop_app.domain.certification import Action, CertificateStatus
from desktop_app.domain.revisions import format_timestamp
from desktop_app.services.approvals import ApprovalService
from desktop_app.services.certificates import CertificateService
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.context import ServiceContext
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.folder_warnings import clock_warning, folder_warnings
from desktop_app.services.parts import PartService
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import make_part, ready_submission


class Clock:
    """The computer's clock, as a person may set it (years ahead of the real one: the set-up of
    the fixtures is recorded at the real time)."""

    def __init__(self, ctx: ServiceContext, moment: datetime) -> None:
        self.moment = moment
        ctx.clock = lambda: format_timestamp(self.moment)
        ctx.calendar = lambda: self.moment.date()
        self._ctx = ctx

    def set(self, *args: int) -> None:
        self.moment = datetime(*args, tzinfo=UTC)
        self._ctx._last_recorded = None  # noqa: SLF001 - what 30 seconds of waiting would do


def _services(ctx: ServiceContext) -> SimpleNamespace:
    cert = CertificationService(ctx)  # today: the context's, as the window and the CLI use
    return SimpleNamespace(ctx=ctx, cert=cert, decisions=DecisionService(ctx, cert),
                           certificates=CertificateService(ctx), evidence=EvidenceService(ctx),
                           parts=PartService(ctx))


def _in_review(svc, actors, number: str) -> str:
    part = make_part(svc, actors, number, gauge_due="2099-01-01")
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    return sid


def test_an_expired_interim_approval_stays_expired_with_the_clock_set_back(ctx, actors) -> None:
    clock = Clock(ctx, datetime(2031, 11, 24, 9, 0, tzinfo=UTC))
    svc = _services(ctx)
    sid = _in_review(svc, actors, "JT-CLK-001")
    svc.decisions.decide(actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                         valid_until=date(2031, 12, 31), quantity_limit=500,
                         action_plan="Rework die OP30")
    number = svc.certificates.list_certificates(actors["appr"])[0].number
    assert svc.certificates.status(actors["appr"], number) is CertificateStatus.INTERIM
    assert clock_warning(ctx) is None

    clock.set(2032, 1, 12, 8, 0)  # work goes on past the expiry date
    make_part(svc, actors, "JT-CLK-002", gauge_due="2099-01-01")
    assert svc.certificates.status(actors["appr"], number) is CertificateStatus.EXPIRED

    clock.set(2031, 12, 1, 8, 0)  # someone sets the clock back a month and a half
    assert svc.certificates.status(actors["appr"], number) is CertificateStatus.EXPIRED
    assert ctx.today() == date(2032, 1, 12)
    warning = clock_warning(ctx)
    assert warning is not None and [w.kind for w in folder_warnings(ctx)] == ["clock"]
    assert "2031-12-01" in warning.sentence() and "judged from 2032-01-12" in warning.sentence()

    clock.set(2032, 1, 12, 8, 3)  # put right (within a few minutes): no warning
    assert clock_warning(ctx) is None


def test_a_suspension_made_under_a_clock_set_back_still_ends_the_approval(ctx, actors) -> None:
    clock = Clock(ctx, datetime(2032, 1, 12, 9, 0, tzinfo=UTC))
    svc = _services(ctx)
    sid = _in_review(svc, actors, "JT-CLK-003")
    svc.decisions.decide(actors["appr"], sid, Action.APPROVE, PASSWORD)

    clock.set(2031, 12, 1, 10, 0)  # the clock is set back, then the part is suspended
    svc.decisions.decide(actors["appr"], sid, Action.SUSPEND, PASSWORD,
                         reason="Cracks found at the customer's plant")

    number = svc.certificates.list_certificates(actors["appr"])[0].number
    assert svc.certificates.status(actors["appr"], number) is CertificateStatus.SUSPENDED
    detail = svc.cert.submission(actors["appr"], sid)
    assert [d.action for d in detail.decisions] == [Action.APPROVE, Action.SUSPEND]
    part_id = detail.summary.part_id
    periods = ApprovalService(ctx).approval_periods([part_id]).get(part_id, [])
    assert all(p.end is not None for p in periods), "the approval still counts after suspension"
