"""One searcher generation seen as global numpy arrays (docnum = position in the arrays).

Built when the index changes, from per-segment caches, so a one-document commit only reads the
new small segment. Holds what queries keep asking for: posting lists with global docnums, the
live (not deleted) mask, the visible mask per set of permission labels, facet ordinals, sort
keys and field lengths.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
from whoosh.reading import TermNotFound

from indexer import analysis
from indexer.backends import whoosh_fields as wf
from indexer.backends.whoosh_segments import (
    EMPTY_IDS, EMPTY_WEIGHTS, SegmentCaches, column_array, length_array, value_ordinals)
from indexer.typo import TypoIndex

VISIBLE_MASKS = 64   # label sets remembered per generation (viewers share a few label sets)


class IndexView:
    def __init__(self, searcher, caches: SegmentCaches):
        self.searcher = searcher
        self.leaves = caches.for_searcher(searcher)
        self.size = sum(cache.size for cache, _ in self.leaves)
        self.live = np.ones(self.size, dtype=bool)
        for cache, offset in self.leaves:
            self.live[cache.deleted() + offset] = False
        self.doc_count = int(self.live.sum())
        self._memo: dict = {}
        self._visible: OrderedDict = OrderedDict()

    # Posting lists

    def postings(self, field: str, term: str):
        """(global docnums, weights), deleted documents removed."""
        parts = [(cache.postings(field, term), offset) for cache, offset in self.leaves]
        parts = [((ids + offset) if offset else ids, w) for (ids, w), offset in parts if len(ids)]
        if not parts:
            return EMPTY_IDS, EMPTY_WEIGHTS
        if len(parts) == 1:
            ids, weights = parts[0]
        else:
            ids = np.concatenate([p[0] for p in parts])
            weights = np.concatenate([p[1] for p in parts])
        keep = self.live[ids]
        if not keep.all():
            ids, weights = ids[keep], weights[keep]
        return ids, weights

    def union(self, field: str, terms) -> tuple[np.ndarray, np.ndarray]:
        """Documents having any of ``terms``, with summed weights (sorted unique docnums)."""
        parts = [self.postings(field, term) for term in terms]
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return EMPTY_IDS, EMPTY_WEIGHTS
        if len(parts) == 1:
            return parts[0]
        ids = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
        unique, inverse = np.unique(ids, return_inverse=True)
        return unique, np.bincount(inverse, weights=weights).astype(np.float32)

    def mask(self, field: str, terms) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        for term in terms:
            out[self.postings(field, term)[0]] = True
        return out

    def terms(self, field: str, prefix: str = "", limit: int | None = None) -> list[str]:
        """Terms of ``field`` starting with ``prefix``, over all segments."""
        found: set[str] = set()
        for cache, _ in self.leaves:
            found.update(cache.terms(field, prefix))
        out = sorted(found)
        return out[:limit] if limit else out

    # Masks and arrays

    def visible(self, labels: frozenset[str]) -> np.ndarray:
        """Live documents sharing at least one permission label with the viewer."""
        cached = self._visible.get(labels)
        if cached is None:
            cached = self.mask(wf.LABELS, sorted(labels)) & self.live
            cached.flags.writeable = False
            self._visible[labels] = cached
            if len(self._visible) > VISIBLE_MASKS:
                self._visible.popitem(last=False)
        return cached

    def memo(self, key, build):
        """Remember something derived from this generation (dropped with it)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def _concat(self, key, build, dtype):
        if key not in self._memo:
            parts = [cache.derived(key, build) for cache, _ in self.leaves]
            self._memo[key] = np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
        return self._memo[key]

    def column(self, name: str) -> np.ndarray:
        return self._concat(("column", name), lambda c: column_array(c, name), np.int64)

    def lengths(self, field: str) -> np.ndarray:
        return self._concat(("length", field), lambda c: length_array(c, field), np.float32)

    def average_length(self, field: str) -> float:
        key = ("avg", field)
        if key not in self._memo:
            lengths = self.lengths(field)[self.live]
            present = lengths[lengths > 0]
            self._memo[key] = float(present.mean()) if len(present) else 1.0
        return self._memo[key]

    def values(self, field: str):
        """(values, docnums, ordinals) of an exact-value field over the whole index; counting
        a facet is then one bincount over the ordinals of the matching docnums."""
        key = ("values", field)
        if key not in self._memo:
            per_segment = [(cache.derived(key, lambda c: value_ordinals(c, field)), offset)
                           for cache, offset in self.leaves]
            values = sorted({v for (vals, _, _), _ in per_segment for v in vals})
            index = {v: i for i, v in enumerate(values)}
            docs, ords = [EMPTY_IDS], [np.zeros(0, dtype=np.int32)]
            for (vals, seg_docs, seg_ords), offset in per_segment:
                remap = np.array([index[v] for v in vals], dtype=np.int32)
                docs.append(seg_docs + offset)
                ords.append(remap[seg_ords] if len(vals) else seg_ords)
            docs_all, ords_all = np.concatenate(docs), np.concatenate(ords)
            keep = self.live[docs_all]
            self._memo[key] = (values, docs_all[keep], ords_all[keep])
        return self._memo[key]

    def value_counts(self, field: str, selected: np.ndarray) -> np.ndarray:
        """Documents per value (in ``values(field)`` order) among the ``selected`` ones."""
        values, docs, ords = self.values(field)
        return np.bincount(ords[selected[docs]], minlength=len(values))

    def count_values(self, field: str, selected: np.ndarray) -> list[tuple[str, int]]:
        """(value, count) over the ``selected`` documents, count descending then value."""
        values = self.values(field)[0]
        if not values:
            return []
        counts = self.value_counts(field, selected)
        order = np.lexsort((np.arange(len(values)), -counts))
        return [(values[i], int(counts[i])) for i in order if counts[i] > 0]

    def title_rank(self) -> np.ndarray:
        """Each document's position in title order (for the 이름순 sort)."""
        key = ("title_rank",)
        if key not in self._memo:
            titles = self._concat(("titles",), _title_array, object)
            order = np.argsort(titles.astype(str), kind="stable")
            rank = np.empty(self.size, dtype=np.int64)
            rank[order] = np.arange(self.size)
            self._memo[key] = rank
        return self._memo[key]

    def ids(self) -> np.ndarray:
        return self._concat(("ids",), _id_array, object)

    def latin_typos(self, fields) -> TypoIndex:
        """Near-miss lookup over the Latin words of the searched fields (their terms sort before
        Hangul, so the lexicon walk stops at the first non-ASCII term)."""
        key = ("typos",)
        if key not in self._memo:
            words = set()
            for cache, _ in self.leaves:
                for field in fields:
                    words.update(_latin_terms(cache.reader, field))
            self._memo[key] = TypoIndex(words)
        return self._memo[key]

    def chosung_words(self):
        """Title/keyword words sorted by their initials: (initials list, words list, docnum
        arrays), so a chosung key's words are a bisect range (ㅈㅊㅈ → 주차장, 저체중, …)."""
        key = ("chosung_words",)
        if key not in self._memo:
            words = [w for w in self.terms(wf.SPELL) if analysis.is_hangul(w[0])]
            entries = sorted((analysis.chosung(w), w) for w in words)
            self._memo[key] = ([e[0] for e in entries], [e[1] for e in entries])
        return self._memo[key]

    def spell_typos(self) -> TypoIndex:
        key = ("spell",)
        if key not in self._memo:
            words = {w for w in self.terms(wf.SPELL) if analysis.is_hangul(w[0]) and len(w) > 1}
            self._memo[key] = TypoIndex(words, edits=1)
        return self._memo[key]


def _bytes_column(cache, name: str) -> np.ndarray:
    reader = cache.reader.column_reader(name, translate=False)
    out = np.empty(cache.size, dtype=object)
    for i in range(cache.size):
        out[i] = reader[i].decode("utf-8")
    return out


def _title_array(cache):
    return _bytes_column(cache, wf.TITLE_SORT)


def _id_array(cache):
    return _bytes_column(cache, "id")


def _latin_terms(reader, field: str):
    try:
        for term in reader.lexicon(field):
            if term[0] >= 0x80:
                break
            if term.isalnum() and not term.isdigit():
                yield term.decode("ascii")
    except (TermNotFound, KeyError):   # a field without terms in this segment
        return
