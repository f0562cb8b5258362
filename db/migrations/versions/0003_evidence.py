"""evidence: characteristics, gauges, test reports, measurement sets, attachments

Revision ID: 0003_evidence
Revises: 0001_foundation
Create Date: 2026-11-26 10:11:20.937673
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_evidence'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('attached_at', sa.String(length=32), nullable=False),
    sa.Column('attached_by', sa.String(length=64), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_report_id'), ['report_id'], unique=False)

    op.create_table('characteristics',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('sort_key', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('nominal', sa.String(length=40), nullable=False),
    sa.Column('lower_tol', sa.String(length=40), nullable=False),
    sa.Column('upper_tol', sa.String(length=40), nullable=False),
    sa.Column('lower_limit', sa.String(length=40), nullable=False),
    sa.Column('upper_limit', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('char_class', sa.String(length=10), nullable=False),
    sa.Column('method', sa.String(length=200), nullable=False),
    sa.Column('gauge_id', sa.String(length=36), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_characteristics'))
    )
    with op.batch_alter_table('characteristics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_characteristics_part_id'), ['part_id'], unique=False)
        batch_op.create_index('ix_characteristics_part_sort', ['part_id', 'sort_key'], unique=False)

    op.create_table('gauges',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('gauge_type', sa.String(length=120), nullable=False),
    sa.Column('range_text', sa.String(length=80), nullable=False),
    sa.Column('resolution', sa.String(length=40), nullable=False),
    sa.Column('calibrated_on', sa.String(length=10), nullable=False),
    sa.Column('due_on', sa.String(length=10), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gauges'))
    )
    with op.batch_alter_table('gauges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gauges_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_gauges_due_on'), ['due_on'], unique=False)

    op.create_table('measurement_sets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('characteristic_id', sa.String(length=36), nullable=False),
    sa.Column('char_number', sa.String(length=20), nullable=False),
    sa.Column('sort_key', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('char_class', sa.String(length=10), nullable=False),
    sa.Column('nominal', sa.String(length=40), nullable=False),
    sa.Column('lower_limit', sa.String(length=40), nullable=False),
    sa.Column('upper_limit', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('gauge_id', sa.String(length=36), nullable=False),
    sa.Column('gauge_code', sa.String(length=40), nullable=False),
    sa.Column('gauge_calibrated_on', sa.String(length=10), nullable=False),
    sa.Column('gauge_due_on', sa.String(length=10), nullable=False),
    sa.Column('gauge_overdue', sa.Boolean(), nullable=False),
    sa.Column('measured_on', sa.String(length=10), nullable=False),
    sa.Column('subgroup_size', sa.Integer(), nullable=False),
    sa.Column('reading_count', sa.Integer(), nullable=False),
    sa.Column('readings', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement_sets'))
    )
    with op.batch_alter_table('measurement_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurement_sets_characteristic_id'), ['characteristic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_sets_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_sets_report_id'), ['report_id'], unique=False)

    op.create_table('test_reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('report_type', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('standard', sa.String(length=120), nullable=False),
    sa.Column('laboratory', sa.String(length=200), nullable=False),
    sa.Column('lab_kind', sa.String(length=10), nullable=False),
    sa.Column('accreditation', sa.String(length=120), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=False),
    sa.Column('tested_on', sa.String(length=10), nullable=False),
    sa.Column('issued_on', sa.String(length=10), nullable=False),
    sa.Column('operator', sa.String(length=200), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('stated_result', sa.String(length=20), nullable=False),
    sa.Column('supersedes', sa.String(length=36), nullable=False),
    sa.Column('supersede_reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.String(length=32), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_test_reports'))
    )
    with op.batch_alter_table('test_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_test_reports_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_test_reports_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_test_reports_supersedes'), ['supersedes'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('test_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_test_reports_supersedes'))
        batch_op.drop_index(batch_op.f('ix_test_reports_part_id'))
        batch_op.drop_index(batch_op.f('ix_test_reports_number'))

    op.drop_table('test_reports')
    with op.batch_alter_table('measurement_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_sets_report_id'))
        batch_op.drop_index(batch_op.f('ix_measurement_sets_part_id'))
        batch_op.drop_index(batch_op.f('ix_measurement_sets_characteristic_id'))

    op.drop_table('measurement_sets')
    with op.batch_alter_table('gauges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gauges_due_on'))
        batch_op.drop_index(batch_op.f('ix_gauges_code'))

    op.drop_table('gauges')
    with op.batch_alter_table('characteristics', schema=None) as batch_op:
        batch_op.drop_index('ix_characteristics_part_sort')
        batch_op.drop_index(batch_op.f('ix_characteristics_part_id'))

    op.drop_table('characteristics')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_report_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_part_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_blob_sha256'))

    op.drop_table('attachments')
