"""Elasticsearch request bodies: a :class:`~indexer.plan.QueryPlan` as nested queries.

The same semantics as the Whoosh backend (see whoosh_scoring):

* a clause (a query word) must match; its score is its best alternative's (``dis_max``);
* an alternative matches when all its units match (``bool.must``), weighted by its weight;
* a unit matches in any searched field: ``dis_max`` over the declared text fields, each with
  its boost, plus ``TIE_BREAKER`` × the others; a Hangul unit needs all its bigrams in the field
  (``match`` with ``operator: and`` on the ``cjk_bigram`` field; three or more syllables also on
  the ``.nospace`` sub-field); a one-syllable unit is a term of the ``.uni`` sub-fields of the
  short fields; a Latin word matches exactly, or — when a viewer sees no document with it —
  within the typo distance of :mod:`indexer.typo` at ``FUZZY_WEIGHT``; a chosung key matches
  word prefixes, the words common in visible titles first.

Synonyms are the ``synonym_graph`` filter of the search analyzer (the same synonyms.txt), so
a query word keeps only what was typed (:func:`search_plan`). Every body carries the viewer's
labels in ``bool.filter``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from indexer import analysis, schema, typo
from indexer.backends import elasticsearch_mapping as em
from indexer.base import SearchQuery
from indexer.plan import Alternative, Clause, QueryPlan, Unit, plan_query
from indexer.synonyms import Synonyms

CHOSUNG_BOOST = schema.TEXT_FIELDS_BY_NAME["title"].boost
PREFIX_TERMS = 200       # chosung stems ranked per key, as in the Whoosh backend
POPULARITY = 0.01        # score per ln(1 + views): orders otherwise equal hits
MAX_WINDOW = 10_000      # index.max_result_window: from + size beyond it is refused
NORI_WEIGHT = 0.5        # share of a field's boost a nori (morpheme) match adds
VALUE_CANDIDATES = 50    # completion entries read per suggestion kind
SPELL_CANDIDATES = 10    # term-suggester candidates checked per mistyped word
SOURCE = {"includes": list(em.PUBLIC_FIELDS), "excludes": [em.PERMISSION_LABELS]}
_LUCENE_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


@dataclass
class Prepared:
    """What the query needs to know before it is built: about the viewer's documents, and
    which words the synonym list knows."""
    known: dict[str, bool] = field(default_factory=dict)   # Latin word → some visible doc has it
    stems: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # ㅈㅊㅈ → stems
    synonymous: set[str] = field(default_factory=set)      # unit texts synonyms.txt expands

    def edits(self, unit: Unit) -> int:
        """Typo tolerance only for a word no visible document has, as in Whoosh."""
        return unit.fuzzy_edits if self.known.get(unit.text) is False else 0


def search_plan(text: str, synonyms: Synonyms | None) -> QueryPlan:
    """The plan ES evaluates. A word keeps only what was typed: the search analyzer's
    ``synonym_graph`` expands it (as a contiguous substring, also inside compounds). A phrase
    that is a synonym key (아파트 실거래가 = 부동산) keeps its alternatives from synonyms.txt, at
    ``SYNONYM_WEIGHT``: the graph filter sees one clause, one word, at a time."""
    full = plan_query(text, synonyms)
    clauses = [clause if len(clause.surface.split()) > 1
               else Clause(clause.surface, clause.alternatives[:1]) for clause in full.clauses]
    return QueryPlan(full.text, clauses, full.exact_key)


def labels_filter(labels: frozenset[str]) -> dict:
    return {"terms": {em.PERMISSION_LABELS: sorted(labels)}}


def visible(labels: frozenset[str], *filters: dict) -> dict:
    return {"bool": {"filter": [labels_filter(labels), *filters]}}


def units(plan: QueryPlan, prefix_last: bool):
    """(unit, is_prefix) of every alternative of every clause."""
    last = len(plan.clauses) - 1
    for number, clause in enumerate(plan.clauses):
        for alternative in clause.alternatives:
            for position, unit in enumerate(alternative.units):
                yield unit, (prefix_last and number == last and unit.kind == "word"
                             and position == len(alternative.units) - 1)


# Units

def _field_match(text: schema.TextField, unit: Unit, edits: int, synonymous: bool) -> dict:
    options: dict[str, Any] = {"query": unit.text, "operator": "and"}
    if edits:
        options.update(fuzziness=edits, prefix_length=0, fuzzy_transpositions=True)
    queries = [{"match": {text.name: dict(options)}}]
    if synonymous:   # the word typed counts fully, its synonyms (the graph filter) a little less
        queries = [{"match": {text.name: {**options, "analyzer": em.PLAIN_SEARCH}}},
                   {"match": {text.name: {**options, "boost": schema.SYNONYM_WEIGHT}}}]
    if unit.kind == "hangul" and text.cross_space and len(unit.text) >= 3:
        queries.append({"match": {f"{text.name}.nospace": dict(options)}})
    boost = text.boost * (schema.FUZZY_WEIGHT if edits else 1.0)
    if len(queries) == 1:
        return {"match": {text.name: {**options, "boost": boost}}}
    return {"dis_max": {"queries": queries, "boost": boost}}


def chosung_query(key: str, stems: list[tuple[str, int]]) -> dict:
    """Documents with a word starting with these initials; the words many visible documents
    share come first (ㅈㅊㅈ: 주차장 in 40 titles before 저체중 in 2)."""
    if len(key) < 2:             # one initial would match nearly everything: not indexed
        return {"match_none": {}}
    any_word = {"prefix": {em.CHOSUNG_STEMS: key + em.STEM_SEPARATOR}}
    queries = [{"constant_score": {"filter": any_word, "boost": CHOSUNG_BOOST}}]
    queries += [{"constant_score": {"filter": {"term": {em.CHOSUNG_STEMS: stem}},
                                    "boost": round(CHOSUNG_BOOST * (1 + math.log1p(count)), 4)}}
                for stem, count in stems]
    return {"dis_max": {"queries": queries}}


def unit_query(unit: Unit, prepared: Prepared, prefix: bool = False) -> dict:
    if unit.kind == "jamo":
        return chosung_query(unit.text, prepared.stems.get(unit.text, []))
    if unit.kind == "hangul" and len(unit.text) == 1:
        # the description would match almost everything: short fields only
        queries = [{"term": {f"{name}.uni": {"value": unit.text,
                                             "boost": schema.TEXT_FIELDS_BY_NAME[name].boost}}}
                   for name in schema.SHORT_FIELDS]
    elif prefix:                 # the word being typed (suggestions)
        queries = [{"match": {f"{name}.autocomplete": {
            "query": unit.text, "operator": "and",
            "boost": schema.TEXT_FIELDS_BY_NAME[name].boost}}} for name in schema.SHORT_FIELDS]
    else:
        edits, synonymous = prepared.edits(unit), unit.text in prepared.synonymous
        queries = [_field_match(text, unit, edits, synonymous) for text in schema.TEXT_FIELDS]
    return {"dis_max": {"queries": queries, "tie_breaker": schema.TIE_BREAKER}}


# Alternatives, clauses, the plan

def _nori_should(alternative: Alternative) -> list[dict]:
    """Morpheme matches only add to the score: the hits stay those of the bigram fields (nori
    alone would let 재건축 find every 건축 title, search_eval §3.2)."""
    if not any(unit.kind == "hangul" and len(unit.text) > 1 for unit in alternative.units):
        return []
    return [{"match": {f"{name}.nori": {
        "query": alternative.text, "boost": schema.TEXT_FIELDS_BY_NAME[name].boost * NORI_WEIGHT}}}
        for name in em.NORI_FIELDS]


def alternative_query(alternative: Alternative, prepared: Prepared, nori: bool,
                      prefix_last: bool = False) -> dict:
    last = len(alternative.units) - 1
    must = [unit_query(unit, prepared, prefix_last and position == last and unit.kind == "word")
            for position, unit in enumerate(alternative.units)]
    should = _nori_should(alternative) if nori else []
    if len(must) == 1 and not should and alternative.weight == 1.0:
        return must[0]
    query: dict[str, Any] = {"must": must}
    if should:
        query["should"] = should
    if alternative.weight != 1.0:
        query["boost"] = alternative.weight
    return {"bool": query}


def clause_query(clause: Clause, prepared: Prepared, nori: bool = False,
                 prefix_last: bool = False) -> dict:
    alternatives = [alternative_query(alt, prepared, nori, prefix_last)
                    for alt in clause.alternatives]
    return alternatives[0] if len(alternatives) == 1 else {"dis_max": {"queries": alternatives}}


def scored_query(plan: QueryPlan, labels: frozenset[str], filters: list[dict], prepared: Prepared,
                 nori: bool = False, prefix_last: bool = False) -> dict:
    query: dict[str, Any] = {"filter": [labels_filter(labels), *filters]}
    if plan.empty:
        return {"bool": query}
    last = len(plan.clauses) - 1
    query["must"] = [clause_query(clause, prepared, nori, prefix_last and number == last)
                     for number, clause in enumerate(plan.clauses)]
    if plan.exact_key:
        query["should"] = [{"constant_score": {"filter": {"term": {em.TITLE_KEY: plan.exact_key}},
                                               "boost": schema.EXACT_TITLE_BONUS}}]
    return {"function_score": {
        "query": {"bool": query},
        "functions": [{"field_value_factor": {"field": "views", "modifier": "ln1p", "missing": 0},
                       "weight": POPULARITY}],
        "score_mode": "sum", "boost_mode": "sum"}}


# Before the query: known words and chosung stems, over what the viewer may see

def prepare_body(plan: QueryPlan, labels: frozenset[str], prefix_last: bool = False) -> dict | None:
    aggs: dict[str, Any] = {}
    for unit, is_prefix in units(plan, prefix_last):
        if unit.kind == "word" and unit.fuzzy_edits and not is_prefix:
            aggs[f"known:{unit.text}"] = {"filter": unit_query(unit, Prepared())}
        elif unit.kind == "jamo" and len(unit.text) >= 2:
            # visible documents per stem (at a word's start or inside a compound), and which
            # stems start some word: only those are ranked by how common they are
            for name, field_name in (("stems", em.CHOSUNG_STEMS), ("starts", em.CHOSUNG_STARTS)):
                aggs[f"{name}:{unit.text}"] = {"terms": {
                    "field": field_name, "include": f"{unit.text}{em.STEM_SEPARATOR}.*",
                    "size": PREFIX_TERMS}}
    if not aggs:
        return None
    return {"size": 0, "track_total_hits": False, "query": visible(labels), "aggs": aggs}


def read_prepared(response: dict | None) -> Prepared:
    prepared = Prepared()
    aggs = (response or {}).get("aggregations") or {}
    for name, agg in aggs.items():
        kind, _, text = name.partition(":")
        if kind == "known":
            prepared.known[text] = agg["doc_count"] > 0
        elif kind == "stems":
            starts = {b["key"] for b in aggs.get(f"starts:{text}", {}).get("buckets", [])}
            prepared.stems[text] = [(b["key"], b["doc_count"]) for b in agg["buckets"]
                                    if b["key"] in starts]
    return prepared


# search()

def filter_clauses(query: SearchQuery) -> list[dict]:
    """Values of one name are ORed (``terms``), names are ANDed (``bool.filter``)."""
    out = []
    for name, values in query.filters.items():
        facet = schema.FACETS_BY_NAME.get(name)
        if facet is not None:
            out.append({"terms": {em.facet_field(facet): list(values)}})
            continue
        booleans = sorted({v.lower() for v in values} & {"true", "false"})
        field_name = schema.FILTERS_BY_NAME[name].field
        out.append({"terms": {field_name: booleans}} if booleans else {"match_none": {}})
    return out


def sort_clauses(name: str) -> list[dict]:
    """Ties by newest, then id (Whoosh: newest, then document number) so pages are stable."""
    sort = schema.sort(name)
    first = {"_score": "desc"} if sort.field is None else {
        em.sort_field(sort): "desc" if sort.reverse else "asc"}
    tail = [{"modified": "desc"}] if sort.field != "modified" else []
    return [first, *tail, {"id": "asc"}]


def facet_aggs(names) -> dict:
    """Counts over the final result, every filter applied (as Whoosh and CKAN do)."""
    return {name: {"terms": {"field": em.facet_field(schema.facet(name)), "size": schema.FACET_SIZE,
                             "order": [{"_count": "desc"}, {"_key": "asc"}]}}
            for name in names}


def search_body(plan: QueryPlan, query: SearchQuery, prepared: Prepared,
                nori: bool = False) -> dict:
    start = min(query.offset, MAX_WINDOW)
    body: dict[str, Any] = {
        "query": scored_query(plan, query.labels, filter_clauses(query), prepared, nori),
        "from": start, "size": max(0, min(query.per_page, MAX_WINDOW - start)),
        "sort": sort_clauses(query.effective_sort), "track_total_hits": True,
        "track_scores": not plan.empty, "_source": SOURCE}
    if query.facets:
        body["aggs"] = facet_aggs(query.facets)
    return body


# suggest()

def lucene_regex_escape(text: str) -> str:
    return _LUCENE_REGEX_SPECIAL.sub(r"\\\1", text)


def values_body(key: str, labels: frozenset[str]) -> dict:
    """gu, organisations and keywords with a completion key starting with ``key``."""
    aggs = {kind: {"filter": {"prefix": {field_name: key}},
                   "aggs": {"entries": {"terms": {
                       "field": field_name, "size": VALUE_CANDIDATES,
                       "include": lucene_regex_escape(key) + ".*"}}}}
            for kind, field_name in em.COMPLETIONS.items()}
    return {"size": 0, "track_total_hits": False, "query": visible(labels), "aggs": aggs}


def titles_body(plan: QueryPlan, labels: frozenset[str], limit: int, prepared: Prepared,
                nori: bool = False) -> dict:
    return {"query": scored_query(plan, labels, [], prepared, nori, prefix_last=True),
            "size": limit, "sort": [{"_score": "desc"}, {"id": "asc"}],
            "track_total_hits": False, "_source": ["title", "slug"]}


# "Did you mean"

def spelling_body(plan: QueryPlan, labels: frozenset[str], prepared: Prepared,
                  words: list[str]) -> dict:
    """Which clauses match nothing visible, and the term suggester's candidates for each
    word (candidates come from every document: they are counted per viewer afterwards)."""
    aggs = {f"clause:{n}": {"filter": clause_query(clause, prepared)}
            for n, clause in enumerate(plan.clauses)}
    suggest = {}
    for n, word in enumerate(words):
        edits = typo.max_edits(word) if word.isascii() else 1
        if edits and not analysis.is_chosung_query(word):
            suggest[f"clause:{n}"] = {"text": word, "term": {
                "field": em.SPELL, "max_edits": edits, "prefix_length": 0, "min_word_length": 2,
                "suggest_mode": "always", "size": SPELL_CANDIDATES, "accuracy": 0.3,
                "string_distance": "damerau_levenshtein"}}
    body = {"size": 0, "track_total_hits": False, "query": visible(labels), "aggs": aggs}
    if suggest:
        body["suggest"] = suggest
    return body


def read_spelling(response: dict, words: list[str]) -> tuple[list[bool], list[list[str]]]:
    """(clause matches something visible, candidates) per clause."""
    aggs = response.get("aggregations") or {}
    matched = [aggs.get(f"clause:{n}", {}).get("doc_count", 0) > 0 for n in range(len(words))]
    candidates = []
    for n, word in enumerate(words):
        entries = (response.get("suggest") or {}).get(f"clause:{n}") or []
        options = entries[0]["options"] if len(entries) == 1 and entries[0]["text"] == word else []
        candidates.append([o["text"] for o in options
                           if o["text"] != word and (word.isascii() or len(o["text"]) > 1)])
    return matched, candidates


def candidates_body(candidates: list[str], labels: frozenset[str]) -> dict:
    """How many visible documents have each candidate word."""
    return {"size": 0, "track_total_hits": False, "query": visible(labels),
            "aggs": {f"word:{word}": {"filter": {"term": {em.SPELL: word}}} for word in candidates}}


def count_body(plan: QueryPlan, labels: frozenset[str]) -> dict:
    return {"query": scored_query(plan, labels, [], Prepared())}
