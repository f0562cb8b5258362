"""`partdesk deviation list|add|approve|reject|use`: deviations (IATF 16949 8.7.1.1) requested
by the supplier and decided by the customer with an electronic signature.

    partdesk deviation list [--part JCM-3101017] [--json]
    partdesk --user k.benali deviation add JCM-3101017 --characteristic 3 --until 2027-03-31 \
        --quantity 500 --description "100 % hardness sorting"
    partdesk --user li.wei deviation approve DEV-MSR-2026-003
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.cli.evidence import resolve_part
from desktop_app.domain.deviations import STATUS_LABELS, DeviationAction
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.deviations import DeviationInfo, DeviationService
from desktop_app.services.evidence_queries import EvidenceQueries


def register(sub: Any) -> None:
    dev = sub.add_parser("deviation", help="Deviations: the customer's permission to ship parts "
                                           "that do not meet a requirement, for a time or a "
                                           "quantity.")
    inner = dev.add_subparsers(dest="deviation_command", metavar="ACTION", required=True)
    p = command(inner, "list", cmd_list, "List the deviations with their status today.")
    p.add_argument("--part", default="", help="only those of this part number (or part id)")
    p.add_argument("--revision", default="", help="drawing revision (default: the latest)")
    p = command(inner, "add", cmd_add, "Request a deviation from the customer.")
    p.add_argument("part", help="part number (or part id)")
    p.add_argument("--revision", default="", help="drawing revision (default: the latest)")
    p.add_argument("--characteristic", action="append", required=True, metavar="NUMBER",
                   help="characteristic number on the drawing (repeat for several)")
    p.add_argument("--description", required=True,
                   help="what the deviation allows and how the product is contained")
    p.add_argument("--until", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="expiry date")
    p.add_argument("--quantity", type=int, default=None, help="parts the deviation covers")
    p.add_argument("--number", default="", help="the customer's number (default: "
                                                "DEV-<site>-<year>-<sequence>)")
    for name, handler, text in (
            ("approve", cmd_approve, "Approve a deviation as the customer, with an electronic "
                                     "signature (the password of --user signs)."),
            ("reject", cmd_reject, "Reject a deviation as the customer, with an electronic "
                                   "signature and a reason.")):
        p = command(inner, name, handler, text)
        p.add_argument("deviation", help="deviation number, e.g. DEV-MSR-2026-003")
        p.add_argument("--reason", default="", required=name == "reject",
                       help="recorded with the signature")
    p = command(inner, "use", cmd_use, "Record parts shipped under a deviation.")
    p.add_argument("deviation", help="deviation number")
    p.add_argument("quantity", type=int, help="parts shipped")


def _line(cli: Cli, d: DeviationInfo) -> str:
    limit = " ".join(x for x in (
        cli.tr("until {date}").format(date=printable(d.valid_until)) if d.valid_until else "",
        cli.tr("{used} of {limit} parts").format(used=d.quantity_used,
                                                 limit=printable(d.quantity_limit))
        if d.quantity_limit else "") if x)
    return (f"{printable(d.number):<18} {printable(d.part_number)} {printable(d.part_revision)}"
            f"  #{printable(', '.join(d.characteristic_numbers))}  {limit}  "
            f"{cli.tr(STATUS_LABELS[d.status], 'Deviations')}"
            + (f" ({printable(d.decided_by)})" if d.decided_by else ""))


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    ctx = cli.initialised_context(write=False)
    part_id = resolve_part(ctx, args.part, args.revision) if args.part else ""
    rows = DeviationService(ctx).list_deviations(actor, part_id)
    lines = [_line(cli, d) for d in rows]
    lines.append(cli.tr_n("%Ln deviations", len(rows)))
    cli.out([d.to_json() for d in rows], "\n".join(lines))
    return 0


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    part_id = resolve_part(ctx, args.part, args.revision)
    ids = {c.number: c.characteristic_id for c in EvidenceQueries(ctx).characteristics(part_id)}
    missing = [n for n in args.characteristic if n not in ids]
    if missing:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "Characteristic {characteristic} is not a characteristic of this part "
                      "revision."), field="characteristics", characteristic=missing[0])
    dev = DeviationService(ctx).request_deviation(
        actor, part_id, [ids[n] for n in args.characteristic], args.description,
        valid_until=args.until, quantity_limit=args.quantity, number=args.number)
    cli.out(dev.to_json(), cli.tr("Deviation {number} requested; it waives nothing until the "
                                  "customer approves it.").format(number=printable(dev.number)))
    return 0


def _decide(cli: Cli, args: argparse.Namespace, action: DeviationAction) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    service = DeviationService(ctx)
    found = service.find(actor, args.deviation)
    _, password = cli.credentials()
    dev = service.decide(actor, found.deviation_id, action, password, reason=args.reason)
    cli.out(dev.to_json(), cli.tr("Signed and recorded: deviation {number} is {status}.").format(
        number=printable(dev.number),
        status=cli.tr(STATUS_LABELS[dev.status], "Deviations").lower()))
    return 0


def cmd_approve(cli: Cli, args: argparse.Namespace) -> int:
    return _decide(cli, args, DeviationAction.APPROVE)


def cmd_reject(cli: Cli, args: argparse.Namespace) -> int:
    return _decide(cli, args, DeviationAction.REJECT)


def cmd_use(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    service = DeviationService(ctx)
    dev = service.record_use(actor, service.find(actor, args.deviation).deviation_id,
                             args.quantity)
    cli.out(dev.to_json(), _line(cli, dev))
    return 0
