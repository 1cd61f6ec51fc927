"""Evaluate a :class:`~indexer.plan.QueryPlan` over an :class:`IndexView` with numpy.

Semantics (the Elasticsearch mapping should give the same):
* a clause (a query word or synonym phrase) must match; its score is its best alternative's;
* an alternative matches when all its units match, each unit in any searched field;
* a Hangul unit matches a field when every bigram position is present in that field (substring
  semantics); a one-syllable unit matches words starting with, equal to or ending with it in the
  short fields; a Latin word matches exactly or — when it matches nothing visible — the words
  within the typo distance, at a lower weight; a chosung unit matches the chosung prefixes;
* a unit's score is BM25 on the word (tf = the smallest bigram tf), with one idf for the whole
  clause (so a synonym is not preferred for being rarer than the word typed), taken from the
  best field plus a tie-breaker share of the others, times the field's boost.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

import numpy as np

from indexer import analysis, schema
from indexer.backends import whoosh_fields as wf
from indexer.plan import Unit

K1, B = 1.2, 0.75
CHOSUNG_BOOST = schema.TEXT_FIELDS_BY_NAME["title"].boost
PREFIX_TERMS = 200       # a one-syllable or prefix unit expands to at most this many terms
POPULARITY = 0.01        # score per log(1 + views): orders otherwise equal hits
ALL_FIELDS = tuple(text.name for text in schema.TEXT_FIELDS)


@dataclass
class Evaluation:
    match: np.ndarray                      # bool per docnum
    scores: np.ndarray                     # float32 per docnum
    words: list[str] = field(default_factory=list)   # what to highlight (typo corrections too)


@dataclass
class UnitHits:
    """Where one unit matched: sparse (field, docnums, tf) lists, each with a weight."""
    groups: list[tuple[float, list[tuple[str, np.ndarray, np.ndarray]]]]
    match: np.ndarray


def _intersect(a, b):
    """(ids, min weight) of documents in both sparse lists."""
    ids, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return ids, np.minimum(a[1][ia], b[1][ib])


def idf(view, df: int) -> float:
    df = max(df, 1)
    return math.log(1 + (view.doc_count - df + 0.5) / (df + 0.5))


class Scorer:
    def __init__(self, view, visible: np.ndarray):
        self.view = view
        self.visible = visible
        self.words: list[str] = []

    def field_hits(self, unit: Unit, field: str, prefix: bool = False):
        """(docnums, tf) of documents where ``unit`` matches in ``field``."""
        view = self.view
        if unit.kind == "word":
            if prefix:
                return view.union(field, view.terms(field, unit.text, PREFIX_TERMS))
            return view.postings(field, unit.text)
        if len(unit.text) == 1:
            terms = view.terms(field, unit.text, PREFIX_TERMS)
            return view.union(field, terms + [analysis.FINAL_MARK + unit.text])
        hits = None
        for alternatives in unit.positions:
            position = view.union(field, alternatives)
            hits = position if hits is None else _intersect(hits, position)
            if not len(hits[0]):
                break
        return hits

    def _per_field(self, unit: Unit, prefix: bool = False):
        one_syllable = unit.kind == "hangul" and len(unit.text) == 1
        fields = schema.SHORT_FIELDS if one_syllable else ALL_FIELDS
        out = []
        for name in fields:
            ids, tf = self.field_hits(unit, name, prefix)
            if len(ids):
                out.append((name, ids, tf))
        return out

    def _mask(self, groups) -> np.ndarray:
        match = np.zeros(self.view.size, dtype=bool)
        for _, per_field in groups:
            for _, ids, _ in per_field:
                match[ids] = True
        return match

    def hits(self, unit: Unit, prefix: bool = False) -> UnitHits:
        if unit.kind == "jamo":
            return self._chosung(unit)
        groups = [(1.0, self._per_field(unit, prefix))]
        match = self._mask(groups)
        if unit.kind == "word" and not prefix and unit.fuzzy_edits \
                and not (match & self.visible).any():
            groups = self._typo_groups(unit)
            match = self._mask(groups)
        else:
            self.words.append(unit.text)
        return UnitHits(groups, match)

    def _chosung(self, unit: Unit) -> UnitHits:
        """Documents with a word starting with these initials; a document whose word is common
        in titles ranks first (ㅈㅊㅈ: 주차장 in 40 titles before 저체중 in 2)."""
        self.words.append(unit.text)
        if len(unit.text) < 2:       # one initial would match nearly everything: not indexed
            return UnitHits([], np.zeros(self.view.size, dtype=bool))
        ids, _ = self.view.postings(wf.CHOSUNG, unit.text)
        popularity = np.zeros(self.view.size, dtype=np.float32)
        initials, words = self.view.chosung_words()
        start = bisect.bisect_left(initials, unit.text)
        end = bisect.bisect_left(initials, unit.text + "\U0010ffff")
        stems: dict[str, list[str]] = {}     # 주차장현황 counts as 주차장, the part typed
        for word in words[start:end][:PREFIX_TERMS]:
            stems.setdefault(word[:len(unit.text)], []).append(word)
        if len(unit.text) >= 3:
            # Compounds are keyed from inside too (공영주차장): they share the popularity of
            # the word typed, so they rank with 주차장, not after a rare 저체중.
            for stem, stem_words in stems.items():
                stem_words.extend(w for w in words if len(w) > len(stem) and stem in w[1:])
        for stem_words in stems.values():
            stem_ids, _ = self.view.union(wf.SPELL, stem_words)
            np.maximum.at(popularity, stem_ids, np.float32(np.log1p(len(stem_ids))))
        groups = [(1.0, [(wf.CHOSUNG, ids, popularity[ids])])]
        return UnitHits(groups, self._mask(groups))

    def _typo_groups(self, unit: Unit):
        groups = []
        for word, _distance in self.view.latin_typos(ALL_FIELDS).neighbours(unit.text):
            per_field = self._per_field(Unit("word", word))
            if any(self.visible[ids].any() for _, ids, _ in per_field):
                self.words.append(word)
                groups.append((schema.FUZZY_WEIGHT, per_field))
        return groups

    def score(self, unit_hits: UnitHits, unit_idf: float) -> np.ndarray:
        size = self.view.size
        total = np.zeros(size, dtype=np.float32)
        for weight, per_field in unit_hits.groups:
            best = np.zeros(size, dtype=np.float32)
            summed = np.zeros(size, dtype=np.float32)
            for name, ids, tf in per_field:
                part = weight * unit_idf * self._field_score(name, ids, tf)
                best[ids] = np.maximum(best[ids], part)
                summed[ids] += part
            np.maximum(total, best + schema.TIE_BREAKER * (summed - best), out=total)
        return total

    def _field_score(self, name: str, ids, tf) -> np.ndarray:
        if name == wf.CHOSUNG:       # tf carries the word's popularity, see _chosung
            return CHOSUNG_BOOST * (1 + tf)
        view = self.view
        norm = 1 - B + B * view.lengths(name)[ids] / view.average_length(name)
        boost = schema.TEXT_FIELDS_BY_NAME[name].boost
        return boost * tf * (K1 + 1) / (tf + K1 * norm)


def evaluate(view, plan, visible: np.ndarray, prefix_last: bool = False) -> Evaluation:
    """Match and score ``plan`` over the whole index; the caller masks with filters.

    ``prefix_last``: the last Latin unit is a prefix being typed (suggestions)."""
    scorer = Scorer(view, visible)
    match = visible.copy()
    scores = np.zeros(view.size, dtype=np.float32)
    last = len(plan.clauses) - 1
    for number, clause in enumerate(plan.clauses):
        resolved = []
        clause_match = np.zeros(view.size, dtype=bool)
        for alternative in clause.alternatives:
            alt_match, units = match.copy(), []
            for position, unit in enumerate(alternative.units):
                is_prefix = (prefix_last and number == last
                             and position == len(alternative.units) - 1)
                unit_hits = scorer.hits(unit, prefix=is_prefix)
                units.append(unit_hits)
                alt_match &= unit_hits.match
                if not alt_match.any():
                    break
            resolved.append((alternative, alt_match, units))
            clause_match |= alt_match
        shared_idf = idf(view, int((clause_match & visible).sum())) \
            if len(clause.alternatives) > 1 else None
        clause_score = np.zeros(view.size, dtype=np.float32)
        for alternative, alt_match, units in resolved:
            if not alt_match.any():
                continue
            alt_score = np.zeros(view.size, dtype=np.float32)
            for unit_hits in units:
                unit_idf = shared_idf or idf(view, int((unit_hits.match & visible).sum()))
                alt_score += scorer.score(unit_hits, unit_idf)
            np.maximum(clause_score, np.where(alt_match, alt_score * alternative.weight, 0),
                       out=clause_score)
        match &= clause_match
        scores += clause_score
    if plan.exact_key:
        scores[view.postings(wf.EXACT, plan.exact_key)[0]] += schema.EXACT_TITLE_BONUS
    scores += POPULARITY * np.log1p(view.column("views")).astype(np.float32)
    return Evaluation(match, scores, scorer.words)
