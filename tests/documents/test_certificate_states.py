"""A certificate prints the state the register gives it when it is printed: suspended, revoked,
expired, superseded and re-approval-pending certificates carry a banner with the state, since
when and why, and never read "approved". Real data folders, real decisions, real PDFs."""

from __future__ import annotations

from datetime import date, timedelta

import arabic_reshaper
import pytest

from desktop_app.documents.local_format import day
from desktop_app.domain.certification import Action
from desktop_app.services.certificates import CertificateService
from tests.conftest import PASSWORD
from tests.documents.test_certificate_pdf import text_of
from tests.services.certification_fixtures import Services, approved, make_part, ready_submission

APPROVED_WORDS = ("Approved", "Approuvée", "open-ended", "sans limite")


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


def arabic_word(word: str, text: str) -> bool:
    """The word's letters joined, in reading or display order (text extraction gives either)."""
    joined = arabic_reshaper.reshape(word)
    return joined in text or joined[::-1] in text


def number_of(svc: Services, actors, sid: str) -> str:
    return svc.cert.submission(actors["appr"], sid).decisions[-1].certificate_number


def printed(svc: Services, actors, number: str, languages=("fr", "en"),
            service: CertificateService | None = None) -> str:
    return text_of((service or svc.certificates).render_pdf(actors["insp"], number, languages))


def test_approved_prints_approved_and_no_banner(svc, actors):
    number = number_of(svc, actors, approved(svc, actors, make_part(svc, actors), PASSWORD))
    text = printed(svc, actors, number)
    assert "Approuvée / Approved" in text and "sans limite / open-ended" in text
    assert "not valid" not in text and "SUSPEN" not in text


def test_a_suspended_certificate_prints_since_when_why_and_who(svc, actors):
    sid = approved(svc, actors, make_part(svc, actors), PASSWORD)
    number = number_of(svc, actors, sid)
    svc.decisions.decide(actors["appr2"], sid, Action.SUSPEND, PASSWORD,
                         reason="Réclamation client 8D-2026-114")
    today = svc.ctx.clock()[:10]
    text = printed(svc, actors, number)
    since = day(today, "fr")  # a bilingual certificate writes dates the first language's way
    assert f"SUSPENDUE / SUSPENDED — depuis le {since} / since {since}" in text
    assert "Motif / Reason : Réclamation client 8D-2026-114 (Appr2 Person)" in text
    assert "Ce certificat n'est pas valide. / This certificate is not valid." in text
    assert "Décision / Disposition SUSPENDUE / SUSPENDED" in text
    assert not [w for w in APPROVED_WORDS if w in text]
    # In Arabic and Chinese too.
    arabic = printed(svc, actors, number, ("ar",))
    assert all(arabic_word(w, arabic) for w in ("غير", "صالحة", "منذ", "السبب"))
    assert "Réclamation client 8D-2026-114" in arabic and "Approuvée" not in arabic
    chinese = printed(svc, actors, number, ("zh",))
    assert f"已暂停 — 自 {day(today, 'zh')} 起" in chinese and "本证书无效。" in chinese
    # Reinstated, it is superseded by the reinstatement's certificate, and says which.
    svc.decisions.decide(actors["appr2"], sid, Action.REINSTATE, PASSWORD, reason="8D closed")
    renewed = number_of(svc, actors, sid)
    text = printed(svc, actors, number, ("en",))
    assert f"SUPERSEDED — since {day(today, 'en')} — replaced by {renewed}" in text
    assert "Approved" not in text
    assert "Approved" in printed(svc, actors, renewed, ("en",))


def test_revoked_and_needs_reapproval_print_as_such(svc, actors, ctx):
    sid = approved(svc, actors, make_part(svc, actors), PASSWORD)
    number = number_of(svc, actors, sid)
    # Edited twice after the approval: it stopped covering the submission at the first edit.
    real_clock = ctx.clock
    for stamp, order in (("2027-01-05T09:00:00.000000Z", "PO-88"),
                         ("2027-01-08T09:00:00.000000Z", "PO-89")):
        ctx.clock = lambda stamp=stamp: stamp
        svc.cert.update_submission(actors["eng"], sid, psw={"purchase_order": order})
    ctx.clock = real_clock
    text = printed(svc, actors, number, ("en",))
    assert f"NEEDS RE-APPROVAL — since {day('2027-01-05', 'en')}" in text
    assert "The submission was changed after its approval and awaits a new decision." in text
    assert "Approved" not in text
    svc.decisions.decide(actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="IATF lost")
    text = printed(svc, actors, number, ("zh",))
    assert "已撤销 — 自" in text and "原因：IATF lost (Appr2 Person)" in text


def test_an_expired_interim_approval_prints_expired_on_its_date(svc, actors, ctx):
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    until = date.fromisoformat(ctx.clock()[:10]) + timedelta(days=10)
    svc.decisions.decide(actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                         valid_until=until, action_plan="Rework die OP30")
    number = number_of(svc, actors, sid)
    later = CertificateService(ctx, today=lambda: until + timedelta(days=1))
    text = printed(svc, actors, number, ("fr", "en"), later)
    assert f"EXPIRÉE / EXPIRED — le {day(until, 'fr')} / on {day(until, 'fr')}" in text
    assert "Décision / Disposition EXPIRÉE / EXPIRED" in text
    assert "APPROBATION PROVISOIRE" not in text and "not valid" in text
