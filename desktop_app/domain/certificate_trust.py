"""Which key may vouch for a certificate, and what a check answers (DESIGN.md, "One key registry").

- A certificate verifies only with a key of the site named in its number (`CERT-MSR-2026-0042`:
  site MSR): this site's own key, or a peer key an administrator enrolled after confirming its
  fingerprint. A key that arrived in a package (a `site` record) is information, never trust.
- A retired key vouches only for what it signed before its retirement. The payload carries the
  issue date, not the time: a retired key is trusted for certificates issued strictly before the
  (UTC) day of its retirement; one dated on that day or later does not verify with it. This may
  refuse a certificate issued on the very day a site's new key was enrolled, never accept one
  issued after.
- A check gives one answer, named by a stable code word, with the register's state and, for a
  certificate that is not genuine, the reason.

Plain Python: the certificate service supplies the keys and the register's record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from desktop_app.domain.certificates import (
    CertificateData,
    ParsedPayload,
    StateNote,
    expected_payload,
    payload_signed_by,
)
from desktop_app.domain.certification import CertificateStatus
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated

CONTEXT = "Certification"
NUMBER_PATTERN = re.compile(r"^CERT-([A-Z0-9]{2,8})-(\d{4})-(\d{4,})$")


def number_site_code(number: str) -> str:
    """The code of the issuing site in a certificate number ("" when it is not one)."""
    match = NUMBER_PATTERN.match(number.strip().upper())
    return match.group(1) if match else ""


@dataclass(frozen=True, slots=True)
class SiteKey:
    """A key of the key registry: this site's own, or an enrolled peer's."""

    site_id: str
    code: str
    public_key: str  # hex Ed25519
    fingerprint: str
    retired_at: str = ""  # UTC timestamp; empty while in use


def trusted_for(key: SiteKey, issued_on: str) -> bool:
    """Whether `key` vouches for a certificate issued on `issued_on` (ISO date)."""
    if not key.retired_at:
        return True
    try:
        issued = date.fromisoformat(issued_on)
    except ValueError:
        return False
    return issued.isoformat() < key.retired_at[:10]


class Answer(StrEnum):
    """One code word per state a person acts on differently (`partdesk certificate verify`
    gives each its own exit status)."""

    GENUINE = "genuine"  # and in force in this register: valid or interim
    GENUINE_UNREGISTERED = "genuine_unregistered"  # not in this register
    SUPERSEDED = "superseded"  # a later certificate of the part replaced it
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"  # an interim approval past its date
    NEEDS_REAPPROVAL = "needs_reapproval"  # the submission was edited after the signature
    CONFLICT = "conflict"  # its submission was edited at two sites: state undecided
    SITE_NOT_ENROLLED = "site_not_enrolled"
    NOT_GENUINE = "not_genuine"
    NOT_A_CERTIFICATE = "not_a_certificate"


class Reason(StrEnum):
    BAD_SIGNATURE = "bad_signature"  # no key of the named site made this signature
    RETIRED_KEY = "retired_key"  # made with a key retired before the issue date
    REGISTER_MISMATCH = "register_mismatch"  # differs from this register's record
    FILE_ALTERED = "file_altered"  # the file changed after the issuing site sealed it
    MALFORMED = "malformed"  # not a certificate code
    NO_SEAL = "no_seal"  # a certificate file printed without a seal


class FileSeal(StrEnum):
    """What a PDF's file seal proved (empty for a scanned code)."""

    ISSUER = "issuer"  # sealed by the issuing site and unchanged since
    NONE = "none"  # no seal of the issuing site: only the QR code was checked


_ANSWER_OF_STATUS = {
    CertificateStatus.VALID: Answer.GENUINE,
    CertificateStatus.INTERIM: Answer.GENUINE,
    CertificateStatus.EXPIRED: Answer.EXPIRED,
    CertificateStatus.SUSPENDED: Answer.SUSPENDED,
    CertificateStatus.REVOKED: Answer.REVOKED,
    CertificateStatus.SUPERSEDED: Answer.SUPERSEDED,
    CertificateStatus.NEEDS_REAPPROVAL: Answer.NEEDS_REAPPROVAL,
    CertificateStatus.CONFLICT: Answer.CONFLICT,
}


