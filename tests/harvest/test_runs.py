"""Harvest runs against the recorded Seoul catalog, served over real HTTP by the replay server.

Most tests harvest the first entries of the real listing (a run over them behaves like a run
over the whole source, withdrawal included); one harvests all 8,212.
"""
from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from connectors import get_connector
from portal.catalog.models import Dataset, HarvestItem, HarvestRun, OutboxEntry, utcnow
from portal.harvest import HarvestBusy, harvest, runs
from tests.connectors.conftest import FakeClock, RECORDED
from tests.harvest.conftest import KEY

@pytest.fixture
def seoul(server):
    server.reset()
    yield get_connector("seoul", base_url=f"{server.url}/seoul", env=KEY, clock=FakeClock(),
                        min_interval=0, max_attempts=2)
    server.reset()


class Listing:
    """The real connector's first `n` entries, edited: the source as a test needs it."""

    def __init__(self, connector, n=20, *, drop=(), edit=None):
        self.connector, self.n, self.drop, self.edit = connector, n, set(drop), edit or {}

    def list_datasets(self):
        for record in itertools.islice(self.connector.list_datasets(), self.n):
            if record.source_id in self.drop:
                continue
            change = self.edit.get(record.source_id)
            yield change(record) if change else record


def count(portal, what, *where):
    with portal.sessions() as session:
        return session.scalar(select(func.count()).select_from(what).where(*where))


def dataset(portal, source_id):
    with portal.sessions() as session:
        return session.scalar(select(Dataset).where(Dataset.source == "seoul",
                                                    Dataset.source_id == source_id)
                              .options(selectinload(Dataset.resources)))


def first_ids(seoul, n=20):
    return [r.source_id for r in itertools.islice(seoul.list_datasets(), n)]


def test_first_harvest_creates_the_whole_catalog_and_a_second_changes_nothing(portal, seoul):
    run = harvest(portal, "seoul", seoul)
    assert (run.status, run.new, run.failed, run.withdrawn) == ("succeeded", 8212, 0, 0)
    assert run.finished_at >= run.started_at
    assert count(portal, Dataset, Dataset.source == "seoul") == 8212
    entry = dataset(portal, "OA-2734")
    assert entry.slug == "seoul-oa-2734" and entry.resources[0].kind == "link"
    outbox = count(portal, OutboxEntry)

    again = harvest(portal, "seoul", seoul)
    assert (again.status, again.new, again.updated, again.unchanged) == \
        ("succeeded", 0, 0, 8212)
    assert count(portal, OutboxEntry) == outbox  # nothing for search to re-index
    assert count(portal, HarvestItem, HarvestItem.run_id == again.id,
                 HarvestItem.status == "unchanged") == 8212


def test_changed_title_updates_one_dataset(portal, seoul):
    harvest(portal, "seoul", Listing(seoul))
    target = first_ids(seoul)[3]
    before = count(portal, OutboxEntry)
    retitled = Listing(seoul, edit={target: lambda r: replace(r, title_ko="새 제목 데이터")})
    run = harvest(portal, "seoul", retitled)
    assert (run.new, run.updated, run.unchanged) == (0, 1, 19)
    assert dataset(portal, target).title_ko == "새 제목 데이터"
    assert count(portal, OutboxEntry) == before + 1


def test_entry_missing_for_withdraw_after_runs_is_withdrawn_not_deleted(portal, seoul):
    harvest(portal, "seoul", Listing(seoul))
    gone = first_ids(seoul)[5]
    without = Listing(seoul, drop=[gone])
    for missed in (1, 2):
        run = harvest(portal, "seoul", without, withdraw_after=3)
        assert run.withdrawn == 0
        assert (dataset(portal, gone).missing_runs, dataset(portal, gone).withdrawn_at) == \
            (missed, None)
    run = harvest(portal, "seoul", without, withdraw_after=3)
    assert (run.status, run.withdrawn, run.unchanged) == ("succeeded", 1, 19)
    assert dataset(portal, gone).withdrawn_at is not None  # still there, withdrawn
    assert count(portal, Dataset) == 20

    back = harvest(portal, "seoul", Listing(seoul), withdraw_after=3)
    assert back.updated == 1
    assert (dataset(portal, gone).missing_runs, dataset(portal, gone).withdrawn_at) == (0, None)


