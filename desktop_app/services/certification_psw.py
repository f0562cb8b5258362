"""The Part Submission Warrant (PPAP element 18), generated from the submission and its data.

`warrant()` gathers every field of the AIAG PPAP 4th-edition warrant (`domain.psw.Warrant`):
the part, supplier and customer from their records, the reason and level from the submission,
the results from the evidence linked to elements 9, 10, 13 and 11, the requirements answer
derived from those results and the completeness checks (never typed), the supplier's signature
from whoever submitted it, and the customer's disposition from the signed decision. Values a
person types only for the warrant (purchase order, buyer, checking aid, IMDS, production
rate...) live in the submission's `psw` fields (`domain.psw.WARRANT_FIELDS`); a value nobody
gave stays empty.

`psw_summary()` is the same warrant as text sections (the window's preview); `write_psw_pdf()`
prints it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.documents.psw_pdf import write_warrant_pdf
from desktop_app.domain.certification import STATE_LABELS, State, SubmissionKind
from desktop_app.domain.errors import NotFound, RecordInConflict
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.ppap import REASON_LABELS, Reason
from desktop_app.domain.psw import (
    ANSWER_LABELS,
    FIELDS_BY_KEY,
    RESULT_ELEMENTS,
    WARRANT_FIELDS,
    Answer,
    Note,
    Warrant,
    check_warrant_fields,
    requirements_met,
    result_answer,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.services.certification import CertificationService, load_submission
from desktop_app.services.certification_dto import PswSummary, SubmissionDetail
from desktop_app.storage.models.certification import Submission
from desktop_app.storage.models.core import Person

# Free fields of the warrant a person may fill in (key -> label, context "Psw").
PSW_FIELDS = {f.key: f.label for f in WARRANT_FIELDS}
YES, NO = QT_TRANSLATE_NOOP("Psw", "yes"), QT_TRANSLATE_NOOP("Psw", "no")
DECIDED = (State.APPROVED, State.INTERIM, State.REJECTED, State.SUSPENDED, State.REVOKED)


def _weight(text: str) -> str:
    try:
        return f"{Decimal(text):.4f}" if text else ""
    except InvalidOperation:
        return text


def _answer(value: str) -> Answer:
    try:
        return Answer(value)
    except ValueError:
        return Answer.UNKNOWN


def find_submission(service: CertificationService, actor: Actor, key: str) -> str:
    """The id of the submission numbered `key` (e.g. SUB-MSR-2026-0003), or with that id."""
    actor.require(Permission.VIEW)
    wanted = key.strip()
    with service._ctx.unit_of_work() as uow:
        found = uow.session.execute(select(Submission.id).where(
            (Submission.number == wanted.upper()) | (Submission.id == wanted))).scalar()
    if found is None:
        raise NotFound(what="Submission", key=wanted)
    return str(found)


def warrant(service: CertificationService, actor: Actor, submission_id: str) -> Warrant:
    """Every field of the warrant of one submission, as the database says it."""
    actor.require(Permission.VIEW)
    detail = service.submission(actor, submission_id)
    s = detail.summary
    with service._ctx.unit_of_work() as uow:
        state = load_submission(uow, submission_id)
        info = service.parts.part_info(uow, s.part_id)
        part = uow.records.state(s.part_id)
        part_fields: dict[str, Any] = dict(part.fields) if part is not None else {}
        signer_id, signed_at = _submitted_by(uow, submission_id)
        person = uow.session.get(Person, signer_id or str(state.fields.get("created_by", "")))
        signer = (person.display_name, person.title, person.email) if person else ("", "", "")
    check = service.check(actor, submission_id)
    psw = detail.psw
    rows = {e.code: e for e in detail.elements}
    results = {key: result_answer(bool(rows[code].evidence) if code in rows else False,
                                  bool(rows[code].na_reason.strip()) if code in rows else False)
               for key, code, _label in RESULT_ELEMENTS}
    findings = tuple(Note(f.template, f.params, "Errors",
                          (("name", "Ppap"),) if f.code == "missing_element"
                          and any(k == "name" for k, _v in f.params) else ())
                     for f in check.problems)
    meets, notes = requirements_met(results, findings)
    decision = next((d for d in reversed(detail.decisions) if d.signature is not None), None)
    signature = decision.signature if decision else None
    safety = _answer(psw.get("safety_regulation", ""))
    if safety is Answer.UNKNOWN:  # the part's special characteristics (CC/SC) say it
        safety = Answer.YES if info.safety_regulation else Answer.NO
    return Warrant(
        submission_number=s.number, state=str(s.state), kind=str(s.kind),
        part_name=info.designation, customer_part_number=info.part_number,
        org_part_number=psw.get("org_part_number", ""),
        drawing_number=psw.get("drawing_number", "") or str(part_fields.get("drawing_ref") or ""),
        change_level=info.drawing_revision, change_date=psw.get("change_date", ""),
        additional_changes=psw.get("additional_changes", ""),
        additional_changes_date=psw.get("additional_changes_date", ""),
        safety_regulation=safety, purchase_order=psw.get("purchase_order", ""),
        weight_kg=_weight(info.weight_kg), checking_aid=psw.get("checking_aid", ""),
        checking_aid_date=psw.get("checking_aid_date", ""),
        supplier_name=info.supplier_name, supplier_code=info.supplier_code,
        supplier_address=info.supplier_address,
        customer=psw.get("customer_division", "") or info.customer,
        buyer=psw.get("buyer", ""), application=info.vehicle_model,
        substances_reported=_answer(psw.get("substances_reported", "")),
        imds=psw.get("imds", ""), polymer_marking=_answer(psw.get("polymer_marking", "")),
        reason=str(s.reason), reason_detail=detail.reason_detail,
        level=s.level if s.kind is SubmissionKind.PPAP else None,
        results=tuple(results.items()), meets_requirements=meets, notes=notes,
        explanation=psw.get("explanation", ""),
        mould_cavity_process=psw.get("mould_cavity_process", ""),
        production_pieces=psw.get("production_pieces", ""),
        production_hours=psw.get("production_hours", ""),
        customer_tools_tagged=_answer(psw.get("customer_tools_tagged", "")),
        signer_name=signer[0], signer_title=signer[1], signer_phone=psw.get("phone", ""),
        signer_email=signer[2], signed_on=signed_at[:10],
        disposition=str(s.state) if s.state in DECIDED else "",
        customer_signature=(f"{signature.printed_name} — {signature.meaning}"
                            if signature else ""),
        customer_meaning=signature.meaning if signature else "",
        customer_name=signature.printed_name if signature else "",
        customer_signed_on=signature.signed_at[:10] if signature else "",
        customer_tracking=psw.get("customer_tracking", "") or next(
            (d.certificate_number for d in reversed(detail.decisions) if d.certificate_number),
            ""),
    )


def _submitted_by(uow: Any, submission_id: str) -> tuple[str, str]:
    """(author, time) of the revision that last sent the submission from draft to submitted;
    ("", "") while it was never submitted."""
    found = ("", "")
    previous = ""
    for revision in uow.records.history(submission_id):
        now = str((revision.fields or {}).get("state", ""))
        if now == State.SUBMITTED and previous != State.SUBMITTED:
            found = (revision.author, revision.created_at)
        previous = now or previous
    return found


def update_warrant_fields(service: CertificationService, actor: Actor, submission_id: str,
                          values: dict[str, str], expected_rev_id: str | None = None
                          ) -> SubmissionDetail:
    """Save the fields a person fills in for the warrant (answers and dates checked)."""
    return service.update_submission(actor, submission_id, psw=check_warrant_fields(values),
                                     expected_rev_id=expected_rev_id)


def write_psw_pdf(service: CertificationService, actor: Actor, submission_id: str,
                  path: Path | str, language: str = "en",
                  translate: Translate = untranslated) -> Path:
    """Print the warrant of a submission as a PDF in one language (audited like any print).
    A submission edited at two sites prints only once a person merged it (DESIGN.md)."""
    summary = service.submission(actor, submission_id).summary
    if summary.conflict:
        raise RecordInConflict(what="Submission", key=summary.number)
    data = warrant(service, actor, submission_id)
    written = write_warrant_pdf(data, Path(path), translate, language)
    with service._ctx.unit_of_work() as uow:
        uow.audit.record(actor.username, "psw.print", data.submission_number,
                         {"file": written.name, "language": language})
    return written


def psw_summary(service: CertificationService, actor: Actor, submission_id: str,
                translate: Translate = untranslated) -> PswSummary:
    """The warrant as text sections: (title, ((label, value), ...)); titles and labels are
    source texts (context "Psw"), the values that are words (answers, reason, disposition,
    explanation) come translated by `translate`."""
    w = warrant(service, actor, submission_id)
    f = FIELDS_BY_KEY

    def a(answer: Answer) -> str:
        return translate("Psw", ANSWER_LABELS[answer]) if answer is not Answer.UNKNOWN else ""

    reason = translate("Ppap", REASON_LABELS[Reason(w.reason)]) if w.reason else ""
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
        (QT_TRANSLATE_NOOP("Psw", "Part information"), (
            (QT_TRANSLATE_NOOP("Psw", "Part name"), w.part_name),
            (QT_TRANSLATE_NOOP("Psw", "Customer part number"), w.customer_part_number),
            (f["org_part_number"].label, w.org_part_number),
            (f["drawing_number"].label, w.drawing_number),
            (QT_TRANSLATE_NOOP("Psw", "Engineering change level"), w.change_level),
            (f["change_date"].label, w.change_date),
            (f["additional_changes"].label, w.additional_changes),
            (f["additional_changes_date"].label, w.additional_changes_date),
            (f["safety_regulation"].label, a(w.safety_regulation)),
            (f["purchase_order"].label, w.purchase_order),
            (QT_TRANSLATE_NOOP("Psw", "Weight (kg)"), w.weight_kg),
            (f["checking_aid"].label, w.checking_aid),
            (f["checking_aid_date"].label, w.checking_aid_date),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Supplier manufacturing information"), (
            (QT_TRANSLATE_NOOP("Psw", "Supplier name"), w.supplier_name),
            (QT_TRANSLATE_NOOP("Psw", "Supplier code"), w.supplier_code),
            (QT_TRANSLATE_NOOP("Psw", "Address"), w.supplier_address),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Customer submittal information"), (
            (f["customer_division"].label, w.customer),
            (f["buyer"].label, w.buyer),
            (QT_TRANSLATE_NOOP("Psw", "Application"), w.application),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Materials reporting"), (
            (f["substances_reported"].label, a(w.substances_reported)),
            (f["imds"].label, w.imds),
            (f["polymer_marking"].label, a(w.polymer_marking)),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Reason for submission"), (
            (QT_TRANSLATE_NOOP("Psw", "Reason"),
             reason + (f" — {w.reason_detail}" if w.reason_detail else "")),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Requested submission level"), (
            (QT_TRANSLATE_NOOP("Psw", "Level"), f"PPAP {w.level}" if w.level else "OTS"),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Submission results"), (
            *((label, a(w.result(key))) for key, _code, label in RESULT_ELEMENTS),
            (QT_TRANSLATE_NOOP("Psw", "These results meet all design record requirements"),
             a(w.meets_requirements)),
            (f["explanation"].label, " ".join(
                ([w.explanation] if w.explanation else [])
                + [n.text(translate) for n in w.notes])),
            (f["mould_cavity_process"].label, w.mould_cavity_process),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Declaration"), (
            (f["production_pieces"].label, w.production_pieces),
            (f["production_hours"].label, w.production_hours),
            (f["customer_tools_tagged"].label, a(w.customer_tools_tagged)),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Authorised supplier signature"), (
            (QT_TRANSLATE_NOOP("Psw", "Name"), w.signer_name),
            (QT_TRANSLATE_NOOP("Psw", "Title"), w.signer_title),
            (f["phone"].label, w.signer_phone),
            (QT_TRANSLATE_NOOP("Psw", "E-mail"), w.signer_email),
            (QT_TRANSLATE_NOOP("Psw", "Date"), w.signed_on),
        )),
        (QT_TRANSLATE_NOOP("Psw", "Customer disposition"), (
            (QT_TRANSLATE_NOOP("Psw", "Disposition"),
             translate("Certification", STATE_LABELS[State(w.disposition)])
             if w.disposition else ""),
            (QT_TRANSLATE_NOOP("Psw", "Customer signature"),
             f"{w.customer_signature} — {w.customer_signed_on}" if w.customer_signature else ""),
            (QT_TRANSLATE_NOOP("Psw", "Customer name"), w.customer_name),
            (f["customer_tracking"].label, w.customer_tracking),
        )),
    )
    return PswSummary(sections)
