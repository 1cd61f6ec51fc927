"""The project's ranking beats plain Whoosh on judged queries over the real Seoul catalog.

A behaviour test, not a timing test: it fails when a change to analysis, synonyms, chosung or
scoring makes a whole class of queries (stems, gu + topic, synonyms, chosung, English, typos)
rank no better than Whoosh's StandardAnalyzer would. Figures: docs/search.md ("Relevance").
Builds both indexes once (about 10 s on the 2-core machine).
"""
from __future__ import annotations

import math

import pytest

from tests.indexer.catalog import catalog_rows
from tests.relevance.evaluate import (
    CLASSES, build_rankers, evaluate, load_judgments, ndcg_at, recall_at, relevance_documents)

# One worker builds the indexes once for the whole module (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("relevance")

BASELINES = ("std-title", "std-fields")


@pytest.fixture(scope="module")
def judged():
    return load_judgments()


@pytest.fixture(scope="module")
def report(judged, tmp_path_factory):
    rankers = build_rankers(relevance_documents(), tmp_path_factory.mktemp("relevance"))
    return evaluate(rankers, judged)


def test_ndcg_of_the_ideal_order_is_one_and_of_nothing_found_is_zero():
    grades = {"a": 3, "b": 1, "c": 2}
    assert ndcg_at(["a", "c", "b"], grades) == pytest.approx(1.0)
    assert ndcg_at(["x", "y"], grades) == 0.0


def test_ndcg_follows_the_exponential_gain_and_log_discount():
    grades = {"a": 3, "b": 1}
    # ranked b, x, a: DCG = 1/log2(2) + 0 + 7/log2(4); ideal a, b: 7/log2(2) + 1/log2(3)
    expected = (1 + 7 / 2) / (7 + 1 / math.log2(3))
    assert ndcg_at(["b", "x", "a"], grades) == pytest.approx(expected)


def test_ndcg_ideal_comes_from_all_judged_items_not_only_the_retrieved_ones():
    grades = {"a": 3, "b": 3}
    assert ndcg_at(["a"], grades) == pytest.approx(7 / (7 + 7 / math.log2(3)))


def test_recall_is_capped_at_ten_relevant_items():
    grades = {f"d{n}": 1 for n in range(30)}
    assert recall_at([f"d{n}" for n in range(10)], grades) == 1.0
    assert recall_at(["d0", "zz"], {"d0": 2, "d1": 1}) == 0.5


def test_every_query_class_has_at_least_six_judged_queries(judged):
    for query_class in CLASSES:
        assert sum(q.query_class == query_class for q in judged) >= 6, query_class
    assert len(judged) >= 40


def test_every_judged_id_is_a_real_catalog_dataset(judged):
    ids = {row["id"] for row in catalog_rows()}
    unknown = {(q.text, doc_id) for q in judged for doc_id in q.grades if doc_id not in ids}
    assert not unknown


def test_the_project_ranks_better_than_plain_whoosh_in_every_query_class(report):
    print()
    print(report.class_table())
    for baseline in BASELINES:
        worse = report.worse("project", baseline)
        print(f"project below {baseline}: " + (", ".join(r["text"] for r in worse) or "none"))
    failures = [
        f"{query_class}: project {report.mean('project', 'ndcg', query_class):.3f} <= "
        f"{baseline} {report.mean(baseline, 'ndcg', query_class):.3f}"
        for query_class in report.classes() for baseline in BASELINES
        if report.mean("project", "ndcg", query_class)
        <= report.mean(baseline, "ndcg", query_class)]
    assert not failures, "mean nDCG@10 not above the baseline: " + "; ".join(failures)
