"""Alembic at start: back up, migrate to head, check. A newer schema is refused, never touched.

Each area of the application keeps its tables on its own migration branch from 0001_foundation
(query tables never hold foreign keys to another area's tables: revisions arrive in any order),
so the database is at "heads", every branch at its newest revision.

An upgrade is one transaction: killed at any moment, the database is wholly at its old schema or
wholly at the new one (SQLite's DDL is transactional; the version table is written in the same
transaction). On SQLite, foreign keys are switched off on the migrating connection, as SQLite
asks for table rebuilds (a rebuilt parent table would otherwise take its children with it through
ON DELETE CASCADE), and checked before the commit instead. Before committing, every table that
existed before must still hold as many rows and no row may point at a missing parent: otherwise
the upgrade is rolled back and refused with one sentence. A future migration that removes rows
on purpose must say so here, with its own test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy import table as table_clause

from desktop_app.domain.errors import StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.storage.database import Database, translate_errors

if TYPE_CHECKING:
    from alembic.config import Config

# `revision = "0002_parts"` / `down_revision: str | None = "0001_foundation"` in a version file
_DECLARATION = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(db: Database, script_location: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def current_heads(db: Database) -> set[str]:
    """The revisions the database is at (Alembic's version table, read with plain SQL)."""
    with translate_errors(db), db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return set()
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def script_heads(script_location: Path) -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory(str(script_location)).get_heads())


def declared_heads(script_location: Path) -> set[str] | None:
    """The heads as the version files declare them, read as text without importing Alembic
    (which costs a noticeable part of the start); None when a file is not plainly written."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((script_location / "versions").glob("*.py")):
        found = dict(_DECLARATION.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else list(down or ()))
    return revisions - parents or None


def needs_upgrade(db: Database, script_location: Path) -> bool:
    current = current_heads(db)
    if current and current == declared_heads(script_location):
        return False  # the usual start: already at head, Alembic is not even imported
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(script_location))
    known = {r.revision for r in script.walk_revisions()}
    unknown = sorted(current - known)
    if unknown:
        raise StorageError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This database was written by a newer PartDesk (schema {revision}); "
                "install the newer version to open it.",
            ),
            revision=", ".join(unknown),
        )
    return current != set(script.get_heads())


def is_new(db: Database) -> bool:
    return not current_heads(db)


_LOST_ROWS = QT_TRANSLATE_NOOP(
    "Errors",
    "The upgrade of the database was stopped because it would have removed {count} rows of "
    "{table}; the database is unchanged. Keep this version and report it to plant IT.",
)
_DANGLING_ROWS = QT_TRANSLATE_NOOP(
    "Errors",
    "The upgrade of the database was stopped because it would have left {count} rows of {table} "
    "pointing at missing records; the database is unchanged. Keep this version and report it "
    "to plant IT.",
)


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows in every table of the database: not Alembic's version table, nor the tables a
    full-text index keeps for itself (their rows are segments, merged as SQLite sees fit)."""
    names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
    if conn.dialect.name == "sqlite":
        virtual = [v for (v,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
        names = [n for n in names if not any(n.startswith(f"{v}_") for v in virtual)]
    count = select(func.count())
    return {n: int(conn.execute(count.select_from(table_clause(n))).scalar_one()) for n in names}


def _dangling(conn: Connection) -> dict[str, int]:
    """Rows whose foreign key names a missing row, by table (SQLite's own check)."""
    if conn.dialect.name != "sqlite":
        return {}  # PostgreSQL enforces foreign keys during the migration itself
    found: dict[str, int] = {}
    for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
        found[str(row[0])] = found.get(str(row[0]), 0) + 1
    return found


def check_upgrade(before: dict[str, int], conn: Connection) -> None:
    """Refuse (StorageError) an upgrade that lost rows or left rows without their parent."""
    after = row_counts(conn)
    for table, count in sorted(before.items()):
        if after.get(table, 0) < count:
            raise StorageError(_LOST_ROWS, count=count - after.get(table, 0), table=table)
    for table, count in sorted(_dangling(conn).items()):
        raise StorageError(_DANGLING_ROWS, count=count, table=table)


def upgrade(db: Database, script_location: Path) -> None:
    """Migrate to the newest schema in one transaction, checked before it commits."""
    from alembic import command

    config = alembic_config(db, script_location)
    with translate_errors(db), db.engine.connect() as conn:
        sqlite = db.is_sqlite
        if sqlite:  # before the transaction begins: SQLite ignores it inside one
            raw: Any = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                before = row_counts(conn)
                config.attributes["connection"] = conn
                command.upgrade(config, "heads")
                check_upgrade(before, conn)
        finally:
            if sqlite:  # this connection goes back to the pool: never without foreign keys
                conn.invalidate()
