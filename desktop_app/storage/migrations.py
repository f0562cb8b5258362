"""Alembic at start: back up, migrate to head, check. A newer schema is refused, never touched.

Each area of the application keeps its tables on its own migration branch from 0001_foundation
(query tables never hold foreign keys to another area's tables: revisions arrive in any order),
so the database is at "heads", every branch at its newest revision.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from desktop_app.domain.errors import StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.storage.database import Database, translate_errors


def alembic_config(db: Database, script_location: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def current_heads(db: Database) -> set[str]:
    with translate_errors(db), db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def script_heads(script_location: Path) -> set[str]:
    return set(ScriptDirectory(str(script_location)).get_heads())


def needs_upgrade(db: Database, script_location: Path) -> bool:
    current = current_heads(db)
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


def upgrade(db: Database, script_location: Path) -> None:
    config = alembic_config(db, script_location)
    with translate_errors(db), db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
