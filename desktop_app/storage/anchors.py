"""Heads of this site's audit log held outside its database, compared with the log.

The anchors: the anchor file beside the site key (the latest sealed head), the head recorded with
every backup, the head this site sent in each package (`sync_packages`, direction 'sent'), and the
head each peer says it holds of this log (`audit_anchors`, written by `record_witness`). A log
shorter than an anchor, or different at the anchor's entry, was cut or rewritten — unless a
restore, itself a sealed entry of the log, names that head as rolled back.

The functions `witness_for`, `record_witness` and `check_peer_head` are what sync calls on export
and import; each returns plain data or one sentence (a `Finding`), and never refuses by itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.storage.audit import AnchorFile, Finding, SealedHead, seal_is_valid
from desktop_app.storage.models.core import AuditAnchor, AuditEntry, AuditSeal, Site
from desktop_app.storage.models.sync import PackageLog, PeerKey

RESTORE_ACTION = "restore"
# In the details of a restore entry: the heads of the abandoned log that anchors may still hold.
ROLLED_BACK = "rolled_back_heads"
PEER_SOURCE = "peer:"
_CHUNK = 500

Head = tuple[int, str]


@dataclass(frozen=True, slots=True)
class BackupHead:
    """The head recorded with one backup: `head` None when it could not be read (`detail`)."""

    name: str
    head: SealedHead | None
    detail: str = ""


class LogView:
    """The log as it is now, for comparing heads: its last entry and the heads restores rolled
    back (read from the log itself, so a restore explains only what it sealed)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.head_seq: int = session.execute(
            select(func.coalesce(func.max(AuditEntry.seq), 0))
        ).scalar_one()
        self._rolled_back: set[Head] | None = None

    @property
    def rolled_back(self) -> set[Head]:
        if self._rolled_back is None:
            self._rolled_back = rolled_back_heads(self._session)
        return self._rolled_back

    def states(self, heads: Iterable[Head]) -> dict[Head, str]:
        """For each head that does not fit the log: 'removed' (the log ends before it) or
        'rewritten' (the log has another entry at its seq). Heads that fit are left out."""
        wanted = {h for h in heads if h[0] > 0 and h not in self.rolled_back}
        beyond = {h for h in wanted if h[0] > self.head_seq}
        inside = sorted(wanted - beyond)
        found: dict[int, str] = {}
        seqs = sorted({seq for seq, _ in inside})
        for i in range(0, len(seqs), _CHUNK):
            for seq, digest in self._session.execute(
                select(AuditEntry.seq, AuditEntry.hash).where(
                    AuditEntry.seq.in_(seqs[i : i + _CHUNK])
                )
            ):
                found[seq] = digest
        result = {h: "removed" for h in beyond}
        result.update({h: "rewritten" for h in inside if found.get(h[0]) != h[1]})
        return result

    def state(self, head: Head) -> str | None:
        return self.states([head]).get(head)


def rolled_back_heads(session: Session) -> set[Head]:
    heads: set[Head] = set()
    for (details,) in session.execute(
        select(AuditEntry.details).where(AuditEntry.action == RESTORE_ACTION)
    ):
        try:
            listed = json.loads(details).get(ROLLED_BACK, [])
            heads.update((int(seq), str(digest)) for seq, digest in listed)
        except (ValueError, TypeError, AttributeError):
            continue  # an entry of another shape: explains nothing
    return heads


def site_label(session: Session, site_id: str) -> str:
    """The code people know a site by (enrolled key or site record), else its id's start."""
    code = session.execute(
        select(PeerKey.code).where(PeerKey.site_id == site_id).order_by(PeerKey.id.desc())
    ).scalar() or session.execute(select(Site.code).where(Site.id == site_id)).scalar()
    return str(code or site_id[:8])


# -- what `verify` compares ------------------------------------------------------------------


def anchor_problems(
    session: Session,
    public: Ed25519PublicKey | None,
    anchor: AnchorFile,
    backups: Iterable[BackupHead] = (),
) -> list[str]:
    """One line per anchor the log does not fit (empty when every anchor fits)."""
    log = LogView(session)
    problems = _anchor_file_problems(session, log, public, anchor)
    for backup in backups:
        problems += _backup_problems(log, public, backup)
    problems += _sent_problems(session, log)
    problems += _witness_problems(session, log)
    return problems


def _anchor_file_problems(
    session: Session, log: LogView, public: Ed25519PublicKey | None, anchor: AnchorFile
) -> list[str]:
    try:
        held = anchor.read()
    except ValueError as exc:
        return [Finding(ANCHOR_UNREADABLE, path=str(anchor.path), detail=str(exc))]
    if held is None:
        sealed = session.execute(select(AuditSeal.seq).limit(1)).first() is not None
        return [Finding(ANCHOR_MISSING, path=str(anchor.path))] if sealed else []
    if public is not None and not seal_is_valid(public, held.seq, held.hash, held.signature):
        return [Finding(ANCHOR_FORGED, path=str(anchor.path))]
    state = log.state((held.seq, held.hash))
    if state == "removed":
        return [Finding(ANCHOR_REMOVED, seq=held.seq, head=log.head_seq)]
    if state == "rewritten":
        return [Finding(ANCHOR_REWRITTEN, seq=held.seq)]
    return []


