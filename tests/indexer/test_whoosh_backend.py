"""The Whoosh backend: the shared contract, then what is specific to an index on local disk."""
from __future__ import annotations

import itertools

import pytest

from indexer import SearchQuery, make_backend
from indexer.backends.whoosh import POINTER, WhooshBackend
from tests.indexer.contract import PUBLIC, BackendContract, doc, ids

_counter = itertools.count()


@pytest.fixture(scope="class")
def backend_factory(tmp_path_factory):
    def factory():
        return make_backend("whoosh", path=tmp_path_factory.mktemp(f"whoosh{next(_counter)}"))
    return factory


class TestWhooshBackend(BackendContract):
    pass


def search_ids(backend, text):
    return ids(backend.search(SearchQuery(text, labels=PUBLIC)))


def test_the_registry_makes_a_whoosh_backend_and_names_unknown_ones(tmp_path):
    assert isinstance(make_backend("whoosh", path=tmp_path), WhooshBackend)
    with pytest.raises(ValueError, match="unknown search backend"):
        make_backend("solr")


def test_an_update_by_one_process_is_seen_by_another_on_the_same_directory(tmp_path):
    writer, reader = WhooshBackend(tmp_path), WhooshBackend(tmp_path)
    writer.index([doc("A", "공영주차장 현황")])
    assert search_ids(reader, "주차장") == ["A"]
    writer.index([doc("A", "어린이집 목록")])
    assert search_ids(reader, "주차장") == []
    writer.delete(["A"])
    assert reader.count() == 0


def test_a_rebuild_by_another_process_is_picked_up_and_old_directories_are_removed(tmp_path):
    first, second = WhooshBackend(tmp_path), WhooshBackend(tmp_path)
    first.index([doc("OLD", "옛 주차장")])
    assert search_ids(second, "주차장") == ["OLD"]
    for n in range(3):
        first.rebuild([doc(f"NEW{n}", "새 주차장")])
    assert search_ids(second, "주차장") == ["NEW2"]
    live = (tmp_path / POINTER).read_text().strip()
    kept = sorted(p.name for p in tmp_path.glob("ix-*"))
    assert live in kept and len(kept) == 2     # the live index and the previous one


def test_a_failed_rebuild_keeps_the_live_index(tmp_path):
    backend = WhooshBackend(tmp_path)
    backend.index([doc("A", "공영주차장 현황")])

    def broken():
        yield doc("B", "새 주차장")
        raise RuntimeError("catalog read failed")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken())
    assert search_ids(backend, "주차장") == ["A"]
    assert len(list(tmp_path.glob("ix-*"))) == 1


def test_many_small_commits_merge_without_losing_or_duplicating_documents(tmp_path):
    backend = WhooshBackend(tmp_path)
    for n in range(12):
        backend.index([doc(f"D{n}", f"주차장 {n}번"), doc("SAME", f"공통 주차장 판본 {n}")])
    assert backend.count() == 13
    assert sorted(backend.ids_and_versions()) == sorted([f"D{n}" for n in range(12)] + ["SAME"])
    assert backend.search(SearchQuery("판본", labels=PUBLIC)).hits[0].fields["title"] == \
        "공통 주차장 판본 11"


def test_warming_up_changes_nothing_but_the_caches(tmp_path):
    backend = WhooshBackend(tmp_path)
    backend.index([doc("A", "공영주차장 현황")])
    backend.warm()
    assert search_ids(backend, "주차장") == ["A"]


def test_synonyms_are_read_from_a_configurable_file(tmp_path):
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("따릉이 = 빨간자전거\n", encoding="utf-8")
    backend = WhooshBackend(tmp_path / "index", synonyms_path=synonyms)
    backend.index([doc("A", "빨간자전거 대여소"), doc("B", "와이파이 위치")])
    assert search_ids(backend, "따릉이") == ["A"]
    assert search_ids(backend, "wifi") == []     # the default file is not read
