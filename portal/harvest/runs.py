"""One harvest run: list a source, create or update its datasets, record what happened.

Every entry is written in its own transaction, so a failing entry costs only itself and a
run cut off half-way (a quota, a crash) keeps what it had done. Unchanged entries write
nothing at all (no outbox row, so search is not asked to re-index 8,000 datasets a night):
they are compared with a snapshot of the source's datasets taken at the start. Table
contents go through the one ingest path, whose content hash decides whether anything
changed (`tables`).

A run belongs to a connector (`seoul`, `kosis`, `mois`) and owns every record source the
connector produces (`mois`: datagokr, mois, localdata): withdrawal counts misses over all of
them, and a record of another source fails.

States: queued → running → succeeded | partially_failed | failed. One run per source at a
time: a new run refuses to start (HarvestBusy) while another is alive, in this process or
any other; a partial unique index makes the database refuse a second running row when two
start in the same instant. A run still "running" whose process is gone (same host), or that
has shown no sign of life (its saved counts) for `stale_after`, was interrupted and is closed
as failed first. The counts and the announced total (`expected`) are saved while it goes.
"""
from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from connectors import Connector, QuotaExceeded, SourceError
from portal.catalog.models import Dataset, HarvestItem, HarvestRun, utcnow
from portal.harvest.job import Job
from portal.progress import no_progress

log = logging.getLogger(__name__)

RUN_STATES = ("queued", "running", "succeeded", "partially_failed", "failed")
ITEM_STATES = ("new", "updated", "unchanged", "failed", "withdrawn")
TRIGGERS = ("cli", "scheduler", "admin")
STALE_AFTER = timedelta(minutes=30)
HOST = socket.gethostname()
INTERRUPTED = "interrupted: the run did not finish"


class HarvestBusy(RuntimeError):
    """A run of the source is going on; it must end (or die) before another starts."""

    def __init__(self, source: str, run_id: int | None, started_at: datetime | None = None,
                 host: str | None = None, pid: int | None = None):
        since = f", started {started_at:%Y-%m-%d %H:%M} UTC" if started_at else ""
        where = f" on {host} (process {pid})" if host else ""
        super().__init__(f"a harvest of {source} is running (#{run_id}{since}{where})")
        self.source, self.run_id = source, run_id


def harvest(portal, source_name: str, connector: Connector, *, dry_run: bool = False,
            only: Iterable[str] | None = None, withdraw_after: int = 3,
            tables: bool | Collection[str] = True, trigger: str = "cli",
            progress: Callable | None = None, progress_interval: float = 1.0,
            item_batch: int = 1000, durable_commits: bool = False,
            stale_after: timedelta = STALE_AFTER) -> HarvestRun:
    """Run `connector` over `source_name` and return the finished run (detached).

    `tables`: fetch and ingest table contents (True), not at all (False), or only for
    these source IDs. `progress_interval`: seconds between saves of the run's counts.
    `durable_commits`: on PostgreSQL, wait for each entry's commit to reach the disk.
    Raises HarvestBusy, before anything is written, while another run of the source lives."""
    if trigger not in TRIGGERS:
        raise ValueError(f"trigger {trigger!r}: one of {', '.join(TRIGGERS)}")
    wanted = set(only) if only is not None else None
    sources = tuple(getattr(connector, "sources", ()) or (source_name,))
    run = _start(portal, source_name, dry_run, trigger,
                 expected=len(wanted) if wanted is not None else None, stale_after=stale_after)
    job = Job(portal, run, sources=sources, dry_run=dry_run,
              fetch_table=getattr(connector, "fetch_table", None), tables=tables,
              progress_interval=progress_interval, item_batch=item_batch,
              durable_commits=durable_commits)
    try:
        job.load()
        records = connector.list_datasets()
        if wanted is not None:
            records = (r for r in records if r.source_id in wanted)
        with job.writing(), \
                (progress or no_progress)(records, f"harvest {source_name}") as bar:
            for record in bar:
                job.item(record)
                job.tick(None if wanted is not None else getattr(connector, "total", None))
        job.save()
        if wanted is None and not dry_run:
            _withdraw_missing(portal, run, sources, withdraw_after)
        status = "partially_failed" if run.failed else "succeeded"
    except QuotaExceeded as exc:
        # The quota resets by itself: keep what was done, and the next run goes on.
        status, run.error_message = "partially_failed", f"stopped, quota exceeded: {exc}"
    except SourceError as exc:
        status, run.error_message = "failed", f"source error: {exc}"
    except Exception as exc:
        _finish(portal, job, "failed", f"{type(exc).__name__}: {exc}")
        raise
    _finish(portal, job, status, run.error_message)
    return run


