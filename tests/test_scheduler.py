"""The harvest scheduler: jobs from configuration in the database job store, one run per
source at a time, harvests from the recorded responses marked as the scheduler's."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, select, text

from portal import scheduler
from portal.app import Portal
from portal.catalog.models import Dataset, HarvestItem, HarvestRun, utcnow
from portal.config import ConfigError, load_config
from tests.conftest import ROOT, SAMPLE


def settings_of(config, **changes):
    """The test configuration with some settings changed: `{"scheduler__seoul": …}`."""
    overrides = {("data", "dir"): str(config.data_dir),
                 ("database", "url"): config.database_url,
                 ("admin", "token"): config.get("admin", "token"),
                 ("demo", "dir"): str(SAMPLE)}
    for name, value in changes.items():
        section, key = name.split("__")
        overrides[(section, key)] = value
    return load_config(config.base_dir / "absent.toml", env={}, overrides=overrides)


@pytest.fixture
def make_portal(config):
    made = []

    def make(**changes):
        state = Portal.from_config(settings_of(config, **changes))
        made.append(state)
        return state

    yield make
    for state in made:
        state.close()


def stored_jobs(portal):
    store = SQLAlchemyJobStore(engine=portal.engine, tablename=scheduler.JOB_TABLE)
    return {job.id: job for job in store.get_all_jobs()}


def cron_fields(job_or_trigger) -> dict[str, str]:
    trigger = getattr(job_or_trigger, "trigger", job_or_trigger)
    return {field.name: str(field) for field in trigger.fields}


def test_jobs_are_created_from_configuration_with_cron_triggers_in_the_database(make_portal):
    portal = make_portal(scheduler__seoul="0 3 * * *", scheduler__kosis="30 4 * * 1",
                         scheduler__mois="0 5 1 * *")
    scheduler.stop(scheduler.start(portal))

    jobs = stored_jobs(portal)
    assert set(jobs) == {"harvest:seoul", "harvest:kosis", "harvest:mois"}
    assert cron_fields(jobs["harvest:mois"])["day"] == "1"
    seoul, kosis = jobs["harvest:seoul"], jobs["harvest:kosis"]
    assert cron_fields(seoul)["hour"] == "3" and cron_fields(seoul)["minute"] == "0"
    # Crontab's weekday 1 is Monday (APScheduler 3 itself would read it as Tuesday).
    assert cron_fields(kosis)["day_of_week"] == "mon" and cron_fields(kosis)["minute"] == "30"
    assert str(seoul.trigger.timezone) == "Asia/Seoul"
    assert seoul.func is scheduler.scheduled_harvest and seoul.args == ("seoul",)
    assert (seoul.coalesce, seoul.max_instances, seoul.misfire_grace_time) == (True, 1, 3600)
    assert scheduler.next_run_times(portal)["seoul"] == seoul.next_run_time


def test_a_second_start_replaces_the_jobs_and_a_changed_schedule_takes_effect(make_portal):
    scheduler.stop(scheduler.start(make_portal(scheduler__seoul="0 3 * * *",
                                               scheduler__kosis="0 4 * * *")))
    portal = make_portal(scheduler__seoul="15 5 * * *")
    scheduler.stop(scheduler.start(portal))

    jobs = stored_jobs(portal)
    assert list(jobs) == ["harvest:seoul"]  # kosis's schedule was emptied: its job is gone
    assert cron_fields(jobs["harvest:seoul"])["hour"] == "5"
    with portal.engine.connect() as connection:
        assert connection.scalar(text(f"SELECT count(*) FROM {scheduler.JOB_TABLE}")) == 1


def test_the_scheduler_drains_the_outbox_only_when_the_web_process_does_not(make_portal):
    web_drains = make_portal()
    scheduler.stop(scheduler.start(web_drains))
    assert stored_jobs(web_drains) == {}

    portal = make_portal(search__drain_interval=0.0, scheduler__drain_interval=7.0)
    scheduler.stop(scheduler.start(portal))
    drain = stored_jobs(portal)[scheduler.DRAIN_JOB]
    assert drain.trigger.interval.total_seconds() == 7.0


def test_a_schedule_that_is_not_cron_is_an_error_naming_the_setting(make_portal):
    with pytest.raises(ConfigError, match=r"\[scheduler\] seoul = '0 3 \* \*'"):
        scheduler.start(make_portal(scheduler__seoul="0 3 * *"))


def test_every_connector_has_a_schedule_and_a_base_url_setting(portal):
    from connectors import connector_names
    for name in connector_names():
        assert portal.config.get("scheduler", name) == ""
        assert portal.config.get("harvest", f"{name}_base_url") == ""


def add_running_run(portal, source="seoul", started_at=None):
    with portal.sessions.begin() as session:
        run = HarvestRun(source=source, status="running", started_at=started_at or utcnow(),
                         trigger="cli")
        session.add(run)
    return run.id


def runs(portal):
    with portal.sessions() as session:
        return list(session.scalars(select(HarvestRun).order_by(HarvestRun.id)))


def test_a_source_with_a_running_run_is_skipped_and_the_run_left_alone(make_portal):
    portal = make_portal(harvest__seoul_base_url="replay:/seoul-full")
    running = add_running_run(portal)
    with pytest.raises(scheduler.HarvestRefused, match="running"):
        scheduler.run_harvest(portal, "seoul", trigger="scheduler")

    running_scheduler = scheduler.start(portal)
    try:
        scheduler.scheduled_harvest("seoul")  # what the job does: logs and returns
    finally:
        scheduler.stop(running_scheduler)
    assert [(run.id, run.status) for run in runs(portal)] == [(running, "running")]


def test_the_scheduled_job_harvests_the_replay_server_as_the_scheduler(make_portal):
    portal = make_portal(harvest__seoul_base_url="replay:/seoul-full")
    running_scheduler = scheduler.start(portal)
    try:
        scheduler.scheduled_harvest("seoul")
    finally:
        scheduler.stop(running_scheduler)

    [run] = runs(portal)
    assert (run.source, run.trigger) == ("seoul", "scheduler")
    assert run.status in ("succeeded", "partially_failed") and run.finished_at is not None
    with portal.sessions() as session:
        items = session.scalar(select(func.count()).select_from(HarvestItem)
                               .where(HarvestItem.run_id == run.id))
        datasets = session.scalar(select(func.count()).select_from(Dataset))
    assert items == 1 and datasets == run.new + run.updated


def test_a_run_left_running_by_a_dead_process_does_not_block_the_source(make_portal):
    portal = make_portal(harvest__seoul_base_url="replay:/seoul-full",
                         harvest__stale_after_minutes=60)
    stale = add_running_run(portal, started_at=utcnow() - timedelta(hours=2))
    run = scheduler.run_harvest(portal, "seoul", trigger="admin")
    assert run.id != stale and run.trigger == "admin"
    assert runs(portal)[0].status == "failed"  # closed as interrupted by the new run


def test_a_shutdown_stops_a_running_harvest_between_entries(make_portal, monkeypatch):
    portal = make_portal(harvest__seoul_base_url="replay:/seoul-full")
    monkeypatch.setattr(scheduler, "_stopping", scheduler.threading.Event())
    scheduler._stopping.set()
    with pytest.raises(scheduler.HarvestStopped):
        scheduler.run_harvest(portal, "seoul", trigger="scheduler")
    [run] = runs(portal)
    assert run.status == "failed" and "shutting down" in run.error_message
    # The source's lock was released: the next run may start.
    scheduler._stopping.clear()
    assert scheduler.run_harvest(portal, "seoul", trigger="scheduler").status != "running"


def test_portal_scheduler_runs_until_sigterm_and_stops_cleanly(config, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("one process test is enough")
    env = {**os.environ, "PORTAL_CONFIG": str(tmp_path / "absent.toml"),
           "PORTAL_DATA__DIR": str(config.data_dir),
           "PORTAL_DATABASE__URL": database_url, "PORTAL_SCHEDULER__SEOUL": "0 3 * * *"}
    process = subprocess.Popen([sys.executable, "-m", "portal", "scheduler"], env=env,
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()  # printed once the jobs are installed
        process.send_signal(signal.SIGTERM)
        rest = process.stdout.read()
        assert process.wait() == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert first.startswith("harvest:seoul: next run ")
    assert "stopping" in rest


@pytest.mark.parametrize("weekday, names", [
    ("1-5", "mon,tue,wed,thu,fri"), ("0", "sun"), ("7", "sun"), ("*/2", "sun,tue,thu,sat"),
    ("5-7", "sun,fri,sat"), ("sat,sun", "sun,sat"), ("*", "*")])
def test_crontab_weekdays_keep_their_meaning_sunday_being_0_or_7(weekday, names, tmp_path):
    config = load_config(tmp_path / "absent.toml", env={})
    trigger = scheduler.cron_trigger(config, "seoul", f"0 3 * * {weekday}")
    assert cron_fields(trigger)["day_of_week"] == names
