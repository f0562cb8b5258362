"""One key registry: which key may vouch for a certificate, what each check answers, and who
seals a print. Real Ed25519 site keys, real data folders (AAA issues, BBB receives, CCC is a
third enrolled site), real packages, real PDFs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.documents.certificate_pdf import UNSEALED_MARK, read_embedded
from desktop_app.domain.certificate_qr import expand
from desktop_app.domain.certificate_trust import SiteKey, number_site_code, trusted_for
from desktop_app.domain.certificates import (
    CertificateData,
    parse_payload,
    payload_signed_by,
    sign_payload,
)
from desktop_app.domain.certification import Action
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.keys import fingerprint, public_key_hex
from desktop_app.domain.people import Actor, Role
from desktop_app.domain.revisions import uuid7
from desktop_app.domain.trust import CARMAKER_SCOPE, SUPPLIER_SCOPE
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.certification import Certificate
from desktop_app.sync.errors import LocalAuthority
from tests.conftest import PASSWORD
from tests.documents.test_certificate_pdf import text_of
from tests.services.certification_fixtures import Services, approved, make_part, ready_submission
from tests.sync.sites import SiteUnderTest, enrol, make_site


class Site:
    """A site under test with people in every role and its certification services."""

    def __init__(self, under_test: SiteUnderTest) -> None:
        self.site = under_test
        self.ctx = under_test.ctx
        self.code = under_test.code
        self.svc = Services(self.ctx)
        people = PeopleService(self.ctx)
        self.actors: dict[str, Actor] = {"admin": under_test.admin, "eng": under_test.engineer}
        for username, role in (("insp", Role.INSPECTOR), ("appr", Role.APPROVER),
                               ("appr2", Role.APPROVER)):
            people.add_person(under_test.admin, username, f"{username.title()} {self.code}",
                              role, PASSWORD)
            self.actors[username] = people.sign_in(username, PASSWORD)

    @property
    def public_key(self) -> str:
        return public_key_hex(self.ctx.signing_key())

    def issue(self, part_number: str = "JT-5401-220") -> tuple[str, str]:
        """An approved submission of a new part: (submission id, certificate number)."""
        part = make_part(self.svc, self.actors, part_number)
        sid = approved(self.svc, self.actors, part, PASSWORD)
        return sid, self.number(sid)

    def number(self, sid: str) -> str:
        return self.svc.cert.submission(self.actors["appr"], sid).decisions[-1].certificate_number

    def data(self, number: str) -> CertificateData:
        return self.svc.certificates.certificate(None, number)

    def check(self, payload: str):
        return self.svc.certificates.verify_certificate_payload(payload)

    def sign(self, data: CertificateData) -> str:
        return sign_payload(data, self.ctx.signing_key())

    def send_to(self, other: Site, tmp: Path, full: bool = True) -> None:
        package = self.site.export(tmp, full=full)
        other.site.sync.import_package(other.site.admin, package)


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[Site, Site, Site]]:
    root = tmp_path / "sites"
    made = [make_site(root, code) for code in ("AAA", "BBB", "CCC")]
    yield Site(made[0]), Site(made[1]), Site(made[2])
    for s in made:
        s.ctx.close()


def trust(receiver: Site, sender: Site, tmp: Path) -> None:
    """The receiver's administrator enrols the sender's key (fingerprint confirmed) and trusts
    it with decisions and certificates: the attacks below get past the scope on purpose."""
    enrol(receiver.site, sender.site, tmp, scope=SUPPLIER_SCOPE | CARMAKER_SCOPE)


# -- the rules, without a database ----------------------------------------------------------


def test_numbers_name_their_site_and_retirement_ends_trust_at_its_day():
    assert number_site_code("CERT-MSR-2026-0042") == "MSR"
    assert number_site_code("cert-jtr2-2026-0001") == "JTR2"
    assert number_site_code("SUB-MSR-2026-0042") == "" == number_site_code("CERT-MSR-26-1")
    key = SiteKey("s", "AAA", "00" * 32, "F", retired_at="2027-03-01T10:00:00Z")
    assert trusted_for(key, "2027-02-28")
    assert not trusted_for(key, "2027-03-01")  # the payload has no time: the day is refused
    assert not trusted_for(key, "2027-03-02") and not trusted_for(key, "not a date")
    assert trusted_for(replace(key, retired_at=""), "2099-01-01")


# -- the answers ------------------------------------------------------------------------------


def test_genuine_and_valid_at_the_issuer_and_at_a_peer_that_holds_the_register(sites, tmp_path):
    a, b, _ = sites
    _, number = a.issue()
    payload = a.data(number).payload
    here = a.check(payload)
    assert (here.answer, here.state, here.site_code) == ("genuine", "valid", "AAA")
    assert here.valid and here.key_fingerprint == fingerprint(a.public_key)
    assert here.sentence() == (f"Certificate {number} is genuine: signed by site AAA, and "
                               "valid in this register.")
    trust(b, a, tmp_path)
    a.send_to(b, tmp_path)
    there = b.check(payload)
    assert (there.answer, there.state) == ("genuine", "valid")
    assert there.certificate is not None and there.certificate.part_number == "JT-5401-220"


def test_enrolling_the_key_is_enough_without_any_package(sites, tmp_path):
    a, b, _ = sites
    _, number = a.issue()
    payload = a.data(number).payload
    assert b.check(payload).answer == "site_not_enrolled"
    trust(b, a, tmp_path)
    result = b.check(payload)
    assert (result.answer, result.state, result.certificate) == ("genuine_unregistered", "", None)
    assert "is not in this register" in result.sentence()
    assert not result.valid


def test_a_site_record_that_carries_a_key_is_not_enrolment(sites):
    a, b, _ = sites
    _, number = a.issue()
    with b.ctx.unit_of_work() as uow:  # what a `site` record from a package would hold
        uow.records.create("site", {"code": "AAA", "name": "Site AAA", "kind": "plant",
                                    "public_key": a.public_key}, b.actors["admin"], "seen")
    result = b.check(a.data(number).payload)
    assert result.answer == "site_not_enrolled"
    assert "whose key is not enrolled here" in result.sentence()


def test_a_third_enrolled_site_cannot_sign_for_another_sites_number(sites, tmp_path):
    a, b, c = sites
    _, number = a.issue()
    trust(b, a, tmp_path)
    trust(b, c, tmp_path)
    forged = c.sign(a.data(number))  # CCC's real, enrolled key over AAA's number
    assert payload_signed_by(parse_payload(forged), c.public_key)
    result = b.check(forged)
    assert (result.answer, result.reason) == ("not_genuine", "bad_signature")
    assert "is NOT genuine: its signature is not that of site AAA" in result.sentence()
    # Nor for this site's own numbers: only this site's key vouches for them.
    _, own = b.issue()
    result = b.check(c.sign(b.data(own)))
    assert (result.answer, result.reason) == ("not_genuine", "bad_signature")


def test_an_altered_payload_and_one_that_differs_from_the_register(sites):
    a, _, _ = sites
    _, number = a.issue()
    payload = a.data(number).payload
    result = a.check(payload.replace("|P3|", "|P5|"))
    assert (result.answer, result.reason) == ("not_genuine", "bad_signature")
    # Signed by the issuer's key, but not what the register holds under that number.
    other = a.sign(replace(a.data(number), part_number="JT-0000-000"))
    result = a.check(other)
    assert (result.answer, result.reason) == ("not_genuine", "register_mismatch")
    assert result.certificate is None
    assert a.check("PDC1|not|a|certificate").answer == "not_a_certificate"


def test_interim_then_expired(sites, tmp_path):
    a, _, _ = sites
    part = make_part(a.svc, a.actors)
    sid = ready_submission(a.svc, a.actors, part)
    a.svc.cert.submit(a.actors["eng"], sid)
    a.svc.cert.start_review(a.actors["insp"], sid)
    a.svc.decisions.decide(a.actors["appr"], sid, Action.APPROVE_INTERIM, PASSWORD,
                           valid_until=date(2099, 1, 31), quantity_limit=500,
                           action_plan="Rework die OP30")
    number = a.number(sid)
    result = a.check(a.data(number).payload)
    assert (result.answer, result.state) == ("genuine", "interim") and result.valid
    assert "an interim approval in this register (until 2099-01-31, 500 parts)" \
        in result.sentence()
    later = type(a.svc.certificates)(a.ctx, today=lambda: date(2099, 2, 1))
    result = later.verify_certificate_payload(a.data(number).payload)
    assert (result.answer, result.state) == ("expired", "expired") and not result.valid
    assert "expired on 2099-01-31" in result.sentence()
    # A site without the register still knows the date the code carries has passed.
    b = type(sites[1].svc.certificates)(sites[1].ctx, today=lambda: date(2099, 2, 1))
    trust(sites[1], a, tmp_path)
    result = b.verify_certificate_payload(a.data(number).payload)
    assert (result.answer, result.state) == ("expired", "")
    assert "expired on 2099-01-31. It is not in this register." in result.sentence()


def test_suspended_then_revoked_say_since_when_why_and_who(sites):
    a, _, _ = sites
    sid, number = a.issue()
    payload = a.data(number).payload
    a.svc.decisions.decide(a.actors["appr2"], sid, Action.SUSPEND, PASSWORD,
                           reason="Customer complaint 8D-114")
    day = a.ctx.clock()[:10]
    result = a.check(payload)
    assert (result.answer, result.state) == ("suspended", "suspended")
    assert result.sentence() == (
        f"Certificate {number} is genuine but SUSPENDED in this register since {day}: "
        "Customer complaint 8D-114. (Appr2 AAA) It is not valid unless reinstated.")
    a.svc.decisions.decide(a.actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="IATF lost")
    result = a.check(payload)
    assert (result.answer, result.state) == ("revoked", "revoked")
    assert f"REVOKED in this register since {day}: IATF lost. (Appr2 AAA)" in result.sentence()
    assert (result.note.since, result.note.reason) == (day, "IATF lost")


def test_edited_and_superseded_are_answers_of_their_own(sites):
    a, _, _ = sites
    sid, number = a.issue()
    payload = a.data(number).payload
    a.svc.cert.update_submission(a.actors["eng"], sid, psw={"purchase_order": "PO-88"})
    day = a.ctx.clock()[:10]
    result = a.check(payload)
    assert (result.answer, result.state) == ("needs_reapproval", "needs_reapproval")
    assert f"the submission was changed on {day}, after its approval" in result.sentence()
    a.svc.decisions.decide(a.actors["appr2"], sid, Action.APPROVE, PASSWORD)
    renewed = a.number(sid)
    result = a.check(payload)
    assert (result.answer, result.state) == ("superseded", "superseded")
    assert result.note.replaced_by == renewed != number
    assert f"SUPERSEDED since {day}: certificate {renewed} replaced it" in result.sentence()


def test_a_retired_key_vouches_only_for_what_it_signed_before(sites, tmp_path):
    a, b, _ = sites
    _, number = a.issue()
    data = a.data(number)
    trust(b, a, tmp_path)
    b.ctx.clock = lambda: "2027-03-01T10:00:00.000000Z"
    b.site.keys.retire(b.actors["admin"], "AAA")
    before = b.check(a.sign(replace(data, issued_on="2027-02-28")))
    assert before.answer == "genuine_unregistered"
    assert before.retired_at == "2027-03-01T10:00:00.000000Z"
    for day in ("2027-03-01", "2027-03-02"):
        after = b.check(a.sign(replace(data, issued_on=day)))
        assert (after.answer, after.reason) == ("not_genuine", "retired_key"), day
        assert f"dated {day} but signed with a key of site AAA retired on 2027-03-01" \
            in after.sentence()


# -- sealing: only the issuing site seals ------------------------------------------------------


def test_a_peer_prints_the_issuers_seal_and_never_its_own(sites, tmp_path):
    a, b, c = sites
    _, number = a.issue()
    stored = a.data(number).payload
    trust(b, a, tmp_path)
    a.send_to(b, tmp_path)
    path = b.svc.certificates.write_pdf(b.actors["insp"], number, tmp_path / "at-b.pdf")
    pdf = path.read_bytes()
    payload, seal, _ = read_embedded(pdf)
    assert payload == stored and seal is None and UNSEALED_MARK in pdf
    parsed = parse_payload(payload)
    assert payload_signed_by(parsed, a.public_key)
    assert not payload_signed_by(parsed, b.public_key)
    assert "Printed by site BBB; the QR code carries the seal of the issuing site AAA." \
        in text_of(pdf)
    if shutil.which("zbarimg"):  # the printed code, as a scanner reads it
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path),
                        str(tmp_path / "page")], check=True)
        [png] = tmp_path.glob("page*.png")
        read = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True,
                              text=True, check=True).stdout.strip()
        assert expand(read) == stored  # the compact text of the stored payload
    at_b = b.svc.certificates.verify_certificate_pdf(path)
    assert (at_b.answer, at_b.state, at_b.file_seal) == ("genuine", "valid", "none")
    assert "its QR code was checked, not the rest of the printed page" in at_b.sentence()
    assert a.svc.certificates.verify_certificate_pdf(path).answer == "genuine"
    trust(c, a, tmp_path)
    assert c.svc.certificates.verify_certificate_pdf(path).answer == "genuine_unregistered"
    # The issuer's own print is sealed by the issuer, and its file seal is checked elsewhere.
    own = a.svc.certificates.write_pdf(a.actors["insp"], number, tmp_path / "at-a.pdf")
    result = b.svc.certificates.verify_certificate_pdf(own)
    assert (result.answer, result.file_seal) == ("genuine", "issuer")


def _certificate_record(site: Site, number: str) -> tuple[str, dict]:
    with site.ctx.unit_of_work() as uow:
        record_id = uow.session.execute(select(Certificate.id).where(
            Certificate.number == number)).scalar_one()
        return record_id, dict(uow.records.require(record_id).fields)


def _write_certificate(site: Site, fields: dict, data: CertificateData,
                       record_id: str | None = None) -> None:
    with site.ctx.unit_of_work() as uow:
        uow.records.create("certificate", {**fields, "number": data.number,
                                           "data": data.to_json()},
                           site.actors["appr"], "certificate issued",
                           record_id=record_id or uuid7())


def test_a_peers_certificate_for_a_local_submission_is_not_sealed_here(sites, tmp_path):
    """The attack: an enrolled peer writes certificate records for this site's submission,
    one under this site's number; printing and verifying here lend none of this site's trust."""
    _, b, c = sites
    _, number = b.issue()
    trust(c, b, tmp_path)
    trust(b, c, tmp_path)
    b.send_to(c, tmp_path)
    _, fields = _certificate_record(c, number)
    genuine = c.data(number)
    under_ours = replace(genuine, number="CERT-BBB-2026-0099")
    under_ours = replace(under_ours, payload=c.sign(under_ours))
    theirs = replace(genuine, number="CERT-CCC-2026-0001", site_code="CCC")
    theirs = replace(theirs, payload=c.sign(theirs))
    unsealed = replace(genuine, number="CERT-CCC-2026-0002", site_code="CCC", payload="",
                       key_fingerprint="")
    for data in (under_ours, theirs, unsealed):
        _write_certificate(c, {**fields, "site_id": c.ctx.site_id}, data)
    c.send_to(b, tmp_path, full=False)

    with pytest.raises(ValidationError, match="carries this site's code but was not issued"):
        b.svc.certificates.render_pdf(b.actors["insp"], "CERT-BBB-2026-0099")
    result = b.check(under_ours.payload)
    assert (result.answer, result.reason) == ("not_genuine", "bad_signature")

    pdf = b.svc.certificates.render_pdf(b.actors["insp"], "CERT-CCC-2026-0001")
    payload, seal, _ = read_embedded(pdf)
    assert payload == theirs.payload and seal is None  # CCC's seal, never BBB's
    assert not payload_signed_by(parse_payload(payload), b.public_key)

    pdf = b.svc.certificates.render_pdf(b.actors["insp"], "CERT-CCC-2026-0002")
    assert read_embedded(pdf)[:2] == ("", None) and UNSEALED_MARK in pdf
    assert "NOT SEALED" in text_of(pdf) and "verify with the issuing site" in text_of(pdf)
    (tmp_path / "unsealed.pdf").write_bytes(pdf)
    result = b.svc.certificates.verify_certificate_pdf(tmp_path / "unsealed.pdf")
    assert (result.answer, result.reason) == ("not_a_certificate", "no_seal")


def test_a_record_issued_here_without_a_stored_seal_is_sealed_when_printed(sites, tmp_path):
    a, _, _ = sites
    _, number = a.issue()
    _, fields = _certificate_record(a, number)
    legacy = replace(a.data(number), number="CERT-AAA-2026-0042", payload="",
                     key_fingerprint="", status="valid")
    _write_certificate(a, fields, legacy)
    path = a.svc.certificates.write_pdf(a.actors["insp"], legacy.number, tmp_path / "old.pdf")
    payload, seal, _ = read_embedded(path.read_bytes())
    assert payload and seal is not None
    result = a.svc.certificates.verify_certificate_pdf(path)
    assert (result.answer, result.state, result.file_seal) == ("genuine", "valid", "issuer")


def test_a_peers_record_under_a_genuine_number_changes_nothing(sites, tmp_path):
    """A peer's copy of a revoked certificate, tied to another approved submission and sorted
    first, naming the issuer as its site: the package is refused, and the certificate stays
    revoked and prints as revoked."""
    _, b, c = sites
    sid, number = b.issue()
    _, other_number = b.issue("JT-5401-330")
    b.svc.decisions.decide(b.actors["appr2"], sid, Action.REVOKE, PASSWORD, reason="IATF lost")
    trust(c, b, tmp_path)
    trust(b, c, tmp_path)
    b.send_to(c, tmp_path)
    _, fields = _certificate_record(c, number)
    _, other = _certificate_record(c, other_number)
    copied = {**fields, **{k: other[k] for k in ("submission_id", "decision_id", "part_id",
                                                 "covers_rev_id", "signature_id")}}
    _write_certificate(c, copied, c.data(number), "00000000-0000-7000-8000-000000000001")
    # The package is refused before anything is written: the record names BBB as its issuer.
    with pytest.raises(LocalAuthority, match="certificate 00000000-0000"):
        c.send_to(b, tmp_path, full=False)
    with b.ctx.unit_of_work() as uow:
        assert len(uow.session.execute(select(Certificate).where(
            Certificate.number == number)).all()) == 1
    result = b.check(b.data(number).payload)
    assert (result.answer, result.state) == ("revoked", "revoked")
    assert b.svc.certificates.status(None, number) == "revoked"
    printed = text_of(b.svc.certificates.render_pdf(b.actors["insp"], number, ("en",)))
    assert "REVOKED — since" in printed and "IATF lost" in printed
