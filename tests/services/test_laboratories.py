"""EN 10204 inspection documents and ISO/IEC 17025 laboratories: a 3.1 names its heat and its
inspector, a 3.2 its co-signer too; a report tested after the laboratory's accreditation
expired, or outside its scope, is a finding of element 12."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.laboratories import En10204Type, InspectionDocumentDraft
from desktop_app.services.evidence_dto import ReportDraft
from desktop_app.services.laboratories import LaboratoryService
from tests.services.certification_fixtures import TODAY, Services, make_part, ready_submission


@pytest.fixture
def svc(ctx) -> Services:
    return Services(ctx)


@pytest.fixture
def labs(ctx) -> LaboratoryService:
    return LaboratoryService(ctx, today=lambda: TODAY)


def _material(svc, actors, part, tested_on: str, standard: str = "ISO 6892-1"
              ) -> tuple[str, str]:
    summary = svc.evidence.record_report(actors["insp"], ReportDraft(
        part_id=part["part_id"], report_type="material", title="Tensile test",
        standard=standard, laboratory="Laboratoire Central SNS", lab_kind="external",
        accreditation="ALGERAC 2019-LE-014", tested_on=tested_on,
        stated_result="conforming")).summary
    return summary.report_id, summary.number


def _problems(svc, actors, sid) -> list[str]:
    return [f.code for f in svc.cert.check(actors["eng"], sid).problems]


def test_a_report_tested_after_the_accreditation_expired_is_a_finding(svc, labs, actors):
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    assert _problems(svc, actors, sid) == []
    labs.save_laboratory(actors["insp"], "Laboratoire Central SNS", "ALGERAC",
                         "ALGERAC 2019-LE-014", ["ISO 6892-1", "ISO 6508-1"],
                         date(2026, 11, 1))
    assert labs.laboratories(actors["eng"])[0].expired
    late, number = _material(svc, actors, part, "2026-11-18")
    svc.cert.link_evidence(actors["eng"], sid, "10", [late])
    check = svc.cert.check(actors["eng"], sid)
    assert [f.code for f in check.problems] == ["lab_accreditation_expired"]
    assert check.problems[0].message == (
        f"Report {number} was tested on 2026-11-18 by "
        "Laboratoire Central SNS, whose ISO/IEC 17025 accreditation ALGERAC 2019-LE-014 expired "
        "on 2026-11-01.")
    # Renewed before the test: the same report is in order.
    labs.save_laboratory(actors["insp"], "laboratoire central sns", "ALGERAC",
                         "ALGERAC 2019-LE-014", ["ISO 6892-1", "ISO 6508-1"],
                         date(2030, 11, 1))
    assert len(labs.laboratories(actors["eng"])) == 1
    assert _problems(svc, actors, sid) == []


def test_a_test_outside_the_scope_is_a_finding(svc, labs, actors):
    part = make_part(svc, actors)
    sid = ready_submission(svc, actors, part)
    labs.save_laboratory(actors["insp"], "Laboratoire Central SNS", "ALGERAC",
                         "ALGERAC 2019-LE-014", ["ISO 6892-1"], date(2030, 1, 1))
    spray, _ = _material(svc, actors, part, "2026-11-18", standard="ISO 9227")
    svc.cert.link_evidence(actors["eng"], sid, "10", [spray])
    assert _problems(svc, actors, sid) == ["lab_outside_scope"]
    # A customer's own specification is no accredited method: the customer judges it.
    own, _ = _material(svc, actors, part, "2026-11-19", standard="Spécification Jetour Q/JT 12")
    svc.cert.unlink_evidence(actors["eng"], sid, "10", spray)
    svc.cert.link_evidence(actors["eng"], sid, "10", [own])
    assert _problems(svc, actors, sid) == []


def test_en10204_documents_name_what_their_type_requires(svc, labs, actors):
    part = make_part(svc, actors)
    report = part["material"]
    insp = actors["insp"]
    with pytest.raises(ValidationError, match="names the heat number"):
        labs.record_document(insp, InspectionDocumentDraft(report, "3.1", inspector="A. Ziani"))
    with pytest.raises(ValidationError, match="authorised inspection representative"):
        labs.record_document(insp, InspectionDocumentDraft(report, "3.1", heat_number="H1"))
    with pytest.raises(ValidationError, match="purchaser's authorised representative"):
        labs.record_document(insp, InspectionDocumentDraft(report, "3.2", heat_number="H1",
                                                           inspector="A. Ziani"))
    with pytest.raises(ValidationError, match="Only a 3.2"):
        labs.record_document(insp, InspectionDocumentDraft(report, "3.1", heat_number="H1",
                                                           inspector="A. Ziani", cosigner="X"))
    with pytest.raises(ValidationError, match="type 2.1, 2.2, 3.1 or 3.2"):
        labs.record_document(insp, InspectionDocumentDraft(report, "3.3"))
    doc = labs.record_document(insp, InspectionDocumentDraft(
        report, "3.2", heat_number=" 24-B-0817 ", inspector="A. Ziani",
        inspector_title="Responsable contrôle réception, aciérie", cosigner="Chen Jie",
        cosigner_organisation="Jetour SQE"))
    assert (doc.doc_type, doc.french, doc.heat_number) == (
        En10204Type.CERTIFICATE_32, "certificat de réception 3.2", "24-B-0817")
    with pytest.raises(ValidationError, match="already has its EN 10204"):
        labs.record_document(insp, InspectionDocumentDraft(report, "2.1"))
    assert [d.label for d in labs.documents(insp, part["part_id"])] == [
        "Inspection certificate 3.2"]


def test_recording_a_report_of_an_expired_laboratory_warns(svc, labs, actors):
    part = make_part(svc, actors)
    labs.save_laboratory(actors["insp"], "Laboratoire Central SNS", "ALGERAC",
                         "ALGERAC 2019-LE-014", ["ISO 6892-1"], date(2026, 11, 1))

    def warnings(tested_on: str, standard: str = "ISO 6892-1") -> list[str]:
        detail = svc.evidence.record_report(actors["insp"], ReportDraft(
            part_id=part["part_id"], report_type="material", title="Tensile test",
            standard=standard, laboratory="Laboratoire Central SNS", lab_kind="external",
            accreditation="ALGERAC 2019-LE-014", tested_on=tested_on,
            stated_result="conforming"))
        return [w.text() for w in detail.warnings]

    assert warnings("2026-10-30") == []
    assert warnings("2026-11-18") == [
        "The ISO/IEC 17025 accreditation ALGERAC 2019-LE-014 of Laboratoire Central SNS expired "
        "on 2026-11-01, before this test: the report cannot stand as qualified laboratory "
        "documentation (PPAP element 12)."]
    assert warnings("2026-10-30", "ISO 9227") == [
        "ISO 9227 is outside the ISO/IEC 17025 accreditation scope of Laboratoire Central SNS."]
