"""A quick, read-only look at a data folder's database before the full open.

The window can show the right first screen (set-up or sign-in, with the site's name) without
waiting for SQLAlchemy and the migration check, which then run in the background. Nothing is
written: the file is opened read-only, and a missing file is not created.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop_app.domain.errors import StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

# The same sentence as storage.database.CORRUPT, which cannot be imported here without
# SQLAlchemy (the point of this module is to run before it is loaded).
CORRUPT = QT_TRANSLATE_NOOP(
    "Errors", "The database file {path} is damaged or is not a PartDesk database ({detail})."
)


@dataclass(frozen=True, slots=True)
class SiteHint:
    code: str
    name: str


def peek_site(database: Path) -> SiteHint | None:
    """This folder's site, None when there is none yet (or the file cannot tell);
    StorageError when the file is not a database at all."""
    if not database.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT s.code, s.name FROM local_site AS l "
                           "JOIN sites AS s ON s.id = l.site_id LIMIT 1").fetchone()
    except sqlite3.OperationalError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise StorageError(CORRUPT, path=str(database), detail=str(exc)) from exc
        return None  # no tables yet, busy, or an older layout: the full open decides
    except sqlite3.DatabaseError as exc:
        raise StorageError(CORRUPT, path=str(database), detail=str(exc)) from exc
    finally:
        conn.close()
    return SiteHint(code=str(row[0]), name=str(row[1])) if row else None
