"""Backups are rotated and `restore --latest` chooses by the order they were made in, which a
clock set back or jumping forward and back does not change (issue 11, item 4)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain.parts import SupplierDraft
from desktop_app.domain.people import Actor
from desktop_app.domain.revisions import format_timestamp
from desktop_app.services import backup as backup_module
from desktop_app.services.backup import BackupService, head_file
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.recovery import newest_backup
from desktop_app.services.suppliers import SupplierService
from desktop_app.storage.models.parts import Supplier
from tests.conftest import PASSWORD

KEEP = 3


def backup_order(path: Path) -> int:
    """The number in the order of making recorded beside a backup (0: none recorded)."""
    return int(json.loads(head_file(path).read_text()).get("order", 0))


class Clock:
    """The service clock, set by the test: one second later at every reading."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def set(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> str:
        self.now += timedelta(seconds=1)
        return format_timestamp(self.now)


@pytest.fixture
def clock(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock(datetime(2026, 6, 1, 10, 0, tzinfo=UTC))
    monkeypatch.setattr(ctx, "clock", clock)
    monkeypatch.setattr(backup_module, "KEEP", KEEP)  # a few backups show the rotation
    yield clock


def _backup_after_work(ctx: ServiceContext, actor: Actor, clock: Clock, tag: str) -> Path:
    """Supplier `tag` added, then a backup, its file dated by the same clock (as the system's
    clock dates it)."""
    SupplierService(ctx).add_supplier(actor, SupplierDraft(name=f"Supplier {tag}", code=tag))
    path = BackupService(ctx).backup(actor).path
    stamp = clock.now.timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _suppliers(folder_ctx: ServiceContext) -> set[str]:
    with folder_ctx.unit_of_work() as uow:
        return set(uow.session.execute(select(Supplier.name)).scalars())


def _restore_latest(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, set[str]]:
    """`partdesk restore --latest` on the folder: what it restored, and the suppliers after."""
    monkeypatch.setenv("PARTDESK_PASSWORD", PASSWORD)
    ctx.db.dispose()
    capsys.readouterr()
    argv = ["--data-dir", str(ctx.folder.root), "--user", "admin", "--json", "restore",
            "--latest"]
    assert main(argv) == 0
    restored = Path(json.loads(capsys.readouterr().out)["restored"])
    after = open_context(ctx.folder)
    try:
        return restored, _suppliers(after)
    finally:
        after.close()


def _made(ctx: ServiceContext, actors, clock: Clock, moments: list[datetime],
          prefix: str = "S") -> list[Path]:
    made = []
    for i, moment in enumerate(moments):
        clock.set(moment)
        made.append(_backup_after_work(ctx, actors["admin"], clock, f"{prefix}{i}"))
    return made


def _manual_backups(ctx: ServiceContext) -> set[Path]:
    return set(ctx.folder.backups.glob("manual-*.sqlite3"))


def test_with_the_clock_set_back_the_truly_oldest_are_rotated_and_the_newest_restored(
    ctx: ServiceContext, actors, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    june = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    january = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)  # the clock set back five months
    made = _made(ctx, actors, clock, [june, june + timedelta(minutes=5),
                                      january, january + timedelta(minutes=5),
                                      january + timedelta(minutes=10)])

    assert _manual_backups(ctx) == set(made[-KEEP:])  # the two made in June were the oldest
    assert [backup_order(p) for p in made[-KEEP:]] == [3, 4, 5]
    assert not any(head_file(p).exists() for p in made[:-KEEP])
    assert newest_backup(ctx.folder) == made[-1]

    SupplierService(ctx).add_supplier(actors["admin"], SupplierDraft(name="Later", code="LT"))
    restored, suppliers = _restore_latest(ctx, monkeypatch, capsys)
    assert restored == made[-1]
    assert suppliers >= {f"Supplier S{i}" for i in range(5)} and "Later" not in suppliers


def test_with_the_clock_forward_then_back_the_copy_from_the_future_is_not_the_newest(
    ctx: ServiceContext, actors, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    june = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    future = datetime(2031, 6, 1, 10, 0, tzinfo=UTC)  # the clock jumped five years ahead
    made = _made(ctx, actors, clock, [june, future, june + timedelta(minutes=5),
                                      june + timedelta(minutes=10),
                                      june + timedelta(minutes=15)])

    assert _manual_backups(ctx) == set(made[-KEEP:])  # the one dated 2031 was rotated in turn
    assert newest_backup(ctx.folder) == made[-1]

    restored, suppliers = _restore_latest(ctx, monkeypatch, capsys)
    assert restored == made[-1]
    assert suppliers >= {f"Supplier S{i}" for i in range(5)}


def test_the_order_goes_on_after_a_restore_and_a_clock_standing_still_overwrites_nothing(
    ctx: ServiceContext, actors, clock: Clock
) -> None:
    service = BackupService(ctx)
    first = service.backup(actors["admin"]).path
    service.backup(actors["admin"])
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    safety = service.restore(actors["admin"], first).path  # the log goes back, the order not
    assert backup_order(safety) == 3

    standing = format_timestamp(datetime(2025, 1, 1, tzinfo=UTC))
    ctx.clock = lambda: standing  # the same time at every reading (the fixture puts it back)
    again = [service.backup(actors["admin"]).path for _ in range(2)]
    assert again[0] != again[1] and all(p.exists() for p in again)
    assert [backup_order(p) for p in again] == [4, 5]
    assert newest_backup(ctx.folder) == again[1]


def test_copies_made_before_backups_were_numbered_come_first_by_their_file_time(
    ctx: ServiceContext, actors, clock: Clock
) -> None:
    made = _made(ctx, actors, clock, [datetime(2026, 6, 1, tzinfo=UTC),
                                      datetime(2026, 5, 1, tzinfo=UTC)])
    for path in made:  # as copies made before the order was recorded
        head = json.loads(head_file(path).read_text())
        del head["order"]
        head_file(path).write_text(json.dumps(head))
    os.utime(made[0], (1_000_000, 1_000_000))
    os.utime(made[1], (2_000_000, 2_000_000))
    assert newest_backup(ctx.folder) == made[1]  # by file time among the unnumbered

    numbered = _made(ctx, actors, clock, [datetime(2020, 1, 1, tzinfo=UTC)], "N")[0]
    assert backup_order(numbered) == 1
    assert newest_backup(ctx.folder) == numbered
    later = _made(ctx, actors, clock, [datetime(2020, 1, 2, tzinfo=UTC)] * 2, "L")
    assert _manual_backups(ctx) == {numbered, *later}  # the unnumbered were rotated first
