from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.catalog.models import Base
from portal.scheduler import JOB_TABLE


def _not_the_schedulers(name, type_, parent_names) -> bool:
    # APScheduler creates and owns its job table; no migration of ours describes it.
    return not (type_ == "table" and name == JOB_TABLE)


def test_migrations_create_every_table_of_the_models(portal):
    tables = set(inspect(portal.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_and_models_do_not_drift(portal):
    from portal import scheduler
    scheduler.stop(scheduler.start(portal))  # the job table exists, as in a deployment
    with portal.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": False, "include_name": _not_the_schedulers})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"