def register_answer(status: CertificateStatus) -> Answer:
    """The answer for a genuine certificate in the state this register gives it."""
    return _ANSWER_OF_STATUS[status]


def expired_offline(body: dict[str, str], today: str) -> bool:
    """A certificate not in this register whose own interim date has passed: expired, whatever
    the issuing site's register says."""
    until = body.get("u", "")
    return bool(until) and until < today


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    key: SiteKey | None  # the key that made the signature, when one of the site's keys did
    answer: Answer | None  # None: genuine signature, trusted for its date
    reason: str = ""


def check_signature(parsed: ParsedPayload, keys: Sequence[SiteKey]) -> SignatureCheck:
    """The payload against the keys of the site named in its number (only those)."""
    if not keys:
        return SignatureCheck(None, Answer.SITE_NOT_ENROLLED)
    for key in keys:
        if payload_signed_by(parsed, key.public_key):
            if trusted_for(key, parsed.body["i"]):
                return SignatureCheck(key, None)
            return SignatureCheck(key, Answer.NOT_GENUINE, Reason.RETIRED_KEY)
    return SignatureCheck(None, Answer.NOT_GENUINE, Reason.BAD_SIGNATURE)


def matches_record(parsed: ParsedPayload, data: CertificateData) -> bool:
    """Every field of the payload is what the register's record says."""
    return expected_payload(data) == parsed.body


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    """The answer of one check of a certificate code or file."""

    answer: Answer
    number: str = ""
    site_code: str = ""
    state: str = ""  # the register's CertificateStatus value; "" when not in the register
    reason: str = ""  # a Reason value, for not_genuine and not_a_certificate
    body: dict[str, str] = field(default_factory=dict)  # the payload's fields
    certificate: CertificateData | None = None  # the register's copy, when it matches
    key_fingerprint: str = ""  # of the key that made the signature
    retired_at: str = ""  # of that key, when retired
    file_seal: str = ""  # a FileSeal value for a PDF
    note: StateNote | None = None  # since when, why, by whom (from this register)

    @property
    def valid(self) -> bool:
        """Genuine and in force here (valid or interim, not expired)."""
        return self.answer is Answer.GENUINE

    def sentence(self, translate: Translate = untranslated) -> str:
        return describe(self, translate)

    def to_json(self) -> dict[str, Any]:
        note = self.note or StateNote("")
        return {"answer": str(self.answer), "number": self.number, "site_code": self.site_code,
                "state": self.state, "reason": self.reason, "payload": dict(self.body),
                "since": note.since, "state_reason": note.reason,
                "decided_by": note.decided_by, "replaced_by": note.replaced_by,
                "key_fingerprint": self.key_fingerprint, "key_retired_at": self.retired_at,
                "file_seal": self.file_seal, "message": self.sentence()}


# -- sentences ------------------------------------------------------------------------------------

GENUINE_SENTENCES = {
    CertificateStatus.VALID: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine: signed by site {site}, and valid in "
                         "this register."),
    CertificateStatus.INTERIM: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine: signed by site {site}, and an interim "
                         "approval in this register ({limit})."),
}
# The states that end a certificate's validity, with the date and the reason when this
# register knows them (the short form otherwise).
STATE_SENTENCES = {
    Answer.EXPIRED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine: signed by site {site}, but its interim "
                         "approval expired on {until}."),
    Answer.SUPERSEDED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but no longer current: a later "
                         "decision replaced it."),
    Answer.NEEDS_REAPPROVAL: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but no longer current: the submission "
                         "was changed after its approval and awaits re-approval."),
    Answer.CONFLICT: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine, but its state here is undecided: its "
                         "submission was edited at two sites and must be merged."),
    Answer.SUSPENDED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but SUSPENDED in this register: it is "
                         "not valid unless reinstated."),
    Answer.REVOKED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but REVOKED in this register: it is no "
                         "longer valid."),
}
DATED_SENTENCES = {
    Answer.SUPERSEDED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but SUPERSEDED since {since}: "
                         "certificate {replacement} replaced it; it is no longer valid."),
    Answer.NEEDS_REAPPROVAL: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but no longer current: the submission "
                         "was changed on {since}, after its approval, and awaits re-approval."),
    Answer.SUSPENDED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but SUSPENDED in this register since "
                         "{since}: {why} It is not valid unless reinstated."),
    Answer.REVOKED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine but REVOKED in this register since "
                         "{since}: {why} It is no longer valid."),
}
EXPIRED_UNREGISTERED = QT_TRANSLATE_NOOP(
    "Certification", "Certificate {number} is genuine: signed by site {site}, but its interim "
                     "approval expired on {until}. It is not in this register.")
