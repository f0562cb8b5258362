"""parts registry: suppliers, vehicle models, families, parts

Revision ID: 0002_parts
Revises: 0001_foundation
Create Date: 2026-11-26 10:51:37.676029
"""

import sqlalchemy as sa
from alembic import op

revision = '0002_parts'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('component_families',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_component_families'))
    )
    with op.batch_alter_table('component_families', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_component_families_code'), ['code'], unique=False)

    op.create_table('part_vehicle_models',
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('part_id', 'model_id', name=op.f('pk_part_vehicle_models'))
    )
    with op.batch_alter_table('part_vehicle_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_vehicle_models_model_id'), ['model_id'], unique=False)

    op.create_table('parts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('part_number', sa.String(length=60), nullable=False),
    sa.Column('revision', sa.String(length=10), nullable=False),
    sa.Column('part_key', sa.String(length=80), nullable=False),
    sa.Column('designation', sa.String(length=500), nullable=False),
    sa.Column('family', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('material', sa.String(length=500), nullable=False),
    sa.Column('grade', sa.String(length=500), nullable=False),
    sa.Column('mass_kg', sa.String(length=30), nullable=False),
    sa.Column('mass_mg', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('drawing_ref', sa.String(length=500), nullable=False),
    sa.Column('special_characteristics', sa.Boolean(), nullable=False),
    sa.Column('annual_volume', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('replaces', sa.String(length=36), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('search_key', sa.BigInteger(), nullable=False),
    sa.Column('rev_id', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parts'))
    )
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parts_annual_volume'), ['annual_volume'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_designation'), ['designation'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_mass_mg'), ['mass_mg'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_material'), ['material'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_part_key'), ['part_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_part_number'), ['part_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_replaces'), ['replaces'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_search_key'), ['search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_status'), ['status'], unique=False)
        batch_op.create_index('ix_parts_status_number', ['status', 'part_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parts_updated_at'), ['updated_at'], unique=False)

    op.create_table('suppliers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('country', sa.String(length=60), nullable=False),
    sa.Column('site', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('iso9001_certificate', sa.String(length=80), nullable=False),
    sa.Column('iso9001_expiry', sa.String(length=10), nullable=False),
    sa.Column('iatf16949_certificate', sa.String(length=80), nullable=False),
    sa.Column('iatf16949_expiry', sa.String(length=10), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_suppliers_name'), ['name'], unique=False)

    op.create_table('vehicle_models',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('carmaker', sa.String(length=120), nullable=False),
    sa.Column('model', sa.String(length=120), nullable=False),
    sa.Column('vehicle_type', sa.String(length=120), nullable=False),
    sa.Column('power_range', sa.String(length=120), nullable=False),
    sa.Column('approval_date', sa.String(length=10), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicle_models'))
    )
    with op.batch_alter_table('vehicle_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicle_models_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_vehicle_models_model'), ['model'], unique=False)



def downgrade() -> None:
    # The search index fts_parts is made on first use (storage/search.py).
    op.execute("DROP TABLE IF EXISTS fts_parts")
    with op.batch_alter_table('vehicle_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicle_models_model'))
        batch_op.drop_index(batch_op.f('ix_vehicle_models_code'))

    op.drop_table('vehicle_models')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppliers_name'))
        batch_op.drop_index(batch_op.f('ix_suppliers_code'))

    op.drop_table('suppliers')
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parts_updated_at'))
        batch_op.drop_index(batch_op.f('ix_parts_supplier_id'))
        batch_op.drop_index('ix_parts_status_number')
        batch_op.drop_index(batch_op.f('ix_parts_status'))
        batch_op.drop_index(batch_op.f('ix_parts_search_key'))
        batch_op.drop_index(batch_op.f('ix_parts_replaces'))
        batch_op.drop_index(batch_op.f('ix_parts_part_number'))
        batch_op.drop_index(batch_op.f('ix_parts_part_key'))
        batch_op.drop_index(batch_op.f('ix_parts_material'))
        batch_op.drop_index(batch_op.f('ix_parts_mass_mg'))
        batch_op.drop_index(batch_op.f('ix_parts_family'))
        batch_op.drop_index(batch_op.f('ix_parts_designation'))
        batch_op.drop_index(batch_op.f('ix_parts_annual_volume'))

    op.drop_table('parts')
    with op.batch_alter_table('part_vehicle_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_vehicle_models_model_id'))

    op.drop_table('part_vehicle_models')
    with op.batch_alter_table('component_families', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_component_families_code'))

    op.drop_table('component_families')
