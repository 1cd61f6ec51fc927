"""The embedded search backend: a Whoosh index in a local directory.

Layout of ``path``::

    CURRENT            the name of the live index directory (replaced atomically by rebuild)
    ix-20261122T054133-3f2a/   a Whoosh index (the live one, and the previous one after a rebuild)

One searcher stays open per process and is refreshed only when the index changed (checked on
every query: one small file read and one directory listing). Queries are answered from numpy
arrays derived from it (see whoosh_view / whoosh_scoring), not by Whoosh's collectors.
Writes go through one writer at a time (Whoosh's file lock; other processes wait up to
``writer_timeout`` seconds).
"""
from __future__ import annotations

import gc
import os
import secrets
import shutil
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from indexer import schema
from indexer.base import SearchBackend, SearchQuery, SearchResult, Suggestion
from indexer.backends import whoosh_fields as wf
from indexer.backends import whoosh_search, whoosh_suggest
from indexer.backends.whoosh_segments import SegmentCaches
from indexer.backends.whoosh_view import IndexView
from indexer.backends.whoosh_writer import BulkWriter
from indexer.documents import PUBLIC_LABEL, as_document
from indexer.synonyms import Synonyms

POINTER = "CURRENT"
BLOCK_LIMIT = 512    # postings per block: 4× Whoosh's default, fewer blocks to pickle and decode


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, path: str | os.PathLike, synonyms_path: str | os.PathLike | None = None,
                 writer_timeout: float = 30.0):
        self.root = Path(path)
        self.root.mkdir(parents=True, exist_ok=True)
        self.synonyms = Synonyms.load(synonyms_path)
        self.writer_timeout = writer_timeout
        self._read_lock = threading.RLock()     # the searcher and its files are not thread-safe
        self._write_lock = threading.RLock()
        self._caches = SegmentCaches()
        self._ix = None
        self._dirname = None
        self._searcher = None
        self._view: IndexView | None = None
        if not (self.root / POINTER).exists():
            self._swap_to(self._create_index())

    # Index directories

    def _create_index(self) -> str:
        name = f"ix-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
        (self.root / name).mkdir()
        whoosh_index.create_in(str(self.root / name), wf.make_schema())
        return name

    def _current_name(self) -> str:
        return (self.root / POINTER).read_text(encoding="utf-8").strip()

    def _swap_to(self, name: str) -> None:
        """Point CURRENT at ``name`` (write-then-rename: readers see the old or the new name,
        never half a file) and remove directories older than the previous one."""
        previous = self._current_name() if (self.root / POINTER).exists() else None
        tmp = self.root / f".{POINTER}.{secrets.token_hex(4)}"
        tmp.write_text(name, encoding="utf-8")
        os.replace(tmp, self.root / POINTER)
        for old in self.root.glob("ix-*"):
            if old.name not in (name, previous):
                shutil.rmtree(old, ignore_errors=True)

    def view(self) -> IndexView:
        """The current generation, reopened or refreshed if the index changed."""
        with self._read_lock:
            name = self._current_name()
            if name != self._dirname:
                self._close_searcher()
                self._ix = whoosh_index.open_dir(str(self.root / name))
                self._dirname = name
                self._searcher = self._ix.searcher()
                self._caches = SegmentCaches()
                self._view = None
            elif not self._searcher.up_to_date():
                # Not Searcher.refresh(): it reuses a segment's reader when only the segment's
                # deletions changed (readers are matched by segment id), so a replaced
                # document would stay visible. A new searcher is cheap; the derived arrays
                # are cached per segment anyway.
                old, self._searcher = self._searcher, self._ix.searcher()
                old.close()
                self._view = None
            if self._view is None:
                self._view = IndexView(self._searcher, self._caches)
            return self._view

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = self._view = None

    # Writing

    def _writer(self, ix) -> BulkWriter:
        # No limitmb: BulkWriter keeps postings in memory (see whoosh_writer), ~1.5 GB peak
        # for a 100k-document rebuild measured, instead of spilling sorted runs to disk.
        return BulkWriter(ix, timeout=self.writer_timeout, codec=W3Codec(blocklimit=BLOCK_LIMIT))

    def _write(self, ix, documents: Iterable, replace: bool) -> int:
        latest: dict[str, Any] = {}
        for doc in documents:              # the last version of a repeated id wins
            doc = as_document(doc)
            latest[doc.id] = doc
        if not latest:
            return 0
        writer = self._writer(ix)
        # A bulk build allocates millions of small containers that all stay alive; the cyclic
        # GC rescanning them made the add phase 10-40 % slower and erratic (measured).
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            if replace:
                for doc_id in latest:
                    writer.delete_by_term("id", doc_id)
            for doc in latest.values():
                writer.add_document(**wf.whoosh_fields(doc))
        except BaseException:
            writer.cancel()
            if gc_was_enabled:
                gc.enable()
            raise
        try:
            writer.commit()
        finally:
            if gc_was_enabled:
                gc.enable()
        return len(latest)

    def index(self, documents: Iterable) -> int:
        with self._write_lock:
            ix = whoosh_index.open_dir(str(self.root / self._current_name()))
            count = self._write(ix, documents, replace=not ix.is_empty())
        self.view()
        return count

    def delete(self, ids: Iterable[str]) -> int:
        ids = [str(i) for i in ids]
        with self._write_lock:
            ix = whoosh_index.open_dir(str(self.root / self._current_name()))
            writer = ix.writer(timeout=self.writer_timeout)
            removed = sum(writer.delete_by_term("id", doc_id) or 0 for doc_id in ids)
            writer.commit() if removed else writer.cancel()
        self.view()
        return removed

    def rebuild(self, documents: Iterable) -> int:
        """Build into a new directory while searches keep using the live one, then swap."""
        with self._write_lock:
            name = self._create_index()
            try:
                ix = whoosh_index.open_dir(str(self.root / name))
                count = self._write(ix, documents, replace=False)
            except BaseException:
                shutil.rmtree(self.root / name, ignore_errors=True)
                raise
            with self._read_lock:
                self._swap_to(name)
        self.view()
        return count

    def clear(self) -> None:
        self.rebuild([])

    # Reading

    def search(self, query: SearchQuery) -> SearchResult:
        with self._read_lock:
            return whoosh_search.search(self.view(), query, self.synonyms)

    def suggest(self, prefix: str, labels: frozenset[str], limit: int = 10) -> list[Suggestion]:
        if not isinstance(labels, frozenset):
            raise TypeError("suggest() needs the viewer's permission labels as a frozenset")
        with self._read_lock:
            return whoosh_suggest.suggest(self.view(), prefix, labels, limit, self.synonyms)

    def count(self) -> int:
        return self.view().doc_count

    def ids_and_versions(self) -> dict[str, datetime]:
        with self._read_lock:
            view = self.view()
            live = np.flatnonzero(view.live)
            ids, modified = view.ids()[live], view.column("modified")[live]
            return {doc_id: datetime.fromtimestamp(int(ts), timezone.utc)
                    for doc_id, ts in zip(ids, modified)}

    def health(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            with self._read_lock:
                view = self.view()
                return {"ok": True, "backend": self.name, "documents": view.doc_count,
                        "segments": len(view.leaves), "directory": str(self.root / self._dirname),
                        "generation": self._searcher.reader().generation(),
                        "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as error:   # health must answer, not raise
            return {"ok": False, "backend": self.name, "error": f"{type(error).__name__}: {error}"}

    def warm(self) -> None:
        """Decode the arrays every query needs (lengths, sort keys, facet and label ordinals):
        ~0.5 s at 100k documents, otherwise paid by the first visitor."""
        labels = frozenset({PUBLIC_LABEL})
        self.search(SearchQuery("서울", labels, sort="title", facets=tuple(schema.FACETS_BY_NAME)))
        self.suggest("서울", labels)

    def close(self) -> None:
        with self._read_lock:
            self._close_searcher()
            self._dirname = None
