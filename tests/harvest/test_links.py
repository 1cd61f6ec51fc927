"""Withdrawn and same-as datasets: hidden from search and lists by one rule, still reachable
by their address, back when they come back.

The cross-source link tested with the recorded data is the real one: the LOCALDATA cinema
licence file is the file the Seoul Plaza publishes as OA-16053 (서울시 영화상영관 인허가
정보). No recorded Seoul row names a KOSIS table, so the KOSIS rule is tested with a real
Seoul entry (OA-12240) and a real KOSIS table (101/DT_1B04005N) whose link is added here.
"""
from __future__ import annotations

import itertools
from dataclasses import replace

from flask import render_template
from sqlalchemy import select

from indexer.base import SearchQuery
from portal import sync
from portal.catalog import queries
from portal.catalog.access import ANONYMOUS
from portal.catalog.models import Dataset
from portal.harvest import harvest
from tests.harvest.conftest import KOSIS_TABLE

CINEMA_SEOUL, CINEMA_LOCALDATA = "OA-16053", "서울/영화상영관"
KOSIS_PAGE = "https://kosis.kr/statHtml/statHtml.do?orgId=101&tblId=DT_1B04005N"


def by_key(portal, source, source_id):
    with portal.sessions() as session:
        return session.scalar(select(Dataset).where(Dataset.source == source,
                                                    Dataset.source_id == source_id))


def listed_ids(portal):
    with portal.sessions() as session:
        page = queries.list_datasets(session, ANONYMOUS, per_page=100)
        assert page.total == queries.count_datasets(session, ANONYMOUS)
        return {d.id for d in page.items}


def indexed_ids(portal):
    sync.drain(portal.sessions, portal.search)
    return {int(i) for i in portal.search.ids_and_versions()}


def search_ids(portal, text):
    result = portal.search.search(SearchQuery(text=text, labels=ANONYMOUS.labels))
    return {int(hit.id) for hit in result.hits}


class Only:
    """The connector's records for some IDs, optionally edited."""

    def __init__(self, connector, ids, edit=None):
        self.connector, self.ids, self.edit = connector, set(ids), edit or {}

    def list_datasets(self):
        for record in self.connector.list_datasets():
            if record.source_id in self.ids:
                change = self.edit.get(record.source_id)
                yield change(record) if change else record


def test_localdata_file_published_by_the_plaza_shows_once(portal, seoul_tables, mois):
    harvest(portal, "seoul", seoul_tables, only=[CINEMA_SEOUL])
    run = harvest(portal, "mois", mois)
    assert run.failed == 0
    plaza, localdata = by_key(portal, "seoul", CINEMA_SEOUL), \
        by_key(portal, "localdata", CINEMA_LOCALDATA)
    assert localdata.same_as_id == plaza.id and plaza.same_as_id is None

    assert plaza.id in listed_ids(portal) and localdata.id not in listed_ids(portal)
    assert plaza.id in indexed_ids(portal) and localdata.id not in indexed_ids(portal)
    assert search_ids(portal, "영화상영관") == {plaza.id}
    with portal.sessions() as session:
        assert [d.id for d in queries.other_sources(session, ANONYMOUS, plaza)] == \
            [localdata.id]
        assert queries.same_as_primary(session, ANONYMOUS, localdata).id == plaza.id
        assert queries.get_dataset(session, ANONYMOUS, localdata.slug) is not None


def test_link_is_made_whichever_source_is_harvested_first(portal, seoul_tables, mois):
    harvest(portal, "mois", mois)
    assert by_key(portal, "localdata", CINEMA_LOCALDATA).same_as_id is None
    harvest(portal, "seoul", seoul_tables, only=[CINEMA_SEOUL])
    run = harvest(portal, "mois", mois)
    assert run.updated == 1   # only the link changed
    assert by_key(portal, "localdata", CINEMA_LOCALDATA).same_as_id == \
        by_key(portal, "seoul", CINEMA_SEOUL).id


def test_seoul_entry_naming_a_kosis_table_points_at_it(portal, seoul_tables, kosis):
    harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    link = {"OA-12240": lambda r: replace(r, extras={**r.extras, "link": KOSIS_PAGE})}
    harvest(portal, "seoul", Only(seoul_tables, ["OA-12240", "OA-877"], edit=link),
            tables=False)
    table = by_key(portal, "kosis", KOSIS_TABLE)
    assert by_key(portal, "seoul", "OA-12240").same_as_id == table.id
    assert by_key(portal, "seoul", "OA-877").same_as_id is None
    # The source stops naming it: the link goes.
    harvest(portal, "seoul", Only(seoul_tables, ["OA-12240", "OA-877"]), tables=False)
    assert by_key(portal, "seoul", "OA-12240").same_as_id is None


