"""parts: covering indexes for search

Revision ID: 0009_parts_search_cover
Revises: 0002_parts
Create Date: 2026-12-02 15:22:49.659438

The part-number index becomes (part_number, revision, id, search_key) and the search-key index
(search_key, part_number, revision, id): each still serves its old lookups, and a page of search
results is found and ordered from the indexes alone before its rows are read.
"""

from alembic import op

revision = '0009_parts_search_cover'
down_revision = '0002_parts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parts_part_number'))
        batch_op.drop_index(batch_op.f('ix_parts_search_key'))
        batch_op.create_index('ix_parts_number_walk',
                              ['part_number', 'revision', 'id', 'search_key'], unique=False)
        batch_op.create_index('ix_parts_search_sort',
                              ['search_key', 'part_number', 'revision', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.drop_index('ix_parts_search_sort')
        batch_op.drop_index('ix_parts_number_walk')
        batch_op.create_index(batch_op.f('ix_parts_search_key'), ['search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_part_number'), ['part_number'], unique=False)
