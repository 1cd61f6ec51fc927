"""Faults at harvest level, against the replay server: each ends with the previous data
intact, the error recorded on the run or its item, and the next run recovering."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from connectors import get_connector
from portal.catalog.models import Dataset, HarvestItem, HarvestRun, Resource, TableVersion
from portal.harvest import harvest
from tests.connectors.conftest import RECORDED
from tests.harvest.conftest import KOSIS_TABLE, count, fast

ROOT = Path(__file__).resolve().parents[2]
POPULATION_SIDO = "202505_202505_주민등록인구및세대현황_월간_시도.csv"


def versions(portal, source_id):
    with portal.sessions() as session:
        return list(session.execute(
            select(TableVersion.number, TableVersion.content_hash).join(Dataset)
            .where(Dataset.source_id == source_id).order_by(TableVersion.number)))


def only_item(portal, run, status="failed"):
    with portal.sessions() as session:
        [item] = session.scalars(select(HarvestItem).where(HarvestItem.run_id == run.id,
                                                           HarvestItem.status == status))
        return item


# --- a process killed in the middle of a run ----------------------------------------------

KILLED_RUN = """
import sys, time
from connectors import get_connector
from portal.app import Portal
from portal.config import load_config
from portal.harvest import harvest

data_dir, database_url, base_url = sys.argv[1:4]
portal = Portal.from_config(load_config(data_dir + "/absent.toml", env={}, overrides={
    ("data", "dir"): data_dir, ("database", "url"): database_url}))
seoul = get_connector("seoul", base_url=base_url, env={"PORTAL_SEOUL_API_KEY": "k"},
                      min_interval=0)

class Slow:
    def list_datasets(self):
        for n, record in enumerate(seoul.list_datasets()):
            if n == 400:
                return
            time.sleep(0.01)  # slow enough to be killed part way
            yield record

