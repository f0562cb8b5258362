"""evidence: attribute characteristics (OK / NG, defects per sample) and their counts

Revision ID: 0010_evidence_attributes
Revises: 0003_evidence
Create Date: 2026-12-02 16:10:00

Every characteristic and result already here is variable (measured); its rows are kept as they
are and get the defaults.
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_evidence_attributes'
down_revision = '0003_evidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('characteristics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_type', sa.String(length=12), nullable=False,
                                      server_default='variable'))
    with op.batch_alter_table('measurement_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_type', sa.String(length=12), nullable=False,
                                      server_default='variable'))
        batch_op.add_column(sa.Column('nonconforming', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('defects', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('measurement_sets', schema=None) as batch_op:
        batch_op.drop_column('defects')
        batch_op.drop_column('nonconforming')
        batch_op.drop_column('data_type')
    with op.batch_alter_table('characteristics', schema=None) as batch_op:
        batch_op.drop_column('data_type')
