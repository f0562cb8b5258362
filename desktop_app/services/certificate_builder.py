"""The snapshot a certificate prints, built from the submission, its evidence and signatures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from desktop_app.domain.certificates import (
    CapabilityLine,
    CertificateData,
    EvidenceLine,
    SignatureLine,
    sign_payload,
)
from desktop_app.domain.certification import State, SubmissionKind, approval_type_text
from desktop_app.domain.keys import fingerprint, public_key_hex
from desktop_app.domain.ppap import ELEMENTS_BY_CODE
from desktop_app.services.certification_sources import EvidenceSource, PartFacts
from desktop_app.services.context import UnitOfWork
from desktop_app.services.deviations import deviation_cover
from desktop_app.storage.models.certification import Signature
from desktop_app.storage.models.core import Site

GOOD_PPK = Decimal("1.67")
MIN_PPK = Decimal("1.33")


def capability_verdict(ppk: Decimal | None, deviation: str) -> str:
    """The AIAG band of Ppk as the certificate prints it: above 1.67 meets; 1.33 to 1.67 (both
    included) needs the customer's agreement."""
    if ppk is not None and ppk > GOOD_PPK:
        return "acceptable"
    if ppk is not None and ppk >= MIN_PPK:
        return "customer agreement"
    return f"deviation {deviation}" if deviation else "not acceptable"


def build_certificate(uow: UnitOfWork, parts: PartFacts, evidence: EvidenceSource, site_id: str,
                      submission: Any, number: str, issued_on: str,
                      key: Ed25519PrivateKey) -> CertificateData:
    f = submission.fields
    site = uow.session.get(Site, site_id)
    info = parts.part_info(uow, f["part_id"])
    elements = f.get("elements") or {}
    ids = [eid for e in elements.values() for eid in e.get("evidence", ())]
    facts = evidence.facts(uow, f["part_id"], ids)
    lines = []
    for code in sorted(elements, key=lambda c: list(ELEMENTS_BY_CODE).index(c)):
        for eid in elements[code].get("evidence", ()):
            item = facts.items.get(eid)
            if item is not None:
                lines.append(EvidenceLine(ELEMENTS_BY_CODE[code].number, item.label, item.sha256))
    # The valid deviation records on the day of issue (certification checked them just now).
    deviations, _ = deviation_cover(uow, f["part_id"], date.fromisoformat(issued_on),
                                    dict(f.get("deviations") or {}))
    capability = tuple(
        CapabilityLine(f"{c.number} {c.description}".strip(), c.special_class,
                       str(c.ppk) if c.ppk is not None else "—",
                       capability_verdict(c.ppk, deviations.get(c.characteristic_id, "")))
        for c in facts.characteristics if c.special_class)
    signatures = tuple(
        SignatureLine(s.printed_name, s.title, s.meaning, s.signed_at, s.covers_rev_id)
        for s in uow.session.execute(select(Signature).where(
            Signature.subject_id == submission.record_id,
            Signature.covers_rev_id == submission.winner.rev_id)).scalars())
    state = State(f["state"])
    kind = SubmissionKind(f["kind"])
    interim = f.get("interim") or {} if state is State.INTERIM else {}
    data = CertificateData(
        number=number, site_code=site.code if site else "", site_name=site.name if site else "",
        supplier_name=info.supplier_name or (site.name if site else ""),
        supplier_code=info.supplier_code or (site.code if site else ""),
        customer=info.customer, vehicle_model=info.vehicle_model,
        part_number=info.part_number, designation=info.designation,
        drawing_revision=info.drawing_revision, kind=str(kind), level=int(f["level"]),
        approval_type=approval_type_text(kind, int(f["level"]), state),
        reason=str(f.get("reason", "")), reason_detail=str(f.get("reason_detail", "")),
        disposition=str(state), valid_until=str(interim.get("until", "")),
        quantity_limit=str(interim.get("quantity", "")),
        action_plan=str(interim.get("action_plan", "")),
        deviations=_deviation_lines(deviations, facts.characteristics),
        evidence=tuple(lines), capability=capability, signatures=signatures,
        issued_on=issued_on, key_fingerprint=fingerprint(public_key_hex(key)),
    )
    return CertificateData(**{**_fields(data), "payload": sign_payload(data, key)})


def _deviation_lines(deviations: dict[str, str], characteristics: Any) -> tuple[str, ...]:
    numbers = {c.characteristic_id: c.number for c in characteristics}
    return tuple(f"{numbers.get(k, k[:8])}: {v}" for k, v in sorted(deviations.items()))


def _fields(data: CertificateData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in CertificateData.__dataclass_fields__}
