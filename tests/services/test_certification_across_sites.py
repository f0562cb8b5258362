"""The real flow between a supplier and its carmaker: the supplier prepares and submits, its
inspector reviews, the carmaker's approver decides and signs at the carmaker's own site, and the
decision comes back in a package. Neither site writes the other's records; both derive the same
state, and the supplier prints and verifies the carmaker's certificate."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.documents.certificate_pdf import read_embedded
from desktop_app.domain.certification import Action, CertificateStatus, State
from desktop_app.domain.errors import NotOwner
from desktop_app.domain.people import SiteKind
from tests.conftest import PASSWORD
from tests.services.certification_fixtures import make_part, ready_submission
from tests.services.test_certificate_verification import Site
from tests.sync.sites import enrol, make_site


@pytest.fixture
def sites(tmp_path: Path):
    root = tmp_path / "sites"
    supplier = Site(make_site(root, "SUP", SiteKind.SUPPLIER))
    carmaker = Site(make_site(root, "CAR", SiteKind.CARMAKER))
    enrol(carmaker.site, supplier.site, tmp_path)  # the defaults of each kind
    enrol(supplier.site, carmaker.site, tmp_path)
    yield supplier, carmaker
    for s in (supplier, carmaker):
        s.ctx.close()


def _submitted(supplier: Site) -> str:
    part = make_part(supplier.svc, supplier.actors)
    sid = ready_submission(supplier.svc, supplier.actors, part)
    supplier.svc.cert.submit(supplier.actors["eng"], sid)
    supplier.svc.cert.start_review(supplier.actors["insp"], sid)
    return sid


def test_the_carmaker_approves_and_the_decision_comes_back(sites, tmp_path):
    supplier, carmaker = sites
    sid = _submitted(supplier)
    supplier.send_to(carmaker, tmp_path)

    with pytest.raises(NotOwner), carmaker.ctx.unit_of_work() as uow:
        # The carmaker decides; it never writes the supplier's submission.
        uow.records.patch(sid, {"reason_detail": "edited at CAR"}, carmaker.actors["eng"], "x")
    decided = carmaker.svc.decisions.decide(carmaker.actors["appr"], sid, Action.APPROVE,
                                            PASSWORD)
    assert decided.summary.state is State.APPROVED
    number = decided.decisions[-1].certificate_number
    assert number.startswith("CERT-CAR-")
    assert carmaker.svc.certificates.status(None, number) is CertificateStatus.VALID

    carmaker.send_to(supplier, tmp_path)
    at_home = supplier.svc.cert.submission(supplier.actors["eng"], sid)
    assert at_home.summary.state is State.APPROVED
    decision = at_home.decisions[-1]
    assert (decision.site_code, decision.origin_verified) == ("CAR", True)
    assert decision.decided_by == "Appr CAR" and decision.certificate_number == number
    assert decision.signature is not None and decision.signature.covers_current
    assert supplier.svc.certificates.status(None, number) is CertificateStatus.VALID
    # The supplier prints the carmaker's certificate with the carmaker's seal; it verifies.
    payload, _, _ = read_embedded(supplier.svc.certificates.render_pdf(
        supplier.actors["insp"], number))
    assert supplier.check(payload).answer == "genuine"
    # The submission record was never written by the carmaker.
    with supplier.ctx.unit_of_work() as uow:
        assert {r.site_id for r in uow.records.history(sid)} == {supplier.ctx.site_id}
    # An edit by the supplier starts from the approved state and needs the carmaker again.
    supplier.svc.cert.update_submission(supplier.actors["eng"], sid,
                                        reason_detail="Die reworked, drawing rev D")
    assert supplier.svc.certificates.status(None, number) is CertificateStatus.NEEDS_REAPPROVAL
    carmaker.site.sync.import_package(carmaker.actors["admin"],
                                      supplier.site.export(tmp_path, to="CAR"))
    assert carmaker.svc.certificates.status(None, number) is CertificateStatus.NEEDS_REAPPROVAL


def test_a_suspension_and_a_reinstatement_at_the_carmaker_reach_the_supplier(
        sites, tmp_path):
    supplier, carmaker = sites
    sid = _submitted(supplier)
    supplier.send_to(carmaker, tmp_path)
    number = carmaker.svc.decisions.decide(carmaker.actors["appr"], sid, Action.APPROVE,
                                           PASSWORD).decisions[-1].certificate_number
    carmaker.svc.decisions.decide(carmaker.actors["appr2"], sid, Action.SUSPEND, PASSWORD,
                                  reason="8D-2026-114: noisy seat slide")
    carmaker.send_to(supplier, tmp_path)
    assert supplier.svc.cert.submission(supplier.actors["eng"], sid).summary.state \
        is State.SUSPENDED
    assert supplier.svc.certificates.status(None, number) is CertificateStatus.SUSPENDED
    reinstated = carmaker.svc.decisions.decide(carmaker.actors["appr"], sid, Action.REINSTATE,
                                               PASSWORD, reason="8D closed")
    carmaker.send_to(supplier, tmp_path)
    renewed = reinstated.decisions[-1].certificate_number  # a reinstatement issues anew
    assert supplier.svc.certificates.status(None, renewed) is CertificateStatus.VALID
    assert supplier.svc.certificates.status(None, number) is CertificateStatus.SUPERSEDED
    # The supplier's own state machine goes on from the decided state.
    detail = supplier.svc.cert.submission(supplier.actors["eng"], sid)
    assert detail.summary.state is State.APPROVED


def test_a_plant_enrolled_with_its_defaults_cannot_send_decisions(sites, tmp_path):
    """The same decision from a site whose scope lacks decisions refuses the package."""
    from desktop_app.sync.errors import OutOfScope

    supplier, carmaker = sites
    supplier.site.keys.set_scope(supplier.actors["admin"], "CAR", ["signature"])
    sid = _submitted(supplier)
    supplier.send_to(carmaker, tmp_path)
    carmaker.svc.decisions.decide(carmaker.actors["appr"], sid, Action.APPROVE, PASSWORD)
    with pytest.raises(OutOfScope):
        carmaker.send_to(supplier, tmp_path)
    assert supplier.svc.cert.submission(supplier.actors["eng"], sid).summary.state \
        is State.UNDER_REVIEW
