"""The harvestable sources as the configuration describes them: `[harvest]` keys → the
connector's options and the run's options. `portal harvest`, the scheduler and the admin
page build their connectors here, so a source is configured in one place.

    with open_source(portal.config, "kosis") as (connector, options):
        run = harvest(portal, "kosis", connector, trigger="cli", **options)

A URL setting written `replay:/path` is served from `sample_data/recorded` by a replay
server started for the run (the offline demo); any key is accepted then.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from typing import Any

from connectors import connector_class, connector_names, get_connector
from connectors.kosis import ListRoot

REPLAY = "replay:"


def harvestable() -> list[str]:
    """Connectors a run can take (each owns every record source it produces)."""
    return connector_names()


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def kosis_roots(text: str) -> tuple[ListRoot, ...]:
    """`MT_OTITLE:110_20103:인구/가구, …` → ListRoots (the theme may be left out)."""
    roots = []
    for part in _list(text):
        view, parent, *theme = part.split(":", 2)
        roots.append(ListRoot(view, parent, *theme))
    return tuple(roots)


def kosis_tables(text: str) -> tuple[tuple[str, str, str], ...]:
    """`101/DT_1B04005N:인구/가구, …` → (org_id, tbl_id, theme) triples."""
    tables = []
    for part in _list(text):
        table, _, theme = part.partition(":")
        org_id, _, tbl_id = table.partition("/")
        if not (org_id and tbl_id):
            raise ValueError(f"[harvest] kosis_tables: {part!r} is not ORG_ID/TBL_ID[:THEME]")
        tables.append((org_id, tbl_id, theme or "기타"))
    return tuple(tables)


def connector_options(config, source: str) -> dict[str, Any]:
    """The connector's own options from `[harvest] {source}_*` (URLs as configured)."""
    get = lambda key: config.get("harvest", f"{source}_{key}")  # noqa: E731
    options: dict[str, Any] = {}
    if get("base_url"):
        options["base_url"] = get("base_url")
    if source == "seoul" and get("max_rows"):
        options["max_rows"] = get("max_rows")
    elif source == "kosis":
        options.update(roots=kosis_roots(get("roots")), tables=kosis_tables(get("tables")),
                       recent_periods=get("recent_periods"))
        if get("period_type"):
            options["period_type"] = get("period_type")
    elif source == "mois":
        options.update(population_lookback=get("population_lookback"),
                       with_catalogue=get("with_catalogue"),
                       conditions={"org_nm::LIKE": get("organisation")})
        if get("files_base_url"):
            options["files_base_url"] = get("files_base_url")
        if get("population_period"):
            options["population_period"] = get("population_period")
    return options


def stale_after(config) -> timedelta:
    return timedelta(minutes=config.get("harvest", "stale_after_minutes"))


def run_options(config, source: str, *, has_files: bool | None = None) -> dict[str, Any]:
    """harvest()'s options: withdrawal, progress saves, and which tables are fetched."""
    if has_files is None:
        has_files = bool(config.get("harvest", "mois_files_base_url"))
    tables: bool | list[str] = config.get("harvest", "tables")
    if tables and source == "kosis" and _list(config.get("harvest", "kosis_data_tables")):
        tables = _list(config.get("harvest", "kosis_data_tables"))
    if source == "mois" and not has_files:
        tables = False  # the files have no stable address but the configured mirror
    return {"withdraw_after": config.get("harvest", "withdraw_after"), "tables": tables,
            "stale_after": stale_after(config),
            "progress_interval": config.get("harvest", "progress_interval"),
            "item_batch": config.get("harvest", "item_batch"),
            "durable_commits": config.get("harvest", "durable_commits")}


def key_environment(config, source: str, environ: Mapping[str, str] = os.environ) -> dict:
    """The environment the connector reads its key from, under the configured name."""
    key_env = connector_class(source).key_env
    configured = config.get("harvest", f"{source}_api_key_env")
    return {**environ, key_env: environ.get(configured, "")} if key_env else dict(environ)


@contextmanager
def open_source(config, source: str, *, base_url: str | None = None,
                **overrides) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(connector, harvest options) for `source`, closed (with any replay server) after."""
    if source not in harvestable():
        raise KeyError(f"no source named {source!r}; known: {', '.join(harvestable())}")
    options = {**connector_options(config, source), **overrides}
    if base_url:
        options["base_url"] = base_url
    env = key_environment(config, source)
    with ExitStack() as stack:
        replayed = [k for k in ("base_url", "files_base_url")
                    if str(options.get(k, "")).startswith(REPLAY)]
        if replayed:
            from connectors.replay import ReplayServer
            server = stack.enter_context(ReplayServer(config.demo_dir / "recorded"))
            for key in replayed:
                options[key] = server.url + options[key][len(REPLAY):]
            key_env = connector_class(source).key_env
            if key_env:  # the recordings answer any key; none would stop the run
                env[key_env] = env.get(key_env) or "offline"
        connector = get_connector(source, env=env, **options)
        stack.callback(connector.close)
        yield connector, run_options(config, source,
                                     has_files=bool(options.get("files_base_url")))
