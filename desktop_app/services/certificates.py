"""The certificate register: list, print (PDF) and verify offline.

A certificate record is an insert-only signed snapshot written by a granting decision. Its status
comes from its submission (suspended, revoked, edited since the signature, conflicting edits) and
from later certificates of the same part (superseded). Verification needs no sign-in: anyone may
check a paper or a file against the site keys this data folder knows (its own and its peers').
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.documents.certificate_pdf import read_embedded, render_certificate
from desktop_app.domain.certificates import (
    CertificateData,
    Verdict,
    key_id,
    parse_payload,
    payload_signed_by,
)
from desktop_app.domain.certification import (
    GRANTING,
    UNPRINTABLE,
    CertificateStatus,
    State,
    certificate_status,
)
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.keys import public_key_hex, sign, verify_signature
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.certification_dto import CertificateSummary, VerificationResult
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.storage.models.certification import Certificate, Decision, Submission
from desktop_app.storage.models.core import Site

EXPIRY_WARNING_DAYS = 30

_REFUSALS = {
    CertificateStatus.REVOKED: QT_TRANSLATE_NOOP(
        "Errors", "Certificate {number} is revoked; a revoked certificate is never printed."),
    CertificateStatus.CONFLICT: QT_TRANSLATE_NOOP(
        "Errors", "Certificate {number} cannot be printed: its submission was edited at two "
                  "sites and must be merged first."),
    CertificateStatus.SUPERSEDED: QT_TRANSLATE_NOOP(
        "Errors", "Certificate {number} was superseded by a later decision; print the current "
                  "certificate instead."),
    CertificateStatus.NEEDS_REAPPROVAL: QT_TRANSLATE_NOOP(
        "Errors", "Certificate {number} cannot be printed: the submission was edited after it "
                  "was signed and needs re-approval."),
}


class CertificateService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] = date.today) -> None:
        self._ctx = ctx
        self._today = today

    # -- the register ----------------------------------------------------------------------

    def count_certificates(self, actor: Actor | None) -> int:
        _may_view(actor)
        with self._ctx.unit_of_work() as uow:
            return int(uow.session.execute(
                select(func.count()).select_from(Certificate)).scalar_one())

    def list_certificates(self, actor: Actor | None, offset: int = 0, limit: int = 200
                          ) -> list[CertificateSummary]:
        _may_view(actor)
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(Certificate).order_by(
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
        row = uow.session.execute(select(Certificate).where(
            Certificate.number == number.strip().upper())).scalars().first()
        if row is None:
            raise NotFound(what="Certificate", key=number)
        return row

    def _data(self, uow: UnitOfWork, row: Certificate, status: CertificateStatus
              ) -> CertificateData:
        state = uow.records.require(row.id, "Certificate")
        data = CertificateData.from_json(dict(state.fields["data"]))
        return CertificateData(**{**{f: getattr(data, f) for f in
                                     CertificateData.__dataclass_fields__}, "status": str(status)})

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

    # -- printing --------------------------------------------------------------------------

    def render_pdf(self, actor: Actor, number: str,
                   languages: tuple[str, ...] = ("fr", "en")) -> bytes:
        """The certificate as a sealed PDF; refused for revoked, superseded, re-approval-pending
        and conflicting records. Every print is in the audit log."""
        actor.require(Permission.PRINT_CERTIFICATE)
        with self._ctx.unit_of_work() as uow:
            row = self._row(uow, number)
            status = self._status(uow, row)
            if status in UNPRINTABLE:
                raise ValidationError(_REFUSALS[status], number=row.number)
            data = self._data(uow, row, status)
            key = self._ctx.signing_key()
            pdf = render_certificate(data, languages, key_id(public_key_hex(key)),
                                     lambda digest: sign(key, digest))
            uow.audit.record(actor.username, "certificate.print", f"certificate:{row.id}",
                             {"number": row.number, "languages": list(languages)})
            return pdf

    def write_pdf(self, actor: Actor, number: str, path: Path,
                  languages: tuple[str, ...] = ("fr", "en")) -> Path:
        pdf = self.render_pdf(actor, number, languages)
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(pdf)
        tmp.replace(path)
        return path

    # -- verification ----------------------------------------------------------------------

    def known_keys(self) -> dict[str, str]:
        """Site keys this data folder trusts: key id -> public key (this site and its peers)."""
        with self._ctx.unit_of_work() as uow:
            keys = uow.session.execute(select(Site.public_key).where(
                Site.public_key != "")).scalars().all()
        return {key_id(k): k for k in keys}

    def verify_certificate_payload(self, text: str) -> VerificationResult:
        parsed = parse_payload(text)
        if parsed is None:
            return VerificationResult(str(Verdict.MALFORMED), "", "", {}, None, "")
        number = parsed.body["n"]
        code = number.split("-")[1] if number.count("-") >= 3 else ""
        keys = self.known_keys()
        signer = next((k for k in keys.values() if payload_signed_by(parsed, k)), None)
        if signer is None:
            with self._ctx.unit_of_work() as uow:
                known_code = uow.session.execute(select(func.count()).select_from(Site).where(
                    Site.code == code, Site.public_key != "")).scalar_one()
            verdict = Verdict.INVALID_SIGNATURE if known_code else Verdict.UNKNOWN_SITE
            return VerificationResult(str(verdict), number, code, parsed.body, None, "")
        with self._ctx.unit_of_work() as uow:
            row = uow.session.execute(select(Certificate).where(
                Certificate.number == number)).scalars().first()
            if row is None:
                return VerificationResult(str(Verdict.VALID), number, code, parsed.body, None, "")
            status = self._status(uow, row)
            data = self._data(uow, row, status)
        verdict = Verdict.VALID
        if status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED,
                      CertificateStatus.SUSPENDED, CertificateStatus.EXPIRED):
            verdict = Verdict.REVOKED
        if data.content_hash()[:12] != parsed.body["h"]:
            verdict = Verdict.INVALID_SIGNATURE
        return VerificationResult(str(verdict), number, code, parsed.body, data, str(status))

    def verify_certificate_pdf(self, path: Path) -> VerificationResult:
        """Check the file's seal (any changed byte fails) and then its embedded payload."""
        try:
            pdf = Path(path).read_bytes()
        except OSError as exc:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "The file {path} cannot be read."),
                                  path=str(path)) from exc
        payload, seal, digest = read_embedded(pdf)
        if not payload or seal is None:
            return VerificationResult(str(Verdict.MALFORMED), "", "", {}, None, "")
        result = self.verify_certificate_payload(payload)
        if result.verdict in (Verdict.MALFORMED, Verdict.UNKNOWN_SITE):
            return result
        sealer = self.known_keys().get(seal.key_id)
        if sealer is None:
            return VerificationResult(str(Verdict.UNKNOWN_SITE), result.number, result.site_code,
                                      result.body, result.certificate, result.status)
        if not digest or not verify_signature(sealer, seal.signature, digest):
            return VerificationResult(str(Verdict.INVALID_SIGNATURE), result.number,
                                      result.site_code, result.body, None, result.status)
        return result


def _may_view(actor: Actor | None) -> None:
    """Reading the register needs no sign-in (like verifying); a signed-in actor needs VIEW."""
    if actor is not None:
        actor.require(Permission.VIEW)
