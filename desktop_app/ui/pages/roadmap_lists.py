"""The lists behind the dashboard's figures, as (title, summary, headers, rows, highlighted rows)
for `FigureListDialog`. Every visible string is translated here."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtGui import QGuiApplication

from desktop_app.domain.certification import STATE_LABELS, State
from desktop_app.domain.integration import REASON_LABELS, SET_KIND_LABELS
from desktop_app.domain.milestones import MODEL_STATE_LABELS, ModelState, SupplyRules
from desktop_app.domain.roadmap import (
    APQP_PHASE_LABELS,
    PARTY_LABELS,
    STEP_STATUS_LABELS,
    StepStatus,
)
from desktop_app.services.dashboard import ExpiringApproval, SubmissionLine
from desktop_app.services.integration_dto import ModelIntegration
from desktop_app.services.roadmap import StepSummary
from desktop_app.services.sync_dto import SiteStatus
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import local_date, local_datetime

FigureList = tuple[str, str, list[str], list[list[str]], list[int]]


def number(value: Decimal) -> str:
    """A decimal as the interface's language writes it (72,9 in French)."""
    return str(value).replace(".", QLocale().decimalPoint())


def share(factor: Decimal) -> str:
    """A share of 1 as a percentage without trailing zeros (0.75 -> 75 %)."""
    value = factor * 100
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return pct(value)


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{number(value)} %"


def sets_list(m: ModelIntegration) -> FigureList:
    rows, counting = [], []
    for i, s in enumerate(m.sets):
        rows.append(
            [
                s.code,
                s.name,
                tr("Integration", SET_KIND_LABELS[s.kind]),
                pct(s.rate),
                pct(s.contribution),
                tr("Integration", REASON_LABELS[s.reason]),
                ", ".join(f"{ln.part_number} ({pct(ln.share)})" for ln in s.links),
            ]
        )
        if s.counts:
            counting.append(i)
    summary = tr(
        "DashboardLists",
        "{model}: {rate} on {day} — {n} of {total} sets count. The reference list totals {listed}.",
    ).format(
        model=m.code,
        rate=pct(m.rate),
        day=local_day(m.day),
        n=len(m.counting),
        total=len(m.sets),
        listed=pct(m.listed_total),
    )
    headers = [
        tr("DashboardLists", "Code"),
        tr("DashboardLists", "Set"),
        tr("DashboardLists", "Kind"),
        tr("DashboardLists", "Contributory rate"),
        tr("DashboardLists", "Counts for"),
        tr("DashboardLists", "Why"),
        tr("DashboardLists", "Local parts (share)"),
    ]
    return (
        tr("DashboardLists", "Sets of {model}").format(model=m.code),
        summary,
        headers,
        rows,
        counting,
    )


def milestones_list(m: ModelIntegration) -> FigureList:
    rows, missed = [], []
    for i, ms in enumerate(m.milestones):
        verdict = (
            (tr("DashboardLists", "met") if ms.met else tr("DashboardLists", "missed"))
            if ms.met is not None
            else (
                tr("DashboardLists", "forecast met")
                if ms.forecast >= ms.target
                else tr("DashboardLists", "forecast short")
            )
        )
        rows.append(
            [
                tr("DashboardLists", "End of year {n}").format(n=ms.years),
                local_day(ms.day),
                pct(ms.target),
                pct(ms.actual),
                pct(ms.forecast),
                verdict,
                ms.reference,
            ]
        )
        if ms.met is False or (ms.met is None and ms.forecast < ms.target):
            missed.append(i)
    state = tr("Integration", MODEL_STATE_LABELS[m.state])
    explanations = {
        ModelState.ON_TRACK: tr(
            "DashboardLists", "The forecast reaches the next milestone in time."
        ),
        ModelState.AT_RISK: tr(
            "DashboardLists", "The forecast stays below the next milestone's target on its date."
        ),
        ModelState.GRACE: tr(
            "DashboardLists",
            "A milestone was missed: {months} more months with the supply "
            "programme cut by {cut} %.",
        ).format(months=m.rules.grace_months, cut=number(m.rules.supply_cut)),
        ModelState.FROZEN: tr(
            "DashboardLists",
            "A milestone is still missed after its {months} months of grace: the "
            "supply programme is frozen until the rate is reached.",
        ).format(months=m.rules.grace_months),
    }
    summary = f"{m.code}: {state}. {explanations[m.state]}\n{supply_rules_text(m.rules)}"
    headers = [
        tr("DashboardLists", "Milestone"),
        tr("DashboardLists", "Date"),
        tr("DashboardLists", "Target"),
        tr("DashboardLists", "Rate reached"),
        tr("DashboardLists", "Forecast"),
        tr("DashboardLists", "Verdict"),
        tr("DashboardLists", "Reference"),
    ]
    return (
        tr("DashboardLists", "Milestones of {model}").format(model=m.code),
        summary,
        headers,
        rows,
        missed,
    )


