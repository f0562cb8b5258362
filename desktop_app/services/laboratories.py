"""Test laboratories with their ISO/IEC 17025 accreditation (scope, expiry), and EN 10204
inspection documents recorded on test reports (domain/laboratories.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.capability import Note
from desktop_app.domain.certification_checks import Finding
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.laboratories import (
    EN10204_FRENCH,
    EN10204_LABELS,
    Accreditation,
    En10204Type,
    InspectionDocumentDraft,
    ReportLab,
    find_accreditation,
    laboratory_findings,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.storage.models.evidence import TestReport
from desktop_app.storage.models.laboratories import InspectionDocument, Laboratory

EXPIRES_SOON = timedelta(days=60)


@dataclass(frozen=True, slots=True)
class LaboratoryInfo:
    lab_id: str
    name: str
    accreditation_body: str
    accreditation_number: str
    scope: tuple[str, ...]
    valid_until: str
    expired: bool
    expires_soon: bool

    def to_json(self) -> dict[str, Any]:
        return {"id": self.lab_id, "name": self.name, "body": self.accreditation_body,
                "accreditation": self.accreditation_number, "scope": list(self.scope),
                "valid_until": self.valid_until, "expired": self.expired,
                "expires_soon": self.expires_soon}


@dataclass(frozen=True, slots=True)
class InspectionDocumentInfo:
    document_id: str
    report_id: str
    report_number: str
    doc_type: En10204Type
    label: str  # the English designation (translate with context "Laboratories")
    french: str  # the French designation, as printed on the document
    heat_number: str
    inspector: str
    inspector_title: str
    cosigner: str
    cosigner_organisation: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.document_id, "report": self.report_number,
                "type": str(self.doc_type), "designation": self.label,
                "designation_fr": self.french, "heat_number": self.heat_number,
                "inspector": self.inspector, "inspector_title": self.inspector_title,
                "cosigner": self.cosigner, "cosigner_organisation": self.cosigner_organisation}


def _accreditation(row: Laboratory) -> Accreditation:
    return Accreditation(row.name, row.accreditation_body, row.accreditation_number,
                         tuple(json.loads(row.scope or "[]")), row.valid_until)


def report_laboratory_findings(uow: UnitOfWork, evidence_ids: Sequence[str]) -> list[Finding]:
    """The findings of element 12 for the test reports among `evidence_ids`."""
    ids = sorted(set(evidence_ids))
    reports: list[ReportLab] = []
    for start in range(0, len(ids), 500):
        reports += [ReportLab(r.number, r.laboratory, r.accreditation, r.standard, r.tested_on)
                    for r in uow.session.execute(select(TestReport).where(
                        TestReport.id.in_(ids[start:start + 500]))).scalars()]
    if not reports:
        return []
    labs = [_accreditation(r) for r in uow.session.execute(select(Laboratory)).scalars()]
    return laboratory_findings(sorted(reports, key=lambda r: r.number), labs)


def accreditation_notes(uow: UnitOfWork, laboratory: str, accreditation: str, standard: str,
                        tested_on: date) -> list[Note]:
    """What to tell the person recording a report: the laboratory's accreditation had expired
    on the test date, or the test is outside its scope (the check of element 12 says so too)."""
    labs = [_accreditation(r) for r in uow.session.execute(select(Laboratory)).scalars()]
    lab = find_accreditation(ReportLab("", laboratory, accreditation, standard,
                                       tested_on.isoformat()), labs)
    if lab is None:
        return []
    if lab.expired_on(tested_on.isoformat()):
        return [Note(QT_TRANSLATE_NOOP(
            "Evidence", "The ISO/IEC 17025 accreditation {accreditation} of {laboratory} expired "
                        "on {expired}, before this test: the report cannot stand as qualified "
                        "laboratory documentation (PPAP element 12)."),
            {"accreditation": lab.number, "laboratory": lab.laboratory,
             "expired": lab.valid_until})]
    if not lab.covers(standard):
        return [Note(QT_TRANSLATE_NOOP(
            "Evidence", "{standard} is outside the ISO/IEC 17025 accreditation scope of "
                        "{laboratory}."), {"standard": standard, "laboratory": lab.laboratory})]
    return []


class LaboratoryService:
    def __init__(self, ctx: ServiceContext, today: Callable[[], date] | None = None) -> None:
        self._ctx = ctx
        self._today = today or ctx.today

    # -- laboratories ------------------------------------------------------------------------

    def laboratories(self, actor: Actor) -> list[LaboratoryInfo]:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(Laboratory).order_by(Laboratory.name)).scalars()
            return [self._info(r) for r in rows]

    def _info(self, row: Laboratory) -> LaboratoryInfo:
        today = self._today()
        until = date.fromisoformat(row.valid_until) if row.valid_until else None
        return LaboratoryInfo(row.id, row.name, row.accreditation_body,
                              row.accreditation_number, tuple(json.loads(row.scope or "[]")),
                              row.valid_until, until is not None and until < today,
                              until is not None and today <= until <= today + EXPIRES_SOON)

    def save_laboratory(self, actor: Actor, name: str, accreditation_body: str,
                        accreditation_number: str, scope: Sequence[str],
                        valid_until: date | None) -> LaboratoryInfo:
        """Record a laboratory's accreditation, or renew it (same name: a new revision)."""
        actor.require(Permission.RECORD_EVIDENCE)
        name = name.strip()
        if not name:
            raise ValidationError(QT_TRANSLATE_NOOP("Errors", "Name the laboratory."),
                                  field="name")
        if accreditation_number.strip() and valid_until is None:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "An ISO/IEC 17025 accreditation has an expiry date."),
                field="valid_until")
        fields = {"name": name, "accreditation_body": accreditation_body.strip(),
                  "accreditation_number": accreditation_number.strip(),
                  "scope": [s.strip() for s in scope if s.strip()],
                  "valid_until": valid_until.isoformat() if valid_until else ""}
        with self._ctx.unit_of_work() as uow:
            existing = uow.session.execute(select(Laboratory.id).where(
                func.lower(Laboratory.name) == name.lower())).scalar()
            if existing:
                state = uow.records.update(existing, fields, actor, "accreditation renewed",
                                           what="Laboratory")
            else:
                state = uow.records.create("laboratory", fields, actor,
                                           reason="laboratory recorded")
            uow.session.flush()
            row = uow.session.get(Laboratory, state.record_id)
            assert row is not None
            return self._info(row)

    # -- EN 10204 inspection documents -------------------------------------------------------

    def record_document(self, actor: Actor, draft: InspectionDocumentDraft
                        ) -> InspectionDocumentInfo:
        """What a test report is as EN 10204 names it, with the heat number and the people who
        validated it; refused when the type's requirements are not met."""
        actor.require(Permission.RECORD_EVIDENCE)
        clean = draft.checked()
        with self._ctx.unit_of_work() as uow:
            report = uow.session.get(TestReport, clean.report_id)
            if report is None:
                raise NotFound(what="Test report", key=clean.report_id)
            if uow.session.execute(select(InspectionDocument.id).where(
                    InspectionDocument.report_id == clean.report_id)).scalar():
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "Report {report} already has its EN 10204 inspection document; "
                              "a correction is a new report that supersedes it."),
                    report=report.number)
            state = uow.records.create("inspection_document", {
                "report_id": clean.report_id, "part_id": report.part_id,
                "doc_type": clean.doc_type, "heat_number": clean.heat_number,
                "inspector": clean.inspector, "inspector_title": clean.inspector_title,
                "cosigner": clean.cosigner, "cosigner_organisation": clean.cosigner_organisation,
            }, actor, reason="inspection document recorded")
            uow.session.flush()
            return self._documents(uow, document_id=state.record_id)[0]

    def documents(self, actor: Actor, part_id: str = "") -> list[InspectionDocumentInfo]:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            return self._documents(uow, part_id=part_id)

    def _documents(self, uow: UnitOfWork, part_id: str = "",
                   document_id: str = "") -> list[InspectionDocumentInfo]:
        stmt = select(InspectionDocument, TestReport.number).outerjoin(
            TestReport, TestReport.id == InspectionDocument.report_id)
        if part_id:
            stmt = stmt.where(InspectionDocument.part_id == part_id)
        if document_id:
            stmt = stmt.where(InspectionDocument.id == document_id)
        out = []
        for doc, number in uow.session.execute(stmt.order_by(TestReport.number)):
            kind = En10204Type(doc.doc_type)
            out.append(InspectionDocumentInfo(
                doc.id, doc.report_id, number or "", kind, EN10204_LABELS[kind],
                EN10204_FRENCH[kind], doc.heat_number, doc.inspector, doc.inspector_title,
                doc.cosigner, doc.cosigner_organisation))
        return out
