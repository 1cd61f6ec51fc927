"""Shared fixtures. Every database test runs on SQLite and, when
PORTAL_TEST_DATABASE_URL is set, on PostgreSQL too (one schema per xdist worker)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from portal.app import Portal, create_app
from portal.config import load_config
from portal.db import migrate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")

DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def worker_id_str(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "catalog.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id_str) -> str:
    schema = f"portal_test_{worker_id_str}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    migrate(url)
    return url


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "catalog.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version'")).scalars().all()
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def config(database_url, tmp_path):
    return load_config(tmp_path / "absent.toml", env={}, overrides={
        ("data", "dir"): str(tmp_path / "data"),
        ("database", "url"): database_url,
        ("admin", "token"): "test-admin-token",
        ("demo", "dir"): str(SAMPLE),
    })


@pytest.fixture
def portal(config):
    state = Portal.from_config(config)
    yield state
    state.close()


@pytest.fixture
def session(portal):
    with portal.sessions() as session:
        yield session


@pytest.fixture
def seeded(portal):
    """The built-in organisations (서울특별시, 25 gu, external providers)."""
    from portal.catalog.organisations import seed_organisations
    with portal.sessions.begin() as session:
        seed_organisations(session)
    return portal


@pytest.fixture
def app(portal):
    app = create_app(portal=portal)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()
