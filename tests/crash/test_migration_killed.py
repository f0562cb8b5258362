"""A migration killed at any statement leaves the database wholly at its old schema or wholly at
the new one, with every row; the next start finishes it.

The old database is this release's golden demo folder with its last two migrations (0007, which
rebuilds `records` and `revisions` and fills in owners, and 0008) taken back. A child process
opens it like the command line does and is killed (SIGKILL) right after its k-th SQL statement,
for k spread over the whole upgrade, and once just after it committed."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.paths import DataFolder, migrations_dir
from desktop_app.services.context import open_context
from desktop_app.storage import migrations
from desktop_app.storage.database import integrity_problems, open_database, sqlite_url
from tests.storage.test_upgrade_from_released import FIXTURES, _counts, _unpack

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KILLS = 16

CHILD = """
import os, signal, sys
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from desktop_app.paths import DataFolder
from desktop_app.services.context import open_context

kill_at, done = int(sys.argv[2]), 0

@event.listens_for(Engine, "after_cursor_execute")
def _count(*_args):
    global done
    done += 1
    if done == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

ctx = open_context(DataFolder(Path(sys.argv[1])))
if kill_at == -1:  # just after the upgrade committed
    os.kill(os.getpid(), signal.SIGKILL)
ctx.close()
print(done)
"""

NEW_TABLES = ("revision_batches", "sync_peer_scopes", "audit_seals", "audit_anchors")


def _run(folder: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(folder), str(kill_at)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _old_database(tmp_path: Path) -> tuple[Path, set[str]]:
    """The golden demo database taken back before migrations 0007 and 0008."""
    folder, _ = _unpack(FIXTURES[0], tmp_path / "golden")
    db = open_database(sqlite_url(folder.database))
    try:
        from alembic import command

        config = migrations.alembic_config(db, migrations_dir())
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0008_audit_seals@-1")
            command.downgrade(config, "0007_trust@-1")
        old = migrations.current_heads(db)
    finally:
        db.dispose()
    with sqlite3.connect(folder.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder.database, old


def _schema(database: Path) -> tuple[set[str], set[str], set[str]]:
    with sqlite3.connect(database) as conn:
        versions = {v for (v,) in conn.execute("SELECT version_num FROM alembic_version")}
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(records)")}
    return versions, tables, columns


def test_a_migration_killed_anywhere_is_wholly_old_or_wholly_new(tmp_path, capsys) -> None:
    old_db, old_versions = _old_database(tmp_path)
    new_versions = migrations.script_heads(migrations_dir())
    assert old_versions != new_versions
    old_counts = _counts(old_db)
    folder = DataFolder(tmp_path / "data")

    def fresh() -> None:
        shutil.rmtree(folder.root, ignore_errors=True)
        shutil.copytree(old_db.parent, folder.root)
        shutil.copy2(old_db, folder.database)

    fresh()
    finished = _run(folder.root, 0)
    assert finished.returncode == 0, finished.stderr
    statements = int(finished.stdout.split()[-1])
    spots = sorted({max(1, round(statements * i / KILLS)) for i in range(1, KILLS + 1)})

    outcomes = {"old": 0, "new": 0, "during the upgrade": 0}
    for kill_at in [*spots, -1]:
        fresh()
        result = _run(folder.root, kill_at)
        assert result.returncode == -9, (kill_at, result.stderr)
        versions, tables, columns = _schema(folder.database)
        with sqlite3.connect(folder.database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if versions == old_versions:
            outcomes["old"] += 1
            assert not set(NEW_TABLES) & tables and "owner_site_id" not in columns, kill_at
            assert _counts(folder.database) == old_counts, kill_at
            if any(folder.backups.glob("before-migration-*.sqlite3")):
                outcomes["during the upgrade"] += 1
        else:
            assert versions == new_versions, (kill_at, versions)
            outcomes["new"] += 1
            assert set(NEW_TABLES) <= tables and "owner_site_id" in columns, kill_at
            after = _counts(folder.database)
            assert all(after[t] >= n for t, n in old_counts.items()), kill_at
        # the next start finishes the upgrade, every row kept, foreign keys sound
        ctx = open_context(folder)
        try:
            assert migrations.current_heads(ctx.db) == new_versions
            assert integrity_problems(ctx.db) == []
        finally:
            ctx.close()
        after = _counts(folder.database)
        assert all(after[t] >= n for t, n in old_counts.items()), kill_at
        with sqlite3.connect(folder.database) as conn:
            assert conn.execute("SELECT count(*) FROM records WHERE owner_site_id = ''"
                                ).fetchone()[0] == 0

    assert outcomes["during the upgrade"] >= KILLS // 2 and outcomes["new"] >= 1, outcomes
    with capsys.disabled():
        print(f"\nmigration: {len(spots) + 1} kills over {statements} statements, "
              f"{outcomes['during the upgrade']} during the upgrade; "
              f"{outcomes['old']} wholly old, {outcomes['new']} wholly new, 0 half-migrated")
