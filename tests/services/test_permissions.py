"""Role x action: every service action is allowed exactly to the roles that hold its permission.

Each area adds its actions to ACTIONS; the CLI calls the same services, so it obeys the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.domain.errors import PermissionDenied
from desktop_app.domain.people import ROLE_PERMISSIONS, Actor, Permission, Role
from desktop_app.services.backup import BackupService
from desktop_app.services.context import ServiceContext
from desktop_app.services.people import PeopleService
from tests.conftest import PASSWORD

Action = Callable[[ServiceContext, Actor, dict[str, Actor], Path], object]

ACTIONS: dict[str, tuple[Permission, Action]] = {
    "add a person": (
        Permission.MANAGE_PEOPLE,
        lambda ctx, a, everyone, tmp: PeopleService(ctx).add_person(
            a, "newcomer", "New Comer", Role.ENGINEER, PASSWORD
        ),
    ),
    "change a role": (
        Permission.MANAGE_PEOPLE,
        lambda ctx, a, everyone, tmp: PeopleService(ctx).change_role(
            a, everyone["eng"].user_id, Role.INSPECTOR
        ),
    ),
    "disable an account": (
        Permission.MANAGE_PEOPLE,
        lambda ctx, a, everyone, tmp: PeopleService(ctx).set_active(
            a, everyone["insp"].user_id, False
        ),
    ),
    "reset a password": (
        Permission.MANAGE_PEOPLE,
        lambda ctx, a, everyone, tmp: PeopleService(ctx).reset_password(
            a, everyone["eng"].user_id, "reset-password-1"
        ),
    ),
    "list people": (
        Permission.VIEW,
        lambda ctx, a, everyone, tmp: PeopleService(ctx).list_people(a),
    ),
    "back up": (
        Permission.BACKUP_RESTORE,
        lambda ctx, a, everyone, tmp: BackupService(ctx).backup(a),
    ),
}

ROLE_USERS = {
    Role.ADMINISTRATOR: "admin",
    Role.ENGINEER: "eng",
    Role.INSPECTOR: "insp",
    Role.APPROVER: "appr",
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_role_may_do_exactly_what_its_permissions_allow(
    ctx: ServiceContext, actors: dict[str, Actor], tmp_path: Path, role: Role, action: str
) -> None:
    permission, run = ACTIONS[action]
    actor = actors[ROLE_USERS[role]]
    if permission in ROLE_PERMISSIONS[role]:
        run(ctx, actor, actors, tmp_path)
    else:
        with pytest.raises(PermissionDenied, match=f"{actor.username} .* is not allowed to"):
            run(ctx, actor, actors, tmp_path)


def test_an_administrator_can_never_decide_on_a_submission() -> None:
    assert Permission.DECIDE_SUBMISSION not in ROLE_PERMISSIONS[Role.ADMINISTRATOR]
