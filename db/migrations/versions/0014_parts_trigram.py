"""parts: a trigram index for search on PostgreSQL

Revision ID: 0014_parts_trigram
Revises: 0009_parts_search_cover
Create Date: 2026-12-02 16:10:00.000000

SQLite searches parts through its FTS5 index; PostgreSQL searches the same normalised text with
LIKE, which a GIN trigram index (pg_trgm) answers without reading every row. The index exists
on PostgreSQL only and is not in the models (storage.models.parts.SERVER_ONLY_INDEXES). Where
the server does not allow the extension, the upgrade goes on without the index: search works,
reading every row.
"""

from alembic import op

revision = '0014_parts_trigram'
down_revision = '0009_parts_search_cover'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql("SAVEPOINT partdesk_trgm")
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - not allowed on this server: no index, search still works
        bind.exec_driver_sql("ROLLBACK TO SAVEPOINT partdesk_trgm")
        return
    bind.exec_driver_sql("RELEASE SAVEPOINT partdesk_trgm")
    bind.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_parts_search_trgm ON parts "
                         "USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP INDEX IF EXISTS ix_parts_search_trgm")
