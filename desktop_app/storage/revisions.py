"""The one write path for business records: append revisions, keep heads, materialise state.

`apply_many` is used for local edits and for imported packages alike. It is idempotent (known
rev_ids are skipped) and order-independent (heads and query tables depend only on the set of
revisions), which is what lets sites exchange packages in any order, or twice.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import (
    NotFound,
    NotOwner,
    RecordInConflict,
    StaleEdit,
    ValidationError,
)
from desktop_app.domain.keys import public_key_hex, sign, verify_signature
from desktop_app.domain.people import Actor
from desktop_app.domain.record_schemas import MAX_LAMPORT, check_revision
from desktop_app.domain.revisions import (
    Op,
    RecordState,
    Revision,
    normalised_json,
    resolve,
    sha256_hex,
    utc_now,
    uuid7,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.domain.trust import Batch, Link, batch_payload, owned_heads
from desktop_app.storage.audit import AuditLog
from desktop_app.storage.database import upsert
from desktop_app.storage.models.core import (
    AuditEntry,
    RecordHead,
    RecordRow,
    RevisionParent,
    RevisionRow,
)
from desktop_app.storage.models.sync import PeerKey
from desktop_app.storage.models.trust import RevisionBatch
from desktop_app.storage.projections import projection_for

CHUNK = 500
REVISIONS_ACTION = "revisions"
_REVISIONS: Table = RevisionRow.__table__  # type: ignore[assignment]
_PARENTS: Table = RevisionParent.__table__  # type: ignore[assignment]
_HEADS: Table = RecordHead.__table__  # type: ignore[assignment]
_BATCHES: Table = RevisionBatch.__table__  # type: ignore[assignment]


def revisions_digest(rev_ids: Iterable[str]) -> str:
    """What the audit log holds of a batch of revisions: a hash of their ids in store order."""
    return sha256_hex("\n".join(rev_ids))


def revisions_audit_details(new: Sequence[Revision], first_seq: int, origin: str) -> dict[str, Any]:
    """One audit entry covers one batch: the seq range and a digest of the rev_ids in it, so
    that `verify` proves every stored revision is in the chained log, none added or removed."""
    details: dict[str, Any] = {
        "origin": origin,
        "count": len(new),
        "first_seq": first_seq,
        "last_seq": first_seq + len(new) - 1,
        "digest": revisions_digest(r.rev_id for r in new),
    }
    if len(new) == 1:
        details["rev_id"] = new[0].rev_id
        details["op"] = str(new[0].op)
    return details


def _subject(new: Sequence[Revision]) -> str:
    if len(new) == 1:
        return f"{new[0].record_type}:{new[0].record_id}"
    types = sorted({r.record_type for r in new})
    return ", ".join(types)[:120]


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def revision_from_row(row: Any) -> Revision:
    return Revision(
        rev_id=row.rev_id,
        record_type=row.record_type,
        record_id=row.record_id,
        parents=tuple(json.loads(row.parents)),
        site_id=row.site_id,
        lamport=row.lamport,
        created_at=row.created_at,
        author=row.author,
        op=Op(row.op),
        fields=json.loads(row.fields),
        reason=row.reason,
    )


@dataclass
class ApplyResult:
    new: list[Revision] = field(default_factory=list)
    known: int = 0
    states: dict[str, RecordState] = field(default_factory=dict)

    @property
    def conflicts(self) -> list[RecordState]:
        return [s for s in self.states.values() if s.conflict]


BatchFor = Callable[[Revision], Batch | None]


class BlockApply:
    """Revisions applied block after block inside one transaction, with one audit entry for
    them all: what an import of a large package holds at a time is one block, plus the ids of
    the records left in conflict."""

    def __init__(self, store: RevisionStore, actor_name: str, origin: str,
                 batch_for: BatchFor | None) -> None:
        self._store = store
        self._actor = actor_name
        self._origin = origin
        self._batch_for = batch_for
        self._digest = hashlib.sha256()
        self._types: set[str] = set()
        self._first: tuple[str, str, str, str] = ("", "", "", "")  # rev_id, op, type, record
        self.first_seq = 0
        self.new = 0
        self.known = 0
        self.new_types: Counter[str] = Counter()
        self.conflicted: dict[str, str] = {}  # record id -> record type, in conflict now
        # Per record type, the new revisions of the records left in conflict (by `finish`).
        self.conflict_types: Counter[str] = Counter()

    def apply(self, block: Iterable[Revision]) -> ApplyResult:
        result, first_seq = self._store._apply(block, self._origin, batch_for=self._batch_for)
        self.known += result.known
        if not result.new:
            return result
        if not self.new:
            self.first_seq = first_seq
            first = result.new[0]
            self._first = (first.rev_id, str(first.op), first.record_type, first.record_id)
        for r in result.new:  # in store order: the audit digest is of the ids in seq order
            if self.new:
                self._digest.update(b"\n")
            self._digest.update(r.rev_id.encode("utf-8"))
            self.new += 1
            self.new_types[r.record_type] += 1
            self._types.add(r.record_type)
        for record_id, state in result.states.items():
            if state.conflict:
                self.conflicted[record_id] = state.record_type
            else:
                self.conflicted.pop(record_id, None)
        return result

    def _conflicting_new(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        if not self.new or not self.conflicted:
            return counts
        last = self.first_seq + self.new - 1
        session = self._store._session
        for chunk in _chunks(sorted(self.conflicted)):
            counts.update(session.execute(select(RevisionRow.record_type).where(
                RevisionRow.seq >= self.first_seq, RevisionRow.seq <= last,
                RevisionRow.record_id.in_(chunk))).scalars())
        return counts

    def finish(self) -> None:
        """The audit entry covering every revision the blocks stored (none: no entry)."""
        if not self.new:
            return
        self.conflict_types = self._conflicting_new()
        details: dict[str, Any] = {
            "origin": self._origin, "count": self.new, "first_seq": self.first_seq,
            "last_seq": self.first_seq + self.new - 1, "digest": self._digest.hexdigest()}
        subject = ", ".join(sorted(self._types))[:120]
        if self.new == 1:  # as apply_many says it of one revision
            rev_id, op, record_type, record_id = self._first
            details["rev_id"], details["op"] = rev_id, op
            subject = f"{record_type}:{record_id}"
        self._store._audit.record(self._actor, REVISIONS_ACTION, subject, details)
        self._store._lamport = None


class RevisionStore:
    def __init__(self, session: Session, site_id: str, audit: AuditLog, clock=utc_now,
                 signer: Callable[[], Ed25519PrivateKey | None] | None = None) -> None:
        self._session = session
        self._signer = signer or (lambda: None)
        self._site_id = site_id
        self._audit = audit
        self._clock = clock
        self._lamport: int | None = None

    # -- reading ---------------------------------------------------------------------------

    def revision(self, rev_id: str) -> Revision | None:
        row = self._session.get(RevisionRow, rev_id)
        return revision_from_row(row) if row else None

    def head_revisions(self, record_id: str) -> list[Revision]:
        rows = (
            self._session.execute(
                select(RevisionRow)
                .join(RecordHead, RecordHead.rev_id == RevisionRow.rev_id)
                .where(RecordHead.record_id == record_id)
            )
            .scalars()
            .all()
        )
        return [revision_from_row(r) for r in rows]

    def state(self, record_id: str) -> RecordState | None:
        heads = self.head_revisions(record_id)
        return resolve(heads, self.owner(record_id)) if heads else None

    def owner(self, record_id: str) -> str:
        """The site that created the record ("" while unknown)."""
        return self._session.execute(select(RecordRow.owner_site_id).where(
            RecordRow.record_id == record_id)).scalar() or ""

    def require(self, record_id: str, what: str = "Record") -> RecordState:
        state = self.state(record_id)
        if state is None or state.deleted:
            raise NotFound(what=what, key=record_id)
        return state

    def history(self, record_id: str) -> list[Revision]:
        """Every revision of a record, oldest first (causal order: Lamport, then arrival)."""
        rows = (
            self._session.execute(
                select(RevisionRow)
                .where(RevisionRow.record_id == record_id)
                .order_by(RevisionRow.lamport, RevisionRow.seq)
            )
            .scalars()
            .all()
        )
        return [revision_from_row(r) for r in rows]

    def conflicted(self, record_type: str | None = None) -> list[str]:
        stmt = select(RecordRow.record_id).where(RecordRow.head_count > 1)
        if record_type:
            stmt = stmt.where(RecordRow.record_type == record_type)
        return list(self._session.execute(stmt).scalars())

    # -- writing locally -------------------------------------------------------------------

    def next_lamport(self) -> int:
        if self._lamport is None:
            self._lamport = self._session.execute(
                select(func.coalesce(func.max(RevisionRow.lamport), 0))
            ).scalar_one()
        self._lamport += 1
        return self._lamport

    def create(
        self,
        record_type: str,
        fields: Mapping[str, Any],
        actor: Actor,
        reason: str,
        record_id: str | None = None,
    ) -> RecordState:
        revision = Revision.create(
            record_type=record_type,
            record_id=record_id or uuid7(),
            parents=(),
            site_id=self._site_id,
            lamport=self.next_lamport(),
            author=actor.user_id,
            fields=fields,
            reason=reason,
            created_at=self._clock(),
        )
        return self._apply_local(revision, actor)

    def update(
        self,
        record_id: str,
        fields: Mapping[str, Any],
        actor: Actor,
        reason: str,
        expected_rev_id: str | None = None,
        what: str = "Record",
    ) -> RecordState:
        """Replace the fields of a live record. `expected_rev_id` guards against lost updates."""
        current = self._writable(record_id, expected_rev_id, what)
        return self._write_child(current, Op.UPSERT, fields, actor, reason)

    def patch(
        self,
        record_id: str,
        changes: Mapping[str, Any],
        actor: Actor,
        reason: str,
        expected_rev_id: str | None = None,
        what: str = "Record",
    ) -> RecordState:
        current = self._writable(record_id, expected_rev_id, what)
        return self._write_child(current, Op.UPSERT, {**current.fields, **changes}, actor, reason)

    def tombstone(
        self,
        record_id: str,
        actor: Actor,
        reason: str,
        expected_rev_id: str | None = None,
        what: str = "Record",
    ) -> RecordState:
        current = self._writable(record_id, expected_rev_id, what)
        return self._write_child(current, Op.TOMBSTONE, {}, actor, reason)

    def merge(
        self,
        record_id: str,
        fields: Mapping[str, Any] | None,
        actor: Actor,
        reason: str,
        what: str = "Record",
    ) -> RecordState:
        """Write a revision whose parents are all heads: the conflict is cleared.

        `fields=None` merges to a tombstone."""
        if not reason.strip():
            raise ValidationError(
                QT_TRANSLATE_NOOP("Errors", "A merge needs a reason."), field="reason"
            )
        current = self.state(record_id)
        if current is None:
            raise NotFound(what=what, key=record_id)
        self._require_owner(current, what)
        op = Op.TOMBSTONE if fields is None else Op.UPSERT
        return self._write_child(current, op, fields or {}, actor, reason)

    def _writable(self, record_id: str, expected_rev_id: str | None, what: str) -> RecordState:
        current = self.state(record_id)
        if current is None or current.deleted:
            raise NotFound(what=what, key=record_id)
        self._require_owner(current, what)
        if current.conflict:
            raise RecordInConflict(what=what, key=record_id)
        if expected_rev_id is not None and current.winner.rev_id != expected_rev_id:
            raise StaleEdit(what=what, key=record_id, author=current.winner.author)
        return current

    def _require_owner(self, current: RecordState, what: str) -> None:
        """A site changes only the records it created; another site's record is changed there
        (its packages bring the change), so no edit here can be refused by the owner later."""
        if current.owner and current.owner != self._site_id:
            raise NotOwner(what=what, key=current.record_id)

    def _write_child(
        self, current: RecordState, op: Op, fields: Mapping[str, Any], actor: Actor, reason: str
    ) -> RecordState:
        # Every parent is in the store, so the next counter is above all of them.
        revision = Revision.create(
            record_type=current.record_type,
            record_id=current.record_id,
            parents=current.heads,
            site_id=self._site_id,
            lamport=self.next_lamport(),
            author=actor.user_id,
            fields=fields,
            op=op,
            reason=reason,
            created_at=self._clock(),
        )
        return self._apply_local(revision, actor)

    def _apply_local(self, revision: Revision, actor: Actor) -> RecordState:
        result = self.apply_many([revision], actor_name=actor.username, origin="local")
        return result.states[revision.record_id]

    # -- the write path --------------------------------------------------------------------

    def apply_many(
        self,
        revisions: Iterable[Revision],
        actor_name: str,
        origin: str = "import",
        batches: Sequence[Batch] = (),
        new_records: Collection[str] = (),
    ) -> ApplyResult:
        """Store new revisions, recompute the heads of the records they touch and materialise
        them. A local batch is signed with this site's key; received `batches` (already
        verified) are kept so that exports relay the original signatures.

        `new_records` names records the caller has just created (fresh UUIDv7s, one root
        revision each): nothing of them is looked up in the store, they are inserted."""
        result, first_seq = self._apply(revisions, origin, batches=batches,
                                        new_records=new_records)
        if result.new:
            self._audit.record(
                actor_name,
                REVISIONS_ACTION,
                _subject(result.new),
                revisions_audit_details(result.new, first_seq, origin),
            )
            self._lamport = None
        return result

    def in_blocks(self, actor_name: str, origin: str = "import",
                  batch_for: BatchFor | None = None) -> BlockApply:
        """Apply a large set of revisions block after block in the caller's transaction, with
        one audit entry for all of them (`BlockApply.finish`). `batch_for(revision)` gives the
        verified batch of the revision's origin that covers it."""
        return BlockApply(self, actor_name, origin, batch_for)

    def _apply(
        self,
        revisions: Iterable[Revision],
        origin: str,
        batches: Sequence[Batch] = (),
        new_records: Collection[str] = (),
        batch_for: BatchFor | None = None,
    ) -> tuple[ApplyResult, int]:
        """apply_many without its audit entry: the result and the seq of the first new one."""
        batch = list({r.rev_id: r for r in revisions}.values())
        result = ApplyResult()
        if not batch:
            return result, 0
        fresh = set(new_records)
        known = self._existing([r.rev_id for r in batch if r.record_id not in fresh])
        new = [r for r in batch if r.rev_id not in known]
        result.known = len(batch) - len(new)
        if not new:
            return result, 0
        if fresh and any(r.parents for r in new if r.record_id in fresh):
            raise ValueError("a record named new has a revision with parents")
        self._check_types([r for r in new if r.record_id not in fresh])
        if origin == "local":
            # What this site writes passes the schema its peers check on import: a value they
            # would refuse (a NUL, a lone surrogate…) is refused here, before it is stored.
            for r in new:
                check_revision(r, max_lamport=MAX_LAMPORT)

        by_record: dict[str, list[Revision]] = defaultdict(list)
        for r in new:
            by_record[r.record_id].append(r)
        links = self._links([rec_id for rec_id in by_record if rec_id not in fresh])
        batch_of = self._store_batches(new, origin, batches, batch_for)
        first_seq = self._insert_revisions(new, batch_of)

        new_heads: dict[str, set[str]] = {}
        owners: dict[str, str] = {}
        head_deletes: list[tuple[str, str]] = []
        head_inserts: list[dict[str, str]] = []
        for rec_id, revs in by_record.items():
            stored = links.get(rec_id, {})
            old = {rev_id for rev_id, (_, _, is_head) in stored.items() if is_head}
            all_links = [Link(rev_id, site, parents)
                         for rev_id, (site, parents, _) in stored.items()]
            all_links += [Link(r.rev_id, r.site_id, r.parents) for r in revs]
            roots = sorted((link.rev_id, link.site_id) for link in all_links if not link.parents)
            owners[rec_id] = roots[0][1] if roots else ""
            heads = owned_heads(all_links, owners[rec_id])
            new_heads[rec_id] = heads
            head_deletes += [(rec_id, h) for h in old - heads]
            head_inserts += [{"record_id": rec_id, "rev_id": h} for h in heads - old]
        for rec_id, rev_id in head_deletes:
            self._session.execute(
                delete(RecordHead).where(
                    RecordHead.record_id == rec_id, RecordHead.rev_id == rev_id
                )
            )
        if head_inserts:
            self._session.execute(_HEADS.insert(), head_inserts)

        in_memory = {r.rev_id: r for r in new}
        to_load = [h for heads in new_heads.values() for h in heads if h not in in_memory]
        for chunk in _chunks(to_load):
            for row in self._session.execute(
                select(RevisionRow).where(RevisionRow.rev_id.in_(chunk))
            ).scalars():
                in_memory[row.rev_id] = revision_from_row(row)

        states = {}
        for rec_id, heads in new_heads.items():
            if heads:
                states[rec_id] = resolve((in_memory[h] for h in heads), owners[rec_id])
        result.new = new
        result.states = states
        self._materialise(list(states.values()), owners)
        return result, first_seq

    def seal_unsigned(self, size: int = 50_000) -> int:
        """Sign, in batches, this site's revisions stored before origin signatures existed, so
        that packages can carry them. Other sites' unsigned revisions stay unsigned: nobody can
        prove their origin any more, and exports leave them out. Returns how many were sealed."""
        key = self._signer()
        if key is None:
            return 0
        sealed = 0
        while True:
            rev_ids = tuple(self._session.execute(
                select(RevisionRow.rev_id).where(RevisionRow.batch_id.is_(None),
                                                 RevisionRow.site_id == self._site_id)
                .order_by(RevisionRow.seq).limit(size)).scalars())
            if not rev_ids:
                return sealed
            batch_id, created_at = uuid7(), self._clock()
            signature = sign(key, batch_payload(batch_id, self._site_id, created_at, rev_ids))
            self._session.execute(_BATCHES.insert(), [{
                "batch_id": batch_id, "site_id": self._site_id,
                "public_key": public_key_hex(key), "created_at": created_at,
                "count": len(rev_ids), "rev_ids": "\n".join(rev_ids),
                "signature": signature.hex()}])
            for chunk in _chunks(rev_ids):
                self._session.execute(update(RevisionRow).where(
                    RevisionRow.rev_id.in_(chunk)).values(batch_id=batch_id))
            sealed += len(rev_ids)

    def origin(self, rev_id: str) -> tuple[str, bool]:
        """(the site that wrote the revision, whether its origin signature verifies now: the
        batch covering it is signed by that site with this site's key or a key enrolled here)."""
        row = self._session.get(RevisionRow, rev_id)
        if row is None:
            return "", False
        batch = self._session.get(RevisionBatch, row.batch_id) if row.batch_id else None
        if batch is None or batch.site_id != row.site_id or \
                rev_id not in batch.rev_ids.split("\n"):
            return row.site_id, False
        key = self._signer()
        own = public_key_hex(key) if key is not None and row.site_id == self._site_id else ""
        enrolled = own == batch.public_key or self._session.execute(
            select(PeerKey.id).where(PeerKey.site_id == row.site_id,
                                     PeerKey.public_key == batch.public_key)).first() is not None
        payload = batch_payload(batch.batch_id, batch.site_id, batch.created_at,
                                tuple(batch.rev_ids.split("\n")))
        return row.site_id, enrolled and verify_signature(
            batch.public_key, bytes.fromhex(batch.signature), payload)

    def batches(self, batch_ids: Sequence[str]) -> Iterator[Batch]:
        for chunk in _chunks(batch_ids, 200):
            for row in self._session.execute(select(RevisionBatch).where(
                    RevisionBatch.batch_id.in_(chunk))).scalars():
                yield Batch(row.batch_id, row.site_id, row.public_key, row.created_at,
                            tuple(row.rev_ids.split("\n")), row.signature)

    def _links(self, record_ids: Sequence[str]) -> dict[str, dict[str, tuple[str, tuple, bool]]]:
        """Per record: rev_id -> (site, parents, is a head now), for every stored revision."""
        links: dict[str, dict[str, tuple[str, tuple, bool]]] = {}
        heads: set[str] = set()
        for chunk in _chunks(record_ids):
            heads.update(self._session.execute(
                select(RecordHead.rev_id).where(RecordHead.record_id.in_(chunk))).scalars())
            for rec_id, rev_id, site_id, parents in self._session.execute(
                select(RevisionRow.record_id, RevisionRow.rev_id, RevisionRow.site_id,
                       RevisionRow.parents).where(RevisionRow.record_id.in_(chunk))
            ):
                links.setdefault(rec_id, {})[rev_id] = (site_id, tuple(json.loads(parents)),
                                                         False)
        for per_record in links.values():
            for rev_id in heads & per_record.keys():
                site_id, parents, _ = per_record[rev_id]
                per_record[rev_id] = (site_id, parents, True)
        return links

    def _store_batches(self, new: Sequence[Revision], origin: str, batches: Sequence[Batch],
                       batch_for: BatchFor | None = None) -> dict[str, str]:
        """rev_id -> batch_id for the new revisions, storing the batches that cover them."""
        batch_of: dict[str, str] = {}
        rows: list[Batch] = []
        if batch_for is not None:
            chosen: dict[str, Batch] = {}
            for r in new:
                found = batch_for(r)
                if found is not None:
                    batch_of[r.rev_id] = found.batch_id
                    chosen.setdefault(found.batch_id, found)
            rows = list(chosen.values())
        else:
            if origin == "local":
                key = self._signer()
                if key is None:
                    return {}
                rev_ids = tuple(r.rev_id for r in new)
                batch_id, created_at = uuid7(), self._clock()
                signature = sign(key, batch_payload(batch_id, self._site_id, created_at,
                                                    rev_ids))
                batches = [Batch(batch_id, self._site_id, public_key_hex(key), created_at,
                                 rev_ids, signature.hex())]
            wanted = {r.rev_id for r in new}
            for b in batches:
                covered = [rev_id for rev_id in b.rev_ids if rev_id in wanted]
                if not covered:
                    continue
                for rev_id in covered:
                    batch_of.setdefault(rev_id, b.batch_id)
                rows.append(b)
        stored: set[str] = set()
        for chunk in _chunks([b.batch_id for b in rows]):
            stored.update(self._session.execute(select(RevisionBatch.batch_id).where(
                RevisionBatch.batch_id.in_(chunk))).scalars())
        fresh = [{"batch_id": b.batch_id, "site_id": b.site_id, "public_key": b.public_key,
                  "created_at": b.created_at, "count": len(b.rev_ids),
                  "rev_ids": "\n".join(b.rev_ids), "signature": b.signature}
                 for b in rows if b.batch_id not in stored]
        for chunk in _chunks(fresh, 200):
            self._session.execute(_BATCHES.insert(), list(chunk))
        return batch_of

    def _existing(self, rev_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(rev_ids):
            found.update(
                self._session.execute(
                    select(RevisionRow.rev_id).where(RevisionRow.rev_id.in_(chunk))
                ).scalars()
            )
        return found

    def _check_types(self, new: Sequence[Revision]) -> None:
        types: dict[str, str] = {}
        for r in new:
            if types.setdefault(r.record_id, r.record_type) != r.record_type:
                raise _mixed_types(r.record_id)
        for chunk in _chunks(list(types)):
            for rec_id, rec_type in self._session.execute(
                select(RecordRow.record_id, RecordRow.record_type).where(
                    RecordRow.record_id.in_(chunk)
                )
            ):
                if types[rec_id] != rec_type:
                    raise _mixed_types(rec_id)

    def _insert_revisions(self, new: Sequence[Revision], batch_of: Mapping[str, str]) -> int:
        """Insert the revisions in the given order; returns the seq of the first."""
        seq = self._session.execute(
            select(func.coalesce(func.max(RevisionRow.seq), 0))
        ).scalar_one()
        first_seq = seq + 1
        rows, parents = [], []
        for r in new:
            seq += 1
            rows.append(
                {
                    "rev_id": r.rev_id,
                    "seq": seq,
                    "record_type": r.record_type,
                    "record_id": r.record_id,
                    "site_id": r.site_id,
                    "lamport": r.lamport,
                    "created_at": r.created_at,
                    "author": r.author,
                    "op": str(r.op),
                    "reason": r.reason,
                    # A Revision's fields are normalised when it is made or received.
                    "parents": normalised_json(list(r.parents)),
                    "fields": normalised_json(r.fields),
                    "batch_id": batch_of.get(r.rev_id),
                }
            )
            parents += [{"rev_id": r.rev_id, "parent_id": p} for p in r.parents]
        # Core inserts (executemany), not the ORM's bulk path: nothing here needs the identity map.
        for chunk in _chunks(rows, 2000):
            self._session.execute(_REVISIONS.insert(), list(chunk))
        for chunk in _chunks(parents, 2000):
            self._session.execute(_PARENTS.insert(), list(chunk))
        return first_seq

    def _materialise(self, states: list[RecordState], owners: Mapping[str, str]) -> None:
        record_rows = [
            {
                "record_id": s.record_id,
                "record_type": s.record_type,
                "current_rev_id": s.winner.rev_id,
                "head_count": len(s.heads),
                "deleted": s.deleted,
                "updated_at": s.winner.created_at,
                "updated_by": s.winner.author,
                "owner_site_id": owners.get(s.record_id, ""),
            }
            for s in states
        ]
        for chunk in _chunks(record_rows, 1000):
            upsert(self._session, RecordRow.__table__, list(chunk), ["record_id"])
        by_type: dict[str, list[RecordState]] = defaultdict(list)
        for s in states:
            by_type[s.record_type].append(s)
        for record_type, group in sorted(by_type.items()):
            projection = projection_for(record_type)
            if projection is not None:
                projection.apply(self._session, group)


def _mixed_types(record_id: str) -> ValidationError:
    return ValidationError(
        QT_TRANSLATE_NOOP("Errors", "Record {record_id} appears with two different types."),
        record_id=record_id,
    )


def audit_coverage_problems(session: Session, batch: int = 20000) -> list[str]:
    """Every stored revision is covered by exactly one audit entry whose digest matches.

    A revision row added, removed or swapped outside PartDesk breaks this, even when the audit
    chain itself is intact."""
    ranges = []
    for audit_seq, details in session.execute(
        select(AuditEntry.seq, AuditEntry.details).where(AuditEntry.action == REVISIONS_ACTION)
    ):
        data = json.loads(details)
        ranges.append((int(data["first_seq"]), int(data["last_seq"]), data["digest"], audit_seq))
    ranges.sort()
    problems: list[str] = []
    stored = _stored_ids(session, batch)
    pending = next(stored, None)
    for first, last, digest, audit_seq in ranges:
        while pending is not None and pending[0] < first:
            problems.append(f"revision {pending[1][:12]}: not in the audit log (added outside)")
            pending = next(stored, None)
        ids = []
        while pending is not None and pending[0] <= last:
            ids.append(pending[1])
            pending = next(stored, None)
        if len(ids) != last - first + 1 or revisions_digest(ids) != digest:
            problems.append(
                f"audit log: entry {audit_seq}: the revisions it covers were altered or removed"
            )
    while pending is not None:
        problems.append(f"revision {pending[1][:12]}: not in the audit log (added outside)")
        pending = next(stored, None)
    return problems


def _stored_ids(session: Session, batch: int) -> Iterator[tuple[int, str]]:
    last = 0
    while True:
        rows = session.execute(
            select(RevisionRow.seq, RevisionRow.rev_id)
            .where(RevisionRow.seq > last)
            .order_by(RevisionRow.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from ((seq, rev_id) for seq, rev_id in rows)
        last = rows[-1][0]
