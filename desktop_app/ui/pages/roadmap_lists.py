"""Texts of the roadmap and the dashboard: percentages and numbers as the language writes them,
step statuses and their explanation, the rules for a missed milestone. Every visible string is
translated here."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtGui import QGuiApplication

from desktop_app.domain.milestones import SupplyRules
from desktop_app.domain.roadmap import (
    APQP_PHASE_LABELS,
    PARTY_LABELS,
    STEP_STATUS_LABELS,
    StepStatus,
)
from desktop_app.services.roadmap import StepSummary
from desktop_app.ui.i18n import tr
from desktop_app.ui.local_time import day as local_day
from desktop_app.ui.local_time import local_date


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