harvest(portal, "seoul", Slow(), progress_interval=0.02)
"""


class First400:
    def __init__(self, connector):
        self.connector = connector

    def list_datasets(self):
        for n, record in enumerate(self.connector.list_datasets()):
            if n == 400:
                return
            yield record


def test_run_killed_part_way_loses_nothing_and_the_next_completes(config, portal,
                                                                   seoul_tables, server):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(config.data_dir),
                              config.database_url, f"{server.url}/seoul"], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            with portal.sessions() as session:
                done = session.scalar(select(HarvestRun.new).where(
                    HarvestRun.status == "running"))
            if done is not None and done >= 100:
                break
            time.sleep(0.05)
        assert child.poll() is None, "the run ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)

    with portal.sessions() as session:
        killed = session.scalar(select(HarvestRun))
        written = session.scalar(select(func.count()).select_from(Dataset))
        recorded = session.scalar(select(func.count()).select_from(HarvestItem)
                                  .where(HarvestItem.run_id == killed.id))
        without_page = session.scalar(select(func.count()).select_from(Dataset).where(
            ~Dataset.resources.any(Resource.kind == "link")))
    assert killed.status == "running" and 100 <= written < 400
    assert recorded == written and without_page == 0   # each entry whole, or not at all

    run = harvest(portal, "seoul", First400(seoul_tables))
    with portal.sessions() as session:
        killed = session.get(HarvestRun, killed.id)
    assert killed.status == "failed" and "interrupted" in killed.error_message
    assert (run.status, run.new, run.unchanged) == ("succeeded", 400 - written, written)
    assert count(portal, Dataset) == 400


# --- a table whose schema changed -------------------------------------------------------

def test_table_that_lost_columns_is_refused_and_the_previous_version_kept(
        portal, kosis, server):
    harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    kept = versions(portal, KOSIS_TABLE)
    rows = json.loads((RECORDED / "kosis" / "DT_1B04005N_2016.json").read_text("utf-8"))
    renamed = [{("VALUE" if k == "DT" else k): v for k, v in row.items()} for row in rows]
    server.faults.add("body", times=1, body=json.dumps(renamed, ensure_ascii=False).encode(),
                      when=lambda seen: "statisticsParameterData" in seen.path)
    run = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (run.status, run.failed) == ("partially_failed", 1)
    item = only_item(portal, run)
    assert item.error_code == "schema-changed" and "DT" in item.error_message
    assert versions(portal, KOSIS_TABLE) == kept

    recovered = harvest(portal, "kosis", kosis, tables=[KOSIS_TABLE])
    assert (recovered.status, recovered.unchanged) == ("succeeded", 3)
    assert versions(portal, KOSIS_TABLE) == kept


# --- a CP949 file with one line in UTF-8 ----------------------------------------------------

def test_cp949_file_with_a_utf8_line_fails_its_item_only(portal, mois, server):
    harvest(portal, "mois", mois)
    source_id = "주민등록인구및세대현황/월간/시도"
    kept = versions(portal, source_id)
    data = (ROOT / "sample_data" / "mois" / POPULATION_SIDO).read_bytes()
    lines = data.split(b"\n")
    lines[5] = lines[5].decode("cp949").encode("utf-8")   # 인천광역시, saved as UTF-8
    server.faults.add("body", times=1, body=b"\n".join(lines), content_type="text/csv",
                      when=lambda seen: unquote(seen.path).endswith(POPULATION_SIDO))
    run = harvest(portal, "mois", mois)
    assert (run.status, run.failed, run.unchanged) == ("partially_failed", 1, run.unchanged)
    item = only_item(portal, run)
    assert item.source_id == source_id and "CP949" in item.error_message
    assert versions(portal, source_id) == kept

    recovered = harvest(portal, "mois", mois)
    assert (recovered.status, recovered.failed, recovered.updated) == ("succeeded", 0, 0)
    assert versions(portal, source_id) == kept


# --- JSON that breaks off -------------------------------------------------------------------

def test_truncated_service_json_fails_the_item_and_keeps_the_version(portal, seoul_tables,
                                                                     server):
    harvest(portal, "seoul", seoul_tables, only=["OA-15486"])
    kept = versions(portal, "OA-15486")
    server.faults.add("truncate", times=2, keep=4000,
                      when=lambda seen: "/culturalEventInfo/1/" in seen.path)
    run = harvest(portal, "seoul", seoul_tables, only=["OA-15486"])
    assert (run.status, run.failed) == ("partially_failed", 1)
    assert only_item(portal, run).error_code == "invalid-json"
    assert versions(portal, "OA-15486") == kept

    recovered = harvest(portal, "seoul", seoul_tables, only=["OA-15486"])
    assert (recovered.status, recovered.unchanged) == ("succeeded", 1)


def test_truncated_catalog_page_fails_the_run_and_withdraws_nothing(portal, seoul_tables,
                                                                    server):
    listing = First400(seoul_tables)
    harvest(portal, "seoul", listing, tables=False)
    server.faults.add("truncate", times=2, keep=3000,
                      when=lambda seen: "SearchCatalogService/1/" in seen.path)
    run = harvest(portal, "seoul", listing, tables=False, withdraw_after=1)
    assert run.status == "failed" and "invalid-json" in run.error_message
    assert count(portal, Dataset, Dataset.withdrawn_at.is_not(None)) == 0
    assert count(portal, Dataset, Dataset.missing_runs > 0) == 0

    recovered = harvest(portal, "seoul", listing, tables=False, withdraw_after=1)
    assert (recovered.status, recovered.unchanged, recovered.withdrawn) == ("succeeded", 400, 0)
    with portal.sessions() as session:
        assert all(d.resources for d in session.scalars(
            select(Dataset).options(selectinload(Dataset.resources))))


# --- the network and the source failing while a table is fetched ------------------------------

XML_GATEWAY_ERROR = (RECORDED / "datagokr" / "SERVICE_KEY_IS_NOT_REGISTERED_ERROR.xml"
                     ).read_bytes()
SOURCE_ERROR_500 = (RECORDED / "seoul" / "ERROR-500.json").read_bytes()


@pytest.mark.parametrize("fault", [
    {"kind": "timeout"},
    {"kind": "reset"},
    {"kind": "status", "status": 500, "body": b"Internal Server Error"},
    {"kind": "body", "body": SOURCE_ERROR_500},                   # ERROR-500 in a 200 answer
    {"kind": "body", "body": XML_GATEWAY_ERROR, "content_type": "text/xml"},
], ids=["timeout", "reset", "http-500", "ERROR-500", "xml-error-body"])
def test_a_failing_table_fetch_keeps_the_version_records_the_error_and_recovers(
        portal, server, fault):
    tables = get_connector("seoul", **fast(server, "seoul", timeout=0.2))
    harvest(portal, "seoul", tables, only=["OA-15486"])
    kept = versions(portal, "OA-15486")
    details = {k: v for k, v in fault.items() if k != "kind"}
    server.faults.add(fault["kind"], times=10, **details,
                      when=lambda seen: "/culturalEventInfo/1/" in seen.path)
    run = harvest(portal, "seoul", tables, only=["OA-15486"])
    assert (run.status, run.failed) == ("partially_failed", 1)
    item = only_item(portal, run)
    assert item.error_code and item.error_message
    assert versions(portal, "OA-15486") == kept

    server.faults.clear()
    recovered = harvest(portal, "seoul", tables, only=["OA-15486"])
    assert (recovered.status, recovered.unchanged) == ("succeeded", 1)
    assert versions(portal, "OA-15486") == kept
