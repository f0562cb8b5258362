"""Shared set-up for the certification tests: a part revision with evidence ready to submit."""

from __future__ import annotations

from datetime import date

from desktop_app.domain.certification import SubmissionKind
from desktop_app.domain.certification_checks import required_elements
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Actor
from desktop_app.services.certificates import CertificateService
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.context import ServiceContext
from desktop_app.services.evidence import EvidenceService
from desktop_app.services.evidence_dto import (
    CharacteristicDraft,
    GaugeDraft,
    ReportDraft,
    ResultDraft,
)
from desktop_app.services.parts import PartService

TODAY = date(2026, 11, 26)
GOOD = tuple(f"{12 + ((i % 5) - 2) * 0.01:.3f}" for i in range(40))
LENGTHS = tuple(f"{150 + ((i % 3) - 1) * 0.1:.2f}" for i in range(5))


class Services:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.cert = CertificationService(ctx, today=lambda: TODAY)
        self.decisions = DecisionService(ctx, self.cert)
        self.certificates = CertificateService(ctx, today=lambda: TODAY)
        self.evidence = EvidenceService(ctx, today=lambda: TODAY)
        self.parts = PartService(ctx)


def make_part(svc: Services, actors: dict[str, Actor], number: str = "JT-5401-220",
              gauge_due: str = "2027-06-01") -> dict:
    """A part revision with two characteristics (one CC) measured by the inspector."""
    eng, insp = actors["eng"], actors["insp"]
    part_id = svc.parts.register_part(eng, PartDraft(
        part_number=number, revision="C", designation="Renfort de pied milieu",
        family="body_stamping")).part_id
    code = f"MIC-{number[-3:]}"
    svc.evidence.add_gauge(insp, GaugeDraft(code, "Micrometer 0-25 mm", "0-25 mm", "0.001",
                                            "2026-06-01", gauge_due))
    chars = svc.evidence.add_characteristics(eng, part_id, [
        CharacteristicDraft("1", "Hole diameter", "12", "-0.1", "0.1", unit="mm",
                            char_class="CC", gauge_code=code),
        CharacteristicDraft("2", "Flange length", "150", "-0.5", "0.5", unit="mm",
                            gauge_code=code),
    ])
    ids = {c.number: c.characteristic_id for c in chars}
    dim = svc.evidence.record_report(insp, ReportDraft(
        part_id=part_id, report_type="dimensional", title="Dimensional report",
        tested_on="2026-11-20"), [ResultDraft(ids["1"], GOOD), ResultDraft(ids["2"], LENGTHS)])
    mat = svc.evidence.record_report(insp, ReportDraft(
        part_id=part_id, report_type="material", title="Tensile test ISO 6892-1",
        tested_on="2026-11-18", stated_result="conforming"))
    return {"part_id": part_id, "chars": ids, "dimensional": dim.summary.report_id,
            "material": mat.summary.report_id}


def ready_submission(svc: Services, actors: dict[str, Actor], part: dict,
                     kind: SubmissionKind = SubmissionKind.PPAP, level: int = 3,
                     preparer: str = "eng") -> str:
    """A draft with every required element covered: evidence for 9 and 10, N/A for the rest."""
    who = actors[preparer]
    detail = svc.cert.create_submission(who, part["part_id"], kind=kind, level=level)
    sid = detail.summary.submission_id
    svc.cert.link_evidence(who, sid, "09", [part["dimensional"]])
    svc.cert.link_evidence(who, sid, "10", [part["material"]])
    for code in required_elements(kind, level, {}, False):
        if code not in ("09", "10"):
            svc.cert.mark_not_applicable(who, sid, code, "Not required by Jetour for this part")
    return sid


def approved(svc: Services, actors: dict[str, Actor], part: dict, password: str,
             approver: str = "appr") -> str:
    sid = ready_submission(svc, actors, part)
    svc.cert.submit(actors["eng"], sid)
    svc.cert.start_review(actors["insp"], sid)
    svc.decisions.decide(actors[approver], sid, "approve", password)
    return sid
