"""Records, the Connector base class and the registry.

A connector knows one source: how to list what it offers (`list_datasets`, yielding
DatasetRecords) and how to fetch one dataset's table (`fetch_table`, giving a TableContent:
a DataFrame of strings for JSON rows, or the file's bytes and name for a CSV/XLSX that the
portal's ingest reads itself). Connectors are pure: no database, no index, no `portal`.

    connector = get_connector("seoul", base_url="http://127.0.0.1:8765/seoul")
    for record in connector.list_datasets(): ...

A connector module registers its class with `@register`; adding a source is adding a file.
"""
from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import pandas as pd

from connectors import vocab
from connectors.errors import AuthError
from connectors.http import USER_AGENT, HttpClient


@dataclass(frozen=True)
class SpatialCode:
    """A region a dataset covers, as the source codes it: `code` in `code_system`
    (see vocab.CODE_SYSTEMS), with the source's name for it when it gives one."""
    code: str
    code_system: str
    name: str | None = None

    def __post_init__(self):
        _check("code_system", self.code_system, vocab.CODE_SYSTEMS)


@dataclass(frozen=True)
class ResourceRecord:
    """Something a dataset offers: a file, an API endpoint or a page. URLs never hold keys."""
    name: str
    kind: str  # file | api | link
    url: str
    format: str | None = None

    def __post_init__(self):
        _check("resource kind", self.kind, vocab.RESOURCE_KINDS)


@dataclass(frozen=True)
class DatasetRecord:
    """One dataset as a source describes it, mapped to the catalog's codes.

    `owner` is the provider as the source gives it (a name such as 서울특별시 or a code
    such as KOSIS org 101); the portal maps it to an organisation. `extras` keeps source
    fields that have no column of their own (department, provider group, service name).
    """
    source: str
    source_id: str
    title_ko: str
    title_en: str | None = None
    description_ko: str | None = None
    keywords: tuple[str, ...] = ()
    theme: str = vocab.OTHER_THEME
    kind: str = "file"
    formats: tuple[str, ...] = ()
    licence: str = "UNKNOWN"
    update_cycle: str | None = None
    owner: str | None = None
    source_url: str | None = None
    spatial: tuple[SpatialCode, ...] = ()
    resources: tuple[ResourceRecord, ...] = ()
    last_modified: str | None = None  # ISO date of the source's last update, when given
    extras: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if not self.source_id or not self.title_ko:
            raise ValueError(f"{self.source}: a record needs a source_id and a title "
                             f"(got {self.source_id!r}, {self.title_ko!r})")
        _check("theme", self.theme, vocab.THEMES)
        _check("kind", self.kind, vocab.KINDS)
        _check("licence", self.licence, vocab.LICENCES)
        if self.update_cycle is not None:
            _check("update_cycle", self.update_cycle, vocab.UPDATE_CYCLES)
        for name in ("keywords", "formats", "spatial", "resources"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "extras", dict(self.extras))

    def as_dict(self) -> dict[str, Any]:
        """Plain data (lists and dicts), e.g. for a content hash or JSON."""
        return _plain(asdict(self))


@dataclass(frozen=True)
class CoordinateColumns:
    """Which columns of a table hold coordinates, decided from their values."""
    x: str   # longitude, or easting for a projected system
    y: str   # latitude, or northing
    epsg: int


