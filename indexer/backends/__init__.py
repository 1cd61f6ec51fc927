"""Backend registry: ``make_backend("whoosh", path=...)``.

A backend registers a factory under its name; the Elasticsearch backend (``elasticsearch.py``,
written against the same contract) adds itself the same way. Factories are imported lazily so
that the Elasticsearch client is only needed when that backend is configured.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any, Callable

from indexer.base import SearchBackend

# name → "module:attribute" of a class or factory taking the options as keyword arguments
_REGISTRY: dict[str, str | Callable[..., SearchBackend]] = {
    "whoosh": "indexer.backends.whoosh:WhooshBackend",
    "elasticsearch": "indexer.backends.elasticsearch:ElasticsearchBackend",
}


def register(name: str, factory: str | Callable[..., SearchBackend]) -> None:
    """Add or replace a backend (a dotted "module:attribute" path or a callable)."""
    _REGISTRY[name] = factory


def available() -> list[str]:
    return sorted(_REGISTRY)


def make_backend(name: str, **options: Any) -> SearchBackend:
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown search backend {name!r}; known: {available()}") from None
    if isinstance(factory, str):
        module_name, _, attribute = factory.partition(":")
        try:
            factory = getattr(import_module(module_name), attribute)
        except ImportError as error:
            raise ValueError(f"search backend {name!r} cannot be loaded ({error}); "
                             "is its module written and its client installed?") from error
    return factory(**options)
