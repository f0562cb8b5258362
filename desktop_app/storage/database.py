"""Engines and sessions. SQLite pragmas and dialect-specific SQL live here and nowhere else."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.errors import StorageError
from desktop_app.domain.faults import (
    fault_from_os_error,
    fault_from_server,
    fault_from_sqlite,
    replace_file,
)
from desktop_app.domain.text import QT_TRANSLATE_NOOP

DATABASE_FILE = "partdesk.sqlite3"

CORRUPT = QT_TRANSLATE_NOOP(
    "Errors", "The database file {path} is damaged or is not a PartDesk database ({detail})."
)


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy own transactions (pysqlite's implicit BEGIN is off; we emit BEGIN below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = FULL")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()
    if mode and str(mode[0]).lower() != "wal":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


# The execution option of a connection that only reads (Database.reading): it takes no write lock.
READER = "partdesk_reader"


def _on_sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock at the start, so two writers queue instead of deadlocking.
    if connection.get_execution_options().get(READER):
        connection.exec_driver_sql("BEGIN")
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# Any fixed number: the key of the one advisory lock every PartDesk transaction on a server
# database holds ("PDSK").
SERVER_WRITE_LOCK = 0x5044534B
SERVER_LOCK_WAIT_S = 120


def _on_server_connect(dbapi_connection: Any, _record: Any) -> None:
    # A PC waits this long for another's transaction (a large import), then is told to try
    # again in one sentence; never forever.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{SERVER_LOCK_WAIT_S}s'")
    dbapi_connection.commit()


def _on_server_begin(connection: Any) -> None:
    # As BEGIN IMMEDIATE does on SQLite: one PartDesk transaction at a time on a database that
    # several PCs share, so sequence numbers taken as max + 1 (audit log, revisions) never
    # collide; the others wait (and give up with a "busy" sentence after the lock timeout).
    if connection.get_execution_options().get(READER):
        return  # a reader sees a snapshot and never waits for writers
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SERVER_WRITE_LOCK})")


@dataclass
class Database:
    """An engine and its session factory. The caller opens one session per unit of work."""

    engine: Engine
    url: str

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def where(self) -> str:
        """The database as a sentence names it: its file, or its URL without a password."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        database = self.engine.url.database
        return Path(database) if self.is_sqlite and database else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        session = self._sessions()
        try:
            with translate_errors(self), session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection in a transaction that only reads: it does not queue behind another PC's
        write (PostgreSQL gives it a consistent snapshot), so it may be used while this process
        holds a unit of work. Nothing written through it is kept."""
        with translate_errors(self), self.engine.connect() as conn:
            conn.execution_options(**{READER: True})
            transaction = conn.begin()
            try:
                yield conn
            finally:
                transaction.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> Database:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except ModuleNotFoundError as exc:  # a build without the plant's PostgreSQL driver
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "This PartDesk has no driver for the database {where} ({module} is "
                          "missing); install the plant build, which has the PostgreSQL driver."),
                where=url.split("://", 1)[0], module=exc.name or "?") from None
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _on_server_connect)
            event.listen(engine, "begin", _on_server_begin)
    return Database(engine=engine, url=url)


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Turn driver errors people can act on into one clear sentence."""
    try:
        yield
    except DatabaseError as exc:
        # A full disk, a denied write, a busy file or an I/O error is named as such: only
        # what is left (a malformed file, another application's tables) is called damage.
        where = db.where
        fault = (fault_from_sqlite(exc.orig, db.path or where) if db.is_sqlite
                 else fault_from_server(exc.orig, where))
        if fault is not None:
            raise fault from exc
        raise StorageError(CORRUPT, path=where, detail=str(exc.orig)) from exc


def upsert(
    session: Session, table: Table | Any, rows: Sequence[dict[str, Any]], keys: Iterable[str]
) -> None:
    """Insert rows, replacing the non-key columns of rows whose keys already exist."""
    if not rows:
        return
    key_names = list(keys)
    dialect = session.get_bind().dialect.name
    module: Any = sqlite if dialect == "sqlite" else postgresql
    stmt = module.insert(table)
    update_cols = {c: stmt.excluded[c] for c in rows[0] if c not in key_names}
    if update_cols:
        stmt = stmt.on_conflict_do_update(index_elements=key_names, set_=update_cols)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=key_names)
    session.execute(stmt, list(rows))


def integrity_problems(db: Database) -> list[str]:
    """SQLite's own integrity and foreign-key checks; an empty list means sound."""
    if not db.is_sqlite:
        return []
    problems: list[str] = []
    try:
        with db.engine.connect() as conn:
            for (line,) in conn.execute(text("PRAGMA integrity_check")):
                if line != "ok":
                    problems.append(str(line))
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"foreign key: table {row[0]} row {row[1]} -> {row[2]}")
    except DatabaseError as exc:
        fault = fault_from_sqlite(exc.orig, db.path)
        if fault is not None:
            raise fault from exc  # a full disk is not a problem of the database
        problems.append(str(exc.orig))
    return problems


def backup_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database through SQLite's backup API, written to a
    temporary file beside `target` and renamed; a fault leaves no temporary file behind."""
    tmp = target.with_suffix(target.suffix + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        check = _copy_checked(source, tmp)
        if check != "ok":
            raise StorageError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The backup copy failed its integrity check ({detail})."
                ),
                detail=check,
            )
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        replace_file(tmp, target)
    except sqlite3.Error as exc:
        fault = fault_from_sqlite(exc, tmp)
        if fault is None:
            raise StorageError(CORRUPT, path=str(source), detail=str(exc)) from exc
        raise fault from exc
    except OSError as exc:
        raise fault_from_os_error(exc, target) from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _copy_checked(source: Path, tmp: Path) -> str:
    """Copy `source` into `tmp` with SQLite's backup API; SQLite's integrity check of the copy."""
    tmp.unlink(missing_ok=True)  # a leftover of an interrupted copy
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            (check,) = dst.execute("PRAGMA integrity_check").fetchone()
        finally:
            dst.close()
    finally:
        src.close()
    return str(check)
