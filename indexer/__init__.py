"""Search library: the contract (:class:`SearchBackend`), the document, Korean analysis and
the backends. Knows documents, never the database: ``portal.sync`` feeds it."""
from indexer.backends import make_backend
from indexer.base import Hit, SearchBackend, SearchQuery, SearchResult, Suggestion
from indexer.documents import PUBLIC_LABEL, SearchDocument, org_label

__all__ = ["Hit", "PUBLIC_LABEL", "SearchBackend", "SearchDocument", "SearchQuery",
           "SearchResult", "Suggestion", "make_backend", "org_label"]
