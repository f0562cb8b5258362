"""The start-up check reads the heads from the version files without Alembic: same answer."""

from __future__ import annotations

import sqlite3

from desktop_app.paths import DataFolder, migrations_dir
from desktop_app.services.context import open_context
from desktop_app.storage import migrations


def test_declared_heads_equal_alembics_heads():
    assert migrations.declared_heads(migrations_dir()) == migrations.script_heads(migrations_dir())


def test_a_database_at_head_needs_no_upgrade_and_a_behind_one_does(tmp_path):
    folder = DataFolder(tmp_path)
    ctx = open_context(folder)
    try:
        assert migrations.current_heads(ctx.db) == migrations.script_heads(migrations_dir())
        assert not migrations.needs_upgrade(ctx.db, migrations_dir())
    finally:
        ctx.close()
    with sqlite3.connect(folder.database) as conn:  # one branch one step behind
        head = sorted(migrations.script_heads(migrations_dir()))[0]
        conn.execute("UPDATE alembic_version SET version_num = '0001_foundation' "
                     "WHERE version_num = ?", (head,))
    ctx = open_context(folder, migrate=False)
    try:
        assert migrations.needs_upgrade(ctx.db, migrations_dir())
    finally:
        ctx.close()
