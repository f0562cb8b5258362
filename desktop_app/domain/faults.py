"""Faults of the disk and the file system, named for what they are.

A full disk, a denied permission, a file held open by another program and an I/O error each get
one sentence that names the file, so nobody restores a backup because a disk is full. Every
layer that writes files (storage, files, sync, services) maps an `OSError` or an SQLite error
through `fault_from_os_error` / `fault_from_sqlite`; `replace_file` and `remove_file` retry a
short while when another program (on Windows an antivirus or an indexer) holds the file.

Plain Python: SQLite errors are read by their `sqlite_errorcode` without importing a driver, so
the helper serves every layer (files and sync may not import storage).
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from desktop_app.domain.errors import StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

DISK_FULL = QT_TRANSLATE_NOOP(
    "Errors",
    "The disk is full: {path} could not be written, and nothing was changed; free some space "
    "and try again.",
)
ACCESS_DENIED = QT_TRANSLATE_NOOP(
    "Errors",
    "Access to {path} was denied (the file or its folder is read-only or belongs to another "
    "account), and nothing was changed.",
)
HELD_BY_ANOTHER_PROGRAM = QT_TRANSLATE_NOOP(
    "Errors",
    "{path} is held by another program (an antivirus or a search indexer, perhaps), and nothing "
    "was changed; try again in a moment.",
)
DATABASE_BUSY = QT_TRANSLATE_NOOP(
    "Errors",
    "The database {path} is busy in another program, and nothing was changed; try again in a "
    "moment.",
)
IO_ERROR = QT_TRANSLATE_NOOP(
    "Errors",
    "The disk reported an input/output error on {path}, and nothing was changed; check the "
    "drive (it may be failing or disconnected) and try again.",
)
CANNOT_WRITE = QT_TRANSLATE_NOOP(
    "Errors", "{path} could not be written ({detail}), and nothing was changed."
)

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}
_HELD_ERRNOS = {errno.EBUSY, errno.ETXTBSY}
_HELD_WINERRORS = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 10, 13, 14
# Below this much free space, an I/O error while writing is a full disk (SQLite reports some
# writes that fail with ENOSPC, e.g. an fsync or the shared-memory file, as SQLITE_IOERR).
NEARLY_FULL = 4 * 1024 * 1024

RETRIES = 6
RETRY_DELAY = 0.05  # seconds, doubled after each attempt: about 1.5 s in all


def _disk_is_full(path: Path | str | None) -> bool:
    if not path:
        return False
    where = Path(path)
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        return shutil.disk_usage(where).free < NEARLY_FULL
    except OSError:
        return False


def is_held(exc: OSError) -> bool:
    """Another program holds the file (a sharing or lock violation, a busy file)."""
    return getattr(exc, "winerror", None) in _HELD_WINERRORS or exc.errno in _HELD_ERRNOS


def _retryable(exc: OSError) -> bool:
    return is_held(exc) or isinstance(exc, PermissionError)


def fault_from_os_error(exc: OSError, path: Path | str | None = None) -> StorageError:
    """The sentence of a file-system fault; `path` names the file (else the error's own)."""
    where = str(path or exc.filename or "")
    if exc.errno in _FULL_ERRNOS:
        return StorageError(DISK_FULL, path=where)
    if is_held(exc):
        return StorageError(HELD_BY_ANOTHER_PROGRAM, path=where)
    if isinstance(exc, PermissionError) or exc.errno in _DENIED_ERRNOS:
        return StorageError(ACCESS_DENIED, path=where)
    if exc.errno == errno.EIO:
        return StorageError(IO_ERROR, path=where)
    return StorageError(CANNOT_WRITE, path=where,
                        detail=exc.strerror or str(exc) or type(exc).__name__)


def sqlite_code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code of a driver error, None when it carries none."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def fault_from_sqlite(exc: BaseException | None, path: Path | str | None) -> StorageError | None:
    """The sentence of an SQLite error that is a fault of the disk or of another program, None
    when it is something else (a damaged file, a wrong schema): never call a fault damage."""
    code = sqlite_code(exc)
    text = str(exc).lower()
    where = str(path or "")
    if code == SQLITE_FULL or (code is None and ("disk is full" in text
                                                  or "no space left" in text)):
        return StorageError(DISK_FULL, path=where)
    if code == SQLITE_IOERR or (code is None and "disk i/o error" in text):
        return StorageError(DISK_FULL if _disk_is_full(path) else IO_ERROR, path=where)
    if code in (SQLITE_READONLY, SQLITE_PERM) or (
            code is None and ("readonly" in text or "read-only" in text)):
        return StorageError(ACCESS_DENIED, path=where)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or (code is None and "locked" in text):
        return StorageError(DATABASE_BUSY, path=where)
    if code == SQLITE_CANTOPEN or (code is None and "unable to open" in text):
        if path and not os.access(Path(path).parent, os.W_OK):
            return StorageError(ACCESS_DENIED, path=where)
        return StorageError(IO_ERROR, path=where)
    return None


# PostgreSQL's SQLSTATEs that mean "another PC is at work, try again", and a full disk.
_SERVER_BUSY = frozenset({"55P03", "40P01", "40001", "57014"})  # lock timeout, deadlock,
# serialisation failure, statement cancelled (a lock wait cut short)
_SERVER_FULL = frozenset({"53100", "53200"})  # disk full, out of memory


SERVER_UNREACHABLE = QT_TRANSLATE_NOOP(
    "Errors",
    "The database server of {path} cannot be reached ({detail}), and nothing was changed; check "
    "that this PC is on the plant's network and the server is running, then try again.",
)
SERVER_REFUSED = QT_TRANSLATE_NOOP(
    "Errors",
    "The database server refused {path} ({detail}); check the user name, password and database "
    "name of the address with plant IT.",
)
# connection lost or refused, the server shutting down or starting
_SERVER_GONE = frozenset({"57P01", "57P02", "57P03"})
_SERVER_REFUSED = frozenset({"28000", "28P01", "3D000", "42501"})  # who, password, database


def fault_from_server(exc: BaseException | None, where: str) -> StorageError | None:
    """The sentence of a database server error that is not damage, None for anything else."""
    state = str(getattr(exc, "sqlstate", "") or "")
    detail = str(exc).strip().splitlines()[0][:200] if exc is not None and str(exc) else ""
    if state in _SERVER_BUSY:
        return StorageError(DATABASE_BUSY, path=where)
    if state in _SERVER_FULL:
        return StorageError(DISK_FULL, path=where)
    if state.startswith("08") or state in _SERVER_GONE or (
            not state and type(exc).__name__ == "OperationalError"):
        # A driver's OperationalError without a state: no connection was made at all.
        return StorageError(SERVER_UNREACHABLE, path=where, detail=detail)
    if state in _SERVER_REFUSED:
        return StorageError(SERVER_REFUSED, path=where, detail=detail)
    return None


def _with_retries(operation: Callable[[], None], path: Path | str) -> None:
    delay = RETRY_DELAY
    for attempt in range(1, RETRIES + 1):
        try:
            operation()
            return
        except FileNotFoundError:
            raise
        except OSError as exc:
            if attempt == RETRIES or not _retryable(exc):
                raise fault_from_os_error(exc, path) from exc
            time.sleep(delay)
            delay *= 2


def replace_file(source: Path | str, target: Path | str) -> None:
    """`os.replace`, retried a short while when another program holds either file; a fault
    that stays is one sentence naming `target`."""
    _with_retries(lambda: os.replace(source, target), target)


def remove_file(path: Path | str) -> None:
    """Unlink (a missing file is fine), retried like `replace_file`."""
    _with_retries(lambda: Path(path).unlink(missing_ok=True), path)