def supply_rules_text(rules: SupplyRules) -> str:
    """The rules for a missed milestone in a sentence each, with the text each comes from."""
    lines = [
        tr("DashboardLists", "A missed milestone opens {months} more months — {source}").format(
            months=rules.grace_months, source=rules.grace_source),
        tr("DashboardLists", "During them the annual supply programme is cut by {cut} % — "
                             "{source}").format(cut=number(rules.supply_cut),
                                                source=rules.supply_cut_source),
        (tr("DashboardLists", "The cut ends as soon as the rate is reached — {source}")
         if rules.cut_ends_early else
         tr("DashboardLists", "The cut lasts the whole period, even once the rate is reached "
                              "— {source}")).format(source=rules.cut_ends_early_source),
        (tr("DashboardLists", "Still missed at the end, the supply programme is frozen until "
                              "the rate is reached — {source}") if rules.freeze else
         tr("DashboardLists", "No freeze at the end — {source}")).format(
            source=rules.freeze_source),
    ]
    return "\n".join(lines)


def status_explanation(s: StepSummary) -> str:
    """Why the computed status is what it is, from the rate."""
    day = local_day(s.target_date)
    if s.computed_status in (StepStatus.ON_TRACK, StepStatus.AT_RISK):
        text = tr("DashboardLists", "Forecast rate on {day}: {rate} for a target of {target}.")
    else:
        text = tr("DashboardLists", "Rate on {day}: {rate} for a target of {target}.")
    text = text.format(day=day, rate=pct(s.rate_at_target), target=pct(s.target_rate))
    if s.computed_status is StepStatus.LATE and s.reached_on:
        text += " " + tr("DashboardLists", "Target reached (or expected) on {day}.").format(
            day=local_day(s.reached_on))
    if s.mismatch:
        text += " " + tr("DashboardLists", "Status set by hand: {reason}").format(
            reason=s.status_reason)
    return text


def status_text(s: StepSummary) -> str:
    """The status shown; a status set by hand that the rate contradicts says so."""
    shown = tr("Roadmap", STEP_STATUS_LABELS[s.status])
    if s.mismatch:
        return tr("Roadmap", "{status} (set by hand; the rate gives {computed})").format(
            status=shown, computed=tr("Roadmap", STEP_STATUS_LABELS[s.computed_status]))
    return shown


def steps_list(steps: list[StepSummary], title: str) -> FigureList:
    rows = [
        [
            s.model_code,
            s.code,
            s.title,
            local_day(s.target_date),
            pct(s.rate_at_target),
            status_text(s),
            str(s.days_late) if s.late else "",
            s.owner,
        ]
        for s in steps
    ]
    headers = [
        tr("DashboardLists", "Model"),
        tr("DashboardLists", "Step"),
        tr("DashboardLists", "Title"),
        tr("DashboardLists", "Target date"),
        tr("DashboardLists", "Rate on its date"),
        tr("DashboardLists", "Status"),
        tr("DashboardLists", "Days late"),
        tr("DashboardLists", "Owner"),
    ]
    summary = tr("DashboardLists", "Steps: {n}").format(n=len(steps))
    return title, summary, headers, rows, [i for i, s in enumerate(steps) if s.late]


def step_components(s: StepSummary) -> FigureList:
    rows = [
        [
            c.name,
            c.family,
            c.set_code,
            tr("DashboardLists", "local") if c.local else tr("DashboardLists", "imported"),
            tr("Roadmap", APQP_PHASE_LABELS[c.apqp_phase]),
            ", ".join(f"{p}: {q}" for p, q in c.volumes),
        ]
        for c in s.components
    ]
    signoffs = "; ".join(
        f"{tr('Roadmap', PARTY_LABELS[g.party])}: {g.signer_name}" for g in s.signoffs if g.current
    ) or tr("DashboardLists", "not signed yet")
    summary = tr(
        "DashboardLists",
        "{code} — {title}. Target {rate} by {day}; status {status}. Evidence: "
        "{evidence}. Sign-offs: {signoffs}.",
    ).format(
        code=s.code,
        title=s.title,
        rate=pct(s.target_rate),
        day=local_day(s.target_date),
        status=status_text(s) + (f" ({s.status_reason})" if s.manual_status else ""),
        evidence=", ".join(s.required_evidence) or "—",
        signoffs=signoffs,
    )
    headers = [
        tr("DashboardLists", "Component"),
        tr("DashboardLists", "Family"),
        tr("DashboardLists", "Set"),
        tr("DashboardLists", "Made"),
        tr("DashboardLists", "APQP phase"),
        tr("DashboardLists", "Planned volumes"),
    ]
    return tr("DashboardLists", "Step {code}").format(code=s.code), summary, headers, rows, []


