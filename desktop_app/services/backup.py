"""Verified, rotated backups made with SQLite's backup API; restore with a backup first.

Beside each backup `X.sqlite3`, `X.sqlite3.head.json` records the head of the audit log the copy
holds (seq, hash and its seal): an anchor `verify` compares with the log, and the backup's number
in the folder's order of making (`order`, one more than any before it). Rotation and `restore
--latest` go by that order, never by the clock: a clock set back or forward names and dates the
files wrongly but does not reorder them. A restore is the
administrator's deliberate rollback: its audit entry names the heads of the abandoned log that
anchors may still hold, and the anchor file moves back with the log.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import PartDeskError, StorageError, ValidationError
from desktop_app.domain.faults import (
    fault_from_os_error,
    fault_from_sqlite,
    remove_file,
    replace_file,
)
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.storage.anchors import (
    PEER_SOURCE,
    RESTORE_ACTION,
    ROLLED_BACK,
    BackupHead,
    LogView,
    rolled_back_heads,
)
from desktop_app.storage.audit import GENESIS, AnchorFile, SealedHead
from desktop_app.storage.database import backup_sqlite, open_database, sqlite_url
from desktop_app.storage.models.core import AuditAnchor, AuditEntry
from desktop_app.storage.models.sync import PackageLog

KEEP = 10
HEAD_SUFFIX = ".head.json"
ORDER_KEY = "order"  # in a backup's head file: its number in the order backups were made


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int


class BackupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def backup(self, actor: Actor | None, label: str = "manual") -> BackupInfo:
        """A checked copy in the backups folder; the oldest beyond KEEP of a label are removed."""
        if actor is not None:
            actor.require(Permission.BACKUP_RESTORE)
        source = self._ctx.db.path
        if source is None:
            raise ValidationError(
                QT_TRANSLATE_NOOP(
                    "Errors", "Backups of a server database are made by the server's own tools."
                )
            )
        stamp = self._ctx.clock().replace(":", "").replace("-", "").replace(".", "")[:21]
        target = _free_name(self._ctx.folder.backups, label, stamp)
        order = next_backup_order(self._ctx.folder)
        backup_sqlite(source, target)
        try:
            write_backup_head(target, read_backup_head(target), order)
            with self._ctx.unit_of_work() as uow:
                uow.audit.record(actor.username if actor else "system", "backup", target.name)
        except sqlite3.Error as exc:
            self._discard(target)
            raise fault_from_sqlite(exc, target) or StorageError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The backup copy failed its integrity check ({detail})."
                ),
                detail=str(exc),
            ) from exc
        except BaseException:
            self._discard(target)  # a backup not on record is not kept half-made
            raise
        self._rotate(label)
        return BackupInfo(path=target, size=target.stat().st_size)

    @staticmethod
    def _discard(target: Path) -> None:
        with contextlib.suppress(OSError, StorageError):
            remove_file(target)
            remove_file(head_file(target))

    def _rotate(self, label: str) -> None:
        """The KEEP last made of a label stay (by their order, not their names' times)."""
        copies = backups_oldest_first(self._ctx.folder.backups.glob(f"{label}-*.sqlite3"))
        for old in copies[:-KEEP]:
            # The new copy is made and on record: an old one held open is removed next time.
            with contextlib.suppress(StorageError):
                remove_file(old)
                remove_file(head_file(old))

    def list_backups(self) -> list[BackupInfo]:
        folder = self._ctx.folder.backups
        if not folder.is_dir():
            return []
        return [BackupInfo(p, p.stat().st_size) for p in sorted(folder.glob("*.sqlite3"))]

    def restore(self, actor: Actor, source: Path) -> BackupInfo:
        """Replace the database with a checked backup; the current state is backed up first."""
        actor.require(Permission.BACKUP_RESTORE)
        check_backup_file(source)
        safety = self.backup(actor, label="before-restore")
        with self._ctx.unit_of_work() as uow:
            held = heads_held_elsewhere(uow.session)
        try:
            anchored = AnchorFile(self._ctx.folder.audit_anchor).read()
        except ValueError:
            anchored = None
        if anchored is not None:
            held.add((anchored.seq, anchored.hash))
        target = self._ctx.db.path
        assert target is not None
        # The restored database is completed beside the live one (the backup's copy and its
        # restore entry), then renamed over it: killed at any moment, the folder holds the old
        # state or the restored one, and either verifies.
        staged = target.with_name(target.name + ".restore")
        site_id = self._ctx.site_id
        # What a restore killed while staging left: a stale journal beside the new copy would be
        # replayed into it.
        _remove_staged(staged)
        try:
            backup_sqlite(source, staged)
            db = open_database(sqlite_url(staged))
            try:
                with db.session() as session:
                    # No anchor file here: it moves only once the restored log is in place.
                    uow = UnitOfWork(session, site_id, self._ctx.clock, self._ctx.signer)
                    write_restore_entry(uow, self._ctx.folder, actor, source, safety.path.name,
                                        held)
            finally:
                db.dispose()
            self._ctx.db.dispose()
            replace_file(staged, target)
        except BaseException:
            # A full disk, a denied or held file: the live database is untouched, and the
            # staged copy is not left half-made.
            _remove_staged(staged)
            raise
        with contextlib.suppress(OSError):  # the rename made durable where directories sync
            fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        for suffix in ("-wal", "-shm"):
            remove_file(Path(str(target) + suffix))
        self._ctx.forget_site()
        # The restore entry names the head the anchor file held: it may move back now.
        with contextlib.suppress(OSError, PartDeskError):
            AnchorFile(self._ctx.folder.audit_anchor).write(read_backup_head(target))
        return safety


def _remove_staged(staged: Path) -> None:
    for leftover in ("", "-wal", "-shm", "-journal"):
        Path(f"{staged}{leftover}").unlink(missing_ok=True)


def write_restore_entry(
    uow: UnitOfWork,
    folder: DataFolder,
    actor: Actor,
    source: Path,
    safety_name: str,
    held: set[tuple[int, str]],
) -> None:
    """The restore entry, sealed, in the restored log of `uow`."""
    held = held | {
        (b.head.seq, b.head.hash) for b in backup_heads(folder) if b.head is not None
    }
    # The abandoned log's heads that backups, the anchor file or peers may hold: sealed
    # in this entry, they no longer count against the restored log.
    rolled_back = sorted(LogView(uow.session).states(held))
    uow.audit.record(
        actor.username,
        RESTORE_ACTION,
        source.name,
        {"safety_copy": safety_name, ROLLED_BACK: [list(h) for h in rolled_back]},
    )


def head_file(backup: Path) -> Path:
    """Where the head of the audit log a backup holds is recorded."""
    return backup.with_name(backup.name + HEAD_SUFFIX)


def _free_name(folder: Path, label: str, stamp: str) -> Path:
    """`label-stamp.sqlite3`, or with a counter when a clock set back already gave that name."""
    target = folder / f"{label}-{stamp}.sqlite3"
    count = 1
    while target.exists() or head_file(target).exists():
        count += 1
        target = folder / f"{label}-{stamp}-{count}.sqlite3"
    return target


def write_backup_head(backup: Path, head: SealedHead, order: int) -> None:
    """The head file beside `backup`, atomically (as the anchor file is written), with `order`."""
    path = head_file(backup)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {**head.to_json(), ORDER_KEY: order}
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(data, sort_keys=True).encode("utf-8") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp, path)
    except OSError as exc:
        raise fault_from_os_error(exc, path) from exc
    finally:
        tmp.unlink(missing_ok=True)


