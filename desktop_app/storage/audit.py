"""The local audit log: an append-only, hash-chained list written in the caller's transaction.

Each batch of entries (one `record_many`) is sealed: the site key signs the batch's last seq and
hash, so a row rewritten with the chain recomputed no longer matches a seal. After the transaction
commits, the sealed head is written to the anchor file beside the key (once per transaction), so
that a log cut at a batch boundary is still shorter than something held outside the database.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import PartDeskError
from desktop_app.domain.faults import fault_from_os_error, replace_file
from desktop_app.domain.keys import sign
from desktop_app.domain.revisions import canonical_json, sha256_hex, utc_now
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.storage.models.core import AuditEntry, AuditSeal

GENESIS = "0" * 64
ANCHOR_FORMAT = "partdesk-audit-head/1"
# Written (sealed) with the batch that replaces an anchor file found missing although the log
# was sealed, unreadable, or signed by another key: the replacement itself is then on record.
ANCHOR_REPLACED = "audit.anchor_replaced"

Signer = Callable[[], Ed25519PrivateKey | None]


def _no_key() -> Ed25519PrivateKey | None:
    return None


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


def seal_message(seq: int, digest: str) -> bytes:
    """The bytes the site key signs for the head (seq, hash) of its audit log."""
    return f"PartDesk audit head\n{seq}\n{digest}".encode("ascii", "replace")


def seal_is_valid(public: Ed25519PublicKey, seq: int, digest: str, signature: str) -> bool:
    try:
        public.verify(bytes.fromhex(signature), seal_message(seq, digest))
    except (InvalidSignature, ValueError):
        return False
    return True


class Finding(str):
    """One sentence about the audit log (a line of `verify`, or what a peer's head shows).

    It is the English sentence, and also carries the template marked for translation and its
    parameters, so the CLI and the UI can show it in the person's language."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Finding:
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = params
        return self

    def message(self, translate: Translate = untranslated) -> str:
        try:
            return translate("Errors", self.template).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return str(self)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    action: str
    subject: str = ""
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class SealedHead:
    """A head of the log with the site key's signature over it (what anchors hold)."""

    seq: int
    hash: str
    signature: str = ""
    at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"format": ANCHOR_FORMAT, "seq": self.seq, "hash": self.hash,
                "signature": self.signature, "at": self.at}

    @classmethod
    def from_json(cls, data: Any) -> SealedHead:
        """Raises ValueError when `data` is not a sealed head."""
        if not isinstance(data, dict) or data.get("format") != ANCHOR_FORMAT:
            raise ValueError("not a PartDesk audit head")
        seq, digest = data.get("seq"), data.get("hash")
        signature, at = data.get("signature", ""), data.get("at", "")
        if type(seq) is not int or seq < 0 or not isinstance(digest, str) or len(digest) != 64:
            raise ValueError("no valid seq and hash")
        if not isinstance(signature, str) or not isinstance(at, str):
            raise ValueError("no valid signature")
        return cls(seq=seq, hash=digest, signature=signature, at=at)


