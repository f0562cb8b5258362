"""The Part Submission Warrant (PPAP element 18), generated from the submission and its data.

Section and field names follow the AIAG PSW (DOMAIN.md, "PSW sections"); the layout of the
AIAG form is not reproduced. Values a person types only for the warrant (purchase order, buyer,
checking aid, IMDS, production rate...) live in the submission's `psw` fields.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from desktop_app.domain.certification import STATE_LABELS, State, SubmissionKind
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.ppap import REASON_LABELS, Reason
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.certification import CertificationService, load_submission
from desktop_app.services.certification_dto import PswSummary
from desktop_app.storage.models.core import Person

# Free fields of the warrant a person may fill in (key -> label).
PSW_FIELDS = {
    "purchase_order": QT_TRANSLATE_NOOP("Psw", "Purchase order number"),
    "change_date": QT_TRANSLATE_NOOP("Psw", "Engineering change level date"),
    "checking_aid": QT_TRANSLATE_NOOP("Psw", "Checking aid number and level"),
    "buyer": QT_TRANSLATE_NOOP("Psw", "Buyer / buyer code"),
    "customer_division": QT_TRANSLATE_NOOP("Psw", "Customer / division"),
    "substances_reported": QT_TRANSLATE_NOOP("Psw", "Substances of concern reported"),
    "imds": QT_TRANSLATE_NOOP("Psw", "Reported in IMDS or other format"),
    "polymer_marking": QT_TRANSLATE_NOOP("Psw", "Polymeric parts marked (ISO)"),
    "explanation": QT_TRANSLATE_NOOP("Psw", "Explanation / comments"),
    "mould_cavity_process": QT_TRANSLATE_NOOP("Psw", "Mould / cavity / production process"),
    "production_pieces": QT_TRANSLATE_NOOP("Psw", "Production rate: pieces"),
    "production_hours": QT_TRANSLATE_NOOP("Psw", "Production rate: hours"),
    "phone": QT_TRANSLATE_NOOP("Psw", "Phone"),
}

YES, NO = QT_TRANSLATE_NOOP("Psw", "yes"), QT_TRANSLATE_NOOP("Psw", "no")


def _weight(text: str) -> str:
    try:
        return f"{Decimal(text):.4f}" if text else ""
    except InvalidOperation:
        return text


def psw_summary(service: CertificationService, actor: Actor, submission_id: str) -> PswSummary:
    actor.require(Permission.VIEW)
    detail = service.submission(actor, submission_id)
    s = detail.summary
    with service._ctx.unit_of_work() as uow:
        state = load_submission(uow, submission_id)
        info = service.parts.part_info(uow, s.part_id)
        author = uow.session.get(Person, str(state.fields.get("created_by", "")))
    check = service.check(actor, submission_id)
    psw = detail.psw
    covered = {e.code: bool(e.evidence) for e in detail.elements}

    def result(*codes: str) -> str:
        return YES if any(covered.get(c) for c in codes) else NO

    decision = next((d for d in reversed(detail.decisions) if d.signature is not None), None)
    disposition = STATE_LABELS[s.state] if s.state not in (State.DRAFT, State.SUBMITTED,
                                                           State.UNDER_REVIEW) else ""
    sections = (
        (QT_TRANSLATE_NOOP("Psw", "Part information"), (
            (QT_TRANSLATE_NOOP("Psw", "Part name"), info.designation),
            (QT_TRANSLATE_NOOP("Psw", "Customer part number"), info.part_number),
            (QT_TRANSLATE_NOOP("Psw", "Engineering change level"), info.drawing_revision),
            (PSW_FIELDS["change_date"], psw.get("change_date", "")),
            (QT_TRANSLATE_NOOP("Psw", "Safety and/or government regulation"),
             YES if info.safety_regulation else NO),
            (PSW_FIELDS["purchase_order"], psw.get("purchase_order", "")),
            (QT_TRANSLATE_NOOP("Psw", "Weight (kg)"), _weight(info.weight_kg)),
            (PSW_FIELDS["checking_aid"], psw.get("checking_aid", "")),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Supplier manufacturing information"), (
            (QT_TRANSLATE_NOOP("Psw", "Supplier name"), info.supplier_name),
            (QT_TRANSLATE_NOOP("Psw", "Supplier code"), info.supplier_code),
            (QT_TRANSLATE_NOOP("Psw", "Address"), info.supplier_address),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Customer submittal information"), (
            (PSW_FIELDS["customer_division"], psw.get("customer_division", info.customer)),
            (PSW_FIELDS["buyer"], psw.get("buyer", "")),
            (QT_TRANSLATE_NOOP("Psw", "Application"), info.vehicle_model),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Materials reporting"), (
            (PSW_FIELDS["substances_reported"], psw.get("substances_reported", "")),
            (PSW_FIELDS["imds"], psw.get("imds", "")),
            (PSW_FIELDS["polymer_marking"], psw.get("polymer_marking", "")),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Reason for submission"), (
            (QT_TRANSLATE_NOOP("Psw", "Reason"), REASON_LABELS[Reason(s.reason)]
             + (f" — {detail.reason_detail}" if detail.reason_detail else "")),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Requested submission level"), (
            (QT_TRANSLATE_NOOP("Psw", "Level"),
             f"PPAP {s.level}" if s.kind is SubmissionKind.PPAP else "OTS"),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Submission results"), (
            (QT_TRANSLATE_NOOP("Psw", "Dimensional measurements"), result("09")),
            (QT_TRANSLATE_NOOP("Psw", "Material and functional tests"), result("10")),
            (QT_TRANSLATE_NOOP("Psw", "Appearance criteria"), result("13")),
            (QT_TRANSLATE_NOOP("Psw", "Statistical process package"), result("11")),
            (QT_TRANSLATE_NOOP("Psw", "These results meet all design record requirements"),
             YES if check.ok else NO),
            (PSW_FIELDS["explanation"], psw.get("explanation", "")
             or "; ".join(f.message for f in check.findings)),
            (PSW_FIELDS["mould_cavity_process"], psw.get("mould_cavity_process", "")),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Declaration"), (
            (PSW_FIELDS["production_pieces"], psw.get("production_pieces", "")),
            (PSW_FIELDS["production_hours"], psw.get("production_hours", "")),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Authorised supplier signature"), (
            (QT_TRANSLATE_NOOP("Psw", "Name"), author.display_name if author else ""),
            (QT_TRANSLATE_NOOP("Psw", "Title"), author.title if author else ""),
            (PSW_FIELDS["phone"], psw.get("phone", "")),
            (QT_TRANSLATE_NOOP("Psw", "E-mail"), author.email if author else ""),
            (QT_TRANSLATE_NOOP("Psw", "Date"), str(state.winner.created_at)[:10]),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Customer disposition"), (
            (QT_TRANSLATE_NOOP("Psw", "Disposition"), disposition),
            (QT_TRANSLATE_NOOP("Psw", "Customer signature"),
             f"{decision.signature.printed_name} — {decision.signature.meaning} — "
             f"{decision.signature.signed_at[:16].replace('T', ' ')} UTC"
             if decision and decision.signature else ""),
        )),
    )
    return PswSummary(tuple((title, tuple(rows)) for title, rows in sections))
