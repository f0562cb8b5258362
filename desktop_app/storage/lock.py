"""One PartDesk process per data folder: an OS lock on a file, released when the process ends."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from desktop_app.domain.errors import StorageError
from desktop_app.domain.text import QT_TRANSLATE_NOOP

LOCK_FILE = "partdesk.lock"


class DataFolderLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_FILE
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+")  # noqa: SIM115 - held for the life of the process
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise StorageError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "PartDesk is already open on the data folder {folder}; close it first.",
                ),
                folder=str(self.path.parent),
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> DataFolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
