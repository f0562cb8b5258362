"""Two PCs writing to one PostgreSQL database at once: parts imports side by side both succeed,
nothing is lost, the audit log verifies; a PC that waits too long is told to try again in one
sentence, never that the database is damaged."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import StorageError
from desktop_app.domain.people import Role, SiteKind
from desktop_app.files.tables import write_table
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.services.parts_import import PartsImportService
from desktop_app.services.people import PeopleService
from desktop_app.services.plant import PlantService
from desktop_app.storage import database
from desktop_app.storage.models.parts import Part
from tests.conftest import PASSWORD

HEADERS = ["Référence", "Indice", "Désignation"]


def _two_pcs(pg_url: str, tmp_path: Path):
    """Two PCs of one plant: the first sets it up, the second joins with a code the first's
    administrator printed (the site key is never copied between them)."""
    first = open_context(DataFolder(tmp_path / "pc1"), database_url=pg_url)
    PlantService(first).create("PG", "Server plant", SiteKind.PLANT, "admin", "Ada", PASSWORD)
    admin = PeopleService(first).sign_in("admin", PASSWORD)
    PeopleService(first).add_person(admin, "eng", "Eng Person", Role.ENGINEER, PASSWORD)
    code = PlantService(first).invite(admin).code
    second = open_context(DataFolder(tmp_path / "pc2"), database_url=pg_url)
    PlantService(second).join(code)
    return first, second


def test_two_pcs_importing_at_once_both_succeed_and_nothing_is_lost(pg_url, tmp_path) -> None:
    pcs = _two_pcs(pg_url, tmp_path)
    failures: list[BaseException] = []
    files = 6

    def work(index: int) -> None:
        ctx = pcs[index]
        try:
            eng = PeopleService(ctx).sign_in("eng", PASSWORD)
            for n in range(files):
                path = tmp_path / f"pc{index}-{n}.csv"
                write_table(path, HEADERS, [[f"P{index}-{n}-{r:03d}", "A", f"Pièce {r}"]
                                            for r in range(25)], "csv")
                PartsImportService(ctx).apply(eng, path)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with pcs[1].unit_of_work() as uow:
            assert uow.session.execute(select(func.count()).select_from(Part)).scalar() == \
                2 * files * 25
        assert IntegrityService(pcs[0]).verify() == []
    finally:
        for ctx in pcs:
            ctx.close()


def test_a_pc_kept_waiting_too_long_is_told_to_try_again(pg_url, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(database, "SERVER_LOCK_WAIT_S", 1)
    pcs = _two_pcs(pg_url, tmp_path)
    try:
        holding = pcs[0].db.engine.connect()
        holding.begin()  # another PC's long transaction holds the write lock
        try:
            with pytest.raises(StorageError) as raised:
                PeopleService(pcs[1]).sign_in("eng", PASSWORD)
        finally:
            holding.rollback()
            holding.close()
        sentence = raised.value.message()
        assert "is busy" in sentence and "try again" in sentence
        assert "damaged" not in sentence and "postgres@" in sentence
        PeopleService(pcs[1]).sign_in("eng", PASSWORD)  # once it is free, it works
    finally:
        for ctx in pcs:
            ctx.close()
