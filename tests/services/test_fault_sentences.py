"""Faults named for what they are in every operation that writes: attach, backup, restore,
export, import, migration. Each says what happened and where, leaves nothing half-written,
and the same operation succeeds once the cause is gone."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from desktop_app.domain import faults
from desktop_app.domain.errors import NotFound, StorageError
from desktop_app.paths import migrations_dir
from desktop_app.services.attachments import AttachmentService
from desktop_app.services.backup import BackupService
from desktop_app.services.context import ServiceContext
from desktop_app.services.evidence_queries import EvidenceQueries
from desktop_app.services.parts import PartService
from desktop_app.services.parts_dto import PartQuery
from desktop_app.services.parts_export import PartsExportService
from desktop_app.storage import migrations
from desktop_app.storage.database import integrity_problems
from tests.services.evidence_fixtures import register_part

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ERRORS: dict[str, tuple[Callable[[], OSError], str]] = {
    "disk full": (lambda: OSError(errno.ENOSPC, "No space left on device"), "The disk is full"),
    "denied": (lambda: PermissionError(errno.EACCES, "Permission denied"), "Access to"),
    "I/O error": (lambda: OSError(errno.EIO, "Input/output error"), "input/output error"),
}


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faults, "RETRY_DELAY", 0.0)


@contextmanager
def database_full(ctx: ServiceContext) -> Iterator[None]:
    """The database may not grow by a page: SQLite's own SQLITE_FULL, for real."""
    def limit(dbapi_connection, _record) -> None:
        (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    raw = ctx.db.engine.raw_connection()
    try:
        raw.cursor().execute("VACUUM")  # no free page left inside the file either
    finally:
        raw.close()
    event.listen(ctx.db.engine, "connect", limit)
    ctx.db.engine.dispose()
    try:
        yield
    finally:
        event.remove(ctx.db.engine, "connect", limit)
        ctx.db.engine.dispose()


@contextmanager
def fsync_fails(monkeypatch: pytest.MonkeyPatch, error: Callable[[], OSError]) -> Iterator[None]:
    """Every fsync of a file written by PartDesk fails (delayed allocation on a full disk)."""
    def fsync(_fd: int) -> None:
        raise error()

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", fsync)
        yield


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and (
        p.suffix in (".part", ".partial", ".tmp", ".restore") or ".restore-" in p.name
        or p.parent.name in ("tmp", "staging"))]


def assert_named(raised: pytest.ExceptionInfo[StorageError], words: str, where: Path) -> None:
    message = raised.value.message()
    assert words in message and str(where) in message, message
    assert "damaged" not in message


@pytest.mark.parametrize("fault", list(ERRORS))
def test_attach_names_the_fault_of_the_file_store(ctx, actors, tmp_path, monkeypatch,
                                                  fault) -> None:
    part_id = register_part(ctx, actors["eng"])
    source = tmp_path / "report.pdf"
    source.write_bytes(PDF_BYTES)
    service = AttachmentService(ctx)
    error, words = ERRORS[fault]
    with fsync_fails(monkeypatch, error), pytest.raises(StorageError) as raised:
        service.attach_file(actors["insp"], part_id, source, "test_report")
    assert_named(raised, words, ctx.folder.blobs)
    assert leftovers(ctx.folder.root) == [] and list(ctx.folder.blobs.glob("??/*")) == []
    assert EvidenceQueries(ctx).attachments(part_id) == []
    assert service.attach_file(actors["insp"], part_id, source, "test_report").size == len(
        PDF_BYTES)


def test_attach_on_a_full_database_says_the_disk_is_full_not_damaged(ctx, actors,
                                                                      tmp_path) -> None:
    part_id = register_part(ctx, actors["eng"])
    source = tmp_path / "report.pdf"
    source.write_bytes(PDF_BYTES * 200)
    service = AttachmentService(ctx)
    note = "Mesures relevées au laboratoire. " * 550  # more than the pages left
    with database_full(ctx), pytest.raises(StorageError) as raised:
        service.attach_file(actors["insp"], part_id, source, "test_report", note=note)
    assert_named(raised, "The disk is full", ctx.folder.database)
    assert EvidenceQueries(ctx).attachments(part_id) == []
    assert list(ctx.folder.blobs.glob("??/*")) == []
    service.attach_file(actors["insp"], part_id, source, "test_report", note=note)
    assert len(EvidenceQueries(ctx).attachments(part_id)) == 1


