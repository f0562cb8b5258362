"""`partdesk plant ...`: one plant on several PCs that share one PostgreSQL database.

    first PC:       partdesk plant init --database-url URL --site-code C --site-name N --admin A
                    partdesk --user A plant invite            (once for each further PC)
    each other PC:  partdesk plant join --database-url URL --code CODE

Each PC keeps its own data folder (a cache: the plant's settings, this PC's key, its logs and
spool); the folder lock holds that folder only, so PCs never wait for each other's folder.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.domain.people import SiteKind
from desktop_app.services.plant import DEFAULT_VALID_HOURS, PlantService, short_pc_id

JOIN_CODE_ENV = "PARTDESK_JOIN_CODE"


def register(sub: Any) -> None:
    plant = sub.add_parser("plant", help="A plant on several PCs sharing one PostgreSQL database.")
    inner = plant.add_subparsers(dest="plant_command", metavar="ACTION", required=True)
    p = command(inner, "init", cmd_init, "First PC: set up the plant in a PostgreSQL database "
                "(site, key held in the database, administrator) and point this PC at it.",
                sign_in=False)
    _database_url(p)
    p.add_argument("--site-code", required=True, help="short code printed in numbers, e.g. MSR")
    p.add_argument("--site-name", required=True)
    p.add_argument("--site-kind", choices=[k.value for k in SiteKind], default="supplier")
    p.add_argument("--admin", required=True, metavar="USER", help="first administrator")
    p.add_argument("--admin-name", default="", help="full name of the administrator")

    p = command(inner, "invite", cmd_invite,
                "An administrator approves one more PC: a one-time join code.")
    p.add_argument("--valid-hours", type=int, default=DEFAULT_VALID_HOURS,
                   help=f"how long the code may be used (default {DEFAULT_VALID_HOURS})")

    p = command(inner, "join", cmd_join, "Each further PC: enrol this PC in the plant with a "
                "join code from an administrator.", sign_in=False)
    _database_url(p)
    p.add_argument("--code", default="", help=f"the join code (or ${JOIN_CODE_ENV})")

    command(inner, "status", cmd_status, "The plant, its database and its enrolled PCs.")
    p = command(inner, "remove", cmd_remove, "Remove a PC from the plant (it signs nothing "
                "any more).")
    p.add_argument("pc", metavar="PC_ID",
                   help="the PC's id as 'plant status' shows it (its last 8 characters)")


def _database_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", dest="plant_database_url", metavar="URL",
                        default=argparse.SUPPRESS,
                        help="the plant's database, e.g. postgresql+psycopg://partdesk:PASSWORD@"
                             "server/partdesk")


def _use_url(cli: Cli, args: argparse.Namespace) -> None:
    url = getattr(args, "plant_database_url", None)
    if url:
        cli.args.database_url = url


def cmd_init(cli: Cli, args: argparse.Namespace) -> int:
    _use_url(cli, args)
    if not cli.args.database_url:
        PlantService.require_database_url()
    ctx = cli.context()
    password = os.environ.get("PARTDESK_PASSWORD")
    if password is None:
        password = cli.new_password("PARTDESK_PASSWORD")
    site, admin = PlantService(ctx).create(
        args.site_code, args.site_name, SiteKind(args.site_kind), args.admin,
        args.admin_name or args.admin, password)
    cli.out(
        {"site": site.to_json(), "admin": admin.to_json(), "database": ctx.db.where,
         "data_dir": str(cli.folder.root)},
        cli.tr(
            "Plant {code} ({name}) is set up in the database {where}; this PC's folder {folder} "
            "points at it.\nAdministrator: {admin}\nKey fingerprint: {fp}\n"
            "For each further PC: 'partdesk --user {admin} plant invite' here, then 'partdesk "
            "plant join --database-url URL --code CODE' there."
        ).format(code=printable(site.code), name=printable(site.name), where=ctx.db.where,
                 folder=printable(cli.folder.root), admin=printable(admin.username),
                 fp=site.fingerprint),
    )
    return 0


def cmd_invite(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    invitation = PlantService(cli.initialised_context()).invite(actor, args.valid_hours)
    cli.out(invitation.to_json(), cli.tr(
        "Join code for one more PC of plant {site}: {code}\nIt works once, until {expires} "
        "(UTC). On the new PC: partdesk plant join --database-url URL --code {code}"
    ).format(site=printable(invitation.site_code), code=invitation.code,
             expires=invitation.expires_at[:16].replace("T", " ")))
    return 0


def cmd_join(cli: Cli, args: argparse.Namespace) -> int:
    _use_url(cli, args)
    if not cli.args.database_url:
        PlantService.require_database_url()
    code = args.code or os.environ.get(JOIN_CODE_ENV, "")
    ctx = cli.context()
    site = PlantService(ctx).join(code)
    cli.out(
        {"site": site.to_json(), "database": ctx.db.where, "data_dir": str(cli.folder.root)},
        cli.tr(
            "This PC is enrolled in plant {code} ({name}); its folder {folder} points at the "
            "database {where}. Sign in as usual: partdesk --user NAME ..."
        ).format(code=printable(site.code), name=printable(site.name),
                 folder=printable(cli.folder.root), where=ctx.db.where),
    )
    return 0


def cmd_status(cli: Cli, args: argparse.Namespace) -> int:
    cli.actor(write=False)
    info = PlantService(cli.initialised_context(write=False)).status()
    lines = [cli.tr("Plant {code} ({name}), database {where}, key fingerprint {fp}").format(
        code=printable(info.site_code), name=printable(info.site_name), where=info.database,
        fp=info.fingerprint)]
    for pc in info.pcs:
        state = (cli.tr("removed {date}").format(date=pc.removed_at[:10]) if pc.removed_at
                 else cli.tr("enrolled {date} by {by}").format(date=pc.enrolled_at[:10],
                                                               by=printable(pc.enrolled_by)))
        mark = cli.tr(" (this PC)") if pc.this_pc else ""
        lines.append(f"{short_pc_id(pc.pc_id)}  {printable(pc.name):<24} {state}{mark}")
    cli.out(info.to_json(), "\n".join(lines))
    return 0


def cmd_remove(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    pc = PlantService(cli.initialised_context()).remove(actor, args.pc)
    cli.out(pc.to_json(), cli.tr(
        "PC {pc} ({name}) is removed from the plant: it signs nothing any more."
    ).format(pc=short_pc_id(pc.pc_id), name=printable(pc.name)))
    return 0
