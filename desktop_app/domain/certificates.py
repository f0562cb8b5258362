"""Certificates: the frozen data a certificate prints, its signed QR payload, approval periods.

The payload is compact and readable (it goes into a QR code and through handheld scanners that
type it as keystrokes): `PDC1|number|part|rev|type|issued|until|qty|hash|signature`, the base64url
Ed25519 signature of the issuing site over the exact text before it. Any site that enrolled the
issuer's key verifies it offline (domain/certificate_trust.py says which key counts).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.domain.approvals import ApprovalKind, ApprovalPeriod, Delivery
from desktop_app.domain.certificate_qr import expand
from desktop_app.domain.certification import Action
from desktop_app.domain.keys import sign, verify_signature
from desktop_app.domain.revisions import canonical_json, sha256_hex

PAYLOAD_PREFIX = "PDC1"


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    element: str  # element number as printed, e.g. "9"
    label: str  # what the evidence is
    sha256: str  # of the file or the canonical record; printed as a prefix


@dataclass(frozen=True, slots=True)
class CapabilityLine:
    characteristic: str  # number and description
    special_class: str  # CC / SC
    value: str  # Ppk as text, or "—"
    verdict: str  # "acceptable", "customer agreement", "deviation DEV-..."


@dataclass(frozen=True, slots=True)
class SignatureLine:
    name: str
    title: str
    meaning: str
    signed_at: str  # ISO UTC
    covers_rev_id: str


@dataclass(frozen=True, slots=True)
class StateNote:
    """What the register says of a certificate now, beyond its status: since when, why, who
    decided, what replaced it. Read from the database at print and verification time; never
    stored with the certificate nor part of what it certifies."""

    status: str  # a CertificateStatus value
    since: str = ""  # ISO date: of the suspension, revocation, expiry, replacement or edit
    reason: str = ""  # the reason recorded with the decision (suspend, revoke)
    decided_by: str = ""  # printed name of the person who signed that decision
    replaced_by: str = ""  # number of the certificate that superseded this one


# Fields of CertificateData read from the register at printing time, never stored with it.
NOT_STORED = ("note",)


@dataclass(frozen=True, slots=True)
class CertificateData:
    """Everything printed on a certificate; a snapshot taken when it was issued."""

    number: str
    site_code: str
    site_name: str
    supplier_name: str
    supplier_code: str
    customer: str
    vehicle_model: str
    part_number: str
    designation: str
    drawing_revision: str
    kind: str  # "ots" | "ppap"
    level: int
    approval_type: str  # "PPAP level 3", "OTS (conditional)"
    reason: str  # Reason value
    reason_detail: str
    disposition: str  # State value: approved | interim
    valid_until: str  # ISO date or ""
    quantity_limit: str  # "" or a count
    action_plan: str
    deviations: tuple[str, ...]
    evidence: tuple[EvidenceLine, ...]
    capability: tuple[CapabilityLine, ...]
    signatures: tuple[SignatureLine, ...]
    issued_on: str  # ISO date
    key_fingerprint: str = ""
    payload: str = ""
    status: str = "valid"  # CertificateStatus at the time of printing
    extra: dict[str, str] = field(default_factory=dict)
    note: StateNote | None = None  # the register's state at printing time (not stored)

    def to_json(self) -> dict[str, Any]:
        """The stored form (the record's `data`): without what is never stored."""
        data = asdict(self)
        for name in NOT_STORED:
            data.pop(name)
        return data

    def content_hash(self) -> str:
        """SHA-256 of what is certified (without the payload and the printing status)."""
        data = self.to_json()
        for key in ("payload", "status", "key_fingerprint"):
            data.pop(key)
        return sha256_hex(canonical_json(data))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateData:
        values = dict(data)
        values["deviations"] = tuple(values.get("deviations", ()))
        values["evidence"] = tuple(EvidenceLine(**e) for e in values.get("evidence", ()))
        values["capability"] = tuple(CapabilityLine(**c) for c in values.get("capability", ()))
        values["signatures"] = tuple(SignatureLine(**s) for s in values.get("signatures", ()))
        values["level"] = int(values.get("level", 0))
        values["extra"] = dict(values.get("extra", {}))
        for name in NOT_STORED:
            values.pop(name, None)
        return cls(**values)


# -- the signed payload --------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    """Unpadded URL-safe base64, canonical only: a text whose unused low bits are not zero
    decodes to the same bytes as another text, so it is refused (one spelling per signature)."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(data).decode("ascii").rstrip("=") != text:
        raise ValueError("not canonical base64")
    return data


def key_id(public_hex: str) -> str:
    """A short identifier of a site key (first 16 hex digits of its hash)."""
    return sha256_hex(bytes.fromhex(public_hex))[:16]


# Field order of the payload text; "u" (interim until) and "q" (quantity) may be empty.
PAYLOAD_FIELDS = ("n", "p", "r", "t", "i", "u", "q", "h")


def payload_body(cert: CertificateData) -> dict[str, str]:
    interim = cert.disposition == "interim"
    return {
        "n": cert.number,
        "p": cert.part_number,
        "r": cert.drawing_revision,
        "t": (f"P{cert.level}" if cert.kind == "ppap" else "OTS") + ("-I" if interim else ""),
        "i": cert.issued_on,
        "u": cert.valid_until,
        "q": cert.quantity_limit,
        "h": cert.content_hash()[:12],
    }


def _clean(value: str) -> str:
    return value.replace("|", "/").replace("\n", " ").strip()


def expected_payload(cert: CertificateData) -> dict[str, str]:
    """The payload fields exactly as they are signed for `cert`."""
    body = payload_body(cert)
    return {k: _clean(body[k]) for k in PAYLOAD_FIELDS}


def sign_payload(cert: CertificateData, key: Ed25519PrivateKey) -> str:
    """`PDC1|number|part|drawing rev|type|issued|until|quantity|content hash|signature`:
    readable, short enough for a small QR code, the signature over everything before it.

    Only the issuing site signs, once, when it issues the certificate; the record keeps the
    payload, so every site prints the issuer's own seal."""
    body = expected_payload(cert)
    signed = "|".join([PAYLOAD_PREFIX, *(body[k] for k in PAYLOAD_FIELDS)])
    return f"{signed}|{_b64(sign(key, signed.encode('utf-8')))}"


@dataclass(frozen=True, slots=True)
class ParsedPayload:
    body: dict[str, str]
    signed_bytes: bytes
    signature: bytes


def parse_payload(text: str) -> ParsedPayload | None:
    """The parts of a payload, or None when the text is not one (no signature check here).
    The compact text a QR code carries (domain/certificate_qr.py) is read as the payload it
    writes."""
    signed, _, sig_text = expand(text).rpartition("|")
    parts = signed.split("|")
    if len(parts) != len(PAYLOAD_FIELDS) + 1 or parts[0] != PAYLOAD_PREFIX or not parts[1]:
        return None
    try:
        signature = _unb64(sig_text)
    except (binascii.Error, ValueError):
        return None
    if len(signature) != 64:
        return None
    return ParsedPayload(dict(zip(PAYLOAD_FIELDS, parts[1:], strict=True)),
                         signed.encode("utf-8"), signature)


def payload_signed_by(parsed: ParsedPayload, public_hex: str) -> bool:
    return verify_signature(public_hex, parsed.signature, parsed.signed_bytes)


# -- approval periods for the roadmap ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionFact:
    """One decision on a PPAP submission, as the period builder needs it."""

    part_id: str
    submission_id: str
    action: Action
    decided_on: date
    decided_at: str  # full timestamp: orders decisions of one day
    valid_until: date | None = None
    certificate_number: str = ""
    quantity_limit: int | None = None  # an interim approval limited by quantity
    # The causal order of the decision's revision (Lamport counter, site, revision id): when
    # given, decisions are taken in this order whatever the clocks said, and a date that goes
    # back is read as the date of the decision before it.
    order: tuple[int, str, str] | None = None


def approval_periods(facts: list[DecisionFact], deliveries: Sequence[Delivery] = ()
                     ) -> dict[str, list[ApprovalPeriod]]:
    """Periods of valid approval per part: an approval runs from its decision until it is
    suspended, revoked or superseded by a later approval of the same part; an interim approval
    also ends at its expiry date, or after the day its quantity is shipped (`deliveries`),
    whichever comes first."""
    result: dict[str, list[ApprovalPeriod]] = {}
    open_: dict[str, tuple[str, ApprovalPeriod]] = {}  # part -> (submission, open period)
    last_grant: dict[str, ApprovalPeriod] = {}  # submission -> last granted period (reinstate)

    def close(part_id: str, day: date) -> None:
        if part_id not in open_:
            return
        _, period = open_.pop(part_id)
        end = period.end if period.end is not None and period.end < day else day
        if end > period.start:
            result.setdefault(part_id, []).append(_with_end(period, end))

    latest: dict[str, date] = {}  # part -> the date of its last decision taken
    for fact in sorted(facts, key=_taken_order):
        day = max(fact.decided_on, latest.get(fact.part_id, fact.decided_on))
        latest[fact.part_id] = day
        if day != fact.decided_on:  # a clock set back: never before what came first
            fact = replace(fact, decided_on=day)
        if fact.action in (Action.APPROVE, Action.APPROVE_INTERIM, Action.REINSTATE):
            if fact.action is Action.REINSTATE:
                previous = last_grant.get(fact.submission_id)
                kind = previous.kind if previous else ApprovalKind.APPROVED
                until = previous.end if previous else None
                number = fact.certificate_number or (previous.certificate_number
                                                     if previous else "")
                limit = previous.quantity_limit if previous else None
            else:
                kind = (ApprovalKind.APPROVED if fact.action is Action.APPROVE
                        else ApprovalKind.INTERIM)
                until = fact.valid_until if kind is ApprovalKind.INTERIM else None
                number = fact.certificate_number
                limit = fact.quantity_limit if kind is ApprovalKind.INTERIM else None
            close(fact.part_id, fact.decided_on)
            period = ApprovalPeriod(fact.part_id, kind, fact.decided_on, until, number, limit,
                                    fact.submission_id)
            open_[fact.part_id] = (fact.submission_id, period)
            last_grant[fact.submission_id] = period
        elif fact.action in (Action.SUSPEND, Action.REVOKE):
            current = open_.get(fact.part_id)
            if current is not None and current[0] == fact.submission_id:
                close(fact.part_id, fact.decided_on)
    for part_id, (_, period) in open_.items():
        if period.end is None or period.end > period.start:
            result.setdefault(part_id, []).append(period)
    for periods in result.values():
        periods.sort(key=lambda p: p.start)
    if deliveries:
        for part_id, periods in result.items():
            result[part_id] = _used_up(periods, [d for d in deliveries if d.part_id == part_id])
    return result


def _used_up(periods: list[ApprovalPeriod], deliveries: list[Delivery]) -> list[ApprovalPeriod]:
    """End each interim approval limited by quantity after the day its quantity is reached.

    The pieces shipped while an approval held count against it; a reinstated approval goes on
    counting from what was shipped before its suspension, and is not reopened once its quantity
    is used up."""
    shipped = sorted(deliveries, key=lambda d: d.day)
    used: dict[str, int] = {}  # submission -> pieces shipped under it
    exhausted: set[str] = set()
    kept = []
    for p in periods:
        if p.quantity_limit is None:
            kept.append(p)
            continue
        if p.submission_id in exhausted:
            continue
        end = p.end
        for d in shipped:
            if d.day < p.start or (end is not None and d.day >= end):
                continue
            used[p.submission_id] = used.get(p.submission_id, 0) + d.quantity
            if used[p.submission_id] >= p.quantity_limit:
                end = d.day + timedelta(days=1)
                exhausted.add(p.submission_id)
                break
        if end is None or end > p.start:
            kept.append(_with_end(p, end) if end != p.end else p)
    return kept


def _taken_order(fact: DecisionFact) -> tuple:
    if fact.order is not None:
        return (0, fact.order, fact.submission_id)
    return (1, (0, fact.decided_at, ""), fact.submission_id)


def _with_end(period: ApprovalPeriod, end: date | None) -> ApprovalPeriod:
    return replace(period, end=end)


def certificate_number(site_code: str, year: int, sequence: int) -> str:
    return f"CERT-{site_code}-{year}-{sequence:04d}"