@pytest.mark.parametrize("fault", list(ERRORS))
def test_backup_names_the_fault_and_keeps_no_partial_copy(ctx, actors, monkeypatch,
                                                          fault) -> None:
    service = BackupService(ctx)
    error, words = ERRORS[fault]
    with fsync_fails(monkeypatch, error), pytest.raises(StorageError) as raised:
        service.backup(actors["admin"])
    assert_named(raised, words, ctx.folder.backups)
    assert service.list_backups() == [] and leftovers(ctx.folder.root) == []
    assert len(service.list_backups()) == 0
    made = service.backup(actors["admin"])
    assert made.path.is_file() and [b.path for b in service.list_backups()] == [made.path]


def test_backup_retries_a_rename_held_by_another_program(ctx, actors, monkeypatch) -> None:
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) <= 2:
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    made = BackupService(ctx).backup(actors["admin"])
    assert made.path.is_file() and leftovers(ctx.folder.root) == []


def test_backup_held_for_good_is_one_sentence(ctx, actors, monkeypatch) -> None:
    def replace(src, dst):
        raise PermissionError(errno.EACCES, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StorageError, match="Access to") as raised:
        BackupService(ctx).backup(actors["admin"])
    assert str(ctx.folder.backups) in raised.value.message()
    assert leftovers(ctx.folder.root) == [] and list(ctx.folder.backups.glob("*.sqlite3")) == []


@pytest.mark.parametrize("fault", list(ERRORS))
def test_restore_names_the_fault_and_leaves_the_database_as_it_was(ctx, actors, monkeypatch,
                                                                   fault) -> None:
    service = BackupService(ctx)
    backup = service.backup(actors["admin"])
    later = register_part(ctx, actors["eng"], "JT-9999")
    error, words = ERRORS[fault]
    real = os.replace

    def replace(src, dst):
        if Path(dst) == ctx.folder.database:
            raise error()
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StorageError) as raised:
        service.restore(actors["admin"], backup.path)
    assert_named(raised, words, ctx.folder.database)
    assert leftovers(ctx.folder.root) == []
    assert PartService(ctx).part(later).draft.part_number == "JT-9999"  # nothing was restored
    monkeypatch.setattr(os, "replace", real)
    service.restore(actors["admin"], backup.path)
    with pytest.raises(NotFound):
        PartService(ctx).part(later)


@pytest.mark.parametrize("fault", list(ERRORS))
def test_parts_export_names_the_fault_and_leaves_no_partial_file(ctx, actors, tmp_path,
                                                                 monkeypatch, fault) -> None:
    register_part(ctx, actors["eng"])
    target = tmp_path / "out" / "parts.csv"
    error, words = ERRORS[fault]
    real = os.replace

    def replace(src, dst):
        raise error()

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StorageError) as raised:
        PartsExportService(ctx).export_view(actors["eng"], PartQuery(), target)
    assert_named(raised, words, target)
    assert list(target.parent.iterdir()) == []
    monkeypatch.setattr(os, "replace", real)
    assert PartsExportService(ctx).export_view(actors["eng"], PartQuery(), target) == 1


@pytest.mark.parametrize("fault", list(ERRORS))
def test_package_export_names_the_fault_and_leaves_no_partial_file(ctx, actors, tmp_path,
                                                                   monkeypatch, fault) -> None:
    from desktop_app.services.sync import SyncService

    register_part(ctx, actors["eng"])
    target = tmp_path / "out" / "site.partdesk"
    target.parent.mkdir()
    error, words = ERRORS[fault]
    with fsync_fails(monkeypatch, error), pytest.raises(StorageError) as raised:
        SyncService(ctx).export_package(actors["eng"], target)
    assert_named(raised, words, target)
    assert list(target.parent.iterdir()) == []
    assert SyncService(ctx).export_package(actors["eng"], target).path == target


