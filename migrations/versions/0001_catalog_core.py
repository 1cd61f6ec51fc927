"""Catalog core: organisations, datasets, resources, table versions, outbox.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 05:45:23.808076
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name_ko', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_parent_id'), ['parent_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('dataset_slug', sa.String(length=120), nullable=False),
    sa.Column('change', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_processed_at'), ['processed_at'], unique=False)

    op.create_table('datasets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('title_ko', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('description_ko', sa.Text(), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('keywords', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('formats', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('licence', sa.String(length=20), nullable=False),
    sa.Column('update_cycle', sa.String(length=20), nullable=True),
    sa.Column('next_update_due', sa.Date(), nullable=True),
    sa.Column('spatial_coverage', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('temporal_start', sa.Date(), nullable=True),
    sa.Column('temporal_end', sa.Date(), nullable=True),
    sa.Column('owner_org_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('harvested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('view_count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug'),
    sa.UniqueConstraint('source', 'source_id')
    )
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_datasets_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_datasets_owner_org_id'), ['owner_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_datasets_theme'), ['theme'], unique=False)
        batch_op.create_index('ix_datasets_visibility_owner', ['visibility', 'owner_org_id'], unique=False)

    op.create_table('organisation_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code_system', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_system', 'code')
    )
    with op.batch_alter_table('organisation_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_codes_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('format', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resources_dataset_id'), ['dataset_id'], unique=False)

    op.create_table('table_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.BigInteger(), nullable=False),
    sa.Column('column_count', sa.Integer(), nullable=False),
    sa.Column('parquet_key', sa.String(length=200), nullable=False),
    sa.Column('original_key', sa.String(length=200), nullable=True),
    sa.Column('original_filename', sa.String(length=300), nullable=True),
    sa.Column('original_size', sa.BigInteger(), nullable=True),
    sa.Column('source_format', sa.String(length=10), nullable=True),
    sa.Column('encoding', sa.String(length=20), nullable=True),
    sa.Column('header_rows', sa.Integer(), nullable=False),
    sa.Column('profile', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['datasets.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resource_id', 'number')
    )
    with op.batch_alter_table('table_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_table_versions_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_table_versions_dataset_id'), ['dataset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_table_versions_resource_id'), ['resource_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('table_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_table_versions_resource_id'))
        batch_op.drop_index(batch_op.f('ix_table_versions_dataset_id'))
        batch_op.drop_index(batch_op.f('ix_table_versions_content_hash'))

    op.drop_table('table_versions')
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resources_dataset_id'))

    op.drop_table('resources')
    with op.batch_alter_table('organisation_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_codes_organisation_id'))

    op.drop_table('organisation_codes')
    with op.batch_alter_table('datasets', schema=None) as batch_op:
        batch_op.drop_index('ix_datasets_visibility_owner')
        batch_op.drop_index(batch_op.f('ix_datasets_theme'))
        batch_op.drop_index(batch_op.f('ix_datasets_owner_org_id'))
        batch_op.drop_index(batch_op.f('ix_datasets_kind'))

    op.drop_table('datasets')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_processed_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_dataset_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_parent_id'))

    op.drop_table('organisations')
