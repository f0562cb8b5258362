"""sync: peer keys, package log, peer state

Revision ID: 0006_sync
Revises: 0001_foundation
Create Date: 2026-11-26 10:11:04.675288
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_sync'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_packages',
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('peer_site_id', sa.String(length=36), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('logged_at', sa.String(length=32), nullable=False),
    sa.Column('logged_by', sa.String(length=64), nullable=False),
    sa.Column('full', sa.Integer(), nullable=False),
    sa.Column('since_seq', sa.Integer(), nullable=False),
    sa.Column('up_to_seq', sa.Integer(), nullable=False),
    sa.Column('revisions', sa.Integer(), nullable=False),
    sa.Column('new_revisions', sa.Integer(), nullable=False),
    sa.Column('blobs', sa.Integer(), nullable=False),
    sa.Column('conflicts', sa.Integer(), nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('audit_hash', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('package_id', name=op.f('pk_sync_packages'))
    )
    with op.batch_alter_table('sync_packages', schema=None) as batch_op:
        batch_op.create_index('ix_sync_packages_site_direction', ['site_id', 'direction', 'sequence'], unique=False)

    op.create_table('sync_peer_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=60), nullable=False),
    sa.Column('enrolled_by', sa.String(length=64), nullable=False),
    sa.Column('enrolled_at', sa.String(length=32), nullable=False),
    sa.Column('retired_by', sa.String(length=64), nullable=False),
    sa.Column('retired_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_peer_keys')),
    sa.UniqueConstraint('site_id', 'public_key', name=op.f('uq_sync_peer_keys_site_id'))
    )
    with op.batch_alter_table('sync_peer_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_peer_keys_site_id'), ['site_id'], unique=False)

    op.create_table('sync_peer_state',
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('sent_up_to', sa.Integer(), nullable=False),
    sa.Column('acked_up_to', sa.Integer(), nullable=False),
    sa.Column('received_up_to', sa.Integer(), nullable=False),
    sa.Column('last_received_sequence', sa.Integer(), nullable=False),
    sa.Column('seen', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_sync_peer_state'))
    )


def downgrade() -> None:
    op.drop_table('sync_peer_state')
    with op.batch_alter_table('sync_peer_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_peer_keys_site_id'))

    op.drop_table('sync_peer_keys')
    with op.batch_alter_table('sync_packages', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_packages_site_direction')

    op.drop_table('sync_packages')
