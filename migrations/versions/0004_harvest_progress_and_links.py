"""Harvest progress and trigger; cross-source links between datasets.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expected', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('trigger', sa.String(length=20), server_default='cli',
                                      nullable=False))

    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('same_as_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_datasets_same_as_id'), ['same_as_id'], unique=False)
        batch_op.create_foreign_key('fk_datasets_same_as_id_datasets', 'datasets',
                                    ['same_as_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_constraint('fk_datasets_same_as_id_datasets', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_datasets_same_as_id'))
        batch_op.drop_column('same_as_id')

    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.drop_column('trigger')
        batch_op.drop_column('expected')
