"""`partdesk integration` and `partdesk roadmap ...`: the rate per model, steps, lists, reports."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Cli, _translator, command, printable
from desktop_app.cli.parts import sheet_args
from desktop_app.domain.errors import NotFound
from desktop_app.domain.integration import REASON_LABELS, SET_KIND_LABELS, parse_day
from desktop_app.domain.milestones import MODEL_STATE_LABELS
from desktop_app.domain.roadmap import COMPUTED_STATUSES, STEP_STATUS_LABELS, Party, StepStatus
from desktop_app.services import roadmap_sources
from desktop_app.services.deliveries import DeliveryService, InterimUsage
from desktop_app.services.integration import IntegrationService
from desktop_app.services.integration_dto import ModelIntegration
from desktop_app.services.reference_lists import ReferenceListService
from desktop_app.services.roadmap import RoadmapService, StepSummary
from desktop_app.services.roadmap_report import RoadmapReportService


def register(sub: Any) -> None:
    p = command(sub, "integration", cmd_integration,
                "Integration rate per vehicle model: sets, which count and why, the rate, the "
                "next milestone and the state.")
    p.add_argument("--model", metavar="M", help="a vehicle model code (default: every model)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the rate on this date (default: today)")

    roadmap = sub.add_parser("roadmap", help="Roadmap steps, reference lists and reports.")
    inner = roadmap.add_subparsers(dest="roadmap_command", metavar="ACTION", required=True)
    p = command(inner, "steps", cmd_steps, "List the roadmap steps (late ones marked).")
    p.add_argument("--model", metavar="M")
    p.add_argument("--status", choices=[s.value for s in COMPUTED_STATUSES])
    p.add_argument("--late", action="store_true", help="only the late steps")
    p = command(inner, "import-list", cmd_import_list,
                "Replace a model's reference list from .xlsx or .csv (columns: code, name, kind, "
                "rate); all or nothing.")
    p.add_argument("model", help="vehicle model code")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
    sheet_args(p)
    p = command(inner, "link", cmd_link, "Link a local part to a set of a model's reference list.")
    p.add_argument("model", help="vehicle model code")
    p.add_argument("set", help="set code")
    p.add_argument("part", help="part number (or part id)")
    p.add_argument("--share", default="100", help="share of the set's rate, %% (default 100)")
    p.add_argument("--supply-start", metavar="YYYY-MM-DD", help="series supply started on")
    p.add_argument("--expected-approval", metavar="YYYY-MM-DD")
    p.add_argument("--planned-supply", metavar="YYYY-MM-DD")
    p = command(inner, "sign", cmd_sign, "Sign off a roadmap step for one party.")
    p.add_argument("model", help="vehicle model code")
    p.add_argument("step", help="step code")
    p.add_argument("party", choices=[p.value for p in Party])
    p.add_argument("--comment", default="")
    p = command(inner, "set-status", cmd_set_status,
                "Set a step's status by hand, with the reason it differs from the one computed "
                "from the rate; 'computed' goes back to the computed status.")
    p.add_argument("model", help="vehicle model code")
    p.add_argument("step", help="step code")
    p.add_argument("status", choices=[s.value for s in COMPUTED_STATUSES] + ["computed"])
    p.add_argument("--reason", default="", help="why (required unless 'computed')")
    p = command(inner, "rules", cmd_rules,
                "Show a model's regulatory rules (milestones; grace, supply cut, freeze) with the "
                "text each comes from; with options, an administrator changes them.")
    p.add_argument("model", help="vehicle model code")
    p.add_argument("--milestone", action="append", metavar="YEARS:TARGET:TEXT",
                   help="replace the milestones: at least TARGET %% at the end of year YEARS, "
                        "from TEXT (repeat for each)")
    for flag, meta, what in (("grace-months", "N", "months of grace after a missed milestone"),
                             ("supply-cut", "P", "%% of the annual supply programme cut"),
                             ("cut-ends-early", "yes|no", "the cut ends when the rate is reached"),
                             ("freeze", "yes|no", "supply frozen when still missed at the end")):
        p.add_argument("--" + flag, metavar=meta, help=what)
        p.add_argument("--" + flag.removesuffix("-months") + "-source", metavar="TEXT",
                       help="the text this rule comes from")
    p = command(inner, "deliver", cmd_deliver,
                "Record pieces of a part shipped; they count against its interim approval's "
                "quantity, which ends once the quantity is shipped.")
    p.add_argument("part", help="part number (or part id)")
    p.add_argument("quantity", help="pieces shipped")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="shipped on (default: today)")
    p.add_argument("--note", default="", help="delivery note number")
    command(inner, "interim", cmd_interim,
            "Interim approvals limited by quantity: shipped, remaining, and when they end.")
    p = command(inner, "report", cmd_report,
                "Write the roadmap and integration status as .xlsx or as a PDF for an "
                "inspection visit.")
    p.add_argument("--out", required=True, type=Path, help="FILE.xlsx or FILE.pdf")
    p.add_argument("--model", metavar="M")
    p.add_argument("--report-lang", default="fr", choices=["fr", "en", "ar", "zh"],
                   help="language of the report (default: French)")


def _pct(value: Any) -> str:
    return f"{value} %"


def _model_text(cli: Cli, m: ModelIntegration) -> str:
    lines = [cli.tr("{code} — {name}   approved {approval}   state: {state}", "RoadmapCli").format(
        code=printable(m.code), name=printable(m.name),
        approval=printable(m.approval_date or "—"),
        state=cli.tr(MODEL_STATE_LABELS[m.state], "Integration"))]
    lines.append(cli.tr("Rate on {day}: {rate}   (list totals {total}, {short} missing)",
                   "RoadmapCli").format(day=m.day, rate=_pct(m.rate), total=_pct(m.listed_total),
                                        short=_pct(m.shortfall)))
    if m.next_milestone:
        n = m.next_milestone
        lines.append(cli.tr("Next milestone: {day}, at least {target} (forecast {forecast})",
                       "RoadmapCli").format(day=n.day, target=_pct(n.target),
                                            forecast=_pct(n.forecast)))
    if m.grace_until:
        lines.append(cli.tr("Grace period until {day}; supply programme at {factor} of plan.",
                       "RoadmapCli").format(day=m.grace_until,
                                            factor=_pct(m.supply_factor * 100)))
    lines.append(cli.tr("Rules: {months} months of grace, supply cut by {cut}, {ends}, "
                        "{freeze} (partdesk roadmap rules {code})", "RoadmapCli").format(
        months=m.rules.grace_months, cut=_pct(m.rules.supply_cut),
        ends=(cli.tr("cut ends when the rate is reached", "RoadmapCli") if m.rules.cut_ends_early
              else cli.tr("cut lasts the whole grace", "RoadmapCli")),
        freeze=(cli.tr("then frozen", "RoadmapCli") if m.rules.freeze
                else cli.tr("no freeze", "RoadmapCli")), code=printable(m.code)))
    for s in m.sets:
        parts = ", ".join(printable(ln.part_number) for ln in s.links)
        lines.append(f"  [{'x' if s.counts else ' '}] {printable(s.code):<10} "
                     f"{printable(s.name[:32]):<32} "
                     f"{cli.tr(SET_KIND_LABELS[s.kind], 'Integration'):<10} "
                     f"{_pct(s.contribution) + ' / ' + _pct(s.rate):<16} "
                     f"{cli.tr(REASON_LABELS[s.reason], 'Integration')}"
                     + (f"  ({parts})" if parts else ""))
    lines.append(cli.tr("Total: {rate}", "RoadmapCli").format(rate=_pct(m.rate)))
    return "\n".join(lines)


def cmd_integration(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    day = parse_day(args.date, "date") if args.date else None
    models = IntegrationService(cli.initialised_context(write=False)).status(
        actor, args.model, day)
    cli.out([m.to_json() for m in models],
            "\n\n".join(_model_text(cli, m) for m in models)
            or cli.tr("No vehicle model yet.", "RoadmapCli"))
    return 0


def _model_id(cli: Cli, code: str) -> str:
    with cli.initialised_context(write=False).unit_of_work() as uow:
        return roadmap_sources.find_model(uow.session, code).model_id


def cmd_steps(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    model_id = _model_id(cli, args.model) if args.model else None
    steps = RoadmapService(cli.initialised_context(write=False)).list_steps(
        actor, model_id, StepStatus(args.status) if args.status else None, args.late)
    lines = [f"{printable(s.model_code):<6} {printable(s.code):<8} {printable(s.target_date)} "
             f"{cli.tr(STEP_STATUS_LABELS[s.status], 'Roadmap'):<12} "
             f"{_mismatch(cli, s)}"
             f"{_pct(s.target_rate):<7} "
             f"{cli.tr_n('late by %Ln days', s.days_late, 'RoadmapCli') if s.late else '':<18}"
             f"{printable(s.title)}" for s in steps]
    cli.out([s.to_json() for s in steps], "\n".join(lines) or cli.tr("No step.", "RoadmapCli"))
    return 0


def _mismatch(cli: Cli, s: StepSummary) -> str:
    """A status set by hand that the rate contradicts shows the computed one beside it."""
    if not s.mismatch:
        return ""
    return cli.tr("(set by hand; the rate gives {computed}) ", "RoadmapCli").format(
        computed=cli.tr(STEP_STATUS_LABELS[s.computed_status], "Roadmap"))


def cmd_set_status(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    service = RoadmapService(cli.initialised_context())
    steps = service.list_steps(actor, _model_id(cli, args.model))
    step = next((s for s in steps if s.code.casefold() == args.step.casefold()), None)
    if step is None:
        raise NotFound(what="Roadmap step", key=args.step)
    status = None if args.status == "computed" else StepStatus(args.status)
    changed = service.set_status(actor, step.step_id, status, args.reason)
    cli.out(changed.to_json(), cli.tr("Step {code}: {status} {mismatch}", "RoadmapCli").format(
        code=printable(changed.code),
        status=cli.tr(STEP_STATUS_LABELS[changed.status], "Roadmap"),
        mismatch=_mismatch(cli, changed)).strip())
    return 0


def cmd_import_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=not args.dry_run)
    ctx = cli.initialised_context(write=not args.dry_run)
    service = ReferenceListService(ctx)
    model_id = _model_id(cli, args.model)
    where = {"sheet": args.sheet, "header_row": args.header_row}
    if args.dry_run:
        preview = service.preview_import(actor, model_id, args.file, **where)
    else:
        preview = service.apply_import(actor, model_id, args.file, **where)
    text = cli.tr("{model}: {rows} sets, {added} added, {changed} changed, {removed} removed; "
                  "the list totals {total} ({short} missing).", "RoadmapCli").format(
        model=printable(preview.model_code), rows=len(preview.entries), added=len(preview.added),
        changed=len(preview.changed), removed=len(preview.removed),
        total=_pct(preview.check.total), short=_pct(preview.check.shortfall))
    if args.dry_run:
        text += "\n" + cli.tr("Dry run: nothing was saved.", "RoadmapCli")
    cli.out(preview.to_json(), text)
    return 0


def cmd_link(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    model_id = _model_id(cli, args.model)
    sets = ReferenceListService(ctx).reference_list(actor, model_id)
    found = next((s for s in sets if s.code.casefold() == args.set.casefold()), None)
    if found is None:
        raise NotFound(what="Set", key=args.set)
    with ctx.unit_of_work() as uow:
        part = roadmap_sources.find_part(uow.session, args.part, model_id)
    IntegrationService(ctx).link_part(actor, found.set_id, part.part_id, args.share,
                                      args.supply_start, args.expected_approval,
                                      args.planned_supply)
    cli.out({"ok": True}, cli.tr("Linked {part} to {set}.", "RoadmapCli").format(
        part=printable(args.part), set=printable(found.code)))
    return 0


def cmd_sign(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    service = RoadmapService(ctx)
    steps = service.list_steps(actor, _model_id(cli, args.model))
    step = next((s for s in steps if s.code.casefold() == args.step.casefold()), None)
    if step is None:
        raise NotFound(what="Roadmap step", key=args.step)
    signed = service.sign_off(actor, step.step_id, Party(args.party), args.comment)
    cli.out(signed.to_json(), cli.tr("Step {code} signed for the {party}.", "RoadmapCli").format(
        code=printable(signed.code), party=args.party))
    return 0


_RULE_FLAGS = (("grace_months", "grace_source"), ("supply_cut", "supply_cut_source"),
               ("cut_ends_early", "cut_ends_early_source"), ("freeze", "freeze_source"))


def _yes(cli: Cli, value: bool) -> str:
    return cli.tr("yes", "RoadmapCli") if value else cli.tr("no", "RoadmapCli")


def cmd_rules(cli: Cli, args: argparse.Namespace) -> int:
    changes = {key: getattr(args, key) for pair in _RULE_FLAGS for key in pair
               if getattr(args, key) is not None}
    writing = bool(changes or args.milestone)
    actor = cli.actor(write=writing)
    ctx = cli.initialised_context(write=writing)
    service = IntegrationService(ctx)
    model_id = _model_id(cli, args.model)
    if args.milestone:
        rows = []
        for text in args.milestone:
            years, _, rest = text.partition(":")
            target, _, source = rest.partition(":")
            rows.append((years, target, source))
        service.set_milestone_rules(actor, model_id, rows)
    if changes:
        current, _ = service.supply_rules(actor, model_id)
        service.set_supply_rules(actor, model_id, {**current.fields(), **changes})
    rules, default = service.supply_rules(actor, model_id)
    milestones = service.milestone_rules(actor, model_id)
    lines = [cli.tr("Regulatory rules of {model}{default}", "RoadmapCli").format(
        model=printable(args.model.upper()),
        default=cli.tr(" (defaults)", "RoadmapCli") if default else "")]
    lines += [cli.tr("  at least {target} at the end of year {years} — {source}",
                     "RoadmapCli").format(target=_pct(m.target), years=m.years,
                                          source=printable(m.reference or "—"))
              for m in milestones]
    lines += [
        cli.tr("  missed milestone: {months} months of grace — {source}", "RoadmapCli").format(
            months=rules.grace_months, source=printable(rules.grace_source)),
        cli.tr("  supply programme cut by {cut} during the grace — {source}", "RoadmapCli")
        .format(cut=_pct(rules.supply_cut), source=printable(rules.supply_cut_source)),
        cli.tr("  cut ends as soon as the rate is reached: {answer} — {source}", "RoadmapCli")
        .format(answer=_yes(cli, rules.cut_ends_early),
                source=printable(rules.cut_ends_early_source)),
        cli.tr("  still missed at the end, supply frozen: {answer} — {source}", "RoadmapCli")
        .format(answer=_yes(cli, rules.freeze), source=printable(rules.freeze_source)),
    ]
    data = {"model": args.model.upper(), "default": default, **rules.fields(),
            "milestones": [{"years": m.years, "target": str(m.target), "source": m.reference}
                           for m in milestones]}
    cli.out(data, "\n".join(lines))
    return 0


def _usage_text(cli: Cli, u: InterimUsage) -> str:
    if u.used_up:
        state = cli.tr("quantity shipped: ended on {day}", "RoadmapCli").format(day=u.ends_on)
    elif u.ends_on:
        state = cli.tr_n("%Ln remaining, ends on {day} at the latest", u.remaining,
                         "RoadmapCli").format(day=u.ends_on)
    else:
        state = cli.tr_n("%Ln remaining", u.remaining, "RoadmapCli")
    return (f"{printable(u.part_number):<24} {printable(u.certificate_number):<20} "
            f"{u.shipped:>8} / {u.quantity_limit:<8} {state}")


def cmd_deliver(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    with ctx.unit_of_work() as uow:
        part = roadmap_sources.find_part(uow.session, args.part)
    service = DeliveryService(ctx)
    service.record_delivery(actor, part.part_id, args.quantity, args.date, args.note)
    usage = service.interim_usage(actor, part.part_id)
    lines = [cli.tr("Delivery of {n} × {part} recorded.", "RoadmapCli").format(
        n=printable(args.quantity), part=printable(part.number))]
    lines += [_usage_text(cli, u) for u in usage]
    cli.out([u.to_json() for u in usage], "\n".join(lines))
    return 0


def cmd_interim(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    usage = DeliveryService(cli.initialised_context(write=False)).interim_usage(actor)
    cli.out([u.to_json() for u in usage], "\n".join(_usage_text(cli, u) for u in usage)
            or cli.tr("No interim approval limited by quantity.", "RoadmapCli"))
    return 0


def cmd_report(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    ctx = cli.initialised_context(write=False)
    loaded: list = []

    def translate(context: str, text: str) -> str:
        # Loaded on first use: a refused file name never starts Qt's translation machinery.
        if not loaded:
            loaded.append(_translator(args.report_lang))
        return loaded[0](context, text)

    path = RoadmapReportService(ctx).write(actor, args.out, args.model,
                                           language=args.report_lang, translate=translate)
    cli.out({"path": str(path)},
            cli.tr("Report written: {path}", "RoadmapCli").format(path=printable(path)))
    return 0