def expiring_list(items: list[ExpiringApproval]) -> FigureList:
    rows = [
        [
            e.part_number,
            e.part_name,
            e.certificate_number,
            local_day(e.expires_on),
            str(e.days_left),
        ]
        for e in items
    ]
    headers = [
        tr("DashboardLists", "Part"),
        tr("DashboardLists", "Designation"),
        tr("DashboardLists", "Certificate"),
        tr("DashboardLists", "Expires on"),
        tr("DashboardLists", "Days left"),
    ]
    return (
        tr("DashboardLists", "Interim approvals expiring soon"),
        tr("DashboardLists", "Interim approvals valid today that end within 60 days."),
        headers,
        rows,
        [i for i, e in enumerate(items) if e.days_left <= 14],
    )


def submissions_list(state: str, lines: list[SubmissionLine]) -> FigureList:
    label = tr("Certification", STATE_LABELS[State(state)])
    rows = [[s.number, s.part_number, label, local_datetime(s.updated_at)] for s in lines]
    headers = [
        tr("DashboardLists", "Submission"),
        tr("DashboardLists", "Part"),
        tr("DashboardLists", "State"),
        tr("DashboardLists", "Last change"),
    ]
    return (
        tr("DashboardLists", "Submissions: {state}").format(state=label),
        tr("DashboardLists", "Submissions: {n}").format(n=len(lines)),
        headers,
        rows,
        [],
    )


def site_details(site: SiteStatus) -> FigureList:
    rows = [
        [tr("DashboardLists", "Site"), f"{site.code} — {site.name}"],
        [tr("DashboardLists", "Last package received"), str(site.last_received_sequence or "—")],
        [tr("DashboardLists", "Applied here at"), site.last_received_at or "—"],
        [tr("DashboardLists", "Made by the site at"), site.last_received_created_at or "—"],
        [tr("DashboardLists", "Last package sent"), str(site.last_sent_sequence or "—")],
        [tr("DashboardLists", "Acknowledged up to"), str(site.acked_up_to)],
        [tr("DashboardLists", "Revisions not yet sent"), str(site.pending_revisions)],
        [tr("DashboardLists", "Key fingerprint"), site.fingerprint or "—"],
    ]
    return (
        tr("DashboardLists", "Site {code}").format(code=site.code),
        "",
        [tr("DashboardLists", "Fact"), tr("DashboardLists", "Value")],
        rows,
        [],
    )


def _isolate(text: str) -> str:
    """Data text kept in its own direction: lines follow the language (Arabic reads right to
    left) instead of the first Latin word of a part name."""
    return "\u2068" + text + "\u2069"


def step_detail_text(step: StepSummary) -> str:
    """Components with APQP phase and volumes, evidence and sign-offs of a step, as plain text."""
    lines = [_isolate(f"{step.code} — {step.title}"), status_explanation(step)]
    if step.vehicle_volumes:
        lines.append(tr("DashboardLists", "Planned vehicles: {volumes}").format(
            volumes=_isolate(", ".join(f"{p}: {q}" for p, q in step.vehicle_volumes))))
    for c in step.components:
        volumes = ", ".join(f"{p}: {q}" for p, q in c.volumes)
        origin = (tr("DashboardLists", "local") if c.local
                  else tr("DashboardLists", "imported"))
        where = ", ".join(x for x in (c.family, c.set_code, origin) if x)
        lines.append(
            f"  • {_isolate(c.name)} ({_isolate(where)}) — "
            f"{tr('Roadmap', APQP_PHASE_LABELS[c.apqp_phase])}"
            + (f" — {_isolate(volumes)}" if volumes else "")
        )
    if step.required_evidence:
        lines.append(
            tr("DashboardLists", "Required evidence: {items}").format(
                items=", ".join(step.required_evidence)
            )
        )
    for g in step.signoffs:
        earlier = (
            "" if g.current else " " + tr("DashboardLists", "(an earlier version of the step)")
        )
        lines.append(
            tr("DashboardLists", "Signed for the {party} by {name} on {day}: {comment}").format(
                party=tr("Roadmap", PARTY_LABELS[g.party]),
                name=g.signer_name,
                day=local_date(g.signed_at),
                comment=g.comment or "—",
            )
            + earlier
        )
    if not step.signoffs:
        lines.append(tr("DashboardLists", "Not signed yet."))
    # Every line starts in the language's direction (a right-to-left mark in Arabic).
    mark = "\u200f" if QGuiApplication.isRightToLeft() else ""
    return "\n".join(mark + line for line in lines)
