"""What every service needs: the database, the data folder, the blob store and this site."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import StorageError
from desktop_app.domain.keys import load_private_key
from desktop_app.domain.revisions import utc_now
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.paths import DataFolder, configured_database_url, migrations_dir
from desktop_app.storage import migrations
from desktop_app.storage.audit import AuditLog
from desktop_app.storage.blobs import Blobs, open_blob_store
from desktop_app.storage.database import Database, backup_sqlite, open_database, sqlite_url
from desktop_app.storage.folder_check import check_data_folder
from desktop_app.storage.models.core import LocalSite
from desktop_app.storage.plant import load_plant_key
from desktop_app.storage.revisions import RevisionStore

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


def no_progress(done: int, total: int, message: str) -> None:
    """A `progress` callback that shows nothing."""


def never_cancelled() -> bool:
    return False


Signer = Callable[[], Ed25519PrivateKey | None]


def _no_key() -> Ed25519PrivateKey | None:
    return None


class UnitOfWork:
    """One transaction: a session, the audit log and the revision store bound to it."""

    def __init__(self, session: Session, site_id: str, clock: Callable[[], str],
                 signer: Signer | None = None, anchor: Path | None = None) -> None:
        self.session = session
        # The site key that seals what this transaction writes (None before `init`).
        self.signer: Signer = signer or _no_key
        self.audit = AuditLog(session, clock, self.signer, anchor)
        self.records = RevisionStore(session, site_id, self.audit, clock, self.signer)


@dataclass
class ServiceContext:
    folder: DataFolder
    db: Database
    clock: Callable[[], str] = utc_now
    calendar: Callable[[], date] = date.today  # this computer's date, as it says
    _site_id: str | None = field(default=None, repr=False)
    _key: Ed25519PrivateKey | None = field(default=None, repr=False)
    _last_recorded: tuple[float, str] | None = field(default=None, repr=False)

    @property
    def blobs(self) -> Blobs:
        """The folder's store; on a server, the plant's store that every PC reaches."""
        return open_blob_store(self.folder.blobs, self.db)

    @property
    def site_id(self) -> str:
        """The record id of this site; empty until the data folder is initialised."""
        if self._site_id is None:
            with self.db.session() as session:
                self._site_id = session.execute(select(LocalSite.site_id)).scalar() or ""
        return self._site_id

    @property
    def initialised(self) -> bool:
        return bool(self.site_id)

    def last_recorded_at(self) -> str:
        """The latest time written in the audit log (read at most every 30 seconds)."""
        now = time.monotonic()
        if self._last_recorded is None or now - self._last_recorded[0] > 30:
            # A plain read outside any transaction: asked from inside a unit of work that
            # holds the write lock, it must not wait for that lock.
            raw = self.db.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("SELECT max(at) FROM audit_log")
                row = cursor.fetchone()
                cursor.close()
                if not self.db.is_sqlite:
                    raw.rollback()
            finally:
                raw.close()
            self._last_recorded = (now, str(row[0]) if row and row[0] else "")
        return self._last_recorded[1]

    def today(self) -> date:
        """Today's date, never before the day of the last change recorded here: a clock set
        back does not bring an expired certificate, an overdue gauge or a late step back into
        time (the clock warning says so, services.folder_warnings)."""
        today = self.calendar()
        latest = self.last_recorded_at()
        if latest:
            with contextlib.suppress(ValueError):
                today = max(today, datetime.fromisoformat(latest).astimezone().date())
        return today

    def forget_site(self) -> None:
        self._site_id = None
        self._key = None

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        with self.db.session() as session:
            yield UnitOfWork(session, self.site_id, self.clock, self.signer,
                             self.folder.audit_anchor)

    def signer(self) -> Ed25519PrivateKey | None:
        """This site's key, or None while there is none (before `init`): the folder's, or on a
        server the plant's, opened with this PC's key (one sentence when the PC is not
        enrolled in the plant)."""
        if self._key is None:
            if self.folder.signing_key.exists():
                self._key = self.signing_key()
            elif not self.db.is_sqlite:
                self._key = load_plant_key(self.db, self.folder)
        return self._key

    def signing_key(self) -> Ed25519PrivateKey:
        if not self.db.is_sqlite and not self.folder.signing_key.exists():
            key = self.signer()
            if key is not None:
                return key
        try:
            return load_private_key(self.folder.signing_key.read_bytes())
        except FileNotFoundError as exc:
            raise StorageError(
                QT_TRANSLATE_NOOP("Errors", "This site's signing key is missing from {path}."),
                path=str(self.folder.signing_key),
            ) from exc

    def write_private_file(self, path: Path, data: bytes) -> None:
        """Write a secret (only the owner may read it), atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def close(self) -> None:
        self.db.dispose()


def open_context(
    folder: DataFolder, database_url: str | None = None, migrate: bool = True
) -> ServiceContext:
    """Open (and migrate) the database of a data folder. Backs up before any migration.

    A damaged folder (a site's key, files or backups beside a missing, empty or foreign
    database) is refused with DataFolderDamaged before anything is created or migrated."""
    # A PC of a plant: its folder is a cache pointed at the plant's server (plant.json).
    database_url = database_url or configured_database_url(folder)
    if database_url is None:
        check_data_folder(folder)
    url = database_url or sqlite_url(folder.database)
    existed = folder.database.exists() if database_url is None else True
    db = open_database(url)
    try:
        if migrate and migrations.needs_upgrade(db, migrations_dir()):
            if existed and db.path is not None and not migrations.is_new(db):
                stamp = utc_now().replace(":", "").replace("-", "")[:15]
                backup_sqlite(db.path, folder.backups / f"before-migration-{stamp}.sqlite3")
            migrations.upgrade(db, migrations_dir())
    except BaseException:
        db.dispose()
        raise
    context = ServiceContext(folder=folder, db=db)
    context.blobs.clean_temporary()
    return context