@dataclass(frozen=True, eq=False)
class TableContent:
    """A dataset's table: either `frame` (JSON rows as strings; typed later at ingest) or
    `data` + `filename` (a file's bytes, read by the portal's ingest)."""
    frame: pd.DataFrame | None = None
    data: bytes | None = None
    filename: str | None = None
    coordinates: CoordinateColumns | None = None
    notes: tuple[str, ...] = ()  # what the connector noticed (a short page, rows out of range)

    def __post_init__(self):
        if (self.frame is None) == (self.data is None):
            raise ValueError("a TableContent holds either a frame or file bytes")
        if self.data is not None and not self.filename:
            raise ValueError("file bytes need their filename (the ingest reads the extension)")
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def is_file(self) -> bool:
        return self.data is not None


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _check(what: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")


# --- connectors -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """A connector setting: name, type, default and what it does."""
    name: str
    type: type | tuple[type, ...]
    default: Any
    help: str


HTTP_OPTIONS = (
    Option("base_url", str, None, "Root URL of the source; point it at a replay server to "
                                  "use recorded responses."),
    Option("timeout", (int, float), 30.0, "Seconds to wait to connect and for each read."),
    Option("max_attempts", int, 4, "Tries per request for retryable failures (network, "
                                   "HTTP 5xx, the source's server-error codes)."),
    Option("backoff_base", (int, float), 1.0, "First retry wait in seconds; doubles per try."),
    Option("backoff_cap", (int, float), 60.0, "Longest wait between two tries, in seconds."),
    Option("min_interval", (int, float), 0.3, "Least seconds between two requests."),
    Option("user_agent", str, USER_AGENT, "User-Agent header sent with every request."),
    Option("env", Mapping, None, "Where API keys are read from (default: os.environ)."),
    Option("clock", object, None, "Clock with monotonic() and sleep(); tests pass a fake."),
)


class Connector(ABC):
    """One source. Subclasses set `name`, `default_base_url`, `key_env` (the environment
    variable holding the key, if any) and extra `options`, and implement the two methods."""

    name: ClassVar[str]
    sources: ClassVar[tuple[str, ...]] = ()  # the DatasetRecord.source values it produces
    default_base_url: ClassVar[str]
    key_env: ClassVar[str | None] = None
    options: ClassVar[tuple[Option, ...]] = ()
    # How many entries the source announced for the listing under way, once it has said
    # (Seoul's list_total_count): a progress bar's total. None while unknown.
    total: int | None = None

    def __init__(self, **options):
        declared = {option.name: option for option in (*HTTP_OPTIONS, *self.options)}
        unknown = sorted(set(options) - set(declared))
        if unknown:
            raise TypeError(f"{self.name}: unknown option(s) {', '.join(unknown)}; "
                            f"known: {', '.join(sorted(declared))}")
        self.settings: dict[str, Any] = {}
        for name, option in declared.items():
            value = options.get(name, option.default)
            if value is not None and option.type is not object \
                    and not isinstance(value, option.type):
                raise TypeError(f"{self.name}: option {name} must be {option.type}, "
                                f"got {value!r}")
            self.settings[name] = value
        env = self.settings["env"] if self.settings["env"] is not None else os.environ
        self.api_key = None
        if self.key_env:
            self.api_key = (env.get(self.key_env) or "").strip() or None
        self.http = self.make_http(self.settings["base_url"] or self.default_base_url)

    def make_http(self, base_url: str) -> HttpClient:
        s = self.settings
        return HttpClient(self.name, base_url, secrets=[self.api_key], timeout=s["timeout"],
                          max_attempts=s["max_attempts"], backoff_base=s["backoff_base"],
                          backoff_cap=s["backoff_cap"], min_interval=s["min_interval"],
                          user_agent=s["user_agent"], clock=s["clock"])

    def require_key(self) -> str:
        if not self.api_key:
            raise AuthError(self.name, "no-key",
                            f"no API key: set the environment variable {self.key_env}")
        return self.api_key

    @abstractmethod
    def list_datasets(self) -> Iterator[DatasetRecord]:
        """Every dataset the source offers, as records (a generator: it pages lazily)."""

    @abstractmethod
    def fetch_table(self, record: DatasetRecord) -> TableContent | None:
        """The table of one listed dataset; None when the source offers no table for it
        (metadata only, or no known way to read it). An empty table is a TableContent
        whose frame has no rows, never an error."""

    def close(self) -> None:
        self.http.close()


# --- registry -------------------------------------------------------------------------------

_REGISTRY: dict[str, type[Connector]] = {}
BUILT_IN = ("connectors.seoul", "connectors.kosis", "connectors.mois")


def register(cls: type[Connector]) -> type[Connector]:
    """Class decorator: make a connector available to `get_connector` by its name."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"two connectors are named {cls.name!r}")
    if not cls.sources:
        cls.sources = (cls.name,)
    _REGISTRY[cls.name] = cls
    return cls


def _load_built_in() -> None:
    for module in BUILT_IN:
        importlib.import_module(module)


def connector_names() -> list[str]:
    _load_built_in()
    return sorted(_REGISTRY)


def connector_class(name: str) -> type[Connector]:
    _load_built_in()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no connector named {name!r}; known: "
                       f"{', '.join(sorted(_REGISTRY))}") from None


def get_connector(name: str, **options) -> Connector:
    """A configured connector, e.g. get_connector("kosis", base_url=..., min_interval=0)."""
    return connector_class(name)(**options)
