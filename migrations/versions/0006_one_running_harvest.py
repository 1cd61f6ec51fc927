"""One running harvest per source, and who runs it: host, process id, last sign of life.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('alive_at', sa.DateTime(timezone=True), nullable=True))
    # Older runs left running by dead processes would break the index: only the newest of a
    # source may still be running (the next start decides whether it is alive).
    op.execute("UPDATE harvest_runs SET status = 'failed', "
               "error_message = 'interrupted: the run did not finish' "
               "WHERE status = 'running' AND id NOT IN "
               "(SELECT max(id) FROM harvest_runs WHERE status = 'running' GROUP BY source)")
    op.create_index('uq_harvest_runs_running_source', 'harvest_runs', ['source'], unique=True,
                    sqlite_where=RUNNING, postgresql_where=RUNNING)


def downgrade() -> None:
    op.drop_index('uq_harvest_runs_running_source', table_name='harvest_runs',
                  sqlite_where=RUNNING, postgresql_where=RUNNING)
    with op.batch_alter_table('harvest_runs', schema=None) as batch_op:
        batch_op.drop_column('alive_at')
        batch_op.drop_column('pid')
        batch_op.drop_column('host')
