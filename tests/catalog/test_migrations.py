from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.catalog.models import Base


def test_migrations_create_every_table_of_the_models(portal):
    tables = set(inspect(portal.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_and_models_do_not_drift(portal):
    with portal.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"
