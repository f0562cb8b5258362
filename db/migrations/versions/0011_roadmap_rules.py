"""roadmap: computed step status, regulatory rule sets, deliveries

Revision ID: 0011_roadmap_rules
Revises: 0005_roadmap
Create Date: 2026-12-02 15:49:39.637187

A step's status is computed from the integration rate; the `status` column keeps a status set by
hand, which counts only with the reason now stored beside it (`status_reason`, empty for every
existing row: the statuses typed by older versions are kept as they were and no longer shown as the
step's status). New tables, empty: the regulatory rule set of a model (grace length, supply cut,
freeze; a model without one uses the defaults of decree 24-159) and the deliveries counted against
an interim approval's quantity. Enrolled peers whose stored scope holds the whole of a kind's
former defaults gain that kind's new record type: a supplier's work now includes its deliveries, a
carmaker's the regulatory rules of its models; a narrower scope an administrator chose is left as
it is. No other row is added, removed or changed.
"""

import json

import sqlalchemy as sa
from alembic import op

# The defaults as released (domain/trust.py) and what each gains here.
_SUPPLIER_BEFORE = {"supplier", "component_family", "part", "characteristic", "gauge",
                    "test_report", "measurement_set", "attachment", "submission"}
_CARMAKER_BEFORE = {"vehicle_model", "component_family", "reference_set", "set_link",
                    "milestone_rule", "roadmap_step", "step_signoff", "decision", "signature",
                    "certificate"}
_GAINS = ((_SUPPLIER_BEFORE, {"delivery"}), (_CARMAKER_BEFORE, {"regulatory_rules"}))

revision = '0011_roadmap_rules'
down_revision = '0005_roadmap'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deliveries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('delivered_on', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_part_id'), ['part_id'], unique=False)

    op.create_table('regulatory_rules',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('model_id', sa.String(length=36), nullable=False),
    sa.Column('grace_months', sa.Integer(), nullable=False),
    sa.Column('grace_source', sa.Text(), nullable=False),
    sa.Column('supply_cut', sa.String(length=20), nullable=False),
    sa.Column('supply_cut_source', sa.Text(), nullable=False),
    sa.Column('cut_ends_early', sa.Boolean(), nullable=False),
    sa.Column('cut_ends_early_source', sa.Text(), nullable=False),
    sa.Column('freeze', sa.Boolean(), nullable=False),
    sa.Column('freeze_source', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regulatory_rules'))
    )
    with op.batch_alter_table('regulatory_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regulatory_rules_model_id'), ['model_id'], unique=False)

    with op.batch_alter_table('roadmap_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), server_default='', nullable=False))
    _widen_scopes()


def _widen_scopes() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("sync_peer_scopes"):
        return  # a new data folder: scopes are written at enrolment, with the new defaults
    scopes = sa.table("sync_peer_scopes", sa.column("site_id", sa.String),
                      sa.column("record_types", sa.Text))
    for site_id, stored in bind.execute(sa.select(scopes.c.site_id, scopes.c.record_types)).all():
        types = set(json.loads(stored))
        wider = types.union(*(new for before, new in _GAINS if before <= types))
        if wider != types:
            bind.execute(scopes.update().where(scopes.c.site_id == site_id)
                         .values(record_types=json.dumps(sorted(wider))))


def downgrade() -> None:
    with op.batch_alter_table('roadmap_steps', schema=None) as batch_op:
        batch_op.drop_column('status_reason')

    with op.batch_alter_table('regulatory_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regulatory_rules_model_id'))

    op.drop_table('regulatory_rules')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_part_id'))

    op.drop_table('deliveries')
