"""roadmap: reference lists, set links, milestones, steps, sign-offs

Revision ID: 0005_roadmap
Revises: 0001_foundation
Create Date: 2026-11-26 10:10:53.137490
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_roadmap'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('milestone_rules',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_rules'))
    )
    with op.batch_alter_table('milestone_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_rules_model_id'), ['model_id'], unique=False)

    op.create_table('reference_sets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rate', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_sets'))
    )
    with op.batch_alter_table('reference_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_sets_model_id'), ['model_id'], unique=False)

    op.create_table('roadmap_steps',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('target_rate', sa.String(length=20), nullable=False),
    sa.Column('milestone_years', sa.Integer(), nullable=True),
    sa.Column('target_date', sa.String(length=10), nullable=False),
    sa.Column('baseline_date', sa.String(length=10), nullable=False),
    sa.Column('forecast_date', sa.String(length=10), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('components', sa.Text(), nullable=False),
    sa.Column('required_evidence', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_steps'))
    )
    with op.batch_alter_table('roadmap_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_steps_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadmap_steps_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadmap_steps_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadmap_steps_target_date'), ['target_date'], unique=False)

    op.create_table('set_links',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('set_id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('share', sa.String(length=20), nullable=False),
    sa.Column('supply_start', sa.String(length=10), nullable=False),
    sa.Column('expected_approval', sa.String(length=10), nullable=False),
    sa.Column('planned_supply_start', sa.String(length=10), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_set_links'))
    )
    with op.batch_alter_table('set_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_set_links_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_set_links_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_set_links_set_id'), ['set_id'], unique=False)

    op.create_table('step_signoffs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('step_id', sa.String(length=36), nullable=False),
    sa.Column('party', sa.String(length=16), nullable=False),
    sa.Column('signer_id', sa.String(length=36), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.String(length=32), nullable=False),
    sa.Column('covers_rev_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_signoffs'))
    )
    with op.batch_alter_table('step_signoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_signoffs_step_id'), ['step_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('step_signoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_signoffs_step_id'))

    op.drop_table('step_signoffs')
    with op.batch_alter_table('set_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_set_links_set_id'))
        batch_op.drop_index(batch_op.f('ix_set_links_part_id'))
        batch_op.drop_index(batch_op.f('ix_set_links_model_id'))

    op.drop_table('set_links')
    with op.batch_alter_table('roadmap_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_steps_target_date'))
        batch_op.drop_index(batch_op.f('ix_roadmap_steps_status'))
        batch_op.drop_index(batch_op.f('ix_roadmap_steps_model_id'))
        batch_op.drop_index(batch_op.f('ix_roadmap_steps_code'))

    op.drop_table('roadmap_steps')
    with op.batch_alter_table('reference_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_sets_model_id'))

    op.drop_table('reference_sets')
    with op.batch_alter_table('milestone_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_rules_model_id'))

    op.drop_table('milestone_rules')
