"""This site: first-time set-up (site record, key pair, first administrator) and its identity."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from sqlalchemy import select

from desktop_app.domain.errors import StorageError, ValidationError
from desktop_app.domain.key_wrap import new_kek
from desktop_app.domain.keys import generate_private_key, private_key_pem, public_key_hex
from desktop_app.domain.people import Actor, Role, SiteKind, check_site_code
from desktop_app.domain.revisions import uuid7
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.services.dto import PersonSummary, SiteInfo
from desktop_app.services.people import PeopleService
from desktop_app.storage.models.core import LocalSite, Site
from desktop_app.storage.plant import (
    PcIdentity,
    enrol_pc,
    pc_name,
    register_site_key,
    write_private_json,
)


def site_info(site: Site) -> SiteInfo:
    return SiteInfo(
        site_id=site.id,
        code=site.code,
        name=site.name,
        kind=SiteKind(site.kind),
        public_key=site.public_key,
    )


def site_code(uow: UnitOfWork, site_id: str) -> str:
    """The code that human numbers carry (SUB-MSR-…, CERT-MSR-…, DEV-MSR-…); never invented."""
    site = uow.session.get(Site, site_id)
    if site is None or not site.code:
        raise StorageError(QT_TRANSLATE_NOOP(
            "Errors", "This data folder's site record is missing; run 'partdesk verify'."))
    return site.code


class SiteService:
    def __init__(self, ctx: ServiceContext, hasher: PasswordHasher | None = None) -> None:
        self._ctx = ctx
        self._hasher = hasher

    def initialise(
        self,
        site_code: str,
        site_name: str,
        kind: SiteKind,
        admin_username: str,
        admin_display_name: str,
        admin_password: str,
    ) -> tuple[SiteInfo, PersonSummary]:
        """Create the site, its Ed25519 key pair and the first administrator, all or nothing."""
        if self._ctx.initialised:
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "This data folder already belongs to site {code}."),
                code=self.local_site().code,
            )
        if self._ctx.folder.signing_key.exists() or self._ctx.folder.plant_pc_key.exists():
            # Never a second key over the first: the folder held a site (a damaged one, or
            # a server database beside another site's folder).
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The data folder {folder} already holds a site's key; a new site is set up "
                    "only in a new, empty folder.",
                ),
                folder=str(self._ctx.folder.root),
            )
        code = check_site_code(site_code)
        if not site_name.strip():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "A site needs a name."), field="site_name"
            )
        key = generate_private_key()
        site_id, admin_id = uuid7(), uuid7()
        bootstrap = Actor(
            user_id=admin_id,
            username=admin_username.strip(),
            display_name=admin_display_name.strip(),
            role=Role.ADMINISTRATOR,
            site_id=site_id,
        )
        people = PeopleService(self._ctx, self._hasher)
        # The key is written first, so a site is never without its key; the database
        # transaction below is all or nothing, and when it fails (a password too short, a full
        # disk) the key it would have belonged to is removed again: a refused set-up leaves a
        # folder that can be set up, never one that looks like a damaged site.
        # On a server, the site is a plant: its key is kept once, in the database, wrapped for
        # this PC (whose own key is the file written first), and each further PC joins.
        plant = None if self._ctx.db.is_sqlite else PcIdentity(uuid7(), site_id, new_kek())
        written = self._ctx.folder.plant_pc_key if plant else self._ctx.folder.signing_key
        if plant is None:
            self._ctx.write_private_file(written, private_key_pem(key))
        else:
            write_private_json(written, plant.to_json())
            self._ctx._key = key
        self._ctx._site_id = site_id
        try:
            with self._ctx.unit_of_work() as uow:
                if plant is not None:
                    now = self._ctx.clock()
                    register_site_key(uow.session, site_id, key, now)
                    enrol_pc(uow.session, key, plant, pc_name(), admin_username.strip(), now)
                uow.records.create(
                    "site",
                    {
                        "code": code,
                        "name": site_name.strip(),
                        "kind": str(SiteKind(kind)),
                        "public_key": public_key_hex(key),
                    },
                    bootstrap,
                    reason="site created",
                    record_id=site_id,
                )
                uow.session.add(LocalSite(id=1, site_id=site_id, created_at=self._ctx.clock()))
                admin = people._add(
                    uow,
                    bootstrap,
                    admin_username,
                    admin_display_name,
                    Role.ADMINISTRATOR,
                    admin_password,
                    "",
                    "",
                    user_id=admin_id,
                )
                uow.audit.record(
                    bootstrap.username, "site.initialised", f"site:{site_id}", {"code": code}
                )
        except BaseException:
            self._ctx.forget_site()
            with contextlib.suppress(OSError):
                written.unlink()
            raise
        return self.local_site(), admin

    def local_site(self) -> SiteInfo:
        with self._ctx.unit_of_work() as uow:
            site = uow.session.get(Site, self._ctx.site_id)
            if site is None:
                raise ValidationError(
                    QT_TRANSLATE_NOOP(
                        "Errors", "This data folder has no site yet; run the first-time set-up."
                    )
                )
            return site_info(site)

    def sites(self) -> list[SiteInfo]:
        with self._ctx.unit_of_work() as uow:
            return [
                site_info(s)
                for s in uow.session.execute(select(Site).order_by(Site.code)).scalars()
            ]
