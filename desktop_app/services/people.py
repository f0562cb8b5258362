"""Named accounts: sign-in with throttling, and an administrator's management of people."""

from __future__ import annotations

import base64
import hashlib
import json
import math
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from desktop_app.domain.errors import (
    AccountDisabled,
    AuthenticationFailed,
    LoginThrottled,
    NotFound,
    ValidationError,
)
from desktop_app.domain.people import (
    Actor,
    Permission,
    Role,
    check_new_password,
    check_username,
)
from desktop_app.domain.revisions import format_timestamp
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.dto import PersonSummary
from desktop_app.storage.models.core import Credential, KeyValue, Person

FREE_ATTEMPTS = 5
FIRST_DELAY_S = 30
MAX_DELAY_S = 15 * 60
# Failed sign-ins under a name that has no credential here (an unknown name, or a person without
# a password yet), in `local_values`: key prefix + SHA-256 of the normalised name. Local only.
NAME_THROTTLE_PREFIX = "sign-in.throttle."

# Argon2id with the library's recommended parameters (RFC 9106 low-memory profile).
DEFAULT_HASHER = PasswordHasher()


def summary(person: Person) -> PersonSummary:
    return PersonSummary(
        user_id=person.id,
        username=person.username,
        display_name=person.display_name,
        role=Role(person.role),
        site_id=person.site_id,
        active=person.active,
        email=person.email,
        title=person.title,
        conflict=person.conflict,
    )


def throttle_delay(failed_count: int) -> int:
    """Seconds a person must wait after `failed_count` consecutive failures."""
    if failed_count < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failed_count - FREE_ATTEMPTS))


def normalise_username(username: str) -> str:
    """How sign-in compares user names: surrounding spaces and case ignored."""
    return username.strip().lower()


def dummy_hash(hasher: PasswordHasher) -> str:
    """A well-formed Argon2id hash that matches no password, with the hasher's costs: verifying
    against it takes as long as checking a real password, without hashing one first."""

    def zeros(length: int) -> str:
        return base64.b64encode(bytes(length)).decode("ascii").rstrip("=")

    return (
        f"$argon2id$v=19$m={hasher.memory_cost},t={hasher.time_cost},p={hasher.parallelism}"
        f"${zeros(hasher.salt_len)}${zeros(hasher.hash_len)}"
    )


class NameThrottle:
    """The failed sign-ins under a name without a credential, kept like a credential's."""

    def __init__(self, uow: UnitOfWork, username: str) -> None:
        digest = hashlib.sha256(normalise_username(username).encode("utf-8")).hexdigest()
        self._uow = uow
        self._key = NAME_THROTTLE_PREFIX + digest[:48]
        row = uow.session.get(KeyValue, self._key)
        try:
            state = json.loads(row.value) if row is not None else {}
        except ValueError:
            state = {}
        self.failed_count = int(state.get("failed_count", 0) or 0)
        self.locked_until = str(state.get("locked_until", "") or "")

    def save(self) -> None:
        value = json.dumps({"failed_count": self.failed_count, "locked_until": self.locked_until})
        row = self._uow.session.get(KeyValue, self._key)
        if row is None:
            self._uow.session.add(KeyValue(key=self._key, value=value))
        else:
            row.value = value


def _seconds_until(locked_until: str, now: datetime) -> int:
    """Whole seconds left to wait (rounded up), 0 when free."""
    if not locked_until:
        return 0
    wait = datetime.fromisoformat(locked_until.replace("Z", "+00:00")) - now
    return max(0, math.ceil(wait.total_seconds()))


def _count_failure(throttle: Credential | NameThrottle, now: datetime) -> None:
    throttle.failed_count += 1
    delay = throttle_delay(throttle.failed_count)
    throttle.locked_until = format_timestamp(now + timedelta(seconds=delay)) if delay else ""