class AnchorFile:
    """The latest sealed head, in a small JSON file outside the database (beside the key)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> SealedHead | None:
        """None when there is no file; ValueError (with the reason) when it cannot be read."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ValueError(exc.strerror or type(exc).__name__) from exc
        try:
            return SealedHead.from_json(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("not JSON") from exc

    def write(self, head: SealedHead) -> None:
        """Atomically: a temporary file of this process, flushed to disk, then renamed."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(json.dumps(head.to_json(), sort_keys=True).encode("utf-8") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            replace_file(tmp, self.path)
        except OSError as exc:
            raise fault_from_os_error(exc, self.path) from exc
        finally:
            tmp.unlink(missing_ok=True)


class AuditLog:
    """The audit log of one transaction. `signer` gives the site key (None before `init`: such
    entries stay unsealed until the first seal covers them through the chain); `anchor` is the
    anchor file, moved after the commit when this transaction sealed something."""

    def __init__(
        self,
        session: Session,
        clock: Callable[[], str] = utc_now,
        signer: Signer | None = None,
        anchor: AnchorFile | Path | None = None,
    ) -> None:
        self._session = session
        self._clock = clock
        self._signer = signer or _no_key
        self._anchor = AnchorFile(anchor) if isinstance(anchor, Path) else anchor
        self._anchor_moves: bool | None = None  # None: not looked at in this transaction
        self._forced = False
        self._sealed: SealedHead | None = None  # the last seal written in this transaction
        self._hooked = False

    def head(self) -> AuditHead:
        row = self._session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        return AuditHead(seq=row[0], hash=row[1]) if row else AuditHead(seq=0, hash=GENESIS)

    def hash_at(self, seq: int) -> str | None:
        return self._session.execute(
            select(AuditEntry.hash).where(AuditEntry.seq == seq)
        ).scalar()

    def record(
        self, actor: str, action: str, subject: str = "", details: Mapping[str, Any] | None = None
    ) -> AuditHead:
        return self.record_many(actor, [AuditEvent(action, subject, details)])

    def record_many(self, actor: str, events: Iterable[AuditEvent]) -> AuditHead:
        """Append the events as one batch, sealed with the site key when there is one."""
        batch = list(events)
        head = self.head()
        if not batch:
            return head
        key = self._signer()
        at = self._clock()
        rows: list[dict[str, Any]] = []
        seq, prev = head.seq, head.hash
        if key is not None and self._anchor is not None and self._anchor_moves is None:
            self._anchor_moves, replaced = self._anchor_may_move(head, key)
            if replaced is not None:
                note = AuditEvent(ANCHOR_REPLACED, self._anchor.path.name, replaced)
                seq, prev = self._rows(rows, "system", [note], seq, prev, at)
        seq, prev = self._rows(rows, actor, batch, seq, prev, at)
        self._session.execute(insert(AuditEntry), rows)
        if key is not None:
            signature = sign(key, seal_message(seq, prev)).hex()
            self._session.execute(
                insert(AuditSeal), [{"seq": seq, "hash": prev, "signature": signature}]
            )
            self._sealed = SealedHead(seq=seq, hash=prev, signature=signature, at=at)
            self._after_commit_write_anchor()
        return AuditHead(seq=seq, hash=prev)

    def reanchor(self) -> None:
        """After this transaction, the anchor file takes the new head even when the log does not
        extend the head it held: for a restore, the administrator's deliberate rollback."""
        self._forced = True

    @staticmethod
    def _rows(
        rows: list[dict[str, Any]],
        actor: str,
        events: Iterable[AuditEvent],
        seq: int,
        prev: str,
        at: str,
    ) -> tuple[int, str]:
        for item in events:
            seq += 1
            details = canonical_json(dict(item.details or {}))
            digest = entry_hash(prev, seq, at, actor, item.action, item.subject, details)
            rows.append(
                {
                    "seq": seq,
                    "at": at,
                    "actor": actor,
                    "action": item.action,
                    "subject": item.subject[:120],
                    "details": details,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        return seq, prev

    # -- the anchor file ---------------------------------------------------------------------

    def _anchor_may_move(
        self, head: AuditHead, key: Ed25519PrivateKey
    ) -> tuple[bool, dict[str, Any] | None]:
        """May the anchor file move to this transaction's head; and, when it is replaced rather
        than moved on, the note for the log (None: nothing to note).

        A valid anchor moves only while the log still extends the head it holds: a log cut or
        rewritten below it leaves it in place, so `verify` keeps showing it. Something that is
        no anchor of this key (missing although the log was sealed, unreadable, signed by
        another key, e.g. a folder set up again) is replaced, and the log says so, sealed."""
        assert self._anchor is not None
        try:
            held = self._anchor.read()
        except ValueError as exc:
            return True, {"after": head.seq, "found": f"unreadable ({exc})"}
        if held is None:
            sealed_before = self._session.execute(select(AuditSeal.seq).limit(1)).first()
            return True, ({"after": head.seq, "found": "missing"} if sealed_before else None)
        if not seal_is_valid(key.public_key(), held.seq, held.hash, held.signature):
            return True, {"after": head.seq, "found": "not signed by this site's key"}
        if held.seq == head.seq:
            return held.hash == head.hash, None
        return held.seq < head.seq and self.hash_at(held.seq) == held.hash, None

    def _after_commit_write_anchor(self) -> None:
        if self._anchor is None or self._hooked:
            return
        self._hooked = True
        event.listen(self._session, "after_commit", self._on_commit)
        event.listen(self._session, "after_rollback", self._on_rollback)

    def _on_commit(self, session: Session) -> None:
        sealed, self._sealed = self._sealed, None
        moves, self._anchor_moves = self._anchor_moves, None
        forced, self._forced = self._forced, False
        if sealed is None or self._anchor is None or not (moves or forced):
            return
        # The commit stands whatever happens here; `verify` reports an anchor missing or behind.
        with contextlib.suppress(OSError, PartDeskError):
            self._anchor.write(sealed)

    def _on_rollback(self, session: Session) -> None:
        self._sealed = None
        self._anchor_moves = None
        self._forced = False

    # -- verification ------------------------------------------------------------------------

    def verify(self, batch: int = 5000) -> list[str]:
        """Recompute the chain and check every seal; one line per problem (empty when sound)."""
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
        return problems + self._seal_problems(last, batch)

    def _seal_problems(self, head_seq: int, batch: int) -> list[str]:
        try:
            key = self._signer()
        except PartDeskError:  # a damaged key file: the caller reports it
            key = None
        public = key.public_key() if key is not None else None
        count, last_present, beyond = 0, 0, 0
        mismatched: list[int] = []
        forged: list[int] = []
        after = -1
        while True:
            rows = self._session.execute(
                select(AuditSeal.seq, AuditSeal.hash, AuditSeal.signature, AuditEntry.hash)
                .outerjoin(AuditEntry, AuditEntry.seq == AuditSeal.seq)
                .where(AuditSeal.seq > after)
                .order_by(AuditSeal.seq)
                .limit(batch)
            ).all()
            if not rows:
                break
            for seq, digest, signature, entry in rows:
                count, after = count + 1, seq
                if entry is None:
                    beyond = max(beyond, seq) if seq > head_seq else beyond
                    continue
                last_present = seq
                if public is None:
                    continue
                if entry != digest:
                    mismatched.append(seq)
                elif not seal_is_valid(public, seq, digest, signature):
                    forged.append(seq)
        problems: list[str] = []
        if public is None:
            if count:
                problems.append(Finding(SEALS_UNCHECKED, count=count))
            return problems
        if mismatched:
            problems.append(Finding(SEALS_MISMATCH, count=len(mismatched), seq=mismatched[0]))
        if forged:
            problems.append(Finding(SEALS_FORGED, count=len(forged), seq=forged[0]))
        if beyond:
            problems.append(Finding(SEAL_BEYOND_END, seq=beyond, head=head_seq))
        if head_seq and not count:
            problems.append(Finding(NOTHING_SEALED, count=head_seq))
        elif head_seq > last_present and count:
            problems.append(Finding(TAIL_UNSEALED, first=last_present + 1, last=head_seq))
        return problems


SEALS_UNCHECKED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: the site key is missing or cannot be read, so its {count} seals cannot be "
    "checked.",
)
SEALS_MISMATCH = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: {count} seals do not match their entries, the first at entry {seq} "
    "(entries were changed after they were sealed).",
)
SEALS_FORGED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: {count} seals are not signed by this site's key, the first at entry {seq} "
    "(forged or altered).",
)
SEAL_BEYOND_END = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: a seal names entry {seq}, but the log ends at entry {head} "
    "(entries were removed).",
)
NOTHING_SEALED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: none of its {count} entries is sealed by this site's key (a folder from before "
    "sealing, or the seals were removed); the next change made here seals the log.",
)
TAIL_UNSEALED = QT_TRANSLATE_NOOP(
    "Errors", "audit log: entries {first} to {last} are not sealed by this site's key."
)
