"""Runs of the standard analysis models and the table versions each one read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:30:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        'model_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('model_id', sa.String(length=40), nullable=False),
        sa.Column('model_version', sa.String(length=40), nullable=False),
        sa.Column('parameters', JSONType, nullable=False),
        sa.Column('parameter_hash', sa.String(length=64), nullable=False),
        sa.Column('gu_code', sa.String(length=5), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('unit_id', sa.String(length=120), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('error_message', sa.Text(), nullable=True),
        sa.Column('result_key', sa.String(length=200), nullable=True),
        sa.Column('result_hash', sa.String(length=64), nullable=True),
        sa.Column('result_rows', sa.Integer(), nullable=True),
        sa.Column('charts', JSONType, nullable=False),
        sa.Column('summary', JSONType, nullable=False),
        sa.Column('visibility', sa.String(length=10), nullable=False),
        sa.Column('owner_org_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_org_id'], ['organisations.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('model_runs', schema=None) as batch_op:
        batch_op.create_index('ix_model_runs_model_created', ['model_id', 'created_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_model_runs_owner_org_id'), ['owner_org_id'],
                              unique=False)

    op.create_table(
        'model_run_inputs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=60), nullable=False),
        sa.Column('dataset_id', sa.Integer(), nullable=False),
        sa.Column('table_version_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['model_runs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['table_version_id'], ['table_versions.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'role'),
    )
    with op.batch_alter_table('model_run_inputs', schema=None) as batch_op:
        for column in ('run_id', 'dataset_id', 'table_version_id'):
            batch_op.create_index(batch_op.f(f'ix_model_run_inputs_{column}'), [column],
                                  unique=False)


def downgrade() -> None:
    op.drop_table('model_run_inputs')
    op.drop_table('model_runs')
