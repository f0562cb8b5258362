"""Simulated sites for property tests: each edits with what it has seen, and they exchange."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.revisions import Op, Revision, resolve
from desktop_app.domain.trust import record_heads
from desktop_app.storage.audit import AuditLog
from desktop_app.storage.database import Database, open_database, sqlite_url
from desktop_app.storage.models import Base
from desktop_app.storage.models.core import Person, RecordHead, RecordRow
from desktop_app.storage.revisions import RevisionStore

SITES = ("site-a", "site-b", "site-c")
RECORDS = ("rec-1", "rec-2", "rec-3")


@dataclass
class SimSite:
    """What a site knows (a set of revisions) and its Lamport counter."""

    site_id: str
    known: dict[str, Revision] = field(default_factory=dict)
    lamport: int = 0

    def heads(self, record_id: str) -> list[Revision]:
        return record_heads(r for r in self.known.values() if r.record_id == record_id)[0]

    def write(
        self, record_id: str, value: str, tombstone: bool = False, merge: bool = False
    ) -> Revision | None:
        heads = self.heads(record_id)
        if merge and len(heads) < 2:
            return None
        if not heads and tombstone:
            return None
        self.lamport = max([self.lamport, *(r.lamport for r in self.known.values())]) + 1
        revision = Revision.create(
            record_type="user",
            record_id=record_id,
            parents=[h.rev_id for h in heads],
            site_id=self.site_id,
            lamport=self.lamport,
            author="author-" + self.site_id,
            fields=person_fields(record_id, value),
            op=Op.TOMBSTONE if tombstone else Op.UPSERT,
            reason="test",
            created_at=f"2026-01-01T00:00:{self.lamport:02d}.000000Z",
        )
        self.known[revision.rev_id] = revision
        return revision

    def receive(self, other: SimSite) -> None:
        self.known.update(other.known)


def person_fields(record_id: str, value: str) -> dict[str, object]:
    return {
        "username": record_id,
        "display_name": value,
        "role": "engineer",
        "site_id": "site-a",
        "active": True,
        "email": "",
        "title": "",
    }


def reference_state(revisions: list[Revision]) -> dict[str, tuple]:
    """What every replica must show: derived from the pure domain functions only."""
    result = {}
    for record_id in sorted({r.record_id for r in revisions}):
        state = resolve(*record_heads(r for r in revisions if r.record_id == record_id))
        result[record_id] = (
            state.winner.rev_id,
            len(state.heads),
            state.deleted,
            None if state.deleted else state.fields["display_name"],
        )
    return result


class Replica:
    """A real SQLite store (created from the models, migrated schema is checked elsewhere)."""

    def __init__(self, path: Path) -> None:
        self.db: Database = open_database(sqlite_url(path))
        Base.metadata.create_all(self.db.engine)

    def apply(self, revisions: list[Revision]) -> None:
        with self.db.session() as session:
            RevisionStore(session, "replica", AuditLog(session)).apply_many(revisions, "sync")

    def state(self) -> dict[str, tuple]:
        with self.db.session() as session:
            records = {r.record_id: r for r in session.execute(select(RecordRow)).scalars()}
            people = {p.id: p for p in session.execute(select(Person)).scalars()}
            result = {}
            for record_id, row in sorted(records.items()):
                person = people.get(record_id)
                if row.deleted:
                    assert person is None, "a tombstoned record left a query row"
                result[record_id] = (
                    row.current_rev_id,
                    row.head_count,
                    row.deleted,
                    None if person is None else person.display_name,
                )
            return result

    def heads(self) -> set[tuple[str, str]]:
        with self.db.session() as session:
            return {(h.record_id, h.rev_id) for h in session.execute(select(RecordHead)).scalars()}

    def close(self) -> None:
        self.db.dispose()
