"""The migrated schema equals the models; newer or damaged databases are refused untouched."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from desktop_app.domain.errors import StorageError
from desktop_app.paths import DataFolder
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.storage.models import Base


def test_migrated_schema_equals_the_models(empty_ctx: ServiceContext) -> None:
    with empty_ctx.db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys(empty_ctx: ServiceContext) -> None:
    with empty_ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_database_from_a_newer_version_is_refused_and_left_alone(data_folder: DataFolder) -> None:
    open_context(data_folder).close()
    with sqlite3.connect(data_folder.database) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    before = data_folder.database.read_bytes()
    with pytest.raises(StorageError, match="newer PartDesk"):
        open_context(data_folder)
    assert data_folder.database.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_one_sentence(data_folder: DataFolder) -> None:
    data_folder.database.write_bytes(b"this is a spreadsheet, honestly" * 100)
    before = data_folder.database.read_bytes()
    with pytest.raises(StorageError, match="damaged or is not a PartDesk database"):
        open_context(data_folder)
    assert data_folder.database.read_bytes() == before


def test_reopening_a_current_database_does_not_migrate_or_back_up(data_folder: DataFolder) -> None:
    open_context(data_folder).close()
    open_context(data_folder).close()
    assert not data_folder.backups.exists()
