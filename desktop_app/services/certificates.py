"""The certificate register: list, print (PDF) and verify offline.

A certificate record is an insert-only signed snapshot written by a granting decision; its QR
payload is signed once, by the issuing site, and stored with it. Its status comes from its
submission (suspended, revoked, edited since the signature, conflicting edits) and from later
certificates of the same part (superseded). Verification needs no sign-in: anyone may check a
paper or a file against the key registry (this site's own key and the enrolled peer keys; see
domain/certificate_trust.py) and this register.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from desktop_app.documents.certificate_pdf import UNSEALED_MARK, read_embedded, render_certificate
from desktop_app.domain.certificate_trust import (
    Answer,
    CertificateCheck,
    FileSeal,
    Reason,
    SiteKey,
    check_signature,
    expired_offline,
    matches_record,
    number_site_code,
    register_answer,
)
from desktop_app.domain.certificates import (
    CertificateData,
    StateNote,
    key_id,
    parse_payload,
    sign_payload,
)
from desktop_app.domain.certification import (
    GRANTING,
    UNPRINTABLE,
    Action,
    CertificateStatus,
    State,
    certificate_status,
)
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.keys import public_key_hex, sign, verify_signature
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.certificate_keys import local_code, own_key, site_keys
from desktop_app.services.certification_dto import CertificateSummary
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.storage.models.certification import (
    Certificate,
    Decision,
    Signature,
    Submission,
)

EXPIRY_WARNING_DAYS = 30

# Every state prints, with a banner saying it (since when and why), except conflicting edits:
# there the state itself is undecided.
_REFUSALS = {
    CertificateStatus.CONFLICT: QT_TRANSLATE_NOOP(
        "Errors", "Certificate {number} cannot be printed: its submission was edited at two "
                  "sites and must be merged first."),
}


_NOT_ISSUED_HERE = QT_TRANSLATE_NOOP(
    "Errors", "Certificate {number} carries this site's code but was not issued here; it is not "
              "printed.")
_NOT_BY_ISSUER = QT_TRANSLATE_NOOP(
    "Errors", "Certificate {number} is not printed: its record was not written by site {site}, "
              "whose number it carries.")
_BAD_SEAL = QT_TRANSLATE_NOOP(
    "Errors", "Certificate {number} is not printed: its seal does not verify with the key of "
              "site {site} enrolled here.")


class CertificateService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today  # never before the last change recorded here

    # -- the register ----------------------------------------------------------------------

    def count_certificates(self, actor: Actor | None,
                           numbers: Sequence[str] | None = None) -> int:
        """Certificates in the register; `numbers`: only those (a figure's list)."""
        _may_view(actor)
        with self._ctx.unit_of_work() as uow:
            stmt = select(func.count()).select_from(Certificate)
            if numbers is not None:
                stmt = stmt.where(Certificate.number.in_(list(numbers)))
            return int(uow.session.execute(stmt).scalar_one())

    def list_certificates(self, actor: Actor | None, offset: int = 0, limit: int = 200,
                          numbers: Sequence[str] | None = None) -> list[CertificateSummary]:
        _may_view(actor)
        with self._ctx.unit_of_work() as uow:
            stmt = select(Certificate)
            if numbers is not None:
                stmt = stmt.where(Certificate.number.in_(list(numbers)))
            rows = uow.session.execute(stmt.order_by(
                Certificate.issued_on.desc(), Certificate.number.desc()).offset(offset)
                .limit(limit)).scalars().all()
            return [self._summary(uow, row) for row in rows]

    def certificate(self, actor: Actor | None, number: str) -> CertificateData:
        _may_view(actor)
        with self._ctx.unit_of_work() as uow:
            row = self._row(uow, number)
            return self._data(uow, row, self._status(uow, row))

    def status(self, actor: Actor | None, number: str) -> CertificateStatus:
        _may_view(actor)
        with self._ctx.unit_of_work() as uow:
            return self._status(uow, self._row(uow, number))

    def _row(self, uow: UnitOfWork, number: str) -> Certificate:
        """The register's record of `number`; should another site have written a record under
        the same number, the one written by the site it names comes first."""
        rows = uow.session.execute(select(Certificate).where(
            Certificate.number == number.strip().upper()).order_by(Certificate.id)).scalars().all()
        if not rows:
            raise NotFound(what="Certificate", key=number)
        return next((r for r in rows if _written_by(uow, r, {r.site_id})), rows[0])

    def _data(self, uow: UnitOfWork, row: Certificate, status: CertificateStatus
              ) -> CertificateData:
        """The issued snapshot with the register's present state (and its note) for printing."""
        state = uow.records.require(row.id, "Certificate")
        data = CertificateData.from_json(dict(state.fields["data"]))
        return replace(data, status=str(status), note=self._note(uow, row, status))

    def _note(self, uow: UnitOfWork, row: Certificate, status: CertificateStatus) -> StateNote:
        """Since when, why and by whom the certificate is in `status`, read from the register:
        the suspending or revoking decision, the interim expiry date, the certificate that
        replaced it, the edit that calls for re-approval."""
        if status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
            action = Action.SUSPEND if status is CertificateStatus.SUSPENDED else Action.REVOKE
            decision = uow.session.execute(select(Decision).where(
                Decision.submission_id == row.submission_id, Decision.action == str(action))
                .order_by(Decision.decided_at.desc()).limit(1)).scalar()
            if decision is None:
                return StateNote(str(status))
            signature = uow.session.get(Signature, decision.signature_id)
            return StateNote(str(status), decision.decided_at[:10], decision.reason,
                             signature.printed_name if signature else "")
        if status is CertificateStatus.EXPIRED:
            return StateNote(str(status), row.valid_until)
        if status is CertificateStatus.SUPERSEDED:
            newer = uow.session.execute(select(Certificate).where(
                Certificate.part_id == row.part_id, Certificate.kind == row.kind,
                Certificate.id > row.id, Certificate.number != row.number)
                .order_by(Certificate.id.desc()).limit(1)).scalar()
            if newer is None:
                return StateNote(str(status))
            return StateNote(str(status), newer.issued_on, replaced_by=newer.number)
        if status is CertificateStatus.NEEDS_REAPPROVAL:
            return StateNote(str(status), _first_edit_after(uow, row))
        return StateNote(str(status))

    def _status(self, uow: UnitOfWork, row: Certificate) -> CertificateStatus:
        sub = uow.session.get(Submission, row.submission_id)
        if sub is None:
            return CertificateStatus.CONFLICT if row.conflict else CertificateStatus.REVOKED
        latest = uow.session.execute(select(Decision.id).where(
            Decision.submission_id == row.submission_id,
            Decision.action.in_([str(a) for a in GRANTING])).order_by(
            Decision.decided_at.desc()).limit(1)).scalar()
        later = uow.session.execute(select(func.count()).select_from(Certificate).where(
            Certificate.part_id == row.part_id, Certificate.kind == row.kind,
            Certificate.submission_id != row.submission_id,
            Certificate.issued_on >= row.issued_on, Certificate.number != row.number,
            Certificate.id > row.id)).scalar_one()
        return certificate_status(
            submission_state=State(sub.state), conflict=sub.conflict or row.conflict,
            covered_rev_id=row.covers_rev_id, current_rev_id=sub.rev_id,
            superseded=bool(later), interim_until=row.valid_until,
            today=self._today().isoformat(), decision_id=row.decision_id,
            latest_decision_id=latest or "")

    def _summary(self, uow: UnitOfWork, row: Certificate) -> CertificateSummary:
        status = self._status(uow, row)
        soon = (self._today() + timedelta(days=EXPIRY_WARNING_DAYS)).isoformat()
        return CertificateSummary(
            certificate_id=row.id, number=row.number, part_number=row.part_number,
            kind=row.kind, level=row.level, disposition=row.disposition,
            valid_until=row.valid_until, issued_on=row.issued_on, status=status,
            submission_id=row.submission_id,
            expiring_soon=status is CertificateStatus.INTERIM and bool(row.valid_until)
            and row.valid_until <= soon)

    # -- printing ------------------------------------------------------------------------

    def render_pdf(self, actor: Actor, number: str,
                   languages: tuple[str, ...] = ("fr", "en")) -> bytes:
        """The certificate as a PDF in its present state: suspended, revoked, expired, superseded
        and re-approval-pending certificates print with a banner saying so, since when and why
        (read from this register now, never from the issued snapshot); refused for conflicting
        records and for a seal that is not the issuing site's. The QR code carries
        the seal the issuing site stored when it issued the certificate; only the issuing site
        also seals the file. Every print is in the audit log."""
        actor.require(Permission.PRINT_CERTIFICATE)
        with self._ctx.unit_of_work() as uow:
            row = self._row(uow, number)
            status = self._status(uow, row)
            if status in UNPRINTABLE:
                raise ValidationError(_REFUSALS[status], number=row.number)
            seal = self._print_seal(uow, row, self._data(uow, row, status))
            if seal.key is not None:
                key = seal.key
                pdf = render_certificate(seal.data, languages, key_id(public_key_hex(key)),
                                         lambda digest: sign(key, digest))
            else:
                pdf = render_certificate(seal.data, languages, printed_by=seal.printed_by)
            uow.audit.record(actor.username, "certificate.print", f"certificate:{row.id}",
                             {"number": row.number, "languages": list(languages),
                              "file_sealed": seal.key is not None,
                              "qr_sealed": bool(seal.data.payload)})
            return pdf

    def write_pdf(self, actor: Actor, number: str, path: Path,
                  languages: tuple[str, ...] = ("fr", "en")) -> Path:
        pdf = self.render_pdf(actor, number, languages)
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        try:
            tmp.write_bytes(pdf)
            replace_file(tmp, path)
        except OSError as exc:
            raise fault_from_os_error(exc, path) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def _print_seal(self, uow: UnitOfWork, row: Certificate, data: CertificateData
                    ) -> _PrintSeal:
        """What seals a print: a site seals only its own certificates (their QR payload once,
        when issued, and each printed file); another site's certificate carries the issuer's
        stored seal, checked here against the key registry when the issuer is enrolled."""
        code = number_site_code(row.number)
        here = local_code(self._ctx, uow)
        if code and code == here:
            if not (row.site_id == self._ctx.site_id
                    and _written_by(uow, row, {self._ctx.site_id})):
                raise ValidationError(_NOT_ISSUED_HERE, number=row.number)
            own = own_key(self._ctx, here)
            key = self._ctx.signing_key()
            if not data.payload:  # a record written before seals were stored: seal it now
                data = replace(data, key_fingerprint=own.fingerprint,
                               payload=sign_payload(data, key))
            elif not _seal_holds(data, [own]):
                raise ValidationError(_BAD_SEAL, number=row.number, site=code)
            return _PrintSeal(data, key, "")
        keys = site_keys(self._ctx, uow, code)
        issuers = {k.site_id for k in keys} or {row.site_id}
        if row.site_id not in issuers or not _written_by(uow, row, issuers):
            raise ValidationError(_NOT_BY_ISSUER, number=row.number, site=code)
        if data.payload and keys and not _seal_holds(data, keys):
            raise ValidationError(_BAD_SEAL, number=row.number, site=code)
        return _PrintSeal(data, None, here)

    # -- verification ----------------------------------------------------------------------

    def verify_certificate_payload(self, text: str) -> CertificateCheck:
        """Check a QR code's text against the key registry and this register."""
        with self._ctx.unit_of_work() as uow:
            return self._check_payload(uow, text).check

    def verify_certificate_pdf(self, path: Path) -> CertificateCheck:
        """Check a certificate file: its QR payload, then its file seal when the issuing site
        sealed it (any changed byte fails)."""
        try:
            pdf = Path(path).read_bytes()
        except OSError as exc:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file {path} cannot be read."),
                                  path=str(path)) from exc
        payload, seal, digest = read_embedded(pdf)
        if not payload:
            reason = Reason.NO_SEAL if UNSEALED_MARK in pdf else Reason.MALFORMED
            return CertificateCheck(Answer.NOT_A_CERTIFICATE, reason=str(reason))
        with self._ctx.unit_of_work() as uow:
            found = self._check_payload(uow, payload)
        check = found.check
        if check.answer in (Answer.NOT_A_CERTIFICATE, Answer.SITE_NOT_ENROLLED,
                            Answer.NOT_GENUINE):
            return check
        sealer = next((k for k in found.keys if seal is not None
                       and key_id(k.public_key) == seal.key_id), None)
        if sealer is None or seal is None:
            return replace(check, file_seal=str(FileSeal.NONE))
        if sealer.retired_at and sealer != found.signer:
            return replace(check, answer=Answer.NOT_GENUINE, reason=str(Reason.RETIRED_KEY),
                           state="", certificate=None, retired_at=sealer.retired_at)
        if not digest or not verify_signature(sealer.public_key, seal.signature, digest):
            return replace(check, answer=Answer.NOT_GENUINE, reason=str(Reason.FILE_ALTERED),
                           state="", certificate=None)
        return replace(check, file_seal=str(FileSeal.ISSUER))

    def _check_payload(self, uow: UnitOfWork, text: str) -> _Found:
        parsed = parse_payload(text)
        code = number_site_code(parsed.body["n"]) if parsed is not None else ""
        if parsed is None or not code:
            return _Found(CertificateCheck(Answer.NOT_A_CERTIFICATE, reason=str(Reason.MALFORMED)))
        number = parsed.body["n"]
        keys = site_keys(self._ctx, uow, code)
        signed = check_signature(parsed, keys)
        base = CertificateCheck(
            Answer.GENUINE_UNREGISTERED, number=number, site_code=code, body=parsed.body,
            key_fingerprint=signed.key.fingerprint if signed.key else "",
            retired_at=signed.key.retired_at if signed.key else "")
        if signed.answer is not None:
            return _Found(replace(base, answer=signed.answer, reason=str(signed.reason)), keys,
                          signed.key)
        rows = uow.session.execute(select(Certificate).where(
            Certificate.number == number).order_by(Certificate.id)).scalars().all()
        if not rows:
            if expired_offline(parsed.body, self._today().isoformat()):
                base = replace(base, answer=Answer.EXPIRED,
                               note=StateNote(str(CertificateStatus.EXPIRED), parsed.body["u"]))
            return _Found(base, keys, signed.key)
        issuers = {k.site_id for k in keys}
        for row in rows:
            state = uow.records.state(row.id)
            if (row.site_id not in issuers or state is None or state.deleted
                    or not _written_by(uow, row, issuers)):
                continue
            status = self._status(uow, row)
            data = self._data(uow, row, status)
            if matches_record(parsed, data):
                return _Found(replace(base, answer=register_answer(status), state=str(status),
                                      certificate=data, note=data.note), keys, signed.key)
        return _Found(replace(base, answer=Answer.NOT_GENUINE,
                              reason=str(Reason.REGISTER_MISMATCH)), keys, signed.key)


