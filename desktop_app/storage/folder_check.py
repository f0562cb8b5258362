"""Is this data folder sound, new, or damaged? Asked before anything opens or creates its database.

A folder that holds what only a set-up site leaves behind (its key, the audit head beside it,
stored files, backups) but whose database is missing, empty, without a site, or not a PartDesk
database at all is *damaged*: it is refused with one sentence that offers the newest backup that
verifies, and nothing is created or migrated in it. A file that is not a PartDesk database is
never written into, whatever else the folder holds. A folder with none of these is new.

Plain `sqlite3`, read-only, nothing created: the window asks this before SQLAlchemy is loaded.
"""

from __future__ import annotations

import json
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import CONTEXT, StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP, Translate, untranslated
from desktop_app.paths import DataFolder

SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_HEAD_SUFFIX = ".head.json"


class DatabaseState(Enum):
    SOUND = "sound"  # a PartDesk database with its site
    NEW = "new"  # no file, zero bytes, or an SQLite file without tables
    NO_SITE = "no site"  # PartDesk's tables, no site yet (set up was never finished)
    FOREIGN = "foreign"  # not SQLite, unreadable, or another application's tables
    UNKNOWN = "unknown"  # busy or an I/O error: the full open decides and says why


_MISSING = QT_TRANSLATE_NOOP(
    "Errors",
    "The data folder {folder} holds a site's key, files or backups but no database, and nothing "
    "was changed in it; {remedy}.",
)
_EMPTY = QT_TRANSLATE_NOOP(
    "Errors",
    "The database {path} is empty although its folder holds a site's key, files or backups, and "
    "nothing was changed in it; {remedy}.",
)
_NO_SITE = QT_TRANSLATE_NOOP(
    "Errors",
    "The database {path} holds no site although its folder holds a site's key, files or "
    "backups, and nothing was changed in it; {remedy}.",
)
_FOREIGN = QT_TRANSLATE_NOOP(
    "Errors",
    "The database file {path} is damaged or is not a PartDesk database ({detail}), and nothing "
    "was changed in it; {remedy}.",
)
RESTORE_ON_COMMAND_LINE = QT_TRANSLATE_NOOP(
    "Errors", "'partdesk restore --latest' brings back the newest verified backup, {backup}"
)
RESTORE_IN_WINDOW = QT_TRANSLATE_NOOP(
    "Errors", "'Restore the newest backup' brings back the newest verified backup, {backup}"
)
_NO_BACKUP = QT_TRANSLATE_NOOP(
    "Errors",
    "no backup in {backups} verifies, so bring back a copy of the whole folder from elsewhere",
)
_NOTHING_TO_LOSE = QT_TRANSLATE_NOOP(
    "Errors", "move the file away, or choose another data folder"
)


class DataFolderDamaged(StorageError):
    """A damaged folder, with the newest backup that verifies (`backup`, None when none does).
    The sentence ends with what to do: `message()` names the command line's
    `partdesk restore --latest`, `window_message()` the window's button."""

    def __init__(self, template: str, /, *, folder: DataFolder, backup: Path | None,
                 remedy: str = RESTORE_ON_COMMAND_LINE, **params: Any) -> None:
        self.folder = folder
        self.backup = backup
        self.remedy = remedy if backup is not None else (
            _NO_BACKUP if has_site_traces(folder) else _NOTHING_TO_LOSE)
        super().__init__(template, folder=str(folder.root), path=str(folder.database),
                         backups=str(folder.backups),
                         backup=backup.name if backup is not None else "", **params)

    def message(self, translate: Translate = untranslated) -> str:
        return self._message(translate, self.remedy)

    def window_message(self, translate: Translate = untranslated) -> str:
        remedy = RESTORE_IN_WINDOW if self.backup is not None else self.remedy
        return self._message(translate, remedy)

    def _message(self, translate: Translate, remedy: str) -> str:
        params = dict(self.params)
        try:
            params["remedy"] = translate(CONTEXT, remedy).format(**params)
            return translate(CONTEXT, self.template).format(**params)
        except (KeyError, IndexError, ValueError):
            params["remedy"] = remedy.format(**params)
            return self.template.format(**params)


def site_traces(folder: DataFolder) -> list[Path]:
    """What only a set-up site leaves in a folder: files under keys/ (the site key, the audit
    head), stored files under blobs/, backups."""
    found: list[Path] = []
    for where, pattern in ((folder.keys, "*"), (folder.blobs, "*/*"),
                           (folder.backups, "*.sqlite3")):
        if where.is_dir():
            found.extend(p for p in where.glob(pattern) if p.is_file())
    return found


