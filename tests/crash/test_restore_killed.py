"""A restore killed just after the database file was replaced: the folder holds the restored
state, the restore is on record and `partdesk verify` passes (found by the crash loop)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.services.backup import BackupService
from desktop_app.services.context import open_context
from desktop_app.services.integrity import IntegrityService
from desktop_app.storage.anchors import RESTORE_ACTION
from desktop_app.storage.models.core import AuditEntry
from desktop_app.storage.models.parts import Supplier
from tests.conftest import PASSWORD
from tests.sync.sites import make_site

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# Restores `backup` and dies (SIGKILL) the moment the live database file has been replaced,
# whichever way the service replaces it: by a rename, or by copying straight over it.
CHILD = """
import os, signal, sys
from pathlib import Path
import desktop_app.services.backup as backup
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context
from desktop_app.services.people import PeopleService

folder = DataFolder(Path(sys.argv[1]))
live = folder.database.resolve()

def killed_after(call):
    def wrapper(source, target, *args, **kwargs):
        call(source, target, *args, **kwargs)
        if Path(target).resolve() == live:
            os.kill(os.getpid(), signal.SIGKILL)
    return wrapper

if sys.argv[3] == "after-swap":
    backup.backup_sqlite = killed_after(backup.backup_sqlite)
    os.replace = killed_after(os.replace)
else:  # "staged": once the staged copy's restore entry is committed, before the swap
    opened = backup.open_database

    def open_database(url):
        db = opened(url)
        db.dispose = lambda: os.kill(os.getpid(), signal.SIGKILL)
        return db

    backup.open_database = open_database
ctx = open_context(folder)
admin = PeopleService(ctx).sign_in("admin", os.environ["PARTDESK_PASSWORD"])
backup.BackupService(ctx).restore(admin, Path(sys.argv[2]))
"""


def _killed_restore(folder: Path, copy: Path, when: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(folder), str(copy), when], cwd=ROOT,
                          env={**os.environ, "PARTDESK_PASSWORD": PASSWORD}, capture_output=True,
                          text=True, timeout=120)


def _suppliers_and_last_action(folder) -> tuple[set[str], str]:
    ctx = open_context(folder)
    try:
        assert IntegrityService(ctx).verify() == []
        with ctx.unit_of_work() as uow:
            names = set(uow.session.execute(select(Supplier.name)).scalars())
            last = uow.session.execute(select(AuditEntry.action).order_by(
                AuditEntry.seq.desc()).limit(1)).scalar_one()
    finally:
        ctx.close()
    return names, last


def test_a_restore_killed_before_the_swap_leaves_nothing_for_the_next_one(tmp_path):
    site = make_site(tmp_path, "BBB")
    site.create({"title": "in both backups"})
    first = BackupService(site.ctx).backup(site.admin).path
    site.create({"title": "in the second backup"})
    second = BackupService(site.ctx).backup(site.admin).path
    folder = site.ctx.folder
    site.ctx.close()

    assert _killed_restore(folder.root, first, "staged").returncode == -9
    assert _suppliers_and_last_action(folder)[0] == {"in both backups", "in the second backup"}
    ctx = open_context(folder)
    try:
        from desktop_app.services.people import PeopleService

        admin = PeopleService(ctx).sign_in("admin", PASSWORD)
        BackupService(ctx).restore(admin, second)
    finally:
        ctx.close()
    assert _suppliers_and_last_action(folder) == (
        {"in both backups", "in the second backup"}, RESTORE_ACTION)


def test_a_restore_killed_after_the_swap_verifies(tmp_path):
    site = make_site(tmp_path, "BBB")
    site.create({"title": "kept in the backup"})
    copy = BackupService(site.ctx).backup(site.admin).path
    site.create({"title": "made after the backup"})
    folder = site.ctx.folder
    site.ctx.close()

    assert _killed_restore(folder.root, copy, "after-swap").returncode == -9

    ctx = open_context(folder)
    try:
        assert IntegrityService(ctx).verify() == []
        with ctx.unit_of_work() as uow:
            names = set(uow.session.execute(select(Supplier.name)).scalars())
            actions = list(uow.session.execute(
                select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())
    finally:
        ctx.close()
    assert names == {"kept in the backup"}
    assert actions[-1] == RESTORE_ACTION
    verify = subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(folder.root),
                             "verify"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr


# Restores the newest backup into a damaged folder and dies the moment the database is in place.
DAMAGED_CHILD = """
import os, signal, sys
from pathlib import Path
import desktop_app.services.recovery as recovery
from desktop_app.paths import DataFolder

folder = DataFolder(Path(sys.argv[1]))
live = folder.database.resolve()
original = {"backup_sqlite": recovery.backup_sqlite, "replace_file": recovery.replace_file}

def killed_after(name):
    def wrapper(source, target, *args, **kwargs):
        original[name](source, target, *args, **kwargs)
        if Path(target).resolve() == live:
            os.kill(os.getpid(), signal.SIGKILL)
    return wrapper

recovery.backup_sqlite = killed_after("backup_sqlite")
recovery.replace_file = killed_after("replace_file")
recovery.restore_newest_backup(folder, "admin", os.environ["PARTDESK_PASSWORD"])
"""


def test_a_restore_into_a_damaged_folder_killed_once_in_place_verifies(tmp_path):
    site = make_site(tmp_path, "BBB")
    site.create({"title": "kept in the backup"})
    BackupService(site.ctx).backup(site.admin)
    folder = site.ctx.folder
    site.ctx.close()
    folder.database.write_bytes(b"")  # the database is lost; key, backups and anchor remain
    for suffix in ("-wal", "-shm"):
        Path(f"{folder.database}{suffix}").unlink(missing_ok=True)

    killed = subprocess.run([sys.executable, "-c", DAMAGED_CHILD, str(folder.root)], cwd=ROOT,
                            env={**os.environ, "PARTDESK_PASSWORD": PASSWORD},
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    names, last = _suppliers_and_last_action(folder)
    assert names == {"kept in the backup"} and last == RESTORE_ACTION
    verify = subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(folder.root),
                             "verify"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr
