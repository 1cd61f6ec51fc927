"""Table contents fetched during a harvest go through the one ingest path: the content hash
decides between a new version and nothing (no version, no outbox row)."""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.catalog.models import Dataset, HarvestItem, OutboxEntry, TableVersion
from portal.demo import DEMO_TABLES, load_table
from portal.harvest import harvest
from tests.conftest import SAMPLE
from tests.connectors.conftest import RECORDED
from tests.harvest.conftest import KOSIS_TABLE, count


def versions(portal, source, source_id):
    with portal.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.source == source,
                                                       Dataset.source_id == source_id)
                                 .options(selectinload(Dataset.table_versions)))
        return [(v.number, v.row_count, v.content_hash) for v in dataset.table_versions]


def failed_items(portal, run):
    with portal.sessions() as session:
        return [(i.source_id, i.error_code, i.error_message) for i in session.scalars(
            select(HarvestItem).where(HarvestItem.run_id == run.id,
                                      HarvestItem.status == "failed"))]


def test_kosis_harvest_lists_the_tables_and_ingests_the_recorded_data(portal, kosis):
    run = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (run.status, run.new, run.failed) == ("succeeded", 3, 0)
    [(number, rows, _)] = versions(portal, "kosis", KOSIS_TABLE)
    assert (number, rows) == (1, 1053)   # 27 regions × 13 age bands × 3 items, 2016
    outbox = count(portal, OutboxEntry)

    again = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (again.status, again.unchanged, again.updated) == ("succeeded", 3, 0)
    assert len(versions(portal, "kosis", KOSIS_TABLE)) == 1
    assert count(portal, OutboxEntry) == outbox


def test_kosis_tables_without_recorded_data_fail_alone(portal, kosis):
    run = harvest(portal, "kosis", kosis)   # every listed table's data
    assert (run.status, run.new, run.failed) == ("partially_failed", 1, 2)
    assert {(source_id, code) for source_id, code, _ in failed_items(portal, run)} == \
        {("101/DT_1B040B3", "21"), ("101/DT_1B040A3", "21")}


def test_mois_harvest_covers_its_three_sources_with_their_files(portal, mois):
    run = harvest(portal, "mois", mois)
    assert (run.status, run.failed) == ("succeeded", 0)
    with portal.sessions() as session:
        by_source = dict(session.execute(select(Dataset.source, Dataset.id).where(
            Dataset.source == "localdata")).all())
        sources = sorted(set(session.scalars(select(Dataset.source))))
    assert sources == ["datagokr", "localdata", "mois"] and by_source
    assert [v[:2] for v in versions(portal, "mois", "연령별인구현황/월간/행정동/10세")] == \
        [(1, 3909)]   # the real June 2024 file, found 11 months back from 2025-05
    assert [v[:2] for v in versions(portal, "localdata", "서울/영화상영관")] == [(1, 903)]
    outbox = count(portal, OutboxEntry)

    again = harvest(portal, "mois", mois)
    assert (again.new, again.updated, again.unchanged) == (0, 0, run.new)
    assert count(portal, OutboxEntry) == outbox


def test_seoul_service_rows_become_a_version_and_an_empty_service_is_no_table(
        portal, seoul_tables):
    run = harvest(portal, "seoul", seoul_tables, only=["OA-15486", "OA-20883"])
    assert (run.status, run.new, run.failed) == ("succeeded", 2, 0)
    assert [v[:2] for v in versions(portal, "seoul", "OA-15486")] == [(1, 1000)]
    assert versions(portal, "seoul", "OA-20883") == []   # TbPublicWifiInfo: INFO-200


def test_changed_content_adds_a_version_and_unchanged_adds_nothing(portal, kosis, server):
    harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    rows = json.loads((RECORDED / "kosis" / "DT_1B04005N_2016.json").read_text("utf-8"))
    rows[0]["DT"] = str(int(rows[0]["DT"]) + 1)
    server.faults.add("body", times=1, body=json.dumps(rows, ensure_ascii=False).encode(),
                      when=lambda seen: "statisticsParameterData" in seen.path)
    before = count(portal, OutboxEntry)
    run = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (run.updated, run.unchanged) == (1, 2)
    assert [v[0] for v in versions(portal, "kosis", KOSIS_TABLE)] == [1, 2]
    assert count(portal, OutboxEntry) == before + 1

    back = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])   # the recorded values again
    assert back.updated == 1 and len(versions(portal, "kosis", KOSIS_TABLE)) == 3
    assert count(portal, TableVersion) == 3


def test_failing_table_fetch_fails_the_item_and_keeps_the_previous_version(
        portal, kosis, server):
    harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    kept = versions(portal, "kosis", KOSIS_TABLE)
    server.faults.add("status", times=2, status=503, body=b"busy",
                      when=lambda seen: "statisticsParameterData" in seen.path)
    run = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (run.status, run.failed, run.unchanged) == ("partially_failed", 1, 2)
    [(source_id, code, message)] = failed_items(portal, run)
    assert (source_id, code) == (KOSIS_TABLE, "http-503")
    assert versions(portal, "kosis", KOSIS_TABLE) == kept

    recovered = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (recovered.status, recovered.unchanged) == ("succeeded", 3)
    assert versions(portal, "kosis", KOSIS_TABLE) == kept


def test_the_demos_kosis_download_and_the_api_rows_are_two_resources(portal, seeded, kosis):
    """The demo's wide XLSX download of the table, then the harvest's long JSON rows: two
    layouts of the same data, each its own resource, and the harvest succeeds."""
    demo_table = next(t for t in DEMO_TABLES if t.source_id == KOSIS_TABLE)
    with portal.sessions.begin() as session:
        load_table(session, portal.store, SAMPLE, demo_table)
    run = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert run.status == "succeeded", failed_items(portal, run)
    with portal.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.source_id == KOSIS_TABLE))
        tabular = sorted(r.name for r in dataset.resources if r.table_versions)
    assert tabular == ["DT_1B04005N.json", "DT_1B04005N_population_raw_data.xlsx"]


def test_a_table_ingested_by_hand_before_is_versioned_not_duplicated(portal, kosis):
    """The harvest ingests into the dataset's existing tabular resource."""
    harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    with portal.sessions() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.source_id == KOSIS_TABLE)
                                 .options(selectinload(Dataset.resources)))
        tabular = [r.name for r in dataset.resources if r.table_versions]
        assert "JSON" in dataset.formats   # noted by the ingest, kept by the next runs
    assert tabular == ["DT_1B04005N.json"]