NOT_GENUINE_SENTENCES = {
    Reason.BAD_SIGNATURE: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is NOT genuine: its signature is not that of site "
                         "{site}; the code or the document was altered or forged."),
    Reason.RETIRED_KEY: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is NOT genuine: it is dated {issued} but signed "
                         "with a key of site {site} retired on {retired}."),
    Reason.REGISTER_MISMATCH: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is NOT genuine: it does not match this register's "
                         "record of it; check with site {site}."),
    Reason.FILE_ALTERED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is NOT genuine: the file was changed after site "
                         "{site} sealed it."),
}
SENTENCES = {
    Answer.GENUINE_UNREGISTERED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} is genuine: signed by site {site}. It is not in "
                         "this register, so its current state is not known here."),
    Answer.SITE_NOT_ENROLLED: QT_TRANSLATE_NOOP(
        "Certification", "Certificate {number} names site {site}, whose key is not enrolled here; "
                         "enrol that site's key, its fingerprint confirmed, to check it."),
}
NOT_A_CERTIFICATE = QT_TRANSLATE_NOOP(
    "Certification", "This is not a PartDesk certificate code or file.")
NO_SEAL = QT_TRANSLATE_NOOP(
    "Certification", "This certificate file carries no seal; verify it with the issuing site.")
UNSEALED_FILE = QT_TRANSLATE_NOOP(
    "Certification", "The file carries no seal of the issuing site: its QR code was checked, "
                     "not the rest of the printed page.")
LIMIT_UNTIL = QT_TRANSLATE_NOOP("Certification", "until {date}")
LIMIT_QUANTITY = QT_TRANSLATE_NOOP("Certification", "{quantity} parts")


def describe(check: CertificateCheck, translate: Translate = untranslated) -> str:
    """The answer as one sentence (two for a file without the issuer's seal)."""
    body = check.body
    until, quantity = body.get("u", ""), body.get("q", "")
    limits = []
    if until:
        limits.append(translate(CONTEXT, LIMIT_UNTIL).format(date=until))
    if quantity:
        limits.append(translate(CONTEXT, LIMIT_QUANTITY).format(quantity=quantity))
    note = check.note or StateNote(check.state)
    if check.answer is Answer.NOT_A_CERTIFICATE:
        template = NO_SEAL if check.reason == Reason.NO_SEAL else NOT_A_CERTIFICATE
    elif check.answer is Answer.GENUINE:
        template = GENUINE_SENTENCES[CertificateStatus(check.state)]
    elif check.answer is Answer.EXPIRED and not check.state:
        template = EXPIRED_UNREGISTERED
    elif check.answer in DATED_SENTENCES and note.since and (
            note.replaced_by or check.answer is not Answer.SUPERSEDED):
        template = DATED_SENTENCES[check.answer]
    elif check.answer in STATE_SENTENCES:
        template = STATE_SENTENCES[check.answer]
    elif check.answer is Answer.NOT_GENUINE:
        template = NOT_GENUINE_SENTENCES[Reason(check.reason)]
    else:
        template = SENTENCES[check.answer]
    why = note.reason.strip()
    if why and why[-1] not in ".!?。":
        why += "."
    if note.decided_by:
        why = f"{why} ({note.decided_by})" if why else f"({note.decided_by})"
    text = translate(CONTEXT, template).format(
        number=check.number or "?", site=check.site_code or "?", until=until or "?",
        limit=", ".join(limits) or "?", issued=body.get("i", "") or "?",
        retired=check.retired_at[:10] or "?", since=note.since or "?", why=why or "—",
        replacement=note.replaced_by or "?")
    if check.file_seal == FileSeal.NONE and check.answer is not Answer.NOT_GENUINE:
        text += " " + translate(CONTEXT, UNSEALED_FILE)
    return text