def _backup_problems(
    log: LogView, public: Ed25519PublicKey | None, backup: BackupHead
) -> list[str]:
    held = backup.head
    if held is None:
        return [Finding(BACKUP_UNREADABLE, name=backup.name, detail=backup.detail)]
    if (
        public is not None
        and held.signature
        and not seal_is_valid(public, held.seq, held.hash, held.signature)
    ):
        return [Finding(BACKUP_FORGED, name=backup.name)]
    state = log.state((held.seq, held.hash))
    if state == "removed":
        return [Finding(BACKUP_REMOVED, name=backup.name, seq=held.seq, head=log.head_seq)]
    if state == "rewritten":
        return [Finding(BACKUP_REWRITTEN, name=backup.name, seq=held.seq)]
    return []


def _sent_problems(session: Session, log: LogView) -> list[str]:
    rows = session.execute(
        select(PackageLog.audit_seq, PackageLog.audit_hash, PackageLog.sequence,
               PackageLog.created_at)
        .where(PackageLog.direction == "sent", PackageLog.audit_seq > 0)
        .order_by(PackageLog.audit_seq.desc())
    ).all()
    states = log.states((seq, digest) for seq, digest, _, _ in rows)
    problems: list[str] = []
    for kind in ("removed", "rewritten"):  # the highest such head stands for the others
        worst = next((r for r in rows if states.get((r[0], r[1])) == kind), None)
        if worst is None:
            continue
        seq, _, sequence, created = worst
        if kind == "removed":
            problems.append(Finding(SENT_REMOVED, sequence=sequence, date=created[:10],
                                    seq=seq, head=log.head_seq))
        else:
            problems.append(Finding(SENT_REWRITTEN, sequence=sequence, date=created[:10],
                                    seq=seq))
    return problems


def _witness_problems(session: Session, log: LogView) -> list[str]:
    rows = session.execute(
        select(AuditAnchor.source, AuditAnchor.seq, AuditAnchor.hash, AuditAnchor.at)
        .where(AuditAnchor.source.startswith(PEER_SOURCE))
        .order_by(AuditAnchor.seq.desc())
    ).all()
    states = log.states((seq, digest) for _, seq, digest, _ in rows)
    problems: list[str] = []
    shown: set[tuple[str, str]] = set()
    for source, seq, digest, at in rows:
        kind = states.get((seq, digest))
        if kind is None or (source, kind) in shown:
            continue
        shown.add((source, kind))
        site = site_label(session, source[len(PEER_SOURCE):])
        problems.append(_witness_finding(kind, site, seq, at, log.head_seq))
    return problems


def _witness_finding(kind: str, site: str, seq: int, at: str, head: int) -> Finding:
    if kind == "removed":
        return Finding(WITNESS_REMOVED, site=site, seq=seq, at=at[:10], head=head)
    return Finding(WITNESS_REWRITTEN, site=site, seq=seq, at=at[:10])


# -- what sync calls --------------------------------------------------------------------------


def witness_for(session: Session, peer_site_id: str) -> dict[str, Any] | None:
    """What this site holds of the peer's audit head (the highest head it advertised in a
    package received here), to put in the next package to that peer; None when nothing."""
    row = session.execute(
        select(PackageLog.audit_seq, PackageLog.audit_hash)
        .where(
            PackageLog.direction == "received",
            PackageLog.site_id == peer_site_id,
            PackageLog.audit_seq > 0,
        )
        .order_by(PackageLog.audit_seq.desc(), PackageLog.sequence.desc())
        .limit(1)
    ).first()
    return {"seq": int(row[0]), "hash": str(row[1])} if row else None


