"""Which data folders are new, sound or damaged; which backup is the newest that verifies."""

from __future__ import annotations

import json
import os
import sqlite3

from desktop_app.paths import DataFolder
from desktop_app.services.backup import BackupService
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.storage.folder_check import inspect_data_folder, newest_verified_backup


def test_new_folders_are_not_damaged(data_folder: DataFolder) -> None:
    assert inspect_data_folder(data_folder) is None  # nothing in it
    data_folder.settings.write_text("[prefs]\nlanguage=fr\n")
    assert inspect_data_folder(data_folder) is None  # a language chosen before the set-up
    data_folder.database.write_bytes(b"")
    assert inspect_data_folder(data_folder) is None  # an empty file and nothing else to lose
    data_folder.database.unlink()
    open_context(data_folder).close()
    assert inspect_data_folder(data_folder) is None  # migrated, the first run not finished


def test_a_database_without_its_site_beside_a_key_is_damaged(data_folder: DataFolder) -> None:
    open_context(data_folder).close()
    data_folder.keys.mkdir()
    data_folder.signing_key.write_bytes(b"a key")
    damage = inspect_data_folder(data_folder)
    assert damage is not None and damage.backup is None
    assert damage.message().startswith(f"The database {data_folder.database} holds no site")


def test_an_anchor_blobs_or_a_backup_alone_make_a_site_folder(data_folder: DataFolder) -> None:
    for path in (data_folder.audit_anchor, data_folder.blobs / "ab" / "ab12",
                 data_folder.backups / "manual-1.sqlite3"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        assert inspect_data_folder(data_folder) is not None, path
        path.unlink()
    assert inspect_data_folder(data_folder) is None


def test_the_newest_backup_that_verifies_skips_a_broken_or_mislabelled_one(
    ctx: ServiceContext, actors
) -> None:
    backups = BackupService(ctx)
    made = [backups.backup(actors["admin"]).path for _ in range(3)]
    for i, path in enumerate(made):
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    assert newest_verified_backup(ctx.folder) == made[2]
    head = made[2].with_name(made[2].name + ".head.json")
    recorded = json.loads(head.read_text())
    head.write_text(json.dumps({**recorded, "seq": recorded["seq"] + 1}))
    assert newest_verified_backup(ctx.folder) == made[1]  # its log does not end at its head
    with sqlite3.connect(made[1]) as conn:
        conn.execute("DELETE FROM local_site")
    conn.close()
    assert newest_verified_backup(ctx.folder) == made[0]  # it holds no site


def test_the_newest_backup_is_the_last_made_whatever_the_file_times(
    ctx: ServiceContext, actors
) -> None:
    """A clock set back when the last backup was made: it is still the newest one offered for a
    damaged folder (and named in the sentence), by the number it records."""
    backups = BackupService(ctx)
    made = [backups.backup(actors["admin"]).path for _ in range(3)]
    for i, path in enumerate(made):  # the last one written under a clock set back a year
        os.utime(path, (2_000_000 - 1_000_000 * (i == 2) + i, 2_000_000 - 1_000_000 * (i == 2) + i))
    assert newest_verified_backup(ctx.folder) == made[2]
