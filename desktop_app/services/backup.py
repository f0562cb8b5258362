"""Verified, rotated backups made with SQLite's backup API; restore with a backup first."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.errors import StorageError, ValidationError
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext
from desktop_app.storage.database import backup_sqlite

KEEP = 10


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
        target = self._ctx.folder.backups / f"{label}-{stamp}.sqlite3"
        backup_sqlite(source, target)
        with self._ctx.unit_of_work() as uow:
            uow.audit.record(actor.username if actor else "system", "backup", target.name)
        self._rotate(label)
        return BackupInfo(path=target, size=target.stat().st_size)

    def _rotate(self, label: str) -> None:
        copies = sorted(self._ctx.folder.backups.glob(f"{label}-*.sqlite3"))
        for old in copies[:-KEEP]:
            old.unlink(missing_ok=True)

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
        target = self._ctx.db.path
        assert target is not None
        self._ctx.db.dispose()
        backup_sqlite(source, target)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        self._ctx.forget_site()
        with self._ctx.unit_of_work() as uow:
            uow.audit.record(
                actor.username, "restore", source.name, {"safety_copy": safety.path.name}
            )
        return safety


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
