"""Alembic at start: back up, migrate to head, check. A newer schema is refused, never touched.

Each area of the application keeps its tables on its own migration branch from 0001_foundation
(query tables never hold foreign keys to another area's tables: revisions arrive in any order),
so the database is at "heads", every branch at its newest revision.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

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


def upgrade(db: Database, script_location: Path) -> None:
    from alembic import command

    config = alembic_config(db, script_location)
    with translate_errors(db), db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