def backup_order(backup: Path) -> int:
    """The number in the order of making recorded beside `backup`; 0 when none is (a copy made
    before backups were numbered, or one whose head file is missing or unreadable)."""
    try:
        data = json.loads(head_file(backup).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return 0
    order = data.get(ORDER_KEY) if isinstance(data, dict) else None
    return order if type(order) is int and order > 0 else 0


def next_backup_order(folder: DataFolder) -> int:
    """One more than the order of any backup in the folder (of every label): a restore or a
    clock changed does not make it smaller."""
    if not folder.backups.is_dir():
        return 1
    return 1 + max((backup_order(p) for p in folder.backups.glob("*.sqlite3")), default=0)


def _order_key(path: Path) -> tuple[int, int, str]:
    """By the recorded order; copies without one come first, by file time and then name."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return backup_order(path), mtime, path.name


def backups_oldest_first(paths: Iterable[Path]) -> list[Path]:
    """`paths` (backup files) in the order they were made, whatever the clock said then."""
    return sorted(paths, key=_order_key)


def read_backup_head(path: Path) -> SealedHead:
    """The last entry of the audit log inside a backup file, with its seal when it has one."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return SealedHead(seq=0, hash=GENESIS)
        try:
            sealed = conn.execute(
                "SELECT signature FROM audit_seals WHERE seq = ?", (row[0],)
            ).fetchone()
        except sqlite3.OperationalError:  # a backup from before seals existed
            sealed = None
        return SealedHead(seq=int(row[0]), hash=str(row[1]), signature=sealed[0] if sealed else "")
    finally:
        conn.close()


def backup_heads(folder: DataFolder) -> list[BackupHead]:
    """The audit head recorded with every backup in the folder (read from the backup itself when
    nothing was recorded beside it, e.g. the copies made before a migration)."""
    if not folder.backups.is_dir():
        return []
    heads = []
    for path in sorted(folder.backups.glob("*.sqlite3")):
        recorded = head_file(path)
        try:
            head = (
                AnchorFile(recorded).read() if recorded.exists() else read_backup_head(path)
            )
        except (ValueError, sqlite3.Error) as exc:
            heads.append(BackupHead(path.name, None, str(exc)))
            continue
        if head is not None:
            heads.append(BackupHead(path.name, head))
    return heads


def heads_held_elsewhere(session: Session) -> set[tuple[int, str]]:
    """Heads of this log that may be held outside the database: its own head, every head sent
    in a package, every head a peer witnessed, and those earlier restores rolled back."""
    held = rolled_back_heads(session)
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    if head is not None:
        held.add((int(head[0]), str(head[1])))
    held.update(
        (int(seq), str(digest))
        for seq, digest in session.execute(
            select(PackageLog.audit_seq, PackageLog.audit_hash).where(
                PackageLog.direction == "sent", PackageLog.audit_seq > 0
            )
        )
    )
    held.update(
        (int(seq), str(digest))
        for seq, digest in session.execute(
            select(AuditAnchor.seq, AuditAnchor.hash).where(
                AuditAnchor.source.startswith(PEER_SOURCE)
            )
        )
    )
    return held


def check_backup_file(source: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            (check,) = conn.execute("PRAGMA integrity_check").fetchone()
            conn.execute("SELECT site_id FROM local_site").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StorageError(
            QT_TRANSLATE_NOOP("Errors", "{name} is not a PartDesk backup ({detail})."),
            name=source.name,
            detail=str(exc),
        ) from exc
    if check != "ok":
        raise StorageError(
            QT_TRANSLATE_NOOP("Errors", "{name} is damaged ({detail}); it was not restored."),
            name=source.name,
            detail=check,
        )
