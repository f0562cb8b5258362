"""Commands of the foundation: init, verify, backup, restore, demo."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.people import SiteKind
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.backup import BackupService
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.site import SiteService
from desktop_app.storage.audit import Finding
from desktop_app.storage.folder_check import inspect_data_folder


def register(sub: Any) -> None:
    # No sign-in: init and demo make a new folder (and its first people); verify shows no data,
    # only ids and hashes, and must answer on a folder where signing in fails.
    p = command(
        sub,
        "init",
        cmd_init,
        "Set up a new data folder: site, key pair, administrator.",
        sign_in=False,
    )
    p.add_argument("--site-code", required=True, help="short code printed in numbers, e.g. MSR")
    p.add_argument("--site-name", required=True)
    p.add_argument("--site-kind", choices=[k.value for k in SiteKind], default="supplier")
    p.add_argument("--admin", required=True, metavar="USER", help="first administrator")
    p.add_argument("--admin-name", default="", help="full name of the administrator")

    command(
        sub,
        "verify",
        cmd_verify,
        "Check the database, the audit chain, every revision and every stored file.",
        sign_in=False,
    )
    command(sub, "backup", cmd_backup, "Make a verified copy of the database.")
    # Signs in like every command; on a damaged folder, whose accounts cannot be read,
    # `--latest` signs the person in as an administrator of the backup it restores.
    p = command(sub, "restore", cmd_restore, "Replace the database with a backup (kept first).")
    p.add_argument("file", type=Path, nargs="?", help="the backup to restore")
    p.add_argument(
        "--latest",
        action="store_true",
        help="the newest backup that verifies (also in a damaged data folder)",
    )
    p = command(
        sub, "demo", cmd_demo, "Fill an empty data folder with demonstration data.", sign_in=False
    )
    p.add_argument("--force", action="store_true", help=argparse.SUPPRESS)


def cmd_init(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.context()
    password = os.environ.get("PARTDESK_PASSWORD")
    if password is None:
        password = cli.new_password("PARTDESK_PASSWORD")
    site, admin = SiteService(ctx).initialise(
        args.site_code,
        args.site_name,
        SiteKind(args.site_kind),
        args.admin,
        args.admin_name or args.admin,
        password,
    )
    cli.out(
        {"site": site.to_json(), "admin": admin.to_json(), "data_dir": str(cli.folder.root)},
        cli.tr(
            "Site {code} ({name}) is set up in {folder}.\nAdministrator: {admin}\n"
            "Key fingerprint: {fp}"
        ).format(
            code=printable(site.code),
            name=printable(site.name),
            folder=printable(cli.folder.root),
            admin=printable(admin.username),
            fp=site.fingerprint,
        ),
    )
    return 0


def cmd_verify(cli: Cli, args: argparse.Namespace) -> int:
    ctx = cli.context(write=False)
    problems = IntegrityService(ctx).verify()
    if cli.json:
        cli.out({"ok": not problems, "problems": problems})
    elif problems:
        def translate(context: str, text: str) -> str:
            return cli.tr(text, context)

        for line in problems:
            # Findings about the audit log and its anchors carry a translatable sentence.
            text = line.message(translate) if isinstance(line, Finding) else line
            cli.err(text)
    else:
        print(cli.tr("All checks passed: database, audit log, revisions and files."))
    return 1 if problems else 0


def cmd_backup(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    info = BackupService(cli.context()).backup(actor)
    cli.out(
        {"path": str(info.path), "size": info.size},
        cli.tr("Backup written: {path}").format(path=printable(info.path)),
    )
    return 0


def cmd_restore(cli: Cli, args: argparse.Namespace) -> int:
    if args.latest and args.file is None:
        return _restore_latest(cli)
    actor = cli.actor()  # signed in before the arguments are judged, like every command
    if args.latest or args.file is None:
        raise ValidationError(
            QT_TRANSLATE_NOOP("Errors", "Name one backup file, or --latest for the newest.")
        )
    safety = BackupService(cli.context()).restore(actor, args.file)
    cli.out(
        {"restored": str(args.file), "previous_state": str(safety.path)},
        cli.tr("Restored {file}; the previous state is kept in {safety}.").format(
            file=printable(args.file), safety=printable(safety.path)
        ),
    )
    return 0


def _restore_latest(cli: Cli) -> int:
    from desktop_app.services import recovery

    damage = None if cli.database_url else inspect_data_folder(cli.folder)
    if damage is None:
        actor = cli.actor()
        backup = recovery.newest_backup(cli.folder)
        previous: Path | None = BackupService(cli.context()).restore(actor, backup).path
    else:
        if damage.backup is None:
            raise damage
        username, password = cli.credentials()
        cli.hold_folder()
        actor = recovery.sign_in_to_backup(damage.backup, username, password)
        restored = recovery.restore_into_damaged_folder(cli.folder, actor, damage.backup)
        backup, previous = restored.backup, restored.previous
    cli.out(
        {"restored": str(backup), "previous_state": str(previous) if previous else None},
        cli.tr("Restored {file}; the previous state is kept in {safety}.").format(
            file=printable(backup), safety=printable(previous)
        )
        if previous
        else cli.tr("Restored {file}.").format(file=printable(backup)),
    )
    return 0


def cmd_demo(cli: Cli, args: argparse.Namespace) -> int:
    from desktop_app.demo import build_demo

    ctx = cli.context()
    summary = build_demo(ctx, password=os.environ.get("PARTDESK_PASSWORD"))
    cli.out(summary, "\n".join(f"{k}: {printable(v)}" for k, v in summary.items()))
    return 0
