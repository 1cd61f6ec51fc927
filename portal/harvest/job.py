"""One run between its items: what it knows, what it decides per entry, what it has counted.

Per entry: map the record, compare it with the snapshot taken at the start, fetch its table
(outside any transaction: the network is slow), then write metadata, link and table in one
transaction. An entry whose metadata, link and table are all unchanged writes nothing but
its item row, and those are inserted in bulk with the run's counts, at least every
`progress_interval` seconds, so another process (the admin page) sees the run advance.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import selectinload

from connectors import AuthError, DatasetRecord, QuotaExceeded, SourceError
from portal.catalog import datasets as catalog
from portal.catalog.models import Dataset, HarvestItem, HarvestRun, Resource, utcnow
from portal.catalog.organisations import seed_organisations
from portal.harvest.links import Key, LinkIndex
from portal.harvest.mapping import current, map_record, organisation_index
from portal.harvest.tables import has_rows
from portal.harvest.writing import write_item

log = logging.getLogger(__name__)

COUNTS = ("new", "updated", "unchanged", "failed", "withdrawn")


@dataclass
class Known:
    """What the run knows of an existing dataset before touching it."""
    dataset_id: int
    dataset: Dataset | None  # as loaded at the start (detached); None when made by this run

    @property
    def withdrawn(self) -> bool:
        return self.dataset is not None and self.dataset.withdrawn_at is not None


class Job:
    def __init__(self, portal, run: HarvestRun, *, sources: tuple[str, ...], dry_run: bool,
                 fetch_table: Callable | None, tables: bool | Collection[str],
                 progress_interval: float, item_batch: int, durable_commits: bool = False):
        self.portal, self.run, self.sources, self.dry_run = portal, run, sources, dry_run
        self.fetch_table, self.tables = fetch_table, tables
        self.progress_interval, self.item_batch = progress_interval, item_batch
        self.durable_commits = durable_commits
        self.connection = None   # see writing()
        self.known: dict[Key, Known] = {}
        self.links = LinkIndex(())
        self.orgs: dict[str, int] = {}
        self.pending: list[dict] = []   # unchanged items not yet inserted
        self.saved_at = time.monotonic()

    def load(self) -> None:
        with self.portal.sessions.begin() as session:
            if not self.dry_run:
                seed_organisations(session)
            self.orgs = organisation_index(session)
            query = (select(Dataset).where(Dataset.source.in_(self.sources))
                     .options(selectinload(Dataset.resources)
                              .selectinload(Resource.table_versions)))
            for dataset in session.scalars(query):
                self.known[(dataset.source, dataset.source_id)] = Known(dataset.id, dataset)
            self.links = LinkIndex(session.execute(
                select(Dataset.source, Dataset.source_id, Dataset.id, Dataset.same_as_id)))

    # One entry ---------------------------------------------------------------------------

    def item(self, record: DatasetRecord) -> None:
        key = (record.source, record.source_id)
        known = self.known.get(key)
        try:
            if record.source not in self.sources:
                # Withdrawal counts misses per source: a run must own all it writes.
                raise catalog.DatasetError(f"record of source {record.source!r} in a run of "
                                           f"{self.run.source!r}")
            mapped = map_record(record, self.orgs)
            catalog.check_fields(dict(mapped.fields))
        except (catalog.DatasetError, SourceError, ValueError) as exc:
            return self._failed(record, known, exc)
        same_as = self.links.primary_for(record)
        unchanged = known is not None and known.dataset is not None and not known.withdrawn \
            and known.dataset.same_as_id == same_as and current(known.dataset, mapped) == mapped
        if self.dry_run:
            return self._count("unchanged" if unchanged else "updated" if known else "new")
        try:
            content = self._table(record)
        except (AuthError, QuotaExceeded):
            raise  # every further entry would fail the same way: stop the run
        except (SourceError, ValueError) as exc:
            return self._failed(record, known, exc)
        if unchanged and content is None:
            return self._unchanged(record, known.dataset_id)
        try:
            with self._write_transaction() as session:
                status, dataset_id = write_item(
                    session, self.portal.store, record, mapped, run_id=self.run.id,
                    same_as_id=same_as, metadata=not unchanged, content=content)
        except (catalog.DatasetError, SourceError, ValueError) as exc:
            return self._failed(record, known, exc)
        if known is None:
            self.known[key] = Known(dataset_id, None)
            self.links.add(key, dataset_id, same_as)
        if status == "unchanged":
            return self._unchanged(record, dataset_id)
        self._count(status)

    @contextmanager
    def writing(self):
        """The run's own connection for the entries' transactions (one checkout, not one
        per entry). On PostgreSQL its commits do not wait for the disk (synchronous_commit
        off, unless `durable_commits`): each entry is still all or nothing, and a crash of
        the database server can lose only the last moment's entries, which the next run
        writes again; the wait was a fifth of a first harvest's time."""
        with self.portal.engine.connect() as connection:
            relaxed = not self.durable_commits and connection.dialect.name == "postgresql"
            if relaxed:
                connection.execute(text("SET synchronous_commit TO OFF"))
                connection.commit()
            self.connection = connection
            try:
                yield
            finally:
                self.connection = None
                if relaxed and not connection.closed and not connection.invalidated:
                    connection.rollback()
                    connection.execute(text("RESET synchronous_commit"))
                    connection.commit()

    @contextmanager
    def _write_transaction(self):
        """One entry's transaction, through the session factory (its outbox hook)."""
        if self.connection is None:
            with self.portal.sessions.begin() as session:
                yield session
            return
        with self.portal.sessions(bind=self.connection) as session, session.begin():
            yield session

    def _table(self, record: DatasetRecord):
        wanted = self.tables if isinstance(self.tables, bool) else record.source_id in self.tables
        if not wanted or self.fetch_table is None:
            return None
        content = self.fetch_table(record)
        if content is not None and not has_rows(content):
            log.info("harvest %s: %s has no rows at the source; table left as it was",
                     self.run.source, record.source_id)
            return None
        for note in getattr(content, "notes", ()):
            log.info("harvest %s: %s: %s", self.run.source, record.source_id, note)
        return content

    def _count(self, status: str) -> None:
        setattr(self.run, status, getattr(self.run, status) + 1)

    def _unchanged(self, record: DatasetRecord, dataset_id: int) -> None:
        self.run.unchanged += 1
        self.pending.append({"run_id": self.run.id, "source_id": record.source_id,
                             "dataset_id": dataset_id, "status": "unchanged"})
        if len(self.pending) >= self.item_batch:
            self.save()

    def _failed(self, record: DatasetRecord, known: Known | None, exc: Exception) -> None:
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

    # Progress ----------------------------------------------------------------------------

    def tick(self, expected: int | None) -> None:
        """After each entry: note the announced total; save the counts when it is time."""
        if expected is not None and expected != self.run.expected:
            self.run.expected = expected
        if time.monotonic() - self.saved_at >= self.progress_interval:
            self.save()

    def save(self, ignore_errors: bool = False) -> None:
        """Insert the pending unchanged items and the run's counts, in one transaction, so
        counts and items agree for anyone reading the run meanwhile."""
        rows, self.pending = self.pending, []
        self.saved_at = time.monotonic()
        values = {name: getattr(self.run, name) for name in COUNTS}
        try:
            with self.portal.sessions.begin() as session:
                if rows:
                    session.execute(insert(HarvestItem), rows)
                session.execute(update(HarvestRun).where(HarvestRun.id == self.run.id)
                                .values(expected=self.run.expected, alive_at=utcnow(),
                                        **values))
        except Exception:
            if not ignore_errors:
                raise
            log.exception("harvest #%s: %d unchanged items not recorded", self.run.id,
                          len(rows))
