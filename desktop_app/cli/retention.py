"""`partdesk retention list|end-production|policy|policies`: how long records are kept (end of
production plus one calendar year, or the customer's period), and which are past it. Nothing is
ever deleted: the list is for a person to review.

    partdesk retention list [--past] [--json]
    partdesk --user k.benali retention end-production JCM-3101017 --revision A --on 2025-06-30
    partdesk --user admin retention policy Jetour 15 --reference "Jetour CSR §7.5"
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.cli.evidence import resolve_part
from desktop_app.services.retention import RetentionService


def register(sub: Any) -> None:
    ret = sub.add_parser("retention", help="Retention of records: until when they are kept, "
                                           "which are past it (never deleted).")
    inner = ret.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    p = command(inner, "list", cmd_list,
                "Part revisions whose production ended, with the date their records are kept "
                "until; with --past, every record past its retention date.")
    p.add_argument("--past", action="store_true", help="list the records past retention")
    p = command(inner, "end-production", cmd_end,
                "Record when series production of a part revision ended.")
    p.add_argument("part", help="part number (or part id)")
    p.add_argument("--revision", default="", help="drawing revision (default: the latest)")
    p.add_argument("--on", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD",
                   dest="ended_on", help="the last day of series production")
    p.add_argument("--note", default="")
    p = command(inner, "policy", cmd_policy,
                "Set a customer's retention period: years after the end of production.")
    p.add_argument("customer", help="the carmaker, as named on its vehicle models")
    p.add_argument("years", type=int)
    p.add_argument("--reference", default="", help="where the customer requires it")
    command(inner, "policies", cmd_policies, "List the customers' retention periods.")


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    service = RetentionService(cli.initialised_context(write=False))
    if args.past:
        records = service.past_retention(actor)
        lines = [f"{printable(r.retain_until)}  {printable(r.part_number)} "
                 f"{printable(r.revision):<3} {r.record_type:<16} {printable(r.label)}"
                 for r in records]
        lines.append(cli.tr_n("%Ln records past retention; none is deleted.", len(records)))
        cli.out([r.to_json() for r in records], "\n".join(lines))
        return 0
    parts = service.parts(actor)
    lines = [f"{printable(p.part_number)} {printable(p.revision):<3} "
             + cli.tr_n("production ended {ended}, kept until {until} (%Ln years{who})",
                        p.years)
             .format(ended=printable(p.ended_on), until=printable(p.retain_until),
                     who=f", {printable(p.required_by)}" if p.required_by else "")
             + (cli.tr_n("  PAST RETENTION: %Ln records", p.records) if p.past else "")
             for p in parts]
    lines.append(cli.tr_n("%Ln part revisions out of production", len(parts)))
    cli.out([p.to_json() for p in parts], "\n".join(lines))
    return 0


def cmd_end(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    ctx = cli.initialised_context()
    row = RetentionService(ctx).end_production(
        actor, resolve_part(ctx, args.part, args.revision), args.ended_on, args.note)
    cli.out(row.to_json(), cli.tr("{part} {revision}: records kept until {until}.").format(
        part=printable(row.part_number), revision=printable(row.revision),
        until=printable(row.retain_until)))
    return 0


def cmd_policy(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    policy = RetentionService(cli.initialised_context()).set_policy(
        actor, args.customer, args.years, args.reference)
    cli.out(policy.to_json(), cli.tr_n("{customer}: records kept %Ln years after the end "
                                       "of production.", policy.years).format(
        customer=printable(policy.customer)))
    return 0


def cmd_policies(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    policies = RetentionService(cli.initialised_context(write=False)).policies(actor)
    lines = [f"{printable(p.customer):<20} {p.years:>3}  {printable(p.reference)}"
             for p in policies]
    lines.append(cli.tr("Others: 1 year after the end of production."))
    cli.out([p.to_json() for p in policies], "\n".join(lines))
    return 0
