"""The Flask application factory: each subsystem hangs itself on the app with `init_app`."""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, g, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from indexer.base import SearchBackend
from portal.catalog.access import ADMIN, ANONYMOUS, Viewer
from portal.catalog.tablestore import TableStore
from portal.config import Config, load_config
from portal.db import make_engine, make_session_factory

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Portal:
    """What every request needs, built once per process."""
    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    store: TableStore
    _search: SearchBackend | None = field(default=None, repr=False)
    _search_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def search(self) -> SearchBackend:
        """The configured search backend, opened on first use (commands that never search
        need neither the index nor its client)."""
        with self._search_lock:
            if self._search is None:
                from portal.searching import open_backend
                self._search = open_backend(self.config)
            return self._search

    def close(self) -> None:
        if self._search is not None:
            self._search.close()
        self.engine.dispose()

    @classmethod
    def from_config(cls, config: Config) -> Portal:
        engine = make_engine(config.database_url, echo=config.get("database", "echo"))
        store = TableStore(config.tables_dir,
                           row_group_size=config.get("tables", "row_group_size"))
        return cls(config, engine, make_session_factory(engine), store)


def create_app(config: Config | None = None, portal: Portal | None = None) -> Flask:
    """The web application; pass `portal` to share one with the caller (tests, the CLI)."""
    config = portal.config if portal else (config or load_config())
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "portal" / "static"))
    app.config["SECRET_KEY"] = config.get("web", "secret_key") or secrets.token_hex(32)
    app.config["MAX_CONTENT_LENGTH"] = config.get("ingest", "max_upload_mb") * 1024 * 1024
    app.extensions["portal"] = portal or Portal.from_config(config)

    from portal.web import (assets, ckan, datasets, errors, filters, home, organisations,
                            search)
    for module in (assets, filters, errors, home, search, datasets, organisations, ckan):
        module.init_app(app)
    from portal.web import models
    models.init_app(app)
    from portal.web import api, dcat, downloads, sitemap
    for module in (downloads, api, sitemap, dcat):
        module.init_app(app)
    from portal.web import admin
    admin.init_app(app)

    app.before_request(_open_request)
    app.teardown_request(_close_session)
    return app


def portal_state() -> Portal:
    from flask import current_app
    return current_app.extensions["portal"]


def db() -> Session:
    """The request's database session, opened on first use."""
    if "db" not in g:
        g.db = portal_state().sessions()
    return g.db


def _open_request() -> None:
    g.viewer = _viewer_from_request()


def _viewer_from_request() -> Viewer:
    token = portal_state().config.get("admin", "token")
    supplied = request.headers.get("X-Portal-Admin-Token", "")
    if token and supplied and secrets.compare_digest(token, supplied):
        return ADMIN
    from portal.web.admin.auth import session_holds  # a browser signed in at /admin/login
    if token and session_holds(token):
        return ADMIN
    return ANONYMOUS


def current_viewer() -> Viewer:
    return g.get("viewer", ANONYMOUS)


def _close_session(_exc) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
