"""A backup taken while another operation writes is one consistent moment of the database, and a
backup that fails midway leaves the earlier backups as they were and says so in one sentence."""

from __future__ import annotations

import errno
import sqlite3
import threading

import pytest

from desktop_app.domain.errors import StorageError
from desktop_app.services.backup import BackupService
from desktop_app.services.context import ServiceContext
from desktop_app.services.integrity import IntegrityService
from desktop_app.storage.folder_check import backup_problem
from tests.services.evidence_fixtures import register_part
from tests.services.test_fault_sentences import fsync_fails, leftovers


def _numbers(database) -> list[str]:
    with sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return sorted(n for (n,) in conn.execute(
            "SELECT part_number FROM parts WHERE part_number LIKE 'BK-%'"))


def test_a_backup_taken_while_parts_are_written_is_consistent_and_verifies(
    ctx: ServiceContext, actors
) -> None:
    stop, written, failures = threading.Event(), [], []

    def writer() -> None:
        try:
            while not stop.is_set() and len(written) < 2000:
                number = f"BK-{len(written):05d}"
                register_part(ctx, actors["eng"], number)
                written.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        made = []
        for _ in range(4):
            made.append(BackupService(ctx).backup(actors["admin"]))
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert written and IntegrityService(ctx).verify() == []

    held = []
    for info in made:
        assert backup_problem(info.path) == "", info.path
        numbers = _numbers(info.path)
        # one moment of the database: every part registered before it, none after, no gap
        assert numbers == written[: len(numbers)]
        held.append(len(numbers))
    assert held == sorted(held) and held[0] > 0 and held[-1] <= len(written)
    assert len(set(held)) > 1, "the writes went on while the backups were made"

    # a copy taken mid-write restores and the folder verifies whole
    BackupService(ctx).restore(actors["admin"], made[1].path)
    assert _numbers(ctx.folder.database) == written[: held[1]]
    assert IntegrityService(ctx).verify() == []


def test_a_backup_that_fails_midway_keeps_the_earlier_ones_and_says_so(
    ctx: ServiceContext, actors
) -> None:
    service = BackupService(ctx)
    first = service.backup(actors["admin"])
    register_part(ctx, actors["eng"], "BK-LATER")
    before = first.path.read_bytes()

    def no_space() -> OSError:
        return OSError(errno.ENOSPC, "No space left on device")

    with pytest.MonkeyPatch.context() as patch, fsync_fails(patch, no_space), \
            pytest.raises(StorageError) as raised:
        service.backup(actors["admin"])

    sentence = raised.value.message()
    assert "full" in sentence and str(ctx.folder.backups) in sentence
    assert [b.path for b in service.list_backups()] == [first.path]
    assert first.path.read_bytes() == before and backup_problem(first.path) == ""
    assert leftovers(ctx.folder.root) == []
    assert IntegrityService(ctx).verify() == []
