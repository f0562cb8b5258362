"""The lists behind the dashboard's figures, as (title, summary, headers, rows, highlighted rows)
for `FigureListDialog`. Every visible string is translated here."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.domain.certification import STATE_LABELS, State
from desktop_app.domain.integration import REASON_LABELS, SET_KIND_LABELS
from desktop_app.domain.milestones import MODEL_STATE_LABELS, ModelState
from desktop_app.domain.roadmap import APQP_PHASE_LABELS, PARTY_LABELS, STEP_STATUS_LABELS
from desktop_app.services.dashboard import ExpiringApproval, SubmissionLine
from desktop_app.services.integration import ModelIntegration
from desktop_app.services.roadmap import StepSummary
from desktop_app.services.sync_dto import SiteStatus
from desktop_app.ui.i18n import tr

C = "DashboardLists"
FigureList = tuple[str, str, list[str], list[list[str]], list[int]]


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value} %"


def sets_list(m: ModelIntegration) -> FigureList:
    rows, counting = [], []
    for i, s in enumerate(m.sets):
        rows.append([s.code, s.name, tr("Integration", SET_KIND_LABELS[s.kind]), pct(s.rate),
                     pct(s.contribution), tr("Integration", REASON_LABELS[s.reason]),
                     ", ".join(f"{ln.part_number} ({pct(ln.share)})" for ln in s.links)])
        if s.counts:
            counting.append(i)
    summary = tr(C, "{model}: {rate} on {day} — {n} of {total} sets count. The reference list "
                    "totals {listed}.").format(
        model=m.code, rate=pct(m.rate), day=m.day.isoformat(), n=len(m.counting),
        total=len(m.sets), listed=pct(m.listed_total))
    headers = [tr(C, "Code"), tr(C, "Set"), tr(C, "Kind"), tr(C, "Contributory rate"),
               tr(C, "Counts for"), tr(C, "Why"), tr(C, "Local parts (share)")]
    return tr(C, "Sets of {model}").format(model=m.code), summary, headers, rows, counting


def milestones_list(m: ModelIntegration) -> FigureList:
    rows, missed = [], []
    for i, ms in enumerate(m.milestones):
        verdict = (tr(C, "met") if ms.met else tr(C, "missed")) if ms.met is not None \
            else (tr(C, "forecast met") if ms.forecast >= ms.target
                  else tr(C, "forecast short"))
        rows.append([tr(C, "End of year {n}").format(n=ms.years), ms.day.isoformat(),
                     pct(ms.target), pct(ms.actual), pct(ms.forecast), verdict, ms.reference])
        if ms.met is False or (ms.met is None and ms.forecast < ms.target):
            missed.append(i)
    state = tr("Integration", MODEL_STATE_LABELS[m.state])
    explanations = {
        ModelState.ON_TRACK: tr(C, "The forecast reaches the next milestone in time."),
        ModelState.AT_RISK: tr(C, "The forecast stays below the next milestone's target on its "
                                  "date."),
        ModelState.GRACE: tr(C, "A milestone was missed: 12 more months with the supply "
                                "programme cut by 25 % (decree 24-159 art. 30)."),
        ModelState.FROZEN: tr(C, "A milestone is still missed after its 12 months of grace: the "
                                 "supply programme is frozen until the rate is reached."),
    }
    summary = f"{m.code}: {state}. {explanations[m.state]}"
    headers = [tr(C, "Milestone"), tr(C, "Date"), tr(C, "Target"), tr(C, "Rate reached"),
               tr(C, "Forecast"), tr(C, "Verdict"), tr(C, "Reference")]
    return tr(C, "Milestones of {model}").format(model=m.code), summary, headers, rows, missed


def steps_list(steps: list[StepSummary], title: str) -> FigureList:
    rows = [[s.model_code, s.code, s.title, s.target_date.isoformat(),
             s.forecast_date.isoformat() if s.forecast_date else "",
             tr("Roadmap", STEP_STATUS_LABELS[s.status]), str(s.days_late) if s.late else "",
             s.owner] for s in steps]
    headers = [tr(C, "Model"), tr(C, "Step"), tr(C, "Title"), tr(C, "Target date"),
               tr(C, "Forecast date"), tr(C, "Status"), tr(C, "Days late"), tr(C, "Owner")]
    summary = tr(C, "Steps: {n}").format(n=len(steps))
    return title, summary, headers, rows, [i for i, s in enumerate(steps) if s.late]


def step_components(s: StepSummary) -> FigureList:
    rows = [[c.name, tr("Roadmap", APQP_PHASE_LABELS[c.apqp_phase]),
             ", ".join(f"{p}: {q}" for p, q in c.volumes)] for c in s.components]
    signoffs = "; ".join(f"{tr('Roadmap', PARTY_LABELS[g.party])}: {g.signer_name}"
                         for g in s.signoffs if g.current) or tr(C, "not signed yet")
    summary = tr(C, "{code} — {title}. Target {rate} by {day}; status {status}. Evidence: "
                    "{evidence}. Sign-offs: {signoffs}.").format(
        code=s.code, title=s.title, rate=pct(s.target_rate), day=s.target_date.isoformat(),
        status=tr("Roadmap", STEP_STATUS_LABELS[s.status]),
        evidence=", ".join(s.required_evidence) or "—", signoffs=signoffs)
    headers = [tr(C, "Component"), tr(C, "APQP phase"), tr(C, "Planned volumes")]
    return tr(C, "Step {code}").format(code=s.code), summary, headers, rows, []


def expiring_list(items: list[ExpiringApproval]) -> FigureList:
    rows = [[e.part_number, e.part_name, e.certificate_number, e.expires_on.isoformat(),
             str(e.days_left)] for e in items]
    headers = [tr(C, "Part"), tr(C, "Designation"), tr(C, "Certificate"), tr(C, "Expires on"),
               tr(C, "Days left")]
    return (tr(C, "Interim approvals expiring soon"),
            tr(C, "Interim approvals valid today that end within 60 days."), headers, rows,
            [i for i, e in enumerate(items) if e.days_left <= 14])


def submissions_list(state: str, lines: list[SubmissionLine]) -> FigureList:
    label = tr("Certification", STATE_LABELS[State(state)])
    rows = [[s.number, s.part_number, label, s.updated_at[:16].replace("T", " ")]
            for s in lines]
    headers = [tr(C, "Submission"), tr(C, "Part"), tr(C, "State"), tr(C, "Last change")]
    return (tr(C, "Submissions: {state}").format(state=label),
            tr(C, "Submissions: {n}").format(n=len(lines)), headers, rows, [])


def site_details(site: SiteStatus) -> FigureList:
    rows = [
        [tr(C, "Site"), f"{site.code} — {site.name}"],
        [tr(C, "Last package received"), str(site.last_received_sequence or "—")],
        [tr(C, "Applied here at"), site.last_received_at or "—"],
        [tr(C, "Made by the site at"), site.last_received_created_at or "—"],
        [tr(C, "Last package sent"), str(site.last_sent_sequence or "—")],
        [tr(C, "Acknowledged up to"), str(site.acked_up_to)],
        [tr(C, "Revisions not yet sent"), str(site.pending_revisions)],
        [tr(C, "Key fingerprint"), site.fingerprint or "—"],
    ]
    return (tr(C, "Site {code}").format(code=site.code), "", [tr(C, "Fact"), tr(C, "Value")],
            rows, [])


def step_detail_text(step: StepSummary) -> str:
    """Components with APQP phase and volumes, evidence and sign-offs of a step, as plain text."""
    lines = [f"{step.code} — {step.title}"]
    for c in step.components:
        volumes = ", ".join(f"{p}: {q}" for p, q in c.volumes)
        lines.append(f"  • {c.name} — {tr('Roadmap', APQP_PHASE_LABELS[c.apqp_phase])}"
                     + (f" — {volumes}" if volumes else ""))
    if step.required_evidence:
        lines.append(tr(C, "Required evidence: {items}").format(
            items=", ".join(step.required_evidence)))
    for g in step.signoffs:
        earlier = "" if g.current else " " + tr(C, "(an earlier version of the step)")
        lines.append(tr(C, "Signed for the {party} by {name} on {day}: {comment}").format(
            party=tr("Roadmap", PARTY_LABELS[g.party]), name=g.signer_name,
            day=g.signed_at[:10], comment=g.comment or "—") + earlier)
    if not step.signoffs:
        lines.append(tr(C, "Not signed yet."))
    return "\n".join(lines)
