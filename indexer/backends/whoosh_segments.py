"""numpy views of a Whoosh index: posting lists, facet ordinals, columns, lengths, visibility.

Whoosh answers a query by walking posting lists one document at a time in Python; counting
facets over every hit that way was ~80 % of the measured query time (search_eval.md §3.3).
Here each posting list is decoded a block at a time into arrays, and everything a query needs
(scores, the visible set, facet counts) is array arithmetic over global docnums.

Segments never change once written (only their deletion set does), so what is derived from a
segment is cached per segment id and survives commits that add other segments: after a
one-document update only that small new segment is read. The block decoding below reads the W3
codec's block layout (pickled, delta-coded ids); anything else falls back to Whoosh's public
matcher API, which is slower but always right.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
POSTINGS_CACHE = 4096      # posting lists kept per segment (the big segment's hot terms)


def _block_arrays(matcher: W3LeafMatcher):
    """Decode every block of an on-disk posting list (the ids of each block are delta-coded
    from 0, so a cumulative sum per block restores them)."""
    ids, weights = [], []
    while True:
        matcher._read_data()
        deltas, block_weights = matcher._data[0], matcher._data[1]
        block_ids = np.cumsum(np.asarray(deltas, dtype=np.int64))
        ids.append(block_ids)
        if block_weights is None:
            weights.append(np.ones(len(block_ids), dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(len(block_ids), block_weights, dtype=np.float32))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float32))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


def _matcher_arrays(matcher):
    if isinstance(matcher, W3LeafMatcher):
        try:
            return _block_arrays(matcher)
        except AttributeError:   # another codec revision: use the public API below
            matcher.reset()
    if isinstance(matcher, ListMatcher) and hasattr(matcher, "_ids"):
        ids = np.asarray(matcher._ids, dtype=np.int64)
        weights = matcher._weights
        if weights is None:
            return ids, np.ones(len(ids), dtype=np.float32)
        return ids, np.asarray(weights, dtype=np.float32)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)


class SegmentCache:
    """What one segment contributes; ``reader`` is re-attached for every new searcher."""

    def __init__(self, reader):
        self.reader = reader
        self.size = reader.doc_count_all()
        self._postings: OrderedDict = OrderedDict()
        self._derived: dict = {}

    def postings(self, field: str, term: str, remember: bool = True):
        """(local docnums, weights) including deleted documents (masked later). ``remember``
        False reads without caching (one-time scans must not evict the hot query terms)."""
        key = (field, term)
        cached = self._postings.get(key)
        if cached is not None:
            self._postings.move_to_end(key)
            return cached
        reader = self.reader
        try:
            fieldobj = reader.schema[field]
            matcher = reader._terms.matcher(field, term.encode("utf-8"), fieldobj.format)
            arrays = _matcher_arrays(matcher)
        except (TermNotFound, KeyError):
            arrays = (EMPTY_IDS, EMPTY_WEIGHTS)
        if not remember:
            return arrays
        self._postings[key] = arrays
        if len(self._postings) > POSTINGS_CACHE:
            self._postings.popitem(last=False)
        return arrays

    def derived(self, key, build):
        """Memoise an array computed from this segment (columns, lengths, facet ordinals)."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

    def deleted(self) -> np.ndarray:
        docs = self.reader.segment().deleted_docs() if self.reader.has_deletions() else ()
        return np.fromiter(docs, dtype=np.int64)

    def terms(self, field: str, prefix: str = "") -> list[str]:
        try:
            return [t.decode("utf-8") if isinstance(t, bytes) else t
                    for t in self.reader.expand_prefix(field, prefix)]
        except TermNotFound:
            return []


def _numeric_column(column_reader, size: int, dtype) -> np.ndarray:
    """A NumericColumn read in one piece (big-endian fixed-size values; documents past the
    written ones have the default), or value by value if the reader is not that layout."""
    try:
        raw = column_reader._dbfile.get(column_reader._basepos,
                                        column_reader._count * column_reader._fixedlen)
        values = np.frombuffer(raw, dtype=">" + column_reader._typecode).astype(dtype)
        if len(values) < size:
            default = np.full(size - len(values), column_reader._default, dtype=dtype)
            values = np.concatenate([values, default])
        return values
    except AttributeError:
        return np.fromiter((column_reader[i] for i in range(size)), dtype=dtype, count=size)


def column_array(cache: SegmentCache, name: str) -> np.ndarray:
    reader = cache.reader.column_reader(name, translate=False)
    return _numeric_column(reader, cache.size, np.int64)


def length_array(cache: SegmentCache, field: str) -> np.ndarray:
    """Per-document field lengths (Whoosh stores them as one lossy byte each)."""
    try:
        column = cache.reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(cache.size, dtype=np.float32)
        return _BYTE_TO_LENGTH[_numeric_column(column, cache.size, np.int64)]
    except AttributeError:
        get = cache.reader.doc_field_length
        return np.fromiter((get(i, field, 0) or 0 for i in range(cache.size)),
                           dtype=np.float32, count=cache.size)


def value_ordinals(cache: SegmentCache, field: str):
    """Every value of an exact-value field: (values, docnums, ordinal per docnum entry)."""
    values = cache.terms(field)
    docs, ords = [], []
    for ordinal, value in enumerate(values):
        ids, _ = cache.postings(field, value, remember=False)
        docs.append(ids)
        ords.append(np.full(len(ids), ordinal, dtype=np.int32))
    if not values:
        return [], EMPTY_IDS, np.zeros(0, dtype=np.int32)
    return values, np.concatenate(docs), np.concatenate(ords)


class SegmentCaches:
    """Segment caches by segment id, dropping those of segments that were merged away."""

    def __init__(self):
        self._by_id: dict[str, SegmentCache] = {}

    def for_searcher(self, searcher) -> list[tuple[SegmentCache, int]]:
        leaves, seen = [], set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if reader.segment() is None:      # an empty index has an EmptyReader
                continue
            key = f"{reader.segment().segment_id()}:{reader.doc_count_all()}"
            cache = self._by_id.get(key)
            if cache is None:
                cache = self._by_id[key] = SegmentCache(reader)
            cache.reader = reader
            leaves.append((cache, offset))
            seen.add(key)
        for key in set(self._by_id) - seen:
            del self._by_id[key]
        return leaves
