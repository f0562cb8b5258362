"""Demo step 4: OTS and PPAP submissions in every state, signed decisions and certificates.

Prepared by the engineers (k.benali, s.haddad), reviewed by the inspector (n.mansouri), decided by
the approvers (li.wei for Jetour, a.cherif for Massar): separation of duties holds throughout.
The three parts with recorded evidence are submitted at level 3 with their reports; body panels
audited on site by Jetour's SQE at level 5 (reviewed at the supplier's plant), every other part
with the series results demo/evidence.py recorded for it: no approval contradicts its evidence
(results of elements 9 and 10 linked, special characteristics capable or under a deviation, the
checks run again when the approver signs). Decisions carry
their historical dates (each part's history runs under a fixed clock), so approval periods start
in the past; one interim approval expires within 30 days; one submission is rejected, one
approval suspended and one revoked. Certificates are printed on demand (`partdesk certificate
print`).

Deviations are records (IATF 16949 8.7.1.1): DEV-MSR-2026-003 (the wheel bolt's core hardness on
its OTS samples, Ppk 0.760), -004 and -009 are requested by the preparer and approved by Jetour's
SQE with a signature, limited by a date and a quantity, some parts already shipped under them.
Before the submissions: the laboratories with their ISO/IEC 17025 accreditation and the EN 10204
documents of the material reports; after them: ends of production, so that the retention list
holds records past their date.

Leaves demo.refs["certification"]: {"submissions": {part number: [submission id, ...]},
"certificates": {part number: certificate number}, "approved_parts": [part id, ...]}.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from desktop_app.demo.parts import PARTS
from desktop_app.domain.certification import Action, SubmissionKind
from desktop_app.domain.certification_checks import required_elements
from desktop_app.domain.deviations import DeviationAction
from desktop_app.domain.laboratories import InspectionDocumentDraft
from desktop_app.domain.ppap import Reason
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.deviations import DeviationService
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.laboratories import LaboratoryService
from desktop_app.services.people import PeopleService
from desktop_app.services.retention import RetentionService

if TYPE_CHECKING:
    from desktop_app.demo import Demo

NA = "Non requis par Jetour pour cette pièce (CSR Jetour §4.2)"
# The part whose submission Jetour's approver decides at Jetour's own site (demo/sync.py).
JTR_DECIDES = "JX7-2804011"


@dataclass(frozen=True)
class Deviation:
    """A deviation Massar requests and the customer's approver signs (IATF 16949 8.7.1.1)."""

    number: str
    characteristic: str  # the characteristic's number on the drawing
    description: str
    days: int  # valid until this many days after today
    quantity: int
    used: int = 0  # parts shipped under it so far
    approver: str = "li.wei"


@dataclass(frozen=True)
class Plan:
    part: str
    kind: SubmissionKind
    level: int
    preparer: str
    started: str  # ISO date the submission was prepared
    path: tuple[tuple[str, str, str], ...]  # (action, actor, reason)
    evidence: tuple[tuple[str, str], ...] = ()  # (element, report key)
    reason: Reason = Reason.INITIAL
    interim_days: int = 0  # interim approval: expires this many days after today
    deviations: tuple[Deviation, ...] = ()  # recorded, approved by the customer


def _walk(preparer: str, reviewer: str, approver: str, action: str = "approve",
          reason: str = "") -> tuple[tuple[str, str, str], ...]:
    return (("submit", preparer, ""), ("start_review", reviewer, ""), (action, approver, reason))


# The bolt's dimensions are in two reports: its length in the dimensional report, Rm and the
# core hardness in the laboratory's tensile and hardness report.
BOLT_RESULTS = (("09", "bolt_dim"), ("09", "bolt_tensile"), ("10", "bolt_tensile"))


