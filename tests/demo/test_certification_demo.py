"""The demo's certification: submissions in every state, certificates that print and verify,
approvals by approvers who did not prepare them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from desktop_app.demo import build_demo
from desktop_app.demo.people import DEMO_PASSWORDS
from desktop_app.domain.certification import GRANTING, CertificateStatus, State
from desktop_app.paths import DataFolder
from desktop_app.services.approvals import approval_periods
from desktop_app.services.certificates import CertificateService
from desktop_app.services.certification import CertificationService
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.certification import Decision
from desktop_app.storage.models.core import Person


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = DataFolder(tmp_path_factory.mktemp("demo") / "data")
    folder.root.mkdir()
    ctx = open_context(folder)
    build_demo(ctx, password=None)
    actor = PeopleService(ctx).sign_in("n.mansouri", DEMO_PASSWORDS["n.mansouri"])
    yield ctx, actor
    ctx.close()


@pytest.mark.slow
def test_demo_certification(demo, tmp_path):
    ctx, inspector = demo
    service = CertificationService(ctx)
    total = service.count_submissions(inspector)
    states = {s.state for s in service.list_submissions(inspector, 0, total)}
    assert states == set(State)
    certificates = CertificateService(ctx)
    register = certificates.list_certificates(inspector)
    statuses = {c.status for c in register}
    assert {CertificateStatus.VALID, CertificateStatus.INTERIM, CertificateStatus.SUSPENDED,
            CertificateStatus.REVOKED} <= statuses
    assert any(c.expiring_soon for c in register)
    valid = next(c for c in register if c.status is CertificateStatus.VALID
                 and c.number.startswith("CERT-MSR-2026-"))
    path = certificates.write_pdf(inspector, valid.number, tmp_path / "c.pdf", ("ar",))
    assert certificates.verify_certificate_pdf(path).answer == "genuine"
    # Jetour decided one submission at its own site: its certificate came back in its package.
    (jetour,) = [c for c in register if c.number.startswith("CERT-JTR-")]
    assert jetour.status is CertificateStatus.VALID
    path = certificates.write_pdf(inspector, jetour.number, tmp_path / "j.pdf")
    assert certificates.verify_certificate_pdf(path).answer == "genuine"
    assert approval_periods(ctx)
    with ctx.unit_of_work() as uow:
        for d in uow.session.execute(select(Decision).where(
                Decision.action.in_([str(a) for a in GRANTING]))).scalars():
            covered = uow.records.revision(d.submission_rev_id)
            assert d.decided_by not in covered.fields["prepared_by"]
            assert uow.session.get(Person, d.decided_by).username in ("li.wei", "a.cherif",
                                                                      "zhang.min")


@pytest.mark.slow
def test_every_approval_in_the_demo_stands_on_its_evidence(demo):
    """The demo satisfies its own rules: every submission that was ever granted an approval
    passes the completeness and consistency checks, and every certificate lists the results
    its level asks for and no special characteristic left below the requirement."""
    ctx, inspector = demo
    with ctx.unit_of_work() as uow:
        granted = set(uow.session.execute(select(Decision.submission_id).where(
            Decision.action.in_([str(a) for a in GRANTING]))).scalars())
    assert len(granted) >= 12
    service = CertificationService(ctx)
    for sid in sorted(granted):
        result = service.check(inspector, sid)
        assert result.ok, (service.submission(inspector, sid).summary.number,
                           [f.message for f in result.findings])
    certificates = CertificateService(ctx)
    register = certificates.list_certificates(inspector)
    assert {c.kind for c in register} == {"ots", "ppap"} and 5 in {c.level for c in register}
    for summary in register:
        data = certificates.certificate(inspector, summary.number)
        assert {"9", "10"} <= {e.element for e in data.evidence}, summary.number
        assert data.capability, summary.number
        assert "not acceptable" not in {c.verdict for c in data.capability}, summary.number


@pytest.mark.slow
def test_the_wheel_bolt_stands_on_a_recorded_deviation_approved_by_jetour(demo):
    ctx, inspector = demo
    from desktop_app.domain.deviations import DeviationStatus
    from desktop_app.services.deviations import DeviationService

    dev = DeviationService(ctx).find(inspector, "DEV-MSR-2026-003")
    assert (dev.part_number, dev.characteristic_numbers) == ("JCM-3101017", ("3",))
    assert dev.status is DeviationStatus.APPROVED and dev.decided_by.startswith("Li Wei")
    assert dev.quantity_used < int(dev.quantity_limit) and dev.valid_until
    # The bolt's OTS check is clean because of it, and only because of it.
    service = CertificationService(ctx)
    bolt = [s for s in service.list_submissions(inspector, 0, 1000)
            if s.part_number == "JCM-3101017"]
    assert bolt and all(service.check(inspector, s.submission_id).ok for s in bolt)
    later = CertificationService(ctx, today=lambda: date.today() + timedelta(days=400))
    assert all("deviation_not_valid" in {f.code for f in later.check(
        inspector, s.submission_id).findings} for s in bolt)


@pytest.mark.slow
def test_replaced_drawing_revisions_are_listed_past_retention_and_kept(demo):
    ctx, inspector = demo
    from desktop_app.services.retention import RetentionService

    service = RetentionService(ctx)
    parts = service.parts(inspector)
    assert {p.past for p in parts} == {True, False}
    past = service.past_retention(inspector)
    assert past and {r.record_type for r in past} >= {"part"}
    with ctx.unit_of_work() as uow:
        assert all(uow.records.state(r.record_id) is not None
                   and not uow.records.state(r.record_id).deleted for r in past)


@pytest.mark.slow
def test_laboratories_and_en10204_documents_in_the_demo(demo):
    ctx, inspector = demo
    from desktop_app.services.laboratories import LaboratoryService

    service = LaboratoryService(ctx)
    labs = {lab.accreditation_number: lab for lab in service.laboratories(inspector)}
    assert not labs["L-0142"].expired and labs["L-0097"].expired
    docs = [d for part in ctx_parts(ctx) for d in service.documents(inspector, part)]
    assert {(d.doc_type.value, d.french) for d in docs} == {
        ("3.1", "certificat de réception 3.1"), ("3.2", "certificat de réception 3.2")}
    assert all(d.heat_number and d.inspector for d in docs)


def ctx_parts(ctx) -> list[str]:
    from desktop_app.storage.models.parts import Part

    with ctx.unit_of_work() as uow:
        return list(uow.session.execute(select(Part.id)).scalars())