@dataclass(frozen=True, slots=True)
class _PrintSeal:
    data: CertificateData  # with the payload the QR code prints ("" when unsealed)
    key: Ed25519PrivateKey | None  # seals the file: the issuing site's own key, or none
    printed_by: str  # code of this site when it prints another site's certificate


@dataclass(frozen=True, slots=True)
class _Found:
    check: CertificateCheck
    keys: list[SiteKey] = field(default_factory=list)
    signer: SiteKey | None = None


def _written_by(uow: UnitOfWork, row: Certificate, site_ids: set[str]) -> bool:
    """Every revision of the certificate record comes from one of `site_ids`: a record counts
    as the issuer's only when the issuer wrote it (its revisions' origin, not a claimed field)."""
    return all(rev.site_id in site_ids for rev in uow.records.history(row.id))


def _first_edit_after(uow: UnitOfWork, row: Certificate) -> str:
    """The day the submission was first changed after the revision the certificate covers
    (the first of several edits is when the approval stopped covering it)."""
    history = uow.records.history(row.submission_id)
    covered = next((i for i, rev in enumerate(history) if rev.rev_id == row.covers_rev_id), None)
    later = history[covered + 1:] if covered is not None else []
    return later[0].created_at[:10] if later else ""


def _seal_holds(data: CertificateData, keys: list[SiteKey]) -> bool:
    """The stored payload is signed by one of `keys` (trusted for its date) and says what the
    record says."""
    parsed = parse_payload(data.payload)
    return (parsed is not None and check_signature(parsed, keys).answer is None
            and matches_record(parsed, data))


def _may_view(actor: Actor | None) -> None:
    """Reading the register needs no sign-in (like verifying); a signed-in actor needs VIEW."""
    if actor is not None:
        actor.require(Permission.VIEW)
