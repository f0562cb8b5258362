from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from desktop_app.domain.errors import (
    AccountDisabled,
    AuthenticationFailed,
    LoginThrottled,
    ValidationError,
)
from desktop_app.domain.people import Actor, Role
from desktop_app.services.context import ServiceContext
from desktop_app.services.people import FREE_ATTEMPTS, PeopleService, throttle_delay
from desktop_app.storage.models.core import AuditEntry, KeyValue
from tests.conftest import PASSWORD


def audit_actions(ctx: ServiceContext) -> list[str]:
    with ctx.unit_of_work() as uow:
        return list(
            uow.session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars()
        )


def test_sign_in_with_the_right_password_and_its_audit_entry(ctx: ServiceContext) -> None:
    actor = PeopleService(ctx).sign_in("ADMIN", PASSWORD)  # user names ignore case
    assert actor.username == "admin" and actor.role is Role.ADMINISTRATOR
    assert audit_actions(ctx)[-1] == "login"


@pytest.mark.parametrize("username", ["admin", "nobody"])
def test_wrong_password_or_unknown_user_get_the_same_sentence(
    ctx: ServiceContext, username: str
) -> None:
    with pytest.raises(AuthenticationFailed) as info:
        PeopleService(ctx).sign_in(username, "wrong-password")
    assert info.value.message() == "The user name or password is wrong."
    assert audit_actions(ctx)[-1] == "login.failed"


def test_a_disabled_account_cannot_sign_in(ctx: ServiceContext, actors: dict[str, Actor]) -> None:
    people = PeopleService(ctx)
    people.set_active(actors["admin"], actors["eng"].user_id, False)
    with pytest.raises(AccountDisabled, match="disabled"):
        people.sign_in("eng", PASSWORD)
    people.set_active(actors["admin"], actors["eng"].user_id, True)
    assert people.sign_in("eng", PASSWORD).username == "eng"


def test_repeated_failures_are_throttled_then_released(ctx: ServiceContext) -> None:
    clock = [datetime(2026, 11, 26, 8, 0, tzinfo=UTC)]
    people = PeopleService(ctx, now=lambda: clock[0])
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            people.sign_in("admin", "wrong-password")
    with pytest.raises(LoginThrottled, match="try again in 3[01] seconds"):
        people.sign_in("admin", PASSWORD)  # even the right password waits
    clock[0] += timedelta(seconds=throttle_delay(FREE_ATTEMPTS) + 1)
    assert people.sign_in("admin", PASSWORD).username == "admin"


def test_throttling_grows_and_is_capped() -> None:
    delays = [throttle_delay(n) for n in range(FREE_ATTEMPTS, FREE_ATTEMPTS + 12)]
    assert delays == sorted(delays) and delays[0] == 30 and delays[-1] == 15 * 60


def test_an_administrator_manages_people(ctx: ServiceContext, actors: dict[str, Actor]) -> None:
    people, admin = PeopleService(ctx), actors["admin"]
    newcomer = people.add_person(admin, "f.saidi", "Farid Saïdi", Role.INSPECTOR, PASSWORD)
    people.change_role(admin, newcomer.user_id, Role.APPROVER)
    assert people.sign_in("f.saidi", PASSWORD).role is Role.APPROVER
    people.reset_password(admin, newcomer.user_id, "another-password-1")
    with pytest.raises(AuthenticationFailed):
        people.sign_in("f.saidi", PASSWORD)
    assert people.sign_in("f.saidi", "another-password-1").username == "f.saidi"


