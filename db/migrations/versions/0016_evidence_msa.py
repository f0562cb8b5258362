"""evidence: measurement system analysis studies (PPAP element 8)

Revision ID: 0016_evidence_msa
Revises: 0013_evidence_documents
Create Date: 2026-12-03 09:00:00.000000

One query table, `msa_studies`: a gauge R&R or an attribute agreement study of a gauge, with the
figures computed from its readings (%GRR, ndc, effectiveness, the verdict). Enrolled peers whose
stored scope holds the whole of a supplier's first defaults gain the new record type (a supplier
studies its own gauges), as 0013 did for laboratories; a narrower scope an administrator chose
is left as it is. Nothing is deleted.
"""

import json

import sqlalchemy as sa
from alembic import op

# A supplier's default scope as first released (domain/trust.py), and what it gains here.
_SUPPLIER_BEFORE = {"supplier", "component_family", "part", "characteristic", "gauge",
                    "test_report", "measurement_set", "attachment", "submission"}
_GAINS = {"msa_study"}


revision = '0016_evidence_msa'
down_revision = '0013_evidence_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('msa_studies',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('gauge_id', sa.String(length=36), nullable=False),
    sa.Column('characteristic_id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('studied_on', sa.String(length=10), nullable=False),
    sa.Column('conducted_by', sa.String(length=200), nullable=False),
    sa.Column('tolerance', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('operators', sa.Integer(), nullable=False),
    sa.Column('parts', sa.Integer(), nullable=False),
    sa.Column('trials', sa.Integer(), nullable=False),
    sa.Column('pct_ev', sa.String(length=12), nullable=False),
    sa.Column('pct_av', sa.String(length=12), nullable=False),
    sa.Column('pct_grr', sa.String(length=12), nullable=False),
    sa.Column('pct_pv', sa.String(length=12), nullable=False),
    sa.Column('pct_grr_tolerance', sa.String(length=12), nullable=False),
    sa.Column('ndc', sa.String(length=12), nullable=False),
    sa.Column('effectiveness', sa.String(length=12), nullable=False),
    sa.Column('miss_rate', sa.String(length=12), nullable=False),
    sa.Column('false_alarm_rate', sa.String(length=12), nullable=False),
    sa.Column('kappa', sa.String(length=12), nullable=False),
    sa.Column('verdict', sa.String(length=12), nullable=False),
    sa.Column('problem', sa.String(length=500), nullable=False),
    sa.Column('recorded_at', sa.String(length=32), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_msa_studies'))
    )
    with op.batch_alter_table('msa_studies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_msa_studies_characteristic_id'), ['characteristic_id'], unique=False)
        batch_op.create_index('ix_msa_studies_gauge_date', ['gauge_id', 'studied_on'], unique=False)

    _widen_scopes()


def _widen_scopes() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("sync_peer_scopes"):
        return  # a new data folder: scopes are written at enrolment, with the new defaults
    scopes = sa.table("sync_peer_scopes", sa.column("site_id", sa.String),
                      sa.column("record_types", sa.Text))
    for site_id, stored in bind.execute(sa.select(scopes.c.site_id, scopes.c.record_types)).all():
        types = set(json.loads(stored))
        if types >= _SUPPLIER_BEFORE and not types >= _GAINS:
            bind.execute(scopes.update().where(scopes.c.site_id == site_id)
                         .values(record_types=json.dumps(sorted(types | _GAINS))))


def downgrade() -> None:
    with op.batch_alter_table('msa_studies', schema=None) as batch_op:
        batch_op.drop_index('ix_msa_studies_gauge_date')
        batch_op.drop_index(batch_op.f('ix_msa_studies_characteristic_id'))

    op.drop_table('msa_studies')