def test_withdrawn_dataset_leaves_lists_and_search_and_comes_back(portal, seoul_tables):
    ids = [r.source_id for r in itertools.islice(seoul_tables.list_datasets(), 6)]
    full, without = Only(seoul_tables, ids), Only(seoul_tables, ids[1:])
    harvest(portal, "seoul", full, tables=False)
    gone = by_key(portal, "seoul", ids[0])
    assert gone.id in indexed_ids(portal)
    harvest(portal, "seoul", without, tables=False, withdraw_after=1)
    assert by_key(portal, "seoul", ids[0]).withdrawn_at is not None
    assert gone.id not in listed_ids(portal) and gone.id not in indexed_ids(portal)
    assert sync.check(portal.sessions, portal.search).clean   # the rule is one rule
    with portal.sessions() as session:
        assert queries.get_dataset(session, ANONYMOUS, gone.slug) is not None

    harvest(portal, "seoul", full, tables=False)
    assert by_key(portal, "seoul", ids[0]).withdrawn_at is None
    assert gone.id in listed_ids(portal) and gone.id in indexed_ids(portal)


def test_withdrawn_primary_brings_the_other_source_back(portal, seoul_tables, mois):
    harvest(portal, "seoul", Only(seoul_tables, [CINEMA_SEOUL, "OA-2734"]), tables=False)
    harvest(portal, "mois", mois)
    localdata = by_key(portal, "localdata", CINEMA_LOCALDATA)
    assert localdata.id not in indexed_ids(portal)
    harvest(portal, "seoul", Only(seoul_tables, ["OA-2734"]), tables=False, withdraw_after=1)
    assert localdata.id in listed_ids(portal) and localdata.id in indexed_ids(portal)


def test_badges_render_the_withdrawal_and_the_other_sources(app, portal, seoul_tables, mois):
    harvest(portal, "seoul", Only(seoul_tables, [CINEMA_SEOUL, "OA-2734"]), tables=False)
    harvest(portal, "mois", mois)
    harvest(portal, "seoul", Only(seoul_tables, ["OA-2734"]), tables=False, withdraw_after=1)
    with app.test_request_context(), portal.sessions() as session:
        plaza = session.scalar(select(Dataset).where(Dataset.source_id == CINEMA_SEOUL))
        localdata = session.scalar(select(Dataset).where(Dataset.source_id == CINEMA_LOCALDATA))
        withdrawn = render_template("datasets/_withdrawn.html", dataset=plaza)
        others = render_template("datasets/_same_as.html", dataset=plaza,
                                 same_as_primary=None,
                                 other_sources=queries.other_sources(session, ANONYMOUS, plaza))
        pointer = render_template("datasets/_same_as.html", dataset=localdata,
                                  same_as_primary=plaza, other_sources=[])
    assert "제공 중단" in withdrawn and plaza.withdrawn_at.strftime("%Y-%m-%d") in withdrawn
    assert "다른 출처" in others and f"/datasets/{localdata.slug}" in others
    assert f"/datasets/{plaza.slug}" in pointer
    assert "제공 중단" not in render_in(app, localdata)   # not withdrawn: no badge


def render_in(app, dataset):
    with app.test_request_context():
        return render_template("datasets/_withdrawn.html", dataset=dataset)


def test_the_dataset_page_points_each_entry_at_the_other(app, portal, seoul_tables, mois):
    harvest(portal, "seoul", Only(seoul_tables, [CINEMA_SEOUL]), tables=False)
    harvest(portal, "mois", mois)
    plaza = by_key(portal, "seoul", CINEMA_SEOUL)
    localdata = by_key(portal, "localdata", CINEMA_LOCALDATA)
    client = app.test_client()
    primary_page = client.get(f"/datasets/{plaza.slug}").get_data(as_text=True)
    linked_page = client.get(f"/datasets/{localdata.slug}").get_data(as_text=True)
    assert "다른 출처" in primary_page and f"/datasets/{localdata.slug}" in primary_page
    assert "검색 결과에는 그 항목이 나옵니다" in linked_page
    assert f"/datasets/{plaza.slug}" in linked_page