def _start(portal, source: str, dry_run: bool, trigger: str, expected: int | None,
           stale_after: timedelta) -> HarvestRun:
    now = utcnow()
    try:
        with portal.sessions.begin() as session:
            for other in session.scalars(select(HarvestRun).where(
                    HarvestRun.source == source, HarvestRun.status == "running")):
                if not is_interrupted(other, now, stale_after):
                    raise _busy(other)
                other.status, other.finished_at, other.error_message = "failed", now, INTERRUPTED
            session.flush()  # closed before the new run's row meets the unique index
            run = HarvestRun(source=source, status="running", started_at=now, dry_run=dry_run,
                             trigger=trigger, expected=expected, host=HOST, pid=os.getpid(),
                             alive_at=now)
            session.add(run)
    except IntegrityError:
        # Another process started a run of this source in the same instant.
        other = running_run(portal, source, stale_after)
        raise HarvestBusy(source, other.id if other else None) from None
    return run


def is_interrupted(run: HarvestRun, now: datetime, stale_after: timedelta) -> bool:
    """A running run whose process is gone (on this host), or silent for `stale_after`."""
    if run.host == HOST and run.pid is not None and not _process_alive(run.pid):
        return True
    last_sign = run.alive_at or run.started_at
    return last_sign is None or last_sign < now - stale_after


def running_run(portal, source: str, stale_after: timedelta = STALE_AFTER) -> HarvestRun | None:
    """The run of `source` that is going on now, if any (detached)."""
    with portal.sessions() as session:
        run = session.scalar(select(HarvestRun).where(HarvestRun.source == source,
                                                      HarvestRun.status == "running"))
    return run if run is not None and not is_interrupted(run, utcnow(), stale_after) else None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)          # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:      # it exists, under another user
        return True
    return True


def _busy(run: HarvestRun) -> HarvestBusy:
    return HarvestBusy(run.source, run.id, run.started_at, run.host, run.pid)


def _finish(portal, job: Job, status: str, message: str | None) -> None:
    job.save(ignore_errors=True)
    run = job.run
    run.status, run.error_message, run.finished_at = status, message, utcnow()
    with portal.sessions.begin() as session:
        session.merge(run)
    log.info("harvest %s #%s %s: %s", run.source, run.id, status, run.counts())


def _withdraw_missing(portal, run: HarvestRun, sources: tuple[str, ...],
                      withdraw_after: int) -> None:
    """After a complete listing: count a miss for every dataset the source no longer
    lists, and withdraw those missed `withdraw_after` runs in a row (kept, not deleted).

    The counter is bookkeeping, not something search shows, so it is changed with plain
    UPDATEs (no outbox rows); a withdrawal is, and goes through the ORM."""
    seen = (select(HarvestItem.dataset_id)
            .where(HarvestItem.run_id == run.id, HarvestItem.dataset_id.is_not(None))
            .scalar_subquery())
    of_source = Dataset.source.in_(sources)
    with portal.sessions.begin() as session:
        session.execute(update(Dataset).where(of_source, Dataset.missing_runs > 0,
                                              Dataset.id.in_(seen))
                        .values(missing_runs=0))
        session.execute(update(Dataset).where(of_source, Dataset.id.not_in(seen))
                        .values(missing_runs=Dataset.missing_runs + 1))
    with portal.sessions.begin() as session:
        now = utcnow()
        gone = session.scalars(select(Dataset).where(
            of_source, Dataset.withdrawn_at.is_(None),
            Dataset.missing_runs >= withdraw_after))
        for dataset in gone:
            dataset.withdrawn_at = now
            session.add(HarvestItem(run_id=run.id, source_id=dataset.source_id,
                                    dataset_id=dataset.id, status="withdrawn"))
            run.withdrawn += 1
