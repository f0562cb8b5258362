"""plant: stored files and the wrapped site key of a plant that shares one PostgreSQL database

Revision ID: 0017_plant_store
Revises: 0001_foundation
Create Date: 2026-12-03 10:00:00.000000

Its own branch (`plant`). The tables exist on SQLite too, where they stay empty: a data folder of
its own keeps its files in `blobs/` and its key in `keys/` (storage.models.plant).
"""

import sqlalchemy as sa
from alembic import op

revision = '0017_plant_store'
down_revision = '0001_foundation'
branch_labels = ('plant',)
depends_on = None


def upgrade() -> None:
    op.create_table('plant_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('chunks', sa.Integer(), nullable=False),
    sa.Column('stored_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_plant_blobs'))
    )
    op.create_table('plant_blob_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('chunk_no', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['plant_blobs.sha256'],
                            name=op.f('fk_plant_blob_chunks_sha256_plant_blobs'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'chunk_no', name=op.f('pk_plant_blob_chunks'))
    )
    op.create_table('plant_site_keys',
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_plant_site_keys'))
    )
    op.create_table('plant_pcs',
    sa.Column('pc_id', sa.String(length=36), nullable=False),
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('enrolled_at', sa.String(length=32), nullable=False),
    sa.Column('enrolled_by', sa.String(length=64), nullable=False),
    sa.Column('removed_at', sa.String(length=32), nullable=False),
    sa.Column('removed_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('pc_id', name=op.f('pk_plant_pcs'))
    )
    op.create_table('plant_invites',
    sa.Column('invite_id', sa.String(length=36), nullable=False),
    sa.Column('lookup', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.String(length=36), nullable=False),
    sa.Column('salt', sa.LargeBinary(), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.String(length=32), nullable=False),
    sa.Column('used_at', sa.String(length=32), nullable=False),
    sa.Column('used_by_pc', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('invite_id', name=op.f('pk_plant_invites')),
    sa.UniqueConstraint('lookup', name=op.f('uq_plant_invites_lookup'))
    )


def downgrade() -> None:
    op.drop_table('plant_invites')
    op.drop_table('plant_pcs')
    op.drop_table('plant_site_keys')
    op.drop_table('plant_blob_chunks')
    op.drop_table('plant_blobs')
