"""Harvest runs: the run record, one item per source entry, withdrawal of datasets.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('harvest_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('withdrawn', sa.Integer(), nullable=False),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_harvest_runs_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_harvest_runs_status'), ['status'], unique=False)

    op.create_table('harvest_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error_code', sa.String(length=60), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['harvest_runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('harvest_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_harvest_items_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_harvest_items_run_id'), ['run_id'], unique=False)

    # Existing datasets start with no missed runs; the server default fills them in.
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('missing_runs', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('missing_runs')

    with op.batch_alter_table('harvest_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_harvest_items_run_id'))
        batch_op.drop_index(batch_op.f('ix_harvest_items_dataset_id'))

    op.drop_table('harvest_items')
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_harvest_runs_status'))
        batch_op.drop_index(batch_op.f('ix_harvest_runs_source'))

    op.drop_table('harvest_runs')
