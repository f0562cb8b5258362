"""parts: the designations in other languages, for lists in the person's language

Revision ID: 0015_parts_designations
Revises: 0014_parts_trigram
Create Date: 2026-12-02 16:25:00.000000

Filled from each part's current revision (its `designations` field), on SQLite and PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_parts_designations'
down_revision = '0014_parts_trigram'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('designations', sa.Text(), server_default='{}',
                                      nullable=False))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("UPDATE parts SET designations = COALESCE((SELECT json_extract(r.fields, "
                   "'$.designations') FROM revisions r WHERE r.rev_id = parts.rev_id "
                   "AND json_type(r.fields, '$.designations') = 'object'), '{}')")
    else:
        op.execute("UPDATE parts SET designations = COALESCE((SELECT (r.fields::json -> "
                   "'designations')::text FROM revisions r WHERE r.rev_id = parts.rev_id "
                   "AND json_typeof(r.fields::json -> 'designations') = 'object'), '{}')")


def downgrade() -> None:
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.drop_column('designations')