def record_witness(
    session: Session, from_site_id: str, witnessed: Mapping[str, Any] | None, at: str
) -> str | None:
    """Keep what `from_site_id` says it holds of THIS site's audit head (from its package).

    Stored as an anchor that `verify` compares from then on; returns one sentence when that head
    does not fit the log right now (shorter, or different at that entry), else None. Call it in
    the import's transaction; refusing the package or not is the caller's decision."""
    if not witnessed:
        return None
    seq, digest = witnessed.get("seq"), witnessed.get("hash")
    site = site_label(session, from_site_id)
    if (
        type(seq) is not int
        or not 0 <= seq < 2**53
        or not isinstance(digest, str)
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        return Finding(WITNESS_UNREADABLE, site=site)
    if seq == 0:
        return None
    source = (PEER_SOURCE + from_site_id)[:60]
    known = session.execute(
        select(AuditAnchor.id).where(
            AuditAnchor.source == source, AuditAnchor.seq == seq, AuditAnchor.hash == digest
        )
    ).first()
    if known is None:
        session.execute(
            insert(AuditAnchor), [{"source": source, "seq": seq, "hash": digest, "at": at[:32]}]
        )
    log = LogView(session)
    kind = log.state((seq, digest))
    return _witness_finding(kind, site, seq, at, log.head_seq) if kind else None


def check_peer_head(
    session: Session,
    peer_site_id: str,
    seq: int,
    hash: str,  # noqa: A002 - the name the manifest uses
    sequence: int | None = None,
) -> str | None:
    """Compare the audit head a package from `peer_site_id` advertises with the heads its
    packages advertised before (call it before the package is logged as received).

    A head lower than one already received means the peer's log was cut; the same entry with
    another hash means it was rewritten: one sentence, else None. With `sequence` (the package's
    number at the sender), packages imported out of order are compared in the sender's order."""
    if seq <= 0:
        return None
    rows = session.execute(
        select(PackageLog.sequence, PackageLog.audit_seq, PackageLog.audit_hash).where(
            PackageLog.direction == "received",
            PackageLog.site_id == peer_site_id,
            PackageLog.audit_seq > 0,
        )
    ).all()
    site = site_label(session, peer_site_id)
    for _, other_seq, other_hash in rows:
        if other_seq == seq and other_hash != hash:
            return Finding(PEER_REWRITTEN, site=site, seq=seq)
    if sequence is None:
        earlier = [(s, q) for s, q, _ in rows if q > seq]
        if earlier:
            return Finding(PEER_CUT, site=site, seq=seq, earlier=max(q for _, q in earlier))
        return None
    before = [(s, q) for s, q, _ in rows if s < sequence and q > seq]
    if before:
        other, other_seq = max(before, key=lambda r: r[1])
        return Finding(PEER_CUT_IN_ORDER, site=site, sequence=sequence, seq=seq,
                       other=other, other_seq=other_seq)
    after = [(s, q) for s, q, _ in rows if s > sequence and q < seq]
    if after:
        other, other_seq = min(after, key=lambda r: r[1])
        return Finding(PEER_CUT_IN_ORDER, site=site, sequence=other, seq=other_seq,
                       other=sequence, other_seq=seq)
    return None


# -- sentences ----------------------------------------------------------------------------------

ANCHOR_MISSING = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: the anchor file {path} is missing although the log is sealed (deleted?); "
    "the next change made here writes a new one and records that in the log.",
)
ANCHOR_UNREADABLE = QT_TRANSLATE_NOOP(
    "Errors", "audit log: the anchor file {path} cannot be read ({detail})."
)
ANCHOR_FORGED = QT_TRANSLATE_NOOP(
    "Errors", "audit log: the anchor file {path} is not signed by this site's key (altered)."
)
ANCHOR_REMOVED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: the anchor file holds the log up to entry {seq}, but the log ends at entry "
    "{head} (entries were removed).",
)
ANCHOR_REWRITTEN = QT_TRANSLATE_NOOP(
    "Errors", "audit log: entry {seq} differs from the anchor file (the log was rewritten)."
)
BACKUP_UNREADABLE = QT_TRANSLATE_NOOP(
    "Errors", "audit log: the head of backup {name} cannot be read ({detail})."
)
BACKUP_FORGED = QT_TRANSLATE_NOOP(
    "Errors", "audit log: the head recorded for backup {name} is not signed by this site's key."
)
BACKUP_REMOVED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: backup {name} holds the log up to entry {seq}, but the log ends at entry {head} "
    "(entries were removed).",
)
BACKUP_REWRITTEN = QT_TRANSLATE_NOOP(
    "Errors", "audit log: entry {seq} differs from backup {name} (the log was rewritten)."
)
SENT_REMOVED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: package {sequence} sent on {date} carried the log up to entry {seq}, but the log "
    "ends at entry {head} (entries were removed).",
)
SENT_REWRITTEN = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: entry {seq} differs from the head sent in package {sequence} on {date} "
    "(the log was rewritten).",
)
WITNESS_REMOVED = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: site {site} holds this log up to entry {seq} (as of {at}), but the log ends at "
    "entry {head} (entries were removed).",
)
WITNESS_REWRITTEN = QT_TRANSLATE_NOOP(
    "Errors",
    "audit log: entry {seq} differs from the one site {site} holds (as of {at}); the log was "
    "rewritten.",
)
WITNESS_UNREADABLE = QT_TRANSLATE_NOOP(
    "Errors", "Site {site} sent a head of this site's audit log that cannot be read."
)
PEER_CUT = QT_TRANSLATE_NOOP(
    "Errors",
    "Site {site} shows its audit log up to entry {seq}, but a package received before showed it "
    "up to entry {earlier}: its log was cut.",
)
PEER_CUT_IN_ORDER = QT_TRANSLATE_NOOP(
    "Errors",
    "Package {sequence} of site {site} shows its audit log up to entry {seq}, but its earlier "
    "package {other} showed it up to entry {other_seq}: its log was cut.",
)
PEER_REWRITTEN = QT_TRANSLATE_NOOP(
    "Errors",
    "Site {site} shows entry {seq} of its audit log with another hash than a package received "
    "before: its log was rewritten.",
)
