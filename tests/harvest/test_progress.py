"""A run's progress is visible from another connection while it goes: the announced total
(`expected`) and the counts, saved every `progress_interval` seconds; and who started it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.catalog.models import HarvestItem, HarvestRun
from portal.harvest import harvest
from tests.harvest.conftest import count


class Watching:
    """A progress hook that reads the run row, as the admin page does, after item `at`."""

    def __init__(self, portal, at):
        self.portal, self.at, self.seen = portal, at, None

    def __call__(self, items, label=None, length=None):
        return _Bar(self, items)


class _Bar:
    def __init__(self, watch, items):
        self.watch, self.items = watch, items

    def __enter__(self):
        return self._each()

    def __exit__(self, *exc):
        return False

    def _each(self):
        for n, item in enumerate(self.items):
            if n == self.watch.at:
                with self.watch.portal.sessions() as session:
                    run = session.scalar(select(HarvestRun).order_by(HarvestRun.id.desc()))
                    self.watch.seen = (run.status, run.expected, run.new + run.unchanged,
                                       count(self.watch.portal, HarvestItem,
                                             HarvestItem.run_id == run.id))
            yield item


class FirstOf:
    def __init__(self, connector, n):
        self.connector, self.n = connector, n

    @property
    def total(self):
        return self.connector.total

    def list_datasets(self):
        for n, record in enumerate(self.connector.list_datasets()):
            if n == self.n:
                return
            yield record


def test_counts_and_the_announced_total_are_saved_while_the_run_goes(portal, seoul_tables):
    watch = Watching(portal, at=30)
    run = harvest(portal, "seoul", FirstOf(seoul_tables, 40), tables=False, progress=watch,
                  progress_interval=0)
    assert watch.seen == ("running", 8212, 30, 30)   # list_total_count, 30 done
    assert (run.status, run.expected, run.new) == ("succeeded", 8212, 40)

    watch = Watching(portal, at=30)
    harvest(portal, "seoul", FirstOf(seoul_tables, 40), tables=False, progress=watch,
            progress_interval=0)
    # Unchanged entries are recorded with the counts, so both agree for a reader.
    assert watch.seen == ("running", 8212, 30, 30)


def test_a_run_of_named_entries_expects_that_many(portal, seoul_tables):
    run = harvest(portal, "seoul", seoul_tables, only=["OA-2734", "OA-16053"], tables=False)
    assert (run.expected, run.new) == (2, 2)


def test_the_trigger_is_stored_on_the_run(portal, seoul_tables):
    run = harvest(portal, "seoul", FirstOf(seoul_tables, 2), trigger="scheduler")
    with portal.sessions() as session:
        assert session.get(HarvestRun, run.id).trigger == "scheduler"
    assert harvest(portal, "seoul", FirstOf(seoul_tables, 2)).trigger == "cli"
    with pytest.raises(ValueError, match="trigger"):
        harvest(portal, "seoul", FirstOf(seoul_tables, 2), trigger="cron")
