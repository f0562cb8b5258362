"""The local audit log: an append-only, hash-chained list written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.revisions import canonical_json, sha256_hex, utc_now
from desktop_app.storage.models.core import AuditEntry

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str, details: str
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": details,
        }
    )
    return sha256_hex(prev_hash + "\n" + body)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    action: str
    subject: str = ""
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    hash: str


class AuditLog:
    def __init__(self, session: Session, clock=utc_now) -> None:
        self._session = session
        self._clock = clock

    def head(self) -> AuditHead:
        row = self._session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        return AuditHead(seq=row[0], hash=row[1]) if row else AuditHead(seq=0, hash=GENESIS)

    def record(
        self, actor: str, action: str, subject: str = "", details: Mapping[str, Any] | None = None
    ) -> AuditHead:
        return self.record_many(actor, [AuditEvent(action, subject, details)])

    def record_many(self, actor: str, events: Iterable[AuditEvent]) -> AuditHead:
        head = self.head()
        seq, prev = head.seq, head.hash
        at = self._clock()
        rows = []
        for event in events:
            seq += 1
            details = canonical_json(dict(event.details or {}))
            digest = entry_hash(prev, seq, at, actor, event.action, event.subject, details)
            rows.append(
                {
                    "seq": seq,
                    "at": at,
                    "actor": actor,
                    "action": event.action,
                    "subject": event.subject[:120],
                    "details": details,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        if rows:
            self._session.execute(insert(AuditEntry), rows)
        return AuditHead(seq=seq, hash=prev)

    def verify(self, batch: int = 5000) -> list[str]:
        """Recompute the chain; one line per broken link (empty when sound)."""
        problems: list[str] = []
        prev, expected_seq, last = GENESIS, 1, 0
        while True:
            rows = (
                self._session.execute(
                    select(AuditEntry)
                    .where(AuditEntry.seq > last)
                    .order_by(AuditEntry.seq)
                    .limit(batch)
                )
                .scalars()
                .all()
            )
            if not rows:
                break
            for row in rows:
                if row.seq != expected_seq:
                    problems.append(f"audit log: entry {expected_seq} is missing")
                if row.prev_hash != prev:
                    problems.append(
                        f"audit log: entry {row.seq} does not follow entry {row.seq - 1}"
                    )
                digest = entry_hash(
                    row.prev_hash, row.seq, row.at, row.actor, row.action, row.subject, row.details
                )
                if digest != row.hash:
                    problems.append(f"audit log: entry {row.seq} was altered")
                prev, expected_seq, last = row.hash, row.seq + 1, row.seq
            self._session.expunge_all()
        return problems