def test_failed_item_keeps_previous_version(portal, seoul):
    harvest(portal, "seoul", Listing(seoul))
    target = first_ids(seoul)[2]
    title = dataset(portal, target).title_ko

    def broken(record):
        # A code the portal does not know, as a source might start sending one.
        record = replace(record, title_ko="바뀐 제목")
        object.__setattr__(record, "theme", "우주")
        return record

    run = harvest(portal, "seoul", Listing(seoul, edit={target: broken}))
    assert (run.status, run.failed, run.unchanged) == ("partially_failed", 1, 19)
    assert dataset(portal, target).title_ko == title
    with portal.sessions() as session:
        item = session.scalar(select(HarvestItem).where(HarvestItem.run_id == run.id,
                                                        HarvestItem.status == "failed"))
    assert (item.source_id, item.error_code) == (target, "DatasetError")
    assert "우주" in item.error_message
    assert dataset(portal, target).missing_runs == 0  # listed, so not missing


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def add_running(portal, **fields) -> int:
    with portal.sessions.begin() as session:
        run = HarvestRun(source="seoul", status="running", **fields)
        session.add(run)
    return run.id


def statuses(portal):
    with portal.sessions() as session:
        return [(r.id, r.status) for r in session.scalars(select(HarvestRun)
                                                          .order_by(HarvestRun.id))]


def test_a_run_whose_process_died_is_marked_failed_at_next_start(portal, seoul):
    # Same host, its process gone: interrupted at once, however recent its last save.
    left = add_running(portal, started_at=utcnow(), alive_at=utcnow(), host=runs.HOST,
                       pid=dead_pid())
    run = harvest(portal, "seoul", Listing(seoul, n=3))
    assert statuses(portal) == [(left, "failed"), (run.id, "succeeded")]
    with portal.sessions() as session:
        closed = session.get(HarvestRun, left)
    assert "interrupted" in closed.error_message and closed.finished_at is not None


def test_a_live_run_of_the_source_keeps_a_second_from_starting(portal, seoul):
    # Alive: this very process, or another host that saved a moment ago.
    for fields in ({"host": runs.HOST, "pid": os.getpid()},
                   {"host": "other-host", "pid": 1}):
        with portal.sessions.begin() as session:
            session.execute(update(HarvestRun).values(status="failed"))
        live = add_running(portal, started_at=utcnow(), alive_at=utcnow(), **fields)
        with pytest.raises(HarvestBusy, match=f"#{live}"):
            harvest(portal, "seoul", Listing(seoul, n=3))
        assert statuses(portal)[-1] == (live, "running")   # left alone, nothing added
    assert count(portal, Dataset) == 0


def test_a_run_silent_for_longer_than_stale_after_is_interrupted(portal, seoul):
    silent = add_running(portal, started_at=utcnow() - timedelta(hours=2),
                         alive_at=utcnow() - timedelta(minutes=45), host="other-host", pid=1)
    run = harvest(portal, "seoul", Listing(seoul, n=3), stale_after=timedelta(minutes=30))
    assert statuses(portal) == [(silent, "failed"), (run.id, "succeeded")]


def test_the_database_holds_one_running_run_per_source(portal):
    add_running(portal, started_at=utcnow())
    with pytest.raises(IntegrityError):
        add_running(portal, started_at=utcnow())
    with portal.sessions.begin() as session:   # finished runs of a source are not limited
        session.add_all([HarvestRun(source="seoul", status="failed") for _ in range(2)])


def test_quota_exceeded_stops_the_run_cleanly_and_keeps_what_was_done(portal, seoul, server):
    harvest(portal, "seoul", Listing(seoul, n=5))
    quota = (RECORDED / "seoul" / "ERROR-337.json").read_bytes()
    server.faults.add("body", times=10, body=quota, when=lambda seen: "/1001/2000/" in seen.path)
    run = harvest(portal, "seoul", seoul)
    assert (run.status, run.new, run.unchanged, run.withdrawn) == ("partially_failed", 995, 5, 0)
    assert "quota" in run.error_message.lower()
    assert count(portal, Dataset) == 1000
    assert count(portal, Dataset, Dataset.missing_runs > 0) == 0  # an incomplete listing


def test_dry_run_counts_and_writes_nothing_but_the_run(portal, seoul):
    run = harvest(portal, "seoul", Listing(seoul), dry_run=True)
    assert (run.status, run.new, run.dry_run) == ("succeeded", 20, True)
    assert count(portal, Dataset) == count(portal, OutboxEntry) == count(portal, HarvestItem) == 0
    assert count(portal, HarvestRun) == 1


def test_only_harvests_the_named_entries_and_withdraws_nothing(portal, seoul):
    harvest(portal, "seoul", Listing(seoul, n=5))
    target = first_ids(seoul)[1]
    run = harvest(portal, "seoul", Listing(seoul, n=5), only=[target])
    assert (run.unchanged, run.new, run.withdrawn) == (1, 0, 0)
    assert count(portal, Dataset, Dataset.missing_runs > 0) == 0


def test_relaxed_commits_leave_the_pooled_connections_as_they_were(portal, seoul):
    if portal.engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    harvest(portal, "seoul", Listing(seoul, n=3))
    idle = [portal.engine.connect() for _ in range(portal.engine.pool.checkedin())]
    try:
        assert idle and all(c.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
                            for c in idle)
    finally:
        for connection in idle:
            connection.close()
