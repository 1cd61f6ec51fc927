"""search(): filters, scoring, sorting, paging, facets, highlights and "did you mean".

Every set below is intersected with the viewer's visible mask first, so nothing computed here
(hits, total, facet counts, the spelling suggestion) can reflect a document the viewer may not
see.
"""
from __future__ import annotations

import numpy as np

from indexer import analysis, highlight, schema
from indexer.base import Hit, SearchQuery, SearchResult
from indexer.backends import whoosh_fields as wf
from indexer.backends.whoosh_scoring import ALL_FIELDS, evaluate
from indexer.plan import QueryPlan, plan_query, with_synonym_typos

SUGGEST_BELOW = 3        # offer "did you mean" when fewer hits than this


def filter_mask(view, query: SearchQuery) -> np.ndarray:
    mask = view.visible(query.labels).copy()
    for name, values in query.filters.items():
        if name in schema.FACETS_BY_NAME:
            mask &= view.mask(wf.FACET_FIELDS[name], values)
        else:   # declared non-facet filters are booleans
            mask &= view.mask(f"f_{schema.FILTERS_BY_NAME[name].field}",
                              [v.lower() for v in values])
    return mask


def order(view, candidates: np.ndarray, scores: np.ndarray, sort_name: str) -> np.ndarray:
    """Candidates (docnums) in result order; ties by newest, then docnum for stability."""
    modified = view.column("modified")[candidates]
    if sort_name == "relevance":
        keys = (candidates, -modified, -scores[candidates])
    elif sort_name == "modified":
        keys = (candidates, -modified)
    elif sort_name == "views":
        keys = (candidates, -modified, -view.column("views")[candidates])
    else:
        keys = (candidates, view.title_rank()[candidates])
    return candidates[np.lexsort(keys)]


def top(view, candidates, scores, sort_name: str, end: int) -> np.ndarray:
    """The first ``end`` candidates in order, without sorting all of them by relevance."""
    if sort_name == "relevance" and len(candidates) > 4 * end:
        keep = np.argpartition(-scores[candidates], end)[:end]
        threshold = scores[candidates][keep].min()
        candidates = candidates[scores[candidates] >= threshold]
    return order(view, candidates, scores, sort_name)[:end]


def known_word(view, visible):
    """Does any visible document have this exact word in a searched field?"""
    return lambda word: any(visible[view.postings(f, word)[0]].any() for f in ALL_FIELDS)


def search(view, query: SearchQuery, synonyms) -> SearchResult:
    visible = view.visible(query.labels)
    plan = with_synonym_typos(plan_query(query.text, synonyms), synonyms, known_word(view, visible))
    selected = filter_mask(view, query)
    if plan.empty:
        scores = np.zeros(view.size, dtype=np.float32)
        words: list[str] = []
    else:
        evaluation = evaluate(view, plan, visible)
        selected &= evaluation.match
        scores, words = evaluation.scores, evaluation.words
    candidates = np.flatnonzero(selected)
    total = len(candidates)
    sort_name = query.effective_sort
    page = top(view, candidates, scores, sort_name, query.offset + query.per_page)[query.offset:]
    hits = [make_hit(view, int(docnum), float(scores[docnum]), words if query.highlight else None)
            for docnum in page]
    facets = {name: view.count_values(wf.FACET_FIELDS[name], selected)[:schema.FACET_SIZE]
              for name in query.facets}
    suggestion = None
    if total < SUGGEST_BELOW and not plan.empty:
        suggestion = did_you_mean(view, plan, visible, total)
    return SearchResult(hits=hits, total=total, facets=facets, suggestion=suggestion)


def make_hit(view, docnum: int, score: float, words) -> Hit:
    fields = dict(view.searcher.stored_fields(docnum)[wf.STORED])
    highlights = highlight.highlight_fields(fields, words)
    return Hit(id=fields["id"], slug=fields["slug"], score=round(score, 4), fields=fields,
               highlights=highlights)


def did_you_mean(view, plan, visible: np.ndarray, total: int) -> str | None:
    """Replace each word that matches nothing visible by its closest visible word, if the
    corrected query finds more. Candidates are checked against the visible set, so a word that
    only internal documents contain is never proposed."""
    words, changed = [], False
    for clause in plan.clauses:
        replacement = None
        if not _clause_matches(view, clause, visible):
            replacement = _correct(view, clause.surface, visible)
        words.append(replacement or clause.surface)
        changed |= replacement is not None
    if not changed:
        return None
    corrected = " ".join(words)
    better = evaluate(view, plan_query(corrected), visible)
    return corrected if int(better.match.sum()) > total else None


def _clause_matches(view, clause, visible) -> bool:
    return bool(evaluate(view, _single(clause), visible).match.any())


def _single(clause):
    return QueryPlan(text=clause.surface, clauses=[clause])


def _correct(view, surface: str, visible: np.ndarray) -> str | None:
    word = analysis.compact(surface)
    if not word:
        return None
    if word.isascii():
        fields = [text.name for text in schema.TEXT_FIELDS]
        candidates = view.latin_typos(fields).neighbours(word)
        check = [(candidate, fields) for candidate, _ in candidates]
    else:
        candidates = view.spell_typos().neighbours(word, edits=1)
        check = [(candidate, [wf.SPELL]) for candidate, _ in candidates]
    best, best_count = None, 0
    for candidate, fields in check:
        count = sum(int(visible[view.postings(f, candidate)[0]].sum()) for f in fields)
        if count > best_count:
            best, best_count = candidate, count
    return best
