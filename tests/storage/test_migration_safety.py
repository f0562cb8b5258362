"""A migration never takes rows with it: table rebuilds keep their children, and an upgrade that
would lose rows or leave rows without their parent is refused and rolled back whole."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.domain.errors import StorageError
from desktop_app.paths import DataFolder, migrations_dir
from desktop_app.services.context import ServiceContext
from desktop_app.storage import migrations

TEMPLATE = '''
import sqlalchemy as sa
from alembic import op

revision = "0099_test"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


REBUILD_PEOPLE = """\
    with op.batch_alter_table("people", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("nickname", sa.String(40), nullable=True))"""
MARKER = """\
    op.create_table("upgrade_marker", sa.Column("id", sa.Integer, primary_key=True))
"""


def _scripts_with(tmp_path: Path, body: str) -> Path:
    """The release's migrations plus one more, as a later release would ship it."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_test.py").write_text(TEMPLATE.format(body=body), "utf-8")
    return scripts


def _state(folder: DataFolder) -> tuple[set[str], int, int, list[str]]:
    with sqlite3.connect(folder.database) as conn:
        versions = {v for (v,) in conn.execute("SELECT version_num FROM alembic_version")}
        people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        credentials = conn.execute("SELECT count(*) FROM credentials").fetchone()[0]
        columns = [r[1] for r in conn.execute("PRAGMA table_info(people)")]
    return versions, people, credentials, columns


def test_rebuilding_a_parent_table_keeps_its_children(ctx: ServiceContext, tmp_path) -> None:
    # SQLite rebuilds a table to add a column with a constraint: with foreign keys on, dropping
    # the old `people` would delete every password through ON DELETE CASCADE.
    scripts = _scripts_with(tmp_path, REBUILD_PEOPLE)
    _, people, credentials, _ = _state(ctx.folder)
    assert credentials >= 1

    migrations.upgrade(ctx.db, scripts)

    versions, people_after, credentials_after, columns = _state(ctx.folder)
    assert "0099_test" in versions and "nickname" in columns
    assert (people_after, credentials_after) == (people, credentials)
    with ctx.db.engine.connect() as conn:  # the pooled connections enforce foreign keys again
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        ('    op.execute("DELETE FROM credentials")',
         "would have removed 1 rows of credentials; the database is unchanged"),
        ('    op.execute("INSERT INTO credentials (user_id, password_hash, failed_count, '
         "locked_until, changed_at) VALUES ('nobody', 'x', 0, '', '2026-01-01')\")",
         "would have left 1 rows of credentials pointing at missing records"),
        ('    op.drop_table("credentials")',
         "would have removed 1 rows of credentials"),
    ],
    ids=["deleted rows", "orphan rows", "dropped table"],
)
def test_an_upgrade_that_loses_rows_is_refused_and_rolled_back_whole(
    ctx: ServiceContext, tmp_path, body: str, sentence: str
) -> None:
    scripts = _scripts_with(tmp_path, MARKER + body)
    before = _state(ctx.folder)

    with pytest.raises(StorageError) as raised:
        migrations.upgrade(ctx.db, scripts)

    assert sentence in raised.value.message()
    assert _state(ctx.folder) == before  # versions, rows and columns as they were
    with sqlite3.connect(ctx.folder.database) as conn:  # the migration's first step too
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    assert "upgrade_marker" not in tables
