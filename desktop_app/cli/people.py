"""`partdesk people ...`: an administrator's management of accounts from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli.common import Cli, command, printable
from desktop_app.domain.errors import NotFound
from desktop_app.domain.people import Role
from desktop_app.services.people import PeopleService


def register(sub: Any) -> None:
    people = sub.add_parser("people", help="List and manage people.")
    inner = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    command(inner, "list", cmd_list, "List the people of this site.")
    p = command(
        inner, "add", cmd_add, "Add a person (password from PARTDESK_NEW_PASSWORD or a prompt)."
    )
    p.add_argument("username")
    p.add_argument("--name", required=True, help="full name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--email", default="")
    p.add_argument("--title", default="")
    p = command(inner, "role", cmd_role, "Change a person's role.")
    p.add_argument("username")
    p.add_argument("role", choices=[r.value for r in Role])
    for name, active in (("disable", False), ("enable", True)):
        p = command(
            inner, name, cmd_enable if active else cmd_disable, f"{name.capitalize()} an account."
        )
        p.add_argument("username")
    p = command(
        inner,
        "reset-password",
        cmd_reset,
        "Set a new password (from PARTDESK_NEW_PASSWORD or a prompt).",
    )
    p.add_argument("username")


def _find(service: PeopleService, actor, username: str):
    for person in service.list_people(actor):
        if person.username.lower() == username.lower():
            return person
    raise NotFound(what="User", key=username)


def cmd_list(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor(write=False)
    people = PeopleService(cli.initialised_context(write=False)).list_people(actor)
    lines = [
        f"{printable(p.username):<16} {p.role:<14} {'active' if p.active else 'disabled':<9} "
        f"{printable(p.display_name)}"
        for p in people
    ]
    cli.out([p.to_json() for p in people], "\n".join(lines))
    return 0


def cmd_add(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    person = PeopleService(cli.context()).add_person(
        actor, args.username, args.name, Role(args.role), cli.new_password(), args.email, args.title
    )
    cli.out(
        person.to_json(),
        cli.tr("Added {user} as {role}.").format(user=printable(person.username), role=person.role),
    )
    return 0


def cmd_role(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    service = PeopleService(cli.context())
    person = service.change_role(
        actor, _find(service, actor, args.username).user_id, Role(args.role)
    )
    cli.out(
        person.to_json(),
        cli.tr("{user} is now {role}.").format(user=printable(person.username), role=person.role),
    )
    return 0


def _set_active(cli: Cli, args: argparse.Namespace, active: bool) -> int:
    actor = cli.actor()
    service = PeopleService(cli.context())
    person = service.set_active(actor, _find(service, actor, args.username).user_id, active)
    text = cli.tr("{user} is enabled.") if active else cli.tr("{user} is disabled.")
    cli.out(person.to_json(), text.format(user=printable(person.username)))
    return 0


def cmd_enable(cli: Cli, args: argparse.Namespace) -> int:
    return _set_active(cli, args, True)


def cmd_disable(cli: Cli, args: argparse.Namespace) -> int:
    return _set_active(cli, args, False)


def cmd_reset(cli: Cli, args: argparse.Namespace) -> int:
    actor = cli.actor()
    service = PeopleService(cli.context())
    service.reset_password(actor, _find(service, actor, args.username).user_id, cli.new_password())
    cli.out(
        {"ok": True},
        cli.tr("The password of {user} was reset.").format(user=printable(args.username)),
    )
    return 0
