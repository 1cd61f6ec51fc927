from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.catalog.models import Base
from portal.db import include_in_migrations


def test_migrations_create_every_table_of_the_models(portal):
    tables = set(inspect(portal.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_and_models_do_not_drift(portal):
    from portal import scheduler
    scheduler.stop(scheduler.start(portal))  # the job table exists, as in a deployment
    assert scheduler.JOB_TABLE in inspect(portal.engine).get_table_names()
    with portal.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": False, "include_name": include_in_migrations})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"