def test_the_last_administrator_cannot_be_disabled_or_demoted(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    people, admin = PeopleService(ctx), actors["admin"]
    with pytest.raises(ValidationError, match="last active administrator"):
        people.set_active(admin, admin.user_id, False)
    with pytest.raises(ValidationError, match="last active administrator"):
        people.change_role(admin, admin.user_id, Role.ENGINEER)


@pytest.mark.parametrize(
    "username, password, sentence",
    [
        ("eng", PASSWORD, "already taken"),
        ("x", PASSWORD, "2 to 32"),
        ("new.person", "short", "at least 10"),
        ("new.person", "new.person", "differ from the user name"),
        ("long.enough", "LONG.ENOUGH", "differ from the user name"),
    ],
)
def test_bad_new_accounts_are_refused_and_nothing_is_written(
    ctx: ServiceContext, actors: dict[str, Actor], username: str, password: str, sentence: str
) -> None:
    people = PeopleService(ctx)
    before = len(people.list_people(actors["admin"]))
    with pytest.raises(ValidationError, match=sentence):
        people.add_person(actors["admin"], username, "Some One", Role.ENGINEER, password)
    assert len(people.list_people(actors["admin"])) == before


def test_confirming_a_password_before_a_signature(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    people = PeopleService(ctx)
    people.confirm_password(actors["appr"], PASSWORD)
    with pytest.raises(AuthenticationFailed):
        people.confirm_password(actors["appr"], "not-my-password")
    assert audit_actions(ctx)[-1] == "signature.failed"


def test_changing_ones_own_password_needs_the_old_one(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    people = PeopleService(ctx)
    with pytest.raises(AuthenticationFailed):
        people.change_own_password(actors["eng"], "wrong-old-password", "brand-new-password")
    people.change_own_password(actors["eng"], PASSWORD, "brand-new-password")
    assert people.sign_in("eng", "brand-new-password").username == "eng"


# -- nothing said about an account before its password is checked -------------------------


def test_a_disabled_account_with_a_wrong_password_answers_like_a_wrong_password(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    people = PeopleService(ctx)
    people.set_active(actors["admin"], actors["eng"].user_id, False)
    answers = []
    for username in ("eng", "insp", "nobody"):  # disabled, active, unknown
        with pytest.raises(AuthenticationFailed) as info:
            people.sign_in(username, "wrong-password")
        answers.append((type(info.value), info.value.message(), info.value.exit_code))
    assert answers[0] == answers[1] == answers[2]
    with pytest.raises(AccountDisabled, match="The account eng is disabled"):
        people.sign_in("eng", PASSWORD)  # only the right password learns it


def fail(people: PeopleService, username: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            people.sign_in(username, "wrong-password")


@pytest.mark.parametrize("username", ["admin", "nobody", "eng"])  # known, unknown, disabled
def test_every_name_is_throttled_alike_with_the_same_sentence(
    ctx: ServiceContext, actors: dict[str, Actor], username: str
) -> None:
    PeopleService(ctx).set_active(actors["admin"], actors["eng"].user_id, False)
    clock = [datetime(2026, 11, 26, 8, 0, tzinfo=UTC)]
    people = PeopleService(ctx, now=lambda: clock[0])
    fail(people, username, FREE_ATTEMPTS)
    with pytest.raises(LoginThrottled) as info:
        people.sign_in(username, PASSWORD)  # right away: throttled, whatever the password
    assert info.value.message() == (
        f"Too many failed sign-ins for {username}; try again in "
        f"{throttle_delay(FREE_ATTEMPTS)} seconds."
    )
    assert audit_actions(ctx)[-1] == "login.throttled"
    # After the wait, one more failure doubles it, for every name alike.
    clock[0] += timedelta(seconds=throttle_delay(FREE_ATTEMPTS))
    fail(people, username, 1)
    with pytest.raises(LoginThrottled, match=f"in {throttle_delay(FREE_ATTEMPTS + 1)} seconds"):
        people.sign_in(username, "wrong-password")


def test_an_unknown_name_is_throttled_by_its_normalised_form_without_creating_anyone(
    ctx: ServiceContext, actors: dict[str, Actor]
) -> None:
    clock = [datetime(2026, 11, 26, 8, 0, tzinfo=UTC)]
    people = PeopleService(ctx, now=lambda: clock[0])
    before = people.list_people(actors["admin"])
    for spelling in ("ghost", "GHOST", " Ghost ", "gHoSt", "ghost"):
        fail(people, spelling, 1)
    with pytest.raises(LoginThrottled, match="for GhOsT; try again"):
        people.sign_in("GhOsT", "wrong-password")  # the name as typed, nothing stored shown
    with pytest.raises(AuthenticationFailed):
        people.sign_in("someone-else", "wrong-password")  # another name is not held up
    assert people.list_people(actors["admin"]) == before
    with ctx.unit_of_work() as uow:
        stored = list(uow.session.execute(select(KeyValue.key, KeyValue.value)))
    assert not any("ghost" in key.lower() or "ghost" in value.lower() for key, value in stored)
    clock[0] += timedelta(seconds=throttle_delay(FREE_ATTEMPTS) + 1)
    fail(people, "ghost", 1)  # free again after the wait, then the next delay


def test_a_known_name_in_other_case_is_shown_as_typed_when_throttled(ctx: ServiceContext) -> None:
    clock = [datetime(2026, 11, 26, 8, 0, tzinfo=UTC)]
    people = PeopleService(ctx, now=lambda: clock[0])
    fail(people, "ADMIN", FREE_ATTEMPTS)
    with pytest.raises(LoginThrottled, match="for ADMIN; try again"):
        people.sign_in("ADMIN", PASSWORD)


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.calls: list[str] = []

    def hash(self, password, *, salt=None):  # type: ignore[no-untyped-def, override]
        self.calls.append("hash")
        return super().hash(password, salt=salt)

    def verify(self, hash, password):  # type: ignore[no-untyped-def, override]  # noqa: A002
        self.calls.append("verify")
        return super().verify(hash, password)


@pytest.mark.parametrize("username", ["admin", "nobody"])
def test_an_unknown_name_costs_one_password_check_like_a_known_one(
    ctx: ServiceContext, username: str
) -> None:
    hasher = CountingHasher()
    with pytest.raises(AuthenticationFailed):
        PeopleService(ctx, hasher=hasher).sign_in(username, "wrong-password")
    assert hasher.calls == ["verify"]
