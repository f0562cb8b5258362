"""Faults named for what they are: the sentence of each, and the rename that outlasts a lock."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from desktop_app.domain import faults
from desktop_app.domain.errors import StorageError
from desktop_app.domain.faults import (
    fault_from_os_error,
    fault_from_sqlite,
    remove_file,
    replace_file,
)


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faults, "RETRY_DELAY", 0.0)


def held_error() -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION, as on Windows
    return exc


@pytest.mark.parametrize(("error", "words"), [
    (OSError(errno.ENOSPC, "No space left on device"), "The disk is full"),
    (PermissionError(errno.EACCES, "Permission denied"), "Access to"),
    (OSError(errno.EROFS, "Read-only file system"), "Access to"),
    (OSError(errno.EIO, "Input/output error"), "input/output error"),
    (OSError(errno.EBUSY, "Device or resource busy"), "held by another program"),
    (held_error(), "held by another program"),
])
def test_each_file_system_fault_has_its_sentence_naming_the_file(error, words) -> None:
    message = fault_from_os_error(error, "/data/blobs").message()
    assert words in message and "/data/blobs" in message
    assert "damaged" not in message


def sqlite_error(code: int, text: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(text)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(("code", "text", "words"), [
    (13, "database or disk is full", "The disk is full"),
    (10 | (4 << 8), "disk I/O error", "input/output error"),  # SQLITE_IOERR_WRITE
    (8, "attempt to write a readonly database", "Access to"),
    (5, "database is locked", "busy in another program"),
])
def test_sqlite_faults_are_named_never_damage(code, text, words) -> None:
    fault = fault_from_sqlite(sqlite_error(code, text), "/data/partdesk.sqlite3")
    assert fault is not None
    assert words in fault.message() and "/data/partdesk.sqlite3" in fault.message()


def test_an_io_error_on_a_disk_without_space_is_a_full_disk(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(faults.shutil, "disk_usage", lambda _path: SimpleNamespace(free=1024))
    fault = fault_from_sqlite(sqlite_error(10, "disk I/O error"), tmp_path / "db.sqlite3")
    assert fault is not None and "The disk is full" in fault.message()


def test_damage_is_left_to_the_caller() -> None:
    assert fault_from_sqlite(sqlite_error(26, "file is not a database"), "x") is None
    assert fault_from_sqlite(sqlite_error(11, "database disk image is malformed"), "x") is None


def failing(monkeypatch, error_factory, times: int | None):
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if times is None or len(calls) <= times:
            raise error_factory()
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_a_rename_held_twice_by_another_program_succeeds_on_retry(monkeypatch, tmp_path) -> None:
    source, target = tmp_path / "new.tmp", tmp_path / "file.txt"
    source.write_text("new")
    target.write_text("old")
    calls = failing(monkeypatch, lambda: PermissionError(errno.EACCES, "denied"), times=2)
    replace_file(source, target)
    assert len(calls) == 3 and target.read_text() == "new" and not source.exists()


def test_a_rename_held_for_good_gives_one_sentence_and_changes_nothing(monkeypatch,
                                                                      tmp_path) -> None:
    source, target = tmp_path / "new.tmp", tmp_path / "file.txt"
    source.write_text("new")
    target.write_text("old")
    calls = failing(monkeypatch, held_error, times=None)
    with pytest.raises(StorageError, match="held by another program") as raised:
        replace_file(source, target)
    assert str(target) in raised.value.message()
    assert len(calls) == faults.RETRIES and target.read_text() == "old"


def test_a_full_disk_is_not_retried(monkeypatch, tmp_path) -> None:
    source, target = tmp_path / "new.tmp", tmp_path / "file.txt"
    source.write_text("new")
    calls = failing(monkeypatch, lambda: OSError(errno.ENOSPC, "No space left"), times=None)
    with pytest.raises(StorageError, match="The disk is full"):
        replace_file(source, target)
    assert len(calls) == 1


def test_remove_file_retries_then_succeeds_and_tolerates_a_missing_file(monkeypatch,
                                                                       tmp_path) -> None:
    path = tmp_path / "old.sqlite3"
    path.write_text("x")
    real, calls = Path.unlink, []

    def unlink(self, missing_ok=False):
        calls.append(self)
        if len(calls) <= 2:
            raise held_error()
        real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    remove_file(path)
    assert not path.exists() and len(calls) == 3
    remove_file(path)  # already gone: fine