def has_site_traces(folder: DataFolder) -> bool:
    return bool(site_traces(folder))


def database_state(path: Path) -> tuple[DatabaseState, str]:
    """What the database file is, read-only and without creating it, with a detail."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return DatabaseState.NEW, "missing"
    except OSError as exc:
        return DatabaseState.UNKNOWN, exc.strerror or type(exc).__name__
    if size == 0:
        return DatabaseState.NEW, "empty"
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return DatabaseState.UNKNOWN, exc.strerror or type(exc).__name__
    if header != SQLITE_HEADER:
        return DatabaseState.FOREIGN, "file is not a database"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error as exc:
        return DatabaseState.UNKNOWN, str(exc)
    try:
        tables = {str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return DatabaseState.NEW, "no tables"
        if not {"alembic_version", "local_site"} <= tables:
            return DatabaseState.FOREIGN, "tables of another application"
        if conn.execute("SELECT site_id FROM local_site LIMIT 1").fetchone() is None:
            return DatabaseState.NO_SITE, "no site"
        return DatabaseState.SOUND, ""
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return DatabaseState.FOREIGN, text
        return DatabaseState.UNKNOWN, text  # busy, locked, I/O: not called damage here
    except sqlite3.DatabaseError as exc:
        return DatabaseState.FOREIGN, str(exc)
    finally:
        conn.close()


def inspect_data_folder(folder: DataFolder) -> DataFolderDamaged | None:
    """The damage of a folder, None when it is sound or new (nothing written either way)."""
    state, detail = database_state(folder.database)
    if state in (DatabaseState.SOUND, DatabaseState.UNKNOWN):
        return None
    if state is DatabaseState.FOREIGN:
        template = _FOREIGN
    elif not has_site_traces(folder):
        return None  # new: a first run may create the database here
    elif state is DatabaseState.NO_SITE:
        template = _NO_SITE
    elif detail == "missing":
        template = _MISSING
    else:
        template = _EMPTY
    return DataFolderDamaged(template, folder=folder, backup=newest_verified_backup(folder),
                             detail=detail)


def check_data_folder(folder: DataFolder) -> None:
    """Raise DataFolderDamaged when the folder is damaged."""
    damage = inspect_data_folder(folder)
    if damage is not None:
        raise damage


def backups_newest_first(folder: DataFolder) -> list[Path]:
    """The backups, the most recently made first: by the number each backup records in its head
    file (the order it was made, whatever the clock said), then modification time, then name;
    backups without a number count as older than every numbered one."""
    if not folder.backups.is_dir():
        return []
    copies = [p for p in folder.backups.glob("*.sqlite3") if p.is_file()]
    return sorted(copies, key=lambda p: (_made_as(p), p.stat().st_mtime_ns, p.name),
                  reverse=True)


def _made_as(path: Path) -> int:
    """The backup's number ("order" in its head file), or -1 when it has none."""
    try:
        head = json.loads(path.with_name(path.name + BACKUP_HEAD_SUFFIX).read_text("utf-8"))
        order = head.get("order") if isinstance(head, dict) else None
    except (OSError, ValueError):
        return -1
    return order if type(order) is int else -1


def backup_problem(path: Path) -> str:
    """Why a backup cannot be restored, "" when it verifies: SQLite's integrity check passes,
    it holds a site, and its audit log ends at the head recorded beside it when one is."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            (check,) = conn.execute("PRAGMA integrity_check").fetchone()
            if check != "ok":
                return str(check)
            if conn.execute("SELECT site_id FROM local_site LIMIT 1").fetchone() is None:
                return "no site"
            last = conn.execute(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    recorded = path.with_name(path.name + BACKUP_HEAD_SUFFIX)
    if not recorded.exists():
        return ""  # a copy made before a migration: its head is read from the copy itself
    try:
        head = json.loads(recorded.read_text(encoding="utf-8"))
        expected = (int(head["seq"]), str(head["hash"]))
    except (OSError, ValueError, KeyError, TypeError):
        return "its recorded audit head cannot be read"
    if last is None:
        return "" if expected[0] == 0 else "its audit log is empty"
    if (int(last[0]), str(last[1])) != expected:
        return "its audit log does not end at the head recorded beside it"
    return ""


def newest_verified_backup(folder: DataFolder) -> Path | None:
    for path in backups_newest_first(folder):
        if not backup_problem(path):
            return path
    return None
