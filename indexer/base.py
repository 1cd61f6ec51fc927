"""The search contract every backend implements (Whoosh on local disk, Elasticsearch).

Visibility is enforced here, not by callers: a :class:`SearchQuery` cannot be built without the
viewer's permission labels, and every result, total, facet count, suggestion and spelling
suggestion a backend returns must be computed over the documents those labels may see.
The same contract test suite (tests/indexer/contract.py) runs against every backend.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from indexer import schema
from indexer.documents import SearchDocument


@dataclass(frozen=True)
class SearchQuery:
    text: str
    labels: frozenset[str]                  # the viewer's permission labels: required
    # facet or filter name → values; values of one name are ORed, names are ANDed
    filters: Mapping[str, list[str]] = field(default_factory=dict)
    sort: str = schema.DEFAULT_SORT
    page: int = 1
    per_page: int = 20
    facets: tuple[str, ...] = ()           # facet names to count
    highlight: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.labels, frozenset):
            raise TypeError("SearchQuery.labels must be a frozenset of permission labels "
                            "(frozenset({'public'}) for an anonymous viewer)")
        for name in self.filters:
            schema.check_filter_name(name)
        for name in self.facets:
            schema.facet(name)
        schema.sort(self.sort)
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 1 <= self.per_page <= schema.MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {schema.MAX_PER_PAGE}")
        object.__setattr__(self, "text", self.text or "")
        object.__setattr__(self, "facets", tuple(self.facets))
        object.__setattr__(self, "filters", {
            name: [values] if isinstance(values, str) else [str(v) for v in values]
            for name, values in self.filters.items() if values})

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def effective_sort(self) -> str:
        """Relevance means nothing without text: then the declared empty-query order applies."""
        if self.sort == "relevance" and not self.text.strip():
            return schema.EMPTY_QUERY_SORT
        return self.sort


@dataclass
class Hit:
    id: str
    slug: str
    score: float
    fields: dict[str, Any]                  # the document without permission_labels
    highlights: dict[str, str] = field(default_factory=dict)  # field → HTML-safe, <mark>…</mark>


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # count desc
    suggestion: str | None = None           # "did you mean", when few or no hits


@dataclass(frozen=True)
class Suggestion:
    text: str                                # what to show and put in the search box
    kind: str                                # "title" | "keyword" | "organisation" | "gu"
    value: str                               # dataset slug, organisation slug, gu or keyword
    count: int = 1                           # visible datasets behind it


def merge_suggestions(values: list[Suggestion], titles: list[Suggestion],
                      limit: int) -> list[Suggestion]:
    """Values first (a district or an organisation is the broader completion), at most half,
    then titles; each text once."""
    merged, seen = [], set()
    for suggestion in values[: max(1, limit // 2)] + titles + values[limit // 2:]:
        if suggestion.text not in seen:
            seen.add(suggestion.text)
            merged.append(suggestion)
    return merged[:limit]


class SearchBackend(ABC):
    """One search index. Implementations register in :mod:`indexer.backends`."""

    name: str = ""

    @abstractmethod
    def index(self, documents: Iterable[SearchDocument | Mapping[str, Any]]) -> int:
        """Add or replace (by id) documents in bulk; visible to searches on return.
        Returns the number indexed."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id (unknown ids are ignored); returns how many were removed."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        ...

    @abstractmethod
    def suggest(self, prefix: str, labels: frozenset[str], limit: int = 10) -> list[Suggestion]:
        """Completions for what is being typed: titles, keywords, organisations and gu, by
        prefix and by chosung (ㄱㄷㄱ → 강동구), from documents ``labels`` may see."""

    @abstractmethod
    def count(self) -> int:
        """All documents, whatever their labels (for operators, not for viewers)."""

    @abstractmethod
    def ids_and_versions(self) -> dict[str, datetime]:
        """id → modified, for the reconciler's drift check against the catalog."""

    @abstractmethod
    def clear(self) -> None:
        ...

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """{"ok": bool, "backend": name, "documents": n, ...}; must not raise."""

    @abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument | Mapping[str, Any]]) -> int:
        """Build a fresh index from ``documents`` and swap it in atomically: searches keep
        answering from the old index until the swap. Returns the number indexed."""

    def warm(self) -> None:
        """Load what the first query would otherwise load (call when a web worker starts)."""

    def close(self) -> None:
        """Release files and connections."""
