"""The index follows the catalog: drains, crashes, rebuilds and drift checks."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from indexer.base import SearchQuery
from indexer.documents import SearchDocument
from portal import sync
from portal.catalog.access import ADMIN, ANONYMOUS, viewer_for_organisation
from portal.catalog.models import Dataset, OutboxEntry
from tests.factories import make_dataset, make_organisation


def titles(portal, text, viewer=ANONYMOUS):
    result = portal.search.search(SearchQuery(text=text, labels=viewer.labels))
    return sorted(hit.fields["title"] for hit in result.hits)


@pytest.fixture
def division(portal):
    with portal.sessions.begin() as session:
        return make_organisation(session, slug="parking-division", name_ko="주차관리과")


def test_a_new_dataset_is_searchable_after_the_drain(portal):
    with portal.sessions.begin() as session:
        make_dataset(session, title_ko="강동구 공영주차장 현황")
    assert titles(portal, "주차장") == []
    report = sync.drain(portal.sessions, portal.search)
    assert report.indexed == 1
    assert titles(portal, "주차장") == ["강동구 공영주차장 현황"]


def test_updates_and_deletes_reach_the_index(portal):
    with portal.sessions.begin() as session:
        dataset = make_dataset(session, slug="p", title_ko="공영주차장 현황")
    sync.drain(portal.sessions, portal.search)
    with portal.sessions.begin() as session:
        session.get(Dataset, dataset.id).title_ko = "공공와이파이 위치"
    sync.drain(portal.sessions, portal.search)
    assert titles(portal, "주차장") == [] and titles(portal, "와이파이") == ["공공와이파이 위치"]
    with portal.sessions.begin() as session:
        session.delete(session.get(Dataset, dataset.id))
    report = sync.drain(portal.sessions, portal.search)
    assert report.deleted == 1 and titles(portal, "와이파이") == []


def test_turning_a_dataset_internal_hides_it_from_public_search(portal, division):
    with portal.sessions.begin() as session:
        dataset = make_dataset(session, title_ko="주차 단속 현황", owner=division)
    sync.drain(portal.sessions, portal.search)
    with portal.sessions.begin() as session:
        session.get(Dataset, dataset.id).visibility = "internal"
    sync.drain(portal.sessions, portal.search)
    with portal.sessions() as session:
        staff = viewer_for_organisation(session, division)
    assert titles(portal, "주차") == []
    assert titles(portal, "주차", staff) == ["주차 단속 현황"]
    assert titles(portal, "주차", ADMIN) == ["주차 단속 현황"]


def test_a_drain_that_fails_leaves_the_entries_pending_for_the_next(portal, monkeypatch):
    with portal.sessions.begin() as session:
        make_dataset(session, title_ko="전통시장 현황")
    backend = portal.search

    def broken(documents):
        raise ConnectionError("index unavailable")
    monkeypatch.setattr(backend, "index", broken)
    with pytest.raises(ConnectionError):
        sync.drain(portal.sessions, backend)
    with portal.sessions() as session:
        assert session.scalars(select(OutboxEntry.processed_at)).all() == [None]
    monkeypatch.undo()
    sync.drain(portal.sessions, portal.search)
    assert titles(portal, "시장") == ["전통시장 현황"]


def test_draining_twice_is_harmless(portal):
    with portal.sessions.begin() as session:
        make_dataset(session, title_ko="따릉이 대여소")
    sync.drain(portal.sessions, portal.search)
    assert sync.drain(portal.sessions, portal.search).entries == 0
    assert portal.search.count() == 1


def test_rebuild_recreates_the_index_from_the_database_alone(portal):
    with portal.sessions.begin() as session:
        for n in range(5):
            make_dataset(session, title_ko=f"문화행사 정보 {n}")
    portal.search.clear()
    assert sync.rebuild(portal.sessions, portal.search) == 5
    assert len(titles(portal, "문화행사")) == 5
    with portal.sessions() as session:
        assert all(session.scalars(select(OutboxEntry.processed_at)))


def test_check_reports_drift_and_repairs_it(portal):
    with portal.sessions.begin() as session:
        kept = make_dataset(session, title_ko="대기환경 정보")
        lost = make_dataset(session, title_ko="미세먼지 경보")
    sync.drain(portal.sessions, portal.search)
    portal.search.delete([str(lost.id)])
    portal.search.index([SearchDocument(id="999999", slug="ghost", title="유령 데이터",
                                        permission_labels=["public"])])
    with portal.sessions.begin() as session:  # changed behind the outbox's back
        session.execute(Dataset.__table__.update().where(Dataset.id == kept.id)
                        .values(title_ko="대기환경 실시간 정보",
                                modified_at=datetime(2030, 1, 1, tzinfo=timezone.utc)))
    report = sync.check(portal.sessions, portal.search)
    assert report.missing == [str(lost.id)] and report.extra == ["999999"]
    assert report.stale == [str(kept.id)]
    repaired = sync.check(portal.sessions, portal.search, repair=True)
    assert repaired.repaired
    assert sync.check(portal.sessions, portal.search).clean
    assert titles(portal, "미세먼지") == ["미세먼지 경보"] and titles(portal, "유령") == []
    assert titles(portal, "실시간") == ["대기환경 실시간 정보"]


def test_a_change_drained_during_a_rebuild_survives_the_swap(portal, monkeypatch):
    with portal.sessions.begin() as session:
        dataset = make_dataset(session, title_ko="공공자전거 대여소")
    backend = portal.search
    original = backend.rebuild

    def rebuild_while_another_process_drains(documents):
        documents = list(documents)  # the new index reads the database here
        with portal.sessions.begin() as session:
            session.get(Dataset, dataset.id).title_ko = "따릉이 대여소"
        sync.drain(portal.sessions, backend)  # lands in the old index
        return original(documents)
    monkeypatch.setattr(backend, "rebuild", rebuild_while_another_process_drains)
    sync.rebuild(portal.sessions, backend)
    assert titles(portal, "따릉이") == ["따릉이 대여소"]
