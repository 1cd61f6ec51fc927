"""Configuration declared as data: every key has a type, a default and help text.

Values come from, in order of precedence: `PORTAL_SECTION__KEY` environment variables,
`config.toml` (path in `PORTAL_CONFIG`, else `./config.toml` when present), the defaults below.
`config.example.toml` is generated from this declaration (`portal config-example`), and a test
fails when the two disagree, so no key goes undocumented.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    type: type
    default: Any
    help: str

    @property
    def env_name(self) -> str:
        return f"PORTAL_{self.section.upper()}__{self.key.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("data", "dir", str, "data",
            "Folder holding everything the embedded default keeps on disk: the SQLite "
            "catalog, the Parquet table store, original files and the search index. "
            "A relative path is taken from the current directory."),
    Setting("database", "url", str, "",
            "SQLAlchemy URL of the metadata database. Empty: a SQLite file "
            "`catalog.sqlite3` in the data folder. Production: "
            "postgresql+psycopg://user@host:5432/portal"),
    Setting("database", "echo", bool, False,
            "Log every SQL statement (debugging only)."),
    Setting("tables", "dir", str, "",
            "Folder of the Parquet table store and the original files. Empty: "
            "`tables` in the data folder."),
    Setting("tables", "row_group_size", int, 65536,
            "Rows per Parquet row group; a preview reads only the first group, so a "
            "dataset page stays fast however large the table."),
    Setting("ingest", "max_upload_mb", int, 200,
            "Largest file the ingest path accepts, in megabytes."),
    Setting("web", "host", str, "127.0.0.1",
            "Address `portal serve` listens on."),
    Setting("web", "port", int, 5000,
            "Port `portal serve` listens on."),
    Setting("web", "secret_key", str, "",
            "Flask secret key for sessions and forms. Empty: a random key per process "
            "(sessions do not survive a restart). Set it in production."),
    Setting("web", "preview_rows", int, 50,
            "Rows shown in a dataset page's preview."),
    Setting("api", "page_size", int, 50,
            "Rows per page of `/api/v1/datasets/<slug>/rows` when `_size`/`limit` is not given."),
    Setting("api", "max_page_size", int, 1000,
            "Most rows one page of the rows API returns; for the whole table use a download "
            "(streamed, any size)."),
    Setting("search", "backend", str, "whoosh",
            "Search backend: `whoosh` (embedded, on local disk) or `elasticsearch`."),
    Setting("search", "dir", str, "",
            "Folder of the Whoosh index. Empty: `index` in the data folder."),
    Setting("search", "synonyms", str, "",
            "Synonym list operators may edit (one group per line, `=` between words). Empty: "
            "the list shipped in indexer/synonyms.txt."),
    Setting("search", "elasticsearch_url", str, "",
            "Elasticsearch URL (with `backend = \"elasticsearch\"`), e.g. "
            "http://localhost:9200. Credentials belong in PORTAL_SEARCH__ELASTICSEARCH_URL."),
    Setting("search", "elasticsearch_index", str, "portal-datasets",
            "Name of the Elasticsearch alias searched; rebuilds create a new index behind it."),
    Setting("search", "drain_interval", float, 2.0,
            "Seconds between outbox drains of the drainer that `portal serve` runs in the "
            "background (0 turns it off; then run `portal sync` or `portal scheduler`)."),
    Setting("admin", "token", str, "",
            "Token that lets a request act as an administrator (sees internal datasets, "
            "may upload) until accounts exist. Empty: no administrator access. Pass it "
            "as the `X-Portal-Admin-Token` header."),
    Setting("harvest", "seoul_base_url", str, "",
            "Root URL the `seoul` source is harvested from by the scheduler and the admin "
            "page. Empty: the source's own. `replay:/seoul` serves the recorded responses "
            "of sample_data/recorded on 127.0.0.1 during the run (the offline demo)."),
    Setting("harvest", "kosis_base_url", str, "",
            "Root URL of the `kosis` source (as seoul_base_url; `replay:/kosis` offline)."),
    Setting("harvest", "mois_base_url", str, "",
            "Root URL of the `mois` source (as seoul_base_url; `replay:/odcloud` offline)."),
    Setting("harvest", "stale_after_minutes", int, 30,
            "A run still marked running that has saved no progress for this many minutes is "
            "taken as interrupted, so a new run of its source may start. (A run whose process "
            "is gone on this host counts as interrupted at once.)"),
    Setting("harvest", "withdraw_after", int, 3,
            "A dataset its source stopped listing is withdrawn (hidden from search and lists, "
            "still reachable by its address) after this many complete runs in a row."),
    Setting("harvest", "tables", bool, True,
            "Fetch table contents during a harvest (KOSIS data, MOIS and LOCALDATA files, "
            "known Seoul OpenAPI services) and ingest them; unchanged content adds nothing."),
    Setting("harvest", "progress_interval", float, 1.0,
            "Seconds between two saves of a running harvest's counts (what the admin page's "
            "progress bar reads)."),
    Setting("harvest", "item_batch", int, 1000,
            "Unchanged entries recorded per database insert (also saved at every progress "
            "save)."),
    Setting("harvest", "durable_commits", bool, False,
            "PostgreSQL: wait for each harvested entry's commit to reach the disk. Off: each "
            "entry is still written all or nothing, but a crash of the database server may "
            "lose the last moment's entries, which the next run writes again."),
    Setting("harvest", "seoul_api_key_env", str, "PORTAL_SEOUL_API_KEY",
            "Environment variable holding the Seoul Open Data Plaza API key."),
    Setting("harvest", "seoul_max_rows", int, 0,
            "Most rows read from one Seoul OpenAPI service during a harvest (0: all)."),
    Setting("harvest", "kosis_api_key_env", str, "PORTAL_KOSIS_API_KEY",
            "Environment variable holding the KOSIS API key."),
    Setting("harvest", "kosis_roots", str, "MT_OTITLE:110_20103:인구/가구",
            "KOSIS catalogue folders whose tables are harvested, as VIEW:LIST_ID:THEME, "
            "comma-separated (default: 국내통계 기관별 › 행정안전부 주민등록인구현황)."),
    Setting("harvest", "kosis_tables", str, "",
            "More KOSIS tables to harvest, as ORG_ID/TBL_ID:THEME, comma-separated, e.g. "
            "101/DT_1B04005N:인구/가구."),
    Setting("harvest", "kosis_data_tables", str, "",
            "KOSIS tables whose data is fetched and ingested, as ORG_ID/TBL_ID, "
            "comma-separated. Empty: every harvested table."),
    Setting("harvest", "kosis_period_type", str, "",
            "Period type read from KOSIS tables (Y, H, Q, M, D). Empty: each table's finest."),
    Setting("harvest", "kosis_recent_periods", int, 5,
            "Newest periods read from each KOSIS table."),
    Setting("harvest", "mois_api_key_env", str, "PORTAL_DATAGOKR_SERVICE_KEY",
            "Environment variable holding the data.go.kr service key (the catalogue)."),
    Setting("harvest", "mois_files_base_url", str, "",
            "Root URL of the mirrored MOIS population and LOCALDATA files (population/…, "
            "localdata/…); `replay:/files` offline. Empty: those files are not fetched."),
    Setting("harvest", "mois_population_period", str, "",
            "Newest month (YYYYMM) to look for MOIS population files. Empty: last month."),
    Setting("harvest", "mois_population_lookback", int, 3,
            "Months to look back for a MOIS population file."),
    Setting("harvest", "mois_with_catalogue", bool, True,
            "Harvest the data.go.kr catalogue entries of the organisation below (needs the "
            "service key)."),
    Setting("harvest", "mois_organisation", str, "행정안전부",
            "Organisation whose data.go.kr catalogue entries are harvested (org_nm LIKE)."),
    Setting("scheduler", "seoul", str, "",
            "Cron schedule (minute hour day month weekday) of the `seoul` harvest in "
            "`portal scheduler`, e.g. \"0 3 * * *\" for 03:00 every day. Empty: not scheduled."),
    Setting("scheduler", "kosis", str, "",
            "Cron schedule of the `kosis` harvest (as seoul). Empty: not scheduled."),
    Setting("scheduler", "mois", str, "",
            "Cron schedule of the `mois` harvest (as seoul). Empty: not scheduled."),
    Setting("scheduler", "timezone", str, "Asia/Seoul",
            "Time zone the cron schedules are read in."),
    Setting("scheduler", "misfire_grace_seconds", int, 3600,
            "A run missed while the scheduler was down still starts when it comes back "
            "within this many seconds; several missed runs start once."),
    Setting("scheduler", "drain_interval", float, 5.0,
            "Seconds between outbox drains run by `portal scheduler` when the web process "
            "does not drain (`[search] drain_interval = 0`)."),
    Setting("demo", "dir", str, "sample_data",
            "Folder of the bundled demo sources loaded by `portal load-demo`."),
)


class ConfigError(ValueError):
    pass


class Config:
    """Resolved settings, read as `config.get("web", "port")`."""

    def __init__(self, values: dict[tuple[str, str], Any], base_dir: Path):
        self._values = values
        self.base_dir = base_dir

    def get(self, section: str, key: str) -> Any:
        return self._values[(section, key)]

    @property
    def data_dir(self) -> Path:
        return self._path(self.get("data", "dir"))

    @property
    def database_url(self) -> str:
        url = self.get("database", "url")
        if url:
            return url
        return f"sqlite:///{self.data_dir / 'catalog.sqlite3'}"

    @property
    def tables_dir(self) -> Path:
        configured = self.get("tables", "dir")
        return self._path(configured) if configured else self.data_dir / "tables"

    @property
    def index_dir(self) -> Path:
        configured = self.get("search", "dir")
        return self._path(configured) if configured else self.data_dir / "index"

    @property
    def demo_dir(self) -> Path:
        return self._path(self.get("demo", "dir"))

    def _path(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path


def load_config(path: str | os.PathLike | None = None, *,
                env: dict[str, str] | None = None,
                overrides: dict[tuple[str, str], Any] | None = None) -> Config:
    env = os.environ if env is None else env
    path = Path(path or env.get("PORTAL_CONFIG") or "config.toml")
    file_values: dict[str, dict[str, Any]] = {}
    if path.exists():
        with path.open("rb") as fh:
            file_values = tomllib.load(fh)
        _reject_unknown_keys(file_values, path)
    values = {}
    for setting in SETTINGS:
        value = file_values.get(setting.section, {}).get(setting.key, setting.default)
        if setting.env_name in env:
            value = _parse_env(setting, env[setting.env_name])
        values[(setting.section, setting.key)] = _check_type(setting, value)
    values.update(overrides or {})
    return Config(values, base_dir=Path.cwd())


def _reject_unknown_keys(file_values: dict, path: Path) -> None:
    known = {(s.section, s.key) for s in SETTINGS}
    for section, keys in file_values.items():
        if not isinstance(keys, dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
        for key in keys:
            if (section, key) not in known:
                raise ConfigError(f"{path}: unknown setting [{section}] {key} "
                                  "(see config.example.toml)")


def _parse_env(setting: Setting, raw: str) -> Any:
    if setting.type is bool:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{setting.env_name}: expected true or false, got {raw!r}")
    try:
        return setting.type(raw)
    except ValueError:
        raise ConfigError(f"{setting.env_name}: expected {setting.type.__name__}, "
                          f"got {raw!r}") from None


def _check_type(setting: Setting, value: Any) -> Any:
    if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if setting.type in (int, float) and isinstance(value, bool) \
            or not isinstance(value, setting.type):
        raise ConfigError(f"[{setting.section}] {setting.key}: expected "
                          f"{setting.type.__name__}, got {value!r}")
    return value


def example_toml() -> str:
    """The text of config.example.toml, generated from SETTINGS."""
    lines = ["# Seoul public-data portal configuration.",
             "# Copy to config.toml and change what you need; every key is optional.",
             "# Any key can also be set as an environment variable PORTAL_SECTION__KEY,",
             "# e.g. PORTAL_WEB__PORT=8000. Secrets (API keys) belong in the environment."]
    section = None
    for setting in SETTINGS:
        if setting.section != section:
            section = setting.section
            lines += ["", f"[{section}]"]
        lines += [f"# {line}" for line in _wrap(setting.help)]
        lines.append(f"# env: {setting.env_name}")
        lines.append(f"{setting.key} = {_toml_value(setting.default)}")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 88) -> list[str]:
    import textwrap
    return textwrap.wrap(text, width)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
