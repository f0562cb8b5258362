"""Real sites in temporary data folders that exchange real packages."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.people import Actor, Role, SiteKind
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_keys import SiteKeyService
from desktop_app.storage.models.core import RecordHead, RecordRow
from tests.conftest import PASSWORD


@dataclass
class SiteUnderTest:
    code: str
    ctx: ServiceContext
    admin: Actor
    engineer: Actor
    counter: list[int] = field(default_factory=lambda: [0])

    @property
    def sync(self) -> SyncService:
        return SyncService(self.ctx)

    @property
    def keys(self) -> SiteKeyService:
        return SiteKeyService(self.ctx)

    def create(self, fields: dict[str, Any], record_type: str = "note") -> str:
        with self.ctx.unit_of_work() as uow:
            return uow.records.create(record_type, fields, self.engineer, "test").record_id

    def update(self, record_id: str, fields: dict[str, Any]) -> None:
        with self.ctx.unit_of_work() as uow:
            uow.records.patch(record_id, fields, self.engineer, "test")

    def export(self, tmp: Path, to: str | None = None, full: bool = False) -> Path:
        self.counter[0] += 1
        out = tmp / f"{self.code}-{self.counter[0]}{'-' + to if to else ''}.partdesk"
        self.sync.export_package(self.engineer, out, to_site=to, full=full)
        return out

    def state(self) -> dict[str, tuple[str, ...]]:
        """Record id -> sorted heads: the whole replicated state, generically."""
        with self.ctx.unit_of_work() as uow:
            heads: dict[str, list[str]] = {}
            for rec, rev in uow.session.execute(select(RecordHead.record_id, RecordHead.rev_id)):
                heads.setdefault(rec, []).append(rev)
            return {k: tuple(sorted(v)) for k, v in heads.items()}

    def records(self) -> dict[str, tuple[str, str, int, bool]]:
        with self.ctx.unit_of_work() as uow:
            return {r.record_id: (r.record_type, r.current_rev_id, r.head_count, r.deleted)
                    for r in uow.session.execute(select(RecordRow)).scalars()}

    def conflicts(self) -> set[str]:
        return {k for k, v in self.records().items() if v[2] > 1}


def make_site(root: Path, code: str, kind: SiteKind = SiteKind.PLANT) -> SiteUnderTest:
    folder = DataFolder(root / code)
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    SiteService(ctx).initialise(code, f"Site {code}", kind, "admin", "Admin", PASSWORD)
    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    people.add_person(admin, "eng", f"Engineer {code}", Role.ENGINEER, PASSWORD)
    return SiteUnderTest(code, ctx, admin, people.sign_in("eng", PASSWORD))


def enrol(receiver: SiteUnderTest, sender: SiteUnderTest, tmp: Path) -> None:
    key_file = tmp / f"{sender.code}-key.json"
    written = sender.keys.write_key_file(key_file)
    receiver.keys.enrol(receiver.admin, key_file, written.fingerprint)


def make_sites(root: Path, *codes: str) -> list[SiteUnderTest]:
    sites = [make_site(root, c) for c in codes]
    for a in sites:
        for b in sites:
            if a is not b:
                enrol(a, b, root)
    return sites


def file_hash(ctx: ServiceContext) -> str:
    """The database file's bytes, after folding the WAL into it and closing every connection."""
    import hashlib

    ctx.db.dispose()
    path = ctx.folder.database
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()