class PeopleService:
    def __init__(
        self,
        ctx: ServiceContext,
        hasher: PasswordHasher | None = None,
        now=lambda: datetime.now(UTC),
    ) -> None:
        self._ctx = ctx
        self._hasher = hasher or DEFAULT_HASHER
        self._now = now

    # -- signing in ------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Actor:
        """Check a password; every success and failure is in the audit log.

        Nothing is said about an account before its password is checked: a wrong password, an
        unknown name, and a disabled account with a wrong password get the same sentence and the
        same cost, and failures under unknown names are throttled like a person's.
        """
        name = username.strip()
        failure: Exception | None
        with self._ctx.unit_of_work() as uow:
            person = self._local_person(uow, name)
            if person is None:
                failure = self._check_unknown(uow, name, password)
            else:
                failure = self._check(uow, person, password, shown_name=name)
                if failure is None:
                    uow.audit.record(person.username, "login", f"user:{person.id}")
                    return self._actor(person)
        # The failure is raised after the commit, so that the audit entry stays.
        raise failure

    def confirm_password(self, actor: Actor, password: str) -> None:
        """Re-authentication before a signature; a failure counts like a failed sign-in."""
        with self._ctx.unit_of_work() as uow:
            person = uow.session.get(Person, actor.user_id)
            if person is None:
                raise NotFound(what="User", key=actor.username)
            failure = self._check(uow, person, password, action="signature")
        if failure is not None:
            raise failure

    def _check_unknown(self, uow: UnitOfWork, name: str, password: str) -> Exception:
        """An unknown name: the same waits, the same work and the same sentences as a person's."""
        now = self._now()
        throttle = NameThrottle(uow, name)
        wait = _seconds_until(throttle.locked_until, now)
        if wait:
            uow.audit.record(name, "login.throttled", f"user:{name}", {"why": "unknown user"})
            return LoginThrottled(user=name, seconds=wait)
        self._burn_time(password)
        _count_failure(throttle, now)
        throttle.save()
        uow.audit.record(name, "login.failed", f"user:{name}", {"why": "unknown user"})
        return AuthenticationFailed()

    def _check(
        self,
        uow: UnitOfWork,
        person: Person,
        password: str,
        action: str = "login",
        shown_name: str = "",
    ) -> Exception | None:
        # Sentences name the person as typed: the stored spelling would tell that the name exists.
        shown = shown_name or person.username
        cred = uow.session.get(Credential, person.id)
        throttle: Credential | NameThrottle = (
            cred if cred is not None else NameThrottle(uow, person.username)
        )
        now = self._now()
        # A wait is announced before the password is checked, or guessing would go on during
        # it; unknown names wait alike, so the sentence tells nothing about the account.
        wait = _seconds_until(throttle.locked_until, now)
        if wait:
            uow.audit.record(person.username, f"{action}.throttled", f"user:{person.id}")
            return LoginThrottled(user=shown, seconds=wait)
        if cred is None:
            self._burn_time(password)
            right = False
        else:
            right = self._verify(cred.password_hash, password)
        if not right:
            _count_failure(throttle, now)
            if isinstance(throttle, NameThrottle):
                throttle.save()
            why = "wrong password" if person.active else "wrong password, account disabled"
            uow.audit.record(person.username, f"{action}.failed", f"user:{person.id}", {"why": why})
            return AuthenticationFailed()
        assert cred is not None
        if self._hasher.check_needs_rehash(cred.password_hash):
            cred.password_hash = self._hasher.hash(password)
        cred.failed_count = 0
        cred.locked_until = ""
        if not person.active:
            # Only to the person who knows the password.
            uow.audit.record(
                person.username, f"{action}.failed", f"user:{person.id}", {"why": "disabled"}
            )
            return AccountDisabled(user=person.username)
        return None

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _burn_time(self, password: str) -> None:
        # Take as long for an unknown user as for a wrong password: names do not leak.
        self._verify(dummy_hash(self._hasher), password)

    def _local_person(self, uow: UnitOfWork, username: str) -> Person | None:
        return (
            uow.session.execute(
                select(Person).where(
                    func.lower(Person.username) == username.lower(),
                    Person.site_id == self._ctx.site_id,
                )
            )
            .scalars()
            .first()
        )

    def _actor(self, person: Person) -> Actor:
        return Actor(
            user_id=person.id,
            username=person.username,
            display_name=person.display_name,
            role=Role(person.role),
            site_id=person.site_id,
        )

    def actor_for(self, username: str) -> Actor:
        """The actor of a local person, without a password: for composition roots only."""
        with self._ctx.unit_of_work() as uow:
            person = self._local_person(uow, username)
            if person is None:
                raise AuthenticationFailed()
            return self._actor(person)

    # -- managing people -------------------------------------------------------------------

    def list_people(self, actor: Actor, include_other_sites: bool = False) -> list[PersonSummary]:
        actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            stmt = select(Person).order_by(func.lower(Person.username))
            if not include_other_sites:
                stmt = stmt.where(Person.site_id == self._ctx.site_id)
            return [summary(p) for p in uow.session.execute(stmt).scalars()]

    def add_person(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        email: str = "",
        title: str = "",
    ) -> PersonSummary:
        actor.require(Permission.MANAGE_PEOPLE)
        with self._ctx.unit_of_work() as uow:
            return self._add(uow, actor, username, display_name, role, password, email, title)

    def _add(
        self,
        uow: UnitOfWork,
        actor: Actor,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        email: str,
        title: str,
        user_id: str | None = None,
    ) -> PersonSummary:
        name = check_username(username)
        if not display_name.strip():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "A person needs a full name."), field="display_name"
            )
        check_new_password(password, name)
        if self._local_person(uow, name) is not None:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "The user name {user} is already taken."),
                field="username",
                user=name,
            )
        state = uow.records.create(
            "user",
            {
                "username": name,
                "display_name": display_name.strip(),
                "role": str(Role(role)),
                "site_id": self._ctx.site_id,
                "active": True,
                "email": email.strip(),
                "title": title.strip(),
            },
            actor,
            reason="person added",
            record_id=user_id,
        )
        uow.session.add(
            Credential(
                user_id=state.record_id,
                password_hash=self._hasher.hash(password),
                failed_count=0,
                locked_until="",
                changed_at=self._ctx.clock(),
            )
        )
        uow.session.flush()
        return self._summary(uow, state.record_id)

    def change_role(self, actor: Actor, user_id: str, role: Role) -> PersonSummary:
        actor.require(Permission.MANAGE_PEOPLE)
        with self._ctx.unit_of_work() as uow:
            person = self._managed(uow, user_id)
            if person.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR:
                self._keep_an_administrator(uow, person)
            uow.records.patch(
                user_id,
                {"role": str(Role(role))},
                actor,
                reason=f"role changed to {role}",
                what="User",
            )
            uow.session.flush()
            return self._summary(uow, user_id)

    def set_active(self, actor: Actor, user_id: str, active: bool) -> PersonSummary:
        actor.require(Permission.MANAGE_PEOPLE)
        with self._ctx.unit_of_work() as uow:
            person = self._managed(uow, user_id)
            if not active and person.role == Role.ADMINISTRATOR:
                self._keep_an_administrator(uow, person)
            uow.records.patch(
                user_id,
                {"active": active},
                actor,
                reason="account enabled" if active else "account disabled",
                what="User",
            )
            uow.session.flush()
            return self._summary(uow, user_id)

    def reset_password(self, actor: Actor, user_id: str, new_password: str) -> None:
        actor.require(Permission.MANAGE_PEOPLE)
        with self._ctx.unit_of_work() as uow:
            person = self._managed(uow, user_id)
            self._store_password(uow, person, new_password)
            uow.audit.record(actor.username, "password.reset", f"user:{user_id}")

    def change_own_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        self.confirm_password(actor, old_password)
        with self._ctx.unit_of_work() as uow:
            person = self._managed(uow, actor.user_id)
            self._store_password(uow, person, new_password)
            uow.audit.record(actor.username, "password.changed", f"user:{actor.user_id}")

    def _store_password(self, uow: UnitOfWork, person: Person, password: str) -> None:
        check_new_password(password, person.username)
        cred = uow.session.get(Credential, person.id)
        hashed = self._hasher.hash(password)
        if cred is None:
            uow.session.add(
                Credential(
                    user_id=person.id,
                    password_hash=hashed,
                    failed_count=0,
                    locked_until="",
                    changed_at=self._ctx.clock(),
                )
            )
        else:
            cred.password_hash, cred.failed_count, cred.locked_until = hashed, 0, ""
            cred.changed_at = self._ctx.clock()

    def _summary(self, uow: UnitOfWork, user_id: str) -> PersonSummary:
        uow.session.flush()
        person = uow.session.get(Person, user_id, populate_existing=True)
        assert person is not None, "the projection writes the person row"
        return summary(person)

    def _managed(self, uow: UnitOfWork, user_id: str) -> Person:
        person = uow.session.get(Person, user_id)
        if person is None or person.site_id != self._ctx.site_id:
            raise NotFound(what="User", key=user_id)
        return person

    def _keep_an_administrator(self, uow: UnitOfWork, person: Person) -> None:
        others = uow.session.execute(
            select(func.count())
            .select_from(Person)
            .where(
                Person.role == str(Role.ADMINISTRATOR),
                Person.active.is_(True),
                Person.site_id == self._ctx.site_id,
                Person.id != person.id,
            )
        ).scalar_one()
        if not others:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "{user} is the last active administrator; appoint another first."
                ),
                user=person.username,
            )
