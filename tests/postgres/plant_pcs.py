"""PCs of one plant on the throwaway PostgreSQL server, set up through the real commands
(`plant init` on the first, `plant invite` there and `plant join` on each further one)."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.cli import main
from desktop_app.domain.people import Actor, Role
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from tests.conftest import PASSWORD, ROLES_BY_USER

SITE_CODE = "PLT"


def cli(folder: Path, *args: str, user: str = "") -> int:
    return main(["--data-dir", str(folder), *(["--user", user] if user else []), *args])


def plant_init(folder: Path, url: str) -> int:
    return cli(folder, "plant", "init", "--database-url", url, "--site-code", SITE_CODE,
               "--site-name", "Usine de Rouiba", "--admin", "admin", "--admin-name", "Ada Admin")


def invite(folder: Path, capsys) -> str:
    capsys.readouterr()
    assert cli(folder, "plant", "invite", "--json", user="admin") == 0
    return json.loads(capsys.readouterr().out)["code"]


def join(folder: Path, url: str, code: str) -> int:
    return cli(folder, "plant", "join", "--database-url", url, "--code", code)


def people(ctx: ServiceContext) -> dict[str, Actor]:
    """Signed-in actors of every role (admin, eng, insp, appr, appr2), as tests.conftest."""
    service = PeopleService(ctx)
    admin = service.sign_in("admin", PASSWORD)
    actors = {"admin": admin}
    for username, role in ROLES_BY_USER.items():
        if role is not Role.ADMINISTRATOR:
            service.add_person(admin, username, username.capitalize() + " Person", role,
                               PASSWORD)
            actors[username] = service.sign_in(username, PASSWORD)
    return actors


def open_pc(folder: Path) -> ServiceContext:
    """The services of a plant PC, opened as the window does: from its folder alone."""
    return open_context(DataFolder(folder))
