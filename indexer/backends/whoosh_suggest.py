"""suggest(): completions while typing, from what the viewer may see.

Two sources, merged: values (gu, organisations, keywords) whose text or chosung starts with what
was typed, counted over the visible documents like facets (a value only internal documents have
has a visible count of 0 and is never offered); and titles of the best visible matches, where the
last word typed is a prefix (Latin) or a chosung key (ㅈㅊㅈ).
"""
from __future__ import annotations

import numpy as np

from indexer import analysis
from indexer.base import Suggestion, merge_suggestions
from indexer.backends import whoosh_fields as wf
from indexer.backends.whoosh_scoring import evaluate
from indexer.plan import plan_query


def _keys(value: str) -> tuple[list[str], list[str]]:
    """What a value can be completed from: the whole value and each of its words, spaces
    removed, as text and as initials (강동구 감사담당관 → 강동구감사담당관, 감사담당관, ㄱㄷㄱㄱㅅㄷㄷㄱ …)."""
    value = analysis.normalize(value)
    words = [value.replace(" ", "")] + value.split()
    return words, [analysis.chosung(word) for word in words]


def value_suggestions(view, typed: str, visible: np.ndarray, jamo: bool) -> list[Suggestion]:
    out = []
    sources = (("gu", wf.FACET_FIELDS["gu"]), ("organisation", wf.ORG_VALUES),
               ("keyword", wf.KEYWORD_VALUES))
    for kind, field in sources:
        values = view.values(field)[0]
        keys = view.memo(("suggest-keys", field), lambda: [
            _keys(value.partition(wf.ORG_SEPARATOR)[0]) for value in values])
        wanted = [i for i, (words, initials) in enumerate(keys)
                  if any(k.startswith(typed) for k in (initials if jamo else words))]
        if not wanted:
            continue
        counts = view.value_counts(field, visible)
        for i in wanted:
            if counts[i] > 0:     # only values some visible document has
                text, _, slug = values[i].partition(wf.ORG_SEPARATOR)
                out.append(Suggestion(text=text, kind=kind, value=slug or text,
                                      count=int(counts[i])))
    return out


def title_suggestions(view, prefix: str, visible: np.ndarray, limit: int, synonyms):
    plan = plan_query(prefix, synonyms)
    if plan.empty:
        return []
    evaluation = evaluate(view, plan, visible, prefix_last=True)
    match = evaluation.match & visible
    candidates = np.flatnonzero(match)
    if not len(candidates):
        return []
    best = candidates[np.argsort(-evaluation.scores[candidates], kind="stable")[:limit]]
    out = []
    for docnum in best:
        stored = view.searcher.stored_fields(int(docnum))[wf.STORED]
        out.append(Suggestion(text=stored["title"], kind="title", value=stored["slug"]))
    return out


def suggest(view, prefix: str, labels: frozenset[str], limit: int, synonyms) -> list[Suggestion]:
    typed = analysis.normalize(prefix).strip()
    if not typed or limit < 1:
        return []
    visible = view.visible(labels)
    jamo = analysis.is_chosung_query(typed.replace(" ", ""))
    values = value_suggestions(view, typed.replace(" ", ""), visible, jamo)
    values.sort(key=lambda s: (-s.count, s.text))
    titles = title_suggestions(view, prefix, visible, limit, synonyms)
    return merge_suggestions(values, titles, limit)