def test_parts_import_on_a_full_database_changes_nothing_then_succeeds(ctx, actors,
                                                                       tmp_path) -> None:
    from desktop_app.services.parts_import import PartsImportService

    source = tmp_path / "parts.csv"
    source.write_text("Référence;Indice;Désignation\n" + "".join(
        f"JT-{n:04d};A;{'Traverse avant ' * 8}\n" for n in range(300)), encoding="utf-8")
    service = PartsImportService(ctx)
    with database_full(ctx), pytest.raises(StorageError) as raised:
        service.apply(actors["eng"], source)
    assert_named(raised, "The disk is full", ctx.folder.database)
    assert PartService(ctx).page(PartQuery()).total == 0
    assert service.apply(actors["eng"], source).created == 300


@pytest.mark.parametrize("fault", list(ERRORS))
def test_package_import_names_the_fault_of_the_staging_copy(ctx, actors, tmp_path, monkeypatch,
                                                            fault) -> None:
    from desktop_app.services.sync import SyncService

    register_part(ctx, actors["eng"])
    package = tmp_path / "site.partdesk"
    SyncService(ctx).export_package(actors["eng"], package)
    error, words = ERRORS[fault]
    real_open = open

    class FailingWrite:
        def __init__(self, fh) -> None:
            self._fh = fh

        def write(self, _data):
            raise error()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._fh.close()

    def staging_open(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        return FailingWrite(fh) if "w" in mode and Path(path).parent == ctx.folder.staging \
            else fh

    monkeypatch.setattr("builtins.open", staging_open)
    with pytest.raises(StorageError) as raised:
        SyncService(ctx).import_package(actors["admin"], package)
    assert_named(raised, words, ctx.folder.staging)
    monkeypatch.setattr("builtins.open", real_open)
    assert leftovers(ctx.folder.root) == []
    assert SyncService(ctx).import_package(actors["admin"], package).preview.already_imported


def test_a_migration_on_a_full_disk_is_named_and_leaves_the_old_schema(ctx) -> None:
    script = migrations_dir()
    before = migrations.current_heads(ctx.db)
    # Back to the first revision of one branch: the next upgrade has tables to create.
    from alembic import command

    config = migrations.alembic_config(ctx.db, script)
    with ctx.db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001_foundation")
    old = migrations.current_heads(ctx.db)
    with database_full(ctx), pytest.raises(StorageError) as raised:
        migrations.upgrade(ctx.db, script)
    assert_named(raised, "The disk is full", ctx.folder.database)
    assert migrations.current_heads(ctx.db) == old
    migrations.upgrade(ctx.db, script)
    assert migrations.current_heads(ctx.db) == before


def test_verify_on_a_disk_that_fails_names_the_fault_not_damage(ctx, monkeypatch) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    orig = sqlite3.OperationalError("disk I/O error")
    orig.sqlite_errorcode = 10 | (13 << 8)  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE

    def connect():
        raise OperationalError("PRAGMA integrity_check", {}, orig)

    monkeypatch.setattr(ctx.db.engine, "connect", connect)
    with pytest.raises(StorageError) as raised:
        integrity_problems(ctx.db)
    assert_named(raised, "input/output error", ctx.folder.database)




@pytest.mark.parametrize("fault", list(ERRORS))
def test_saving_a_copy_of_an_attachment_names_the_fault(ctx, actors, tmp_path, monkeypatch,
                                                        fault) -> None:
    part_id = register_part(ctx, actors["eng"])
    source = tmp_path / "report.pdf"
    source.write_bytes(PDF_BYTES)
    service = AttachmentService(ctx)
    info = service.attach_file(actors["insp"], part_id, source, "test_report")
    target = tmp_path / "out" / "copy.pdf"
    target.parent.mkdir()
    error, words = ERRORS[fault]
    with fsync_fails(monkeypatch, error), pytest.raises(StorageError) as raised:
        service.save_copy(info.attachment_id, target)
    assert_named(raised, words, target)
    assert list(target.parent.iterdir()) == []
    assert service.save_copy(info.attachment_id, target).read_bytes() == PDF_BYTES
