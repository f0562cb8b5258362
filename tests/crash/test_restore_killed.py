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

backup.backup_sqlite = killed_after(backup.backup_sqlite)
os.replace = killed_after(os.replace)
ctx = open_context(folder)
admin = PeopleService(ctx).sign_in("admin", os.environ["PARTDESK_PASSWORD"])
backup.BackupService(ctx).restore(admin, Path(sys.argv[2]))
"""


def test_a_restore_killed_after_the_swap_verifies(tmp_path):
    site = make_site(tmp_path, "BBB")
    site.create({"title": "kept in the backup"})
    copy = BackupService(site.ctx).backup(site.admin).path
    site.create({"title": "made after the backup"})
    folder = site.ctx.folder
    site.ctx.close()

    child = subprocess.run([sys.executable, "-c", CHILD, str(folder.root), str(copy)], cwd=ROOT,
                           env={**os.environ, "PARTDESK_PASSWORD": PASSWORD}, capture_output=True,
                           text=True, timeout=120)
    assert child.returncode == -9, child.stderr

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