def series_results(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The results recorded for a part without reports of its own (demo/evidence.py, SERIES):
    dimensions with the capability of its special characteristic, material and performance."""
    dim, material = f"{plan.part}/dim", f"{plan.part}/material"
    if plan.kind is SubmissionKind.OTS:
        return (("09", dim), ("10", material))
    return (("09", dim), ("10", material), ("11", dim))


PLANS: tuple[Plan, ...] = (
    # Level 3 with the recorded reports; a deviation covers an SC below Ppk 1.33.
    Plan("JCM-5301010", SubmissionKind.PPAP, 3, "k.benali", "2026-06-02",
         _walk("k.benali", "n.mansouri", "li.wei"),
         (("09", "traverse_dim"), ("10", "traverse_material"), ("11", "traverse_cap")),
         deviations=(Deviation("DEV-MSR-2026-004", "2", "Entraxe : contrôle 100 % jusqu'à "
                                                         "Ppk ≥ 1,33.", 75, 3000, 1200),)),
    # OTS first, then PPAP with an interim approval that expires within 30 days. The core
    # hardness (SC) is below Ppk 1.33: both approvals stand on a deviation.
    Plan("JCM-3101017", SubmissionKind.OTS, 3, "k.benali", "2026-05-04",
         _walk("k.benali", "n.mansouri", "li.wei"), BOLT_RESULTS,
         deviations=(Deviation("DEV-MSR-2026-003", "3", "Dureté à cœur (Ppk 0,760) : tri "
                                                         "100 % au duromètre des échantillons "
                                                         "OTS.", 120, 200, 60),)),
    Plan("JCM-3101017", SubmissionKind.PPAP, 3, "k.benali", "2026-10-12",
         _walk("k.benali", "n.mansouri", "a.cherif", "approve_interim"),
         (*BOLT_RESULTS, ("12", "bolt_salt_spray")), interim_days=20,
         deviations=(Deviation("DEV-MSR-2026-009", "3", "Dureté à cœur : tri 100 % au "
                                                         "duromètre des livraisons série "
                                                         "jusqu'au recalage du four FT-2.", 20,
                               2000, 350),)),
    # The brake disc stays a draft: the completeness check lists what is missing.
    Plan("JCM-3501075", SubmissionKind.PPAP, 3, "s.haddad", "2026-11-16", (),
         (("09", "disc_dim"), ("10", "disc_certificate"))),
    # Body and glass parts audited on site by Jetour's SQE (level 5).
    Plan("JX7-8402010", SubmissionKind.PPAP, 5, "s.haddad", "2026-03-30",
         _walk("s.haddad", "li.wei", "li.wei")),
    Plan("JX7-5701010", SubmissionKind.PPAP, 5, "s.haddad", "2026-03-30",
         _walk("s.haddad", "li.wei", "li.wei")),
    Plan("JX7-8403011", SubmissionKind.PPAP, 5, "k.benali", "2026-04-14",
         _walk("k.benali", "n.mansouri", "li.wei")),
    Plan("JX7-6101110", SubmissionKind.PPAP, 5, "k.benali", "2026-05-11",
         _walk("k.benali", "n.mansouri", "a.cherif")),
    Plan("JCM-5401220", SubmissionKind.PPAP, 5, "s.haddad", "2026-07-06",
         _walk("s.haddad", "n.mansouri", "li.wei")),
    Plan("JX7-5101011", SubmissionKind.PPAP, 5, "k.benali", "2026-07-20",
         _walk("k.benali", "n.mansouri", "a.cherif")),
    Plan("JX7-5206010", SubmissionKind.PPAP, 5, "s.haddad", "2026-08-03",
         _walk("s.haddad", "n.mansouri", "li.wei")),
    Plan("JX7-5606010", SubmissionKind.PPAP, 5, "s.haddad", "2026-08-03",
         _walk("s.haddad", "n.mansouri", "a.cherif")),
    Plan("JCM-3501211", SubmissionKind.PPAP, 5, "s.haddad", "2026-10-05",
         _walk("s.haddad", "n.mansouri", "li.wei", "reject",
               "Élément 9 : rapport dimensionnel non signé ; élément 11 : étude de capabilité "
               "sur 20 pièces seulement (≥ 100 demandées).")),
    Plan("JX7-3724010", SubmissionKind.PPAP, 5, "k.benali", "2026-02-16",
         (*_walk("k.benali", "n.mansouri", "li.wei"),
          ("revoke", "li.wei", "Sous-traitant de câblage sans certificat IATF 16949 valide "
                               "(audit Jetour du 2026-03-12)."))),
    Plan("JX7-6800010", SubmissionKind.PPAP, 5, "s.haddad", "2026-04-20",
         (*_walk("s.haddad", "n.mansouri", "a.cherif"),
          ("suspend", "a.cherif", "Réclamation client 8D-2026-114 : glissière de siège bruyante ; "
                                  "livraisons sous contrôle renforcé."))),
    Plan("JX7-2803011", SubmissionKind.OTS, 3, "k.benali", "2026-08-24",
         _walk("k.benali", "n.mansouri", "li.wei", "approve_interim"), interim_days=75),
    Plan("JX7-2810010", SubmissionKind.PPAP, 3, "s.haddad", "2026-11-09",
         (("submit", "s.haddad", ""), ("start_review", "n.mansouri", ""))),
    Plan("JCM-2910010", SubmissionKind.PPAP, 3, "k.benali", "2026-11-18",
         (("submit", "k.benali", ""),)),
    # Reviewed here, then decided by Jetour at its own site (JTR): see demo/sync.py.
    Plan(JTR_DECIDES, SubmissionKind.PPAP, 3, "s.haddad", "2026-11-02",
         (("submit", "s.haddad", ""), ("start_review", "n.mansouri", ""))),
)


class _Clock:
    """Historical time for one part's story: minutes pass per call, days per workflow step;
    never beyond yesterday."""

    def __init__(self, start: str) -> None:
        self.moment = datetime.fromisoformat(start + "T08:00:00+00:00")
        self.latest = datetime.combine(date.today() - timedelta(days=1),
                                       datetime.min.time()).replace(tzinfo=self.moment.tzinfo)

    def advance(self, days: int) -> None:
        self.moment = min(self.moment + timedelta(days=days), self.latest)

    def __call__(self) -> str:
        self.moment = min(self.moment + timedelta(minutes=3), self.latest)
        return self.moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _deviations(demo: Demo, plan: Plan, part_id: str, sid: str,
                certification: CertificationService) -> None:
    """The deviation records the plan stands on: requested by the preparer, approved by the
    customer's approver with a signature, some parts already shipped under them; the
    submission names them."""
    ctx = demo.ctx
    numbers = {c.number: c.characteristic_id
               for c in EvidenceQueries(ctx).characteristics(part_id)}
    service = DeviationService(ctx)
    preparer = demo.actor(plan.preparer)
    for dev in plan.deviations:
        if dev.characteristic not in numbers:
            continue
        info = service.request_deviation(
            preparer, part_id, [numbers[dev.characteristic]], dev.description,
            valid_until=date.today() + timedelta(days=dev.days), quantity_limit=dev.quantity,
            number=dev.number)
        service.decide(demo.actor(dev.approver), info.deviation_id, DeviationAction.APPROVE,
                       demo.passwords[dev.approver])
        if dev.used:
            service.record_use(preparer, info.deviation_id, dev.used)
    certification.update_submission(preparer, sid, deviations={
        numbers[d.characteristic]: d.number for d in plan.deviations
        if d.characteristic in numbers})


LNMC = "Laboratoire national des matériaux (LNMC), Alger"


def _laboratories(demo: Demo) -> None:
    """The laboratories the reports name, with their ISO/IEC 17025 accreditation (ALGERAC), and
    the EN 10204 documents of the material reports: the traverse's sheet comes with a 3.1 of the
    steelworks, the bolt's steel with a 3.2 co-signed by Jetour's resident SQE. One
    laboratory's accreditation lapsed in the spring: it is listed as expired (no report of the
    demo comes from it after that)."""
    ctx = demo.ctx
    inspector = demo.actor("n.mansouri")
    labs = LaboratoryService(ctx)
    today = date.today()
    labs.save_laboratory(inspector, LNMC, "ALGERAC", "L-0142",
                         ["ISO 6892-1", "ISO 6508-1", "ISO 9227"],
                         today.replace(year=today.year + 2, month=6, day=30))
    labs.save_laboratory(inspector, "Centre d'essais mécaniques de Constantine", "ALGERAC",
                         "L-0097", ["ISO 6892-1", "ISO 148-1"], today - timedelta(days=240))
    report_ids: dict[str, str] = demo.refs.get("evidence", {}).get("report_ids", {})
    documents = (
        ("traverse_material", InspectionDocumentDraft(
            "", "3.1", "Coulée 26-0412", "Karim Ouali",
            "Représentant autorisé du contrôle, aciérie (indépendant de la fabrication)")),
        ("bolt_tensile", InspectionDocumentDraft(
            "", "3.2", "Coulée 26-1187", "Karim Ouali",
            "Représentant autorisé du contrôle, aciérie (indépendant de la fabrication)",
            "Li Wei (李伟)", "Jetour SQE — représentant autorisé de l'acheteur")),
    )
    for key, draft in documents:
        if key in report_ids:
            labs.record_document(inspector, replace(draft, report_id=report_ids[key]))


def build(demo: Demo) -> None:
    ctx = demo.ctx
    _laboratories(demo)
    parts: dict[str, str] = demo.refs.get("parts", {})
    recorded = demo.refs.get("evidence", {})
    reports: dict[str, str] = {**recorded.get("attachments", {}), **recorded.get("report_ids", {})}
    people = PeopleService(ctx)
    submissions: dict[str, list[str]] = {}
    certificates: dict[str, str] = {}
    approved: list[str] = []
    original_clock = ctx.clock
    try:
        for plan in PLANS:
            part_id = parts.get(plan.part)
            if not part_id:
                continue
            clock = _Clock(plan.started)
            ctx.clock = clock
            certification = CertificationService(ctx)
            decisions = DecisionService(ctx, certification, people, clock=ctx.clock)
            preparer = demo.actor(plan.preparer)
            sid = certification.create_submission(
                preparer, part_id, plan.kind, plan.level, plan.reason).summary.submission_id
            submissions.setdefault(plan.part, []).append(sid)
            linked = set()
            for element, key in plan.evidence or series_results(plan):
                if key in reports:
                    certification.link_evidence(preparer, sid, element, [reports[key]])
                    linked.add(element)
            if plan.deviations:
                _deviations(demo, plan, part_id, sid, certification)
            for code in required_elements(plan.kind, plan.level, {}, False):
                if code not in linked:
                    certification.mark_not_applicable(preparer, sid, code, NA)
            for action, who, reason in plan.path:
                clock.advance(9 if action in ("start_review", "suspend", "revoke") else 5)
                actor = demo.actor(who)
                if action == "submit":
                    certification.submit(actor, sid)
                elif action == "start_review":
                    certification.start_review(actor, sid)
                else:
                    until = (date.today() + timedelta(days=plan.interim_days)
                             if action == "approve_interim" else None)
                    detail = decisions.decide(
                        actor, sid, Action(action), demo.passwords[who], reason=reason,
                        valid_until=until, quantity_limit=2000 if until else None,
                        action_plan=("Traitement thermique : recalage du four FT-2, tri 100 % "
                                     "au duromètre jusqu'à Ppk ≥ 1,33 sur 125 pièces."
                                     if until else ""))
                    number = detail.decisions[-1].certificate_number
                    if number:
                        certificates[plan.part] = number
                        if plan.kind is SubmissionKind.PPAP:
                            approved.append(part_id)
    finally:
        ctx.clock = original_clock
    demo.refs["certification"] = {"submissions": submissions, "certificates": certificates,
                                  "approved_parts": approved}
    demo.summary["certification"] = (
        f"{sum(len(v) for v in submissions.values())} submissions, "
        f"{len(certificates)} certificates (e.g. {next(iter(certificates.values()), '—')})")
    _retention(demo)


def _retention(demo: Demo) -> None:
    """Ends of production: the drawing revisions a later one replaced went out of series
    production 400 days ago (their records are past the default year of retention, listed for
    review), the parts abandoned outright 90 days ago (still kept)."""
    revisions: dict[tuple[str, str], str] = demo.refs.get("part_revisions", {})
    service = RetentionService(demo.ctx)
    engineer = demo.actor("k.benali")
    past = 0
    for row in PARTS:
        number, history = row[0], row[-1].split()
        for step in history:
            revision, status = step.split(":")
            part_id = revisions.get((number, revision))
            if status != "obs" or not part_id:
                continue
            replaced = step != history[-1]
            days = 400 if replaced else 90
            service.end_production(engineer, part_id, date.today() - timedelta(days=days),
                                   "Remplacé par l'indice suivant" if replaced
                                   else "Pièce abandonnée par Jetour")
            past += replaced
    demo.summary["retention"] = f"{past} part revision(s) past retention, listed for review"
