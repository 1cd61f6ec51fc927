"""One harvest run: list a source, create or update its datasets, record what happened.

Every entry is written in its own transaction, so a failing entry costs only itself and a
run cut off half-way (a quota, a crash) keeps what it had done. Unchanged entries write
nothing at all (no outbox row, so search is not asked to re-index 8,000 datasets a night):
they are compared with a snapshot of the source's datasets taken at the start.

States: queued → running → succeeded | partially_failed | failed. A run still "running"
when the next one of its source starts was interrupted (the process died) and is closed as
failed first.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

from connectors import Connector, DatasetRecord, QuotaExceeded, SourceError
from portal.catalog import datasets as catalog
from portal.catalog.models import Dataset, HarvestItem, HarvestRun, Resource, utcnow
from portal.catalog.organisations import seed_organisations
from portal.progress import no_progress
from portal.harvest.mapping import Mapped, apply_resources, current, map_record, \
    organisation_index

log = logging.getLogger(__name__)

RUN_STATES = ("queued", "running", "succeeded", "partially_failed", "failed")
ITEM_STATES = ("new", "updated", "unchanged", "failed", "withdrawn")
_ITEM_BATCH = 1000  # unchanged items are recorded in bulk, this many at a time


@dataclass
class _Known:
    """What the run knows of an existing dataset before touching it."""
    dataset_id: int
    dataset: Dataset | None  # as loaded at the start (detached); None when made by this run

    @property
    def withdrawn(self) -> bool:
        return self.dataset is not None and self.dataset.withdrawn_at is not None


def harvest(portal, source_name: str, connector: Connector, *, dry_run: bool = False,
            only: Iterable[str] | None = None, withdraw_after: int = 3,
            progress: Callable | None = None) -> HarvestRun:
    """Run `connector` over `source_name` and return the finished run (detached)."""
    wanted = set(only) if only is not None else None
    run = _start(portal, source_name, dry_run)
    job = _Job(portal, run, dry_run)
    try:
        job.load()
        records = connector.list_datasets()
        if wanted is not None:
            records = (r for r in records if r.source_id in wanted)
        with (progress or no_progress)(records, f"harvest {source_name}") as bar:
            for record in bar:
                job.item(record)
        job.flush_unchanged()
        if wanted is None and not dry_run:
            job.withdraw_missing(withdraw_after)
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


def _start(portal, source: str, dry_run: bool) -> HarvestRun:
    now = utcnow()
    with portal.sessions.begin() as session:
        session.execute(update(HarvestRun)
                        .where(HarvestRun.source == source, HarvestRun.status == "running")
                        .values(status="failed", finished_at=now,
                                error_message="interrupted: the run did not finish"))
        run = HarvestRun(source=source, status="running", started_at=now, dry_run=dry_run)
        session.add(run)
    return run


def _finish(portal, job: _Job, status: str, message: str | None) -> None:
    job.flush_unchanged(ignore_errors=True)
    run = job.run
    run.status, run.error_message, run.finished_at = status, message, utcnow()
    with portal.sessions.begin() as session:
        session.merge(run)
    log.info("harvest %s #%s %s: %s", run.source, run.id, status, run.counts())


class _Job:
    """The state of one run between items: counts, the snapshot, pending unchanged items."""

    def __init__(self, portal, run: HarvestRun, dry_run: bool):
        self.portal, self.run, self.dry_run = portal, run, dry_run
        self.known: dict[str, _Known] = {}
        self.orgs: dict[str, int] = {}
        self.unchanged: list[dict] = []

    def load(self) -> None:
        with self.portal.sessions.begin() as session:
            if not self.dry_run:
                seed_organisations(session)
            self.orgs = organisation_index(session)
            query = (select(Dataset).where(Dataset.source == self.run.source)
                     .options(selectinload(Dataset.resources)
                              .selectinload(Resource.table_versions)))
            for dataset in session.scalars(query):
                self.known[dataset.source_id] = _Known(dataset.id, dataset)

    def item(self, record: DatasetRecord) -> None:
        known = self.known.get(record.source_id)
        try:
            if record.source != self.run.source:
                # Withdrawal counts misses per source: a run must own all it writes.
                raise catalog.DatasetError(f"record of source {record.source!r} in a run of "
                                           f"{self.run.source!r}")
            mapped = map_record(record, self.orgs)
            catalog.check_fields(dict(mapped.fields))
        except (catalog.DatasetError, SourceError, ValueError) as exc:
            return self._failed(record, known, exc)
        if known is not None and known.dataset is not None and not known.withdrawn \
                and current(known.dataset, mapped) == mapped:
            self.run.unchanged += 1
            self._note_unchanged(record, known)
            return
        if self.dry_run:
            self._count("updated" if known else "new")
            return
        try:
            with self.portal.sessions.begin() as session:
                status, dataset_id = _write(session, record, mapped, known, self.run.id)
        except (catalog.DatasetError, SourceError, ValueError) as exc:
            return self._failed(record, known, exc)
        self._count(status)
        if known is None:
            self.known[record.source_id] = _Known(dataset_id, None)

    def _count(self, status: str) -> None:
        setattr(self.run, status, getattr(self.run, status) + 1)

    def _note_unchanged(self, record: DatasetRecord, known: _Known) -> None:
        if self.dry_run:
            return
        self.unchanged.append({"run_id": self.run.id, "source_id": record.source_id,
                               "dataset_id": known.dataset_id, "status": "unchanged"})
        if len(self.unchanged) >= _ITEM_BATCH:
            self.flush_unchanged()

    def flush_unchanged(self, ignore_errors: bool = False) -> None:
        if not self.unchanged:
            return
        rows, self.unchanged = self.unchanged, []
        try:
            with self.portal.sessions.begin() as session:
                session.execute(insert(HarvestItem), rows)
        except Exception:
            if not ignore_errors:
                raise
            log.exception("harvest #%s: %d unchanged items not recorded", self.run.id,
                          len(rows))

    def _failed(self, record: DatasetRecord, known: _Known | None, exc: Exception) -> None:
        # The previous version stays: nothing of this entry was written.
        self.run.failed += 1
        code = getattr(exc, "code", None) or type(exc).__name__
        log.warning("harvest %s #%s: %s failed: %s", self.run.source, self.run.id,
                    record.source_id, exc)
        if self.dry_run:
            return
        with self.portal.sessions.begin() as session:
            session.add(HarvestItem(run_id=self.run.id, source_id=record.source_id,
                                    dataset_id=known.dataset_id if known else None,
                                    status="failed", error_code=str(code)[:60],
                                    error_message=str(exc)))

    def withdraw_missing(self, withdraw_after: int) -> None:
        """After a complete listing: count a miss for every dataset the source no longer
        lists, and withdraw those missed `withdraw_after` runs in a row (kept, not deleted).

        The counter is bookkeeping, not something search shows, so it is changed with plain
        UPDATEs (no outbox rows); a withdrawal is, and goes through the ORM."""
        seen = (select(HarvestItem.dataset_id)
                .where(HarvestItem.run_id == self.run.id, HarvestItem.dataset_id.is_not(None))
                .scalar_subquery())
        of_source = Dataset.source == self.run.source
        with self.portal.sessions.begin() as session:
            session.execute(update(Dataset).where(of_source, Dataset.missing_runs > 0,
                                                  Dataset.id.in_(seen))
                            .values(missing_runs=0))
            session.execute(update(Dataset).where(of_source, Dataset.id.not_in(seen))
                            .values(missing_runs=Dataset.missing_runs + 1))
        with self.portal.sessions.begin() as session:
            now = utcnow()
            gone = session.scalars(select(Dataset).where(
                of_source, Dataset.withdrawn_at.is_(None),
                Dataset.missing_runs >= withdraw_after))
            for dataset in gone:
                dataset.withdrawn_at = now
                session.add(HarvestItem(run_id=self.run.id, source_id=dataset.source_id,
                                        dataset_id=dataset.id, status="withdrawn"))
                self.run.withdrawn += 1


def _write(session, record: DatasetRecord, mapped: Mapped, known: _Known | None,
           run_id: int) -> tuple[str, int]:
    """Create or update one dataset and record the item, in the caller's transaction."""
    fields = {**mapped.fields, "source": record.source, "source_id": record.source_id,
              "harvested_at": utcnow()}
    dataset = session.scalar(select(Dataset).where(Dataset.source == record.source,
                                                   Dataset.source_id == record.source_id))
    if dataset is None:
        dataset = catalog.create_dataset(session, mapped.slug, **fields)
        status = "new"
    else:
        catalog.update_dataset(session, dataset, **fields)
        status = "updated"
    apply_resources(dataset, mapped)
    # Listed again: no longer missing, and back if it had been withdrawn.
    dataset.missing_runs, dataset.withdrawn_at = 0, None
    session.add(HarvestItem(run_id=run_id, source_id=record.source_id, dataset_id=dataset.id,
                            status=status))
    session.flush()
    return status, dataset.id
