"""Real sites in temporary data folders that exchange real packages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.people import Actor, Role, SiteKind
from desktop_app.domain.revisions import Revision
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

    def create(self, fields: dict[str, Any]) -> str:
        """A small real record: a supplier (or, with a file, an attachment)."""
        record_type, values = as_record(fields)
        with self.ctx.unit_of_work() as uow:
            return uow.records.create(record_type, values, self.engineer, "test").record_id

    def update(self, record_id: str, fields: dict[str, Any]) -> None:
        with self.ctx.unit_of_work() as uow:
            uow.records.patch(record_id, as_record(fields)[1], self.engineer, "test")

    def propose(self, record_id: str, fields: dict[str, Any]) -> None:
        """Edit a record this site does not own, as a peer that ignores ownership would: a child
        of the heads seen here, signed by this site. PartDesk itself refuses such an edit
        (NotOwner); the owner receives it as a competing version that only it can settle."""
        with self.ctx.unit_of_work() as uow:
            current = uow.records.require(record_id)
            revision = Revision.create(
                record_type=current.record_type, record_id=record_id, parents=current.heads,
                site_id=self.ctx.site_id, lamport=uow.records.next_lamport(),
                author=self.engineer.user_id, fields={**current.fields, **as_record(fields)[1]},
                reason="proposal", created_at=self.ctx.clock())
            uow.records.apply_many([revision], self.engineer.username, origin="local")

    def owns(self, record_id: str) -> bool:
        with self.ctx.unit_of_work() as uow:
            return uow.records.owner(record_id) == self.ctx.site_id

    def edit(self, record_id: str, fields: dict[str, Any]) -> None:
        """What a person here can do: update an own record, or (as a peer would) propose."""
        if self.owns(record_id):
            self.update(record_id, fields)
        else:
            self.propose(record_id, fields)

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


NOTE_PART = "01900000-0000-7000-8000-000000000001"


def as_record(fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Test notes as real record types that a plant may author: {"title": …, others…}."""
    title = str(fields.get("title", ""))
    others = {k: v for k, v in fields.items() if k not in ("title", "blob_sha256")}
    if "blob_sha256" in fields:
        return "attachment", {"part_id": NOTE_PART, "kind": "drawing", "original_name": title,
                              "content_type": "application/pdf", "size": 1,
                              "blob_sha256": fields["blob_sha256"]}
    values: dict[str, Any] = {}
    if "title" in fields:
        values["name"] = title
    if others:
        values["notes"] = " ".join(f"{k}={v}" for k, v in sorted(others.items()))
    return "supplier", values


def make_site(root: Path, code: str, kind: SiteKind = SiteKind.PLANT) -> SiteUnderTest:
    folder = DataFolder(root / code)
    folder.root.mkdir(parents=True)
    ctx = open_context(folder)
    SiteService(ctx).initialise(code, f"Site {code}", kind, "admin", "Admin", PASSWORD)
    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    people.add_person(admin, "eng", f"Engineer {code}", Role.ENGINEER, PASSWORD)
    return SiteUnderTest(code, ctx, admin, people.sign_in("eng", PASSWORD))


def enrol(receiver: SiteUnderTest, sender: SiteUnderTest, tmp: Path,
          scope: Iterable[str] | None = None) -> None:
    key_file = tmp / f"{sender.code}-key.json"
    written = sender.keys.write_key_file(key_file)
    receiver.keys.enrol(receiver.admin, key_file, written.fingerprint, scope_types=scope)


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
