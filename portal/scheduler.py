"""The harvest scheduler (수집 일정): one cron job per source, in its own process.

    portal scheduler        # runs until SIGTERM or SIGINT

APScheduler keeps its jobs in the metadata database (table `apscheduler_jobs`), so the admin
page of any web worker can show the next run time. Jobs are replaced on every start, so a
changed schedule takes effect with the next start; a source whose schedule became empty
loses its job.

A source runs once at a time: APScheduler's max_instances guards this process, a lock per
source guards the admin page's threads, and a live run of the source in the database
(another process) makes a new one refuse to start (the harvest's own rule, which the
database backs with a unique index). `run_harvest` is the one way the
scheduler and the admin page start a harvest.
"""
from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import SQLAlchemyError

from portal.catalog.models import HarvestRun
from portal.config import ConfigError
from portal.harvest import harvest, runs
from portal.harvest.sources import harvestable, open_source, stale_after
from portal.progress import no_progress

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"  # also in portal.db.LIBRARY_TABLES: migrations leave it alone
HARVEST_JOB = "harvest:{source}"
DRAIN_JOB = "outbox-drain"

_source_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_stopping = threading.Event()  # set on SIGTERM/SIGINT: running harvests stop between entries
_scheduler_portal = None  # the scheduler process's Portal, for the stored job functions


class HarvestRefused(RuntimeError):
    """A harvest cannot start now; `message_ko` says why, for a page."""

    def __init__(self, message: str, message_ko: str):
        super().__init__(message)
        self.message_ko = message_ko


class HarvestStopped(RuntimeError):
    """Raised between two entries when the scheduler shuts down: the run ends as failed."""


# --- configuration ------------------------------------------------------------------------

def schedules(config) -> dict[str, str]:
    """The configured cron schedule of every source (empty: not scheduled)."""
    return {name: config.get("scheduler", name).strip()
            for name in harvestable() if _declared(config, "scheduler", name)}


def cron_trigger(config, source: str, cron: str) -> CronTrigger:
    try:
        minute, hour, day, month, weekday = _five_fields(cron)
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=_crontab_weekdays(weekday),
                           timezone=config.get("scheduler", "timezone"))
    except (ValueError, LookupError) as exc:
        raise ConfigError(f"[scheduler] {source} = {cron!r}: not a cron schedule "
                          f"(minute hour day month weekday, e.g. \"0 3 * * *\"): {exc}") from None


_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _five_fields(cron: str) -> list[str]:
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"{len(fields)} fields, expected 5")
    return fields


def _crontab_weekdays(field: str) -> str:
    """Crontab weekdays (0 or 7 = Sunday) as names: APScheduler 3 counts 0 as Monday, so
    "1-5" or "*/2" would otherwise shift by a day."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.lower().split(","):
        base, _, step = part.partition("/")
        if base == "*":
            first, last = 0, 6
        else:
            start, _, end = base.partition("-")
            first = _weekday_number(start)
            last = _weekday_number(end) if end else (6 if step else first)
        if last < first and last == 0:
            last = 7  # "5-7" or "fri-sun"
        if last < first:
            raise ValueError(f"weekday range {base!r} runs backwards")
        days.update(day % 7 for day in range(first, last + 1, int(step or 1)))
    return ",".join(_WEEKDAYS[day] for day in sorted(days))


def _weekday_number(value: str) -> int:
    if value in _WEEKDAYS:
        return _WEEKDAYS.index(value)
    number = int(value)
    if not 0 <= number <= 7:
        raise ValueError(f"weekday {value!r} is not 0-7")
    return number


def _declared(config, section: str, key: str) -> bool:
    try:
        config.get(section, key)
    except KeyError:
        return False
    return True


# --- one harvest ---------------------------------------------------------------------------

def run_harvest(portal, source: str, *, trigger: str, lock: threading.Lock | None = None):
    """Harvest `source` now, in this thread, and return the finished run.

    Raises HarvestRefused when the source cannot run (unknown, or a run of it is going on).
    `lock`: the source's lock, already held by the caller (see `start_harvest_thread`)."""
    lock = lock or claim(portal, source)
    try:
        with open_source(portal.config, source) as (connector, options):
            return harvest(portal, source, connector, trigger=trigger,
                           progress=_until_stopped, **options)
    except runs.HarvestBusy:
        # Another process started it between our check and our start.
        raise _already_running(source) from None
    finally:
        lock.release()


def claim(portal, source: str) -> threading.Lock:
    """The source's lock, held, after checking that no run of it is going on anywhere."""
    if source not in harvestable():
        raise HarvestRefused(f"{source!r} is not a source a harvest can run over",
                             f"'{source}'은(는) 수집할 수 있는 출처가 아닙니다.")
    with _locks_guard:
        lock = _source_locks.setdefault(source, threading.Lock())
    if not lock.acquire(blocking=False):
        raise _already_running(source)
    try:
        if running_run(portal, source) is not None:
            raise _already_running(source)
    except BaseException:
        lock.release()
        raise
    return lock


