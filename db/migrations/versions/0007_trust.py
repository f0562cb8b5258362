"""trust between sites: signed batches, record owners, peer scopes

Revision ID: 0007_trust
Revises: 0006_sync
Create Date: 2026-12-02 04:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_trust'
down_revision = '0006_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('revision_batches',
    sa.Column('batch_id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('rev_ids', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_revision_batches'))
    )
    with op.batch_alter_table('revision_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_batches_site_id'), ['site_id'],
                              unique=False)
    op.create_table('sync_peer_scopes',
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('record_types', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.String(length=64), nullable=False),
    sa.Column('changed_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_sync_peer_scopes'))
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.String(length=36), nullable=True))
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_site_id', sa.String(length=36), nullable=False,
                                      server_default=''))
    # Owners of the records already here: the site of each record's root revision.
    op.execute("UPDATE records SET owner_site_id = COALESCE((SELECT r.site_id FROM revisions r "
               "WHERE r.record_id = records.record_id AND r.parents = '[]' "
               "ORDER BY r.rev_id LIMIT 1), '')")


def downgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('owner_site_id')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('batch_id')
    op.drop_table('sync_peer_scopes')
    with op.batch_alter_table('revision_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_batches_site_id'))
    op.drop_table('revision_batches')
