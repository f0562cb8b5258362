"""Bringing back the newest backup that verifies, also into a damaged data folder.

On a sound folder this is `BackupService.restore` of that backup, by a person signed in as usual.
On a damaged folder (see `storage.folder_check`) the database's accounts cannot be read, so the
person signs in as an administrator *of the backup*, checked on a private copy of it; the damaged
database is then kept in `damaged/` (never deleted), the backup is copied in, and the restore is
sealed in the restored log like any other.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.errors import NotFound, PartDeskError
from desktop_app.domain.faults import replace_file
from desktop_app.domain.keys import load_private_key
from desktop_app.domain.people import Actor, Permission
from desktop_app.domain.revisions import utc_now
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.paths import DataFolder
from desktop_app.services.backup import (
    read_backup_head,
    write_restore_entry,
)
from desktop_app.services.context import UnitOfWork, open_context
from desktop_app.storage.audit import AnchorFile
from desktop_app.storage.database import backup_sqlite, open_database, sqlite_url
from desktop_app.storage.folder_check import newest_verified_backup
from desktop_app.storage.models.core import LocalSite


@dataclass(frozen=True, slots=True)
class RestoredBackup:
    backup: Path  # the backup brought back
    previous: Path | None  # where the state before it is kept (None: there was no database)


def newest_backup(folder: DataFolder) -> Path:
    """The newest backup that verifies; NotFound when none does. Newest by the order the backups
    were made in (recorded beside each), not by their names' or files' times: a clock set back
    or forward when one was made does not change which is the newest."""
    backup = newest_verified_backup(folder)
    if backup is not None:
        return backup
    raise NotFound(
        QT_TRANSLATE_NOOP("Errors", "No backup in {backups} verifies; nothing was restored."),
        backups=str(folder.backups),
    )


def sign_in_to_backup(backup: Path, username: str, password: str) -> Actor:
    """The person as an administrator of the backup: signed in on a private copy of it (the
    copy, with its audit entries, is thrown away), and allowed to restore."""
    from desktop_app.services.people import PeopleService

    with tempfile.TemporaryDirectory(prefix="partdesk-backup-") as tmp:
        copy = DataFolder(Path(tmp))
        shutil.copyfile(backup, copy.database)
        ctx = open_context(copy)
        try:
            actor = PeopleService(ctx).sign_in(username, password)
        finally:
            ctx.close()
    actor.require(Permission.BACKUP_RESTORE)
    return actor


def restore_into_damaged_folder(folder: DataFolder, actor: Actor, backup: Path) -> RestoredBackup:
    """Bring `backup` back into the damaged data folder `folder` (the caller holds the folder's
    lock and signed `actor` in with `sign_in_to_backup`). The damaged files are moved to
    `damaged/`.

    The restored database is completed beside the live path (the backup's copy and its sealed
    restore entry), then renamed into place: killed at any moment, the folder holds no database
    (still damaged: run the restore again) or the restored one with its entry, which verifies."""
    held: set[tuple[int, str]] = set()
    try:
        anchored = AnchorFile(folder.audit_anchor).read()
    except ValueError:
        anchored = None
    if anchored is not None:
        held.add((anchored.seq, anchored.hash))
    target = folder.database
    staged = target.with_name(target.name + ".restore")
    _remove_staged(staged)  # what a restore killed while staging left
    try:
        backup_sqlite(backup, staged)
        previous = _keep_damaged(folder)
        _seal_restore(folder, staged, actor, backup, previous.name if previous else "", held)
        replace_file(staged, target)
    except BaseException:
        _remove_staged(staged)
        raise
    # The restore entry names the head the anchor file held: it may move to the restored log.
    with contextlib.suppress(OSError, PartDeskError):
        AnchorFile(folder.audit_anchor).write(read_backup_head(target))
    return RestoredBackup(backup=backup, previous=previous)


def _seal_restore(folder: DataFolder, staged: Path, actor: Actor, backup: Path, previous: str,
                  held: set[tuple[int, str]]) -> None:
    """Write the restore entry, sealed with the site key, into the staged copy."""
    key = (load_private_key(folder.signing_key.read_bytes())
           if folder.signing_key.exists() else None)
    db = open_database(sqlite_url(staged))
    try:
        with db.session() as session:
            site_id = session.execute(select(LocalSite.site_id)).scalar_one()
            uow = UnitOfWork(session, site_id, utc_now, lambda: key)
            write_restore_entry(uow, folder, actor, backup, previous, held)
    finally:
        db.dispose()


def _remove_staged(staged: Path) -> None:
    for leftover in ("", "-wal", "-shm", "-journal"):
        Path(f"{staged}{leftover}").unlink(missing_ok=True)


def restore_newest_backup(folder: DataFolder, username: str, password: str) -> RestoredBackup:
    """For a damaged folder: the newest verified backup, restored by an administrator of it."""
    backup = newest_backup(folder)
    actor = sign_in_to_backup(backup, username, password)
    return restore_into_damaged_folder(folder, actor, backup)


def _keep_damaged(folder: DataFolder) -> Path | None:
    """Move the damaged database and its journal files to damaged/<time>/; its new path."""
    files = [Path(str(folder.database) + s) for s in ("", "-wal", "-shm", "-journal")]
    present = [f for f in files if f.exists()]
    if not present:
        return None
    stamp = utc_now().replace(":", "").replace("-", "").replace(".", "")[:21]
    target = folder.damaged / stamp
    target.mkdir(parents=True, exist_ok=True)
    for path in present:
        replace_file(path, target / path.name)
    return target / folder.database.name