def start_harvest_thread(portal, source: str, *, trigger: str) -> threading.Thread:
    """Start a harvest in a background thread (the admin page's 지금 실행). The refusal
    comes at once, in the caller's thread; the run itself is read from the database."""
    lock = claim(portal, source)

    def work() -> None:
        try:
            run_harvest(portal, source, trigger=trigger, lock=lock)
        except Exception:
            log.exception("harvest %s (%s) failed", source, trigger)

    thread = threading.Thread(target=work, name=f"harvest-{source}", daemon=True)
    thread.start()
    return thread


def running_run(portal, source: str) -> HarvestRun | None:
    """The run of `source` going on now, anywhere (the harvest's own rule, `[harvest]
    stale_after_minutes`)."""
    return runs.running_run(portal, source, stale_after(portal.config))


def _already_running(source: str) -> HarvestRefused:
    return HarvestRefused(f"a harvest of {source} is running",
                          f"'{source}' 수집이 이미 실행 중입니다. 끝난 뒤에 다시 실행하세요.")


def _until_stopped(items, label=None, length=None):
    """The progress hook: stops a run between two entries when the scheduler shuts down
    (harvest() then records it as failed, with the reason)."""
    def entries():
        for item in items:
            if _stopping.is_set():
                raise HarvestStopped("the scheduler is shutting down")
            yield item
    return no_progress(entries(), label, length)


# --- the scheduler ----------------------------------------------------------------------

def build_scheduler(portal) -> BackgroundScheduler:
    config = portal.config
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=portal.engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": config.get("scheduler", "misfire_grace_seconds")},
        timezone=config.get("scheduler", "timezone"))


def install_jobs(scheduler, portal) -> list[str]:
    """Add or replace the configured jobs and remove the unconfigured ones; their ids."""
    config = portal.config
    wanted = {}
    for source, cron in schedules(config).items():
        if not cron:
            continue
        wanted[HARVEST_JOB.format(source=source)] = dict(
            func=scheduled_harvest, trigger=cron_trigger(config, source, cron), args=[source],
            name=f"harvest {source}")
    if config.get("search", "drain_interval") <= 0:
        wanted[DRAIN_JOB] = dict(func=scheduled_drain, trigger="interval",
                                 seconds=config.get("scheduler", "drain_interval"),
                                 name="search outbox drain")
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
    for job_id, job in wanted.items():
        scheduler.add_job(id=job_id, replace_existing=True, **job)
    return sorted(wanted)


def next_run_times(portal) -> dict[str, datetime | None]:
    """Next run time of each scheduled source, read from the job store (any process)."""
    store = SQLAlchemyJobStore(engine=portal.engine, tablename=JOB_TABLE)
    times = {}
    for source in harvestable():
        try:
            job = store.lookup_job(HARVEST_JOB.format(source=source))
        except (SQLAlchemyError, LookupError):
            return {}  # the scheduler never ran here: no table yet
        if job is not None:
            times[source] = job.next_run_time
    return times


def scheduled_harvest(source: str) -> None:
    """The stored job: a harvest started by the scheduler."""
    try:
        run = run_harvest(_scheduler_portal, source, trigger="scheduler")
    except HarvestRefused as exc:
        log.warning("scheduled harvest of %s skipped: %s", source, exc)
        return
    except HarvestStopped:
        log.info("scheduled harvest of %s stopped by the shutdown", source)
        return
    log.info("scheduled harvest %s #%s: %s %s", source, run.id, run.status, run.counts())


def scheduled_drain() -> None:
    from portal import sync
    sync.drain(_scheduler_portal.sessions, _scheduler_portal.search)


def start(portal) -> BackgroundScheduler:
    """Start the scheduler in this process with the configured jobs."""
    global _scheduler_portal
    _scheduler_portal = portal
    _stopping.clear()
    scheduler = build_scheduler(portal)
    scheduler.start(paused=True)
    try:
        install_jobs(scheduler, portal)
    except BaseException:
        scheduler.shutdown(wait=False)
        raise
    scheduler.resume()
    return scheduler


def stop(scheduler) -> None:
    """Stop scheduling; running harvests end after their current entry."""
    _stopping.set()
    try:
        scheduler.shutdown(wait=True)
    finally:
        _stopping.clear()  # only this scheduler's harvests were meant


def run_forever(portal, echo=print) -> None:
    """`portal scheduler`: run until SIGTERM or SIGINT, then shut down cleanly."""
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    scheduler = start(portal)
    for job in scheduler.get_jobs():
        echo(f"{job.id}: next run {job.next_run_time:%Y-%m-%d %H:%M %Z}")
    if not scheduler.get_jobs():
        echo("no schedule configured ([scheduler] in config.toml); waiting")
    while not done.wait(1.0):  # a timed wait lets the signal handler run promptly
        pass
    echo("stopping: running harvests end after their current entry")
    stop(scheduler)
