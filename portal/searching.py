"""Search as the portal uses it: the configured backend, request parameters → SearchQuery
(driven by the declarations in `indexer.schema`), the viewer's labels, and the query log.

The page, the native JSON API and the CKAN-compatible API all come through here, so they
accept the same parameters and apply the same visibility rule.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer import schema
from indexer.backends import make_backend
from indexer.base import SearchBackend, SearchQuery, SearchResult
from portal.catalog.access import Viewer
from portal.catalog.models import SearchLogEntry, utcnow
from portal.config import Config

MAX_QUERY_LENGTH = 200


class SearchParameterError(ValueError):
    """A request parameter that cannot be understood; the message says which and why."""


def open_backend(config: Config) -> SearchBackend:
    name = config.get("search", "backend")
    if name == "whoosh":
        synonyms = config.get("search", "synonyms") or None
        return make_backend("whoosh", path=config.index_dir, synonyms_path=synonyms)
    if name == "elasticsearch":
        return make_backend("elasticsearch", url=config.get("search", "elasticsearch_url"),
                            index=config.get("search", "elasticsearch_index"),
                            synonyms_path=config.get("search", "synonyms") or None)
    return make_backend(name)


def query_from_args(args: Mapping[str, list[str]], viewer: Viewer, *,
                    facets: tuple[str, ...] | None = None, per_page: int = 20) -> SearchQuery:
    """`q`, one parameter per declared facet or filter (repeatable), `sort`, `page`."""
    text = " ".join(args.get("q", [""])).strip()[:MAX_QUERY_LENGTH]
    filters = {name: values for name in [*schema.FACETS_BY_NAME, *schema.FILTERS_BY_NAME]
               if (values := [v for v in args.get(name, []) if v])}
    sort = (args.get("sort") or [schema.DEFAULT_SORT])[0]
    if sort not in schema.SORTS_BY_NAME:
        raise SearchParameterError(f"sort={sort!r}: use one of {', '.join(schema.SORTS_BY_NAME)}")
    page = _positive_int(args, "page", 1)
    per_page = min(_positive_int(args, "per_page", per_page), schema.MAX_PER_PAGE)
    return SearchQuery(text=text, labels=viewer.labels, filters=filters, sort=sort, page=page,
                       per_page=per_page,
                       facets=tuple(schema.FACETS_BY_NAME) if facets is None else facets)


def _positive_int(args, name: str, default: int) -> int:
    raw = (args.get(name) or [None])[0]
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SearchParameterError(f"{name}={raw!r}: expected a whole number") from None
    if value < 1:
        raise SearchParameterError(f"{name}={raw!r}: expected 1 or more")
    return value


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def log_search(session: Session, text: str, result: SearchResult) -> None:
    """Remember a typed query for 인기검색어; empty queries and page turns are not searches."""
    query = normalise(text)
    if query:
        session.add(SearchLogEntry(query=query[:MAX_QUERY_LENGTH], results=result.total))


def popular_searches(session: Session, *, days: int = 30, limit: int = 10) -> list[str]:
    """The most typed queries of the last `days` that found something."""
    since = utcnow() - timedelta(days=days)
    rows = session.execute(select(SearchLogEntry.query, func.count())
                           .where(SearchLogEntry.created_at >= since,
                                  SearchLogEntry.results > 0)
                           .group_by(SearchLogEntry.query)
                           .order_by(func.count().desc(), SearchLogEntry.query).limit(limit))
    return [query for query, _ in rows]


@dataclass
class SearchPage:
    query: SearchQuery
    result: SearchResult
    broader: str | None  # the query without its last word, when nothing was found

    @property
    def pages(self) -> int:
        return max(1, -(-self.result.total // self.query.per_page))


def run_search(backend: SearchBackend, query: SearchQuery) -> SearchPage:
    result = backend.search(query)
    broader = None
    words = query.text.split()
    if result.total == 0 and len(words) > 1:
        broader = " ".join(words[:-1])
    return SearchPage(query, result, broader)
