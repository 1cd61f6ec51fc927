"""Keeping the search index in step with the catalog (the database is the truth).

- `drain`: turns pending outbox entries into index upserts and deletes, then marks them done.
  Entries are marked only after the index accepted the batch, so a crash at any point leaves
  them pending and the next drain repeats the (idempotent) work.
- `rebuild`: a fresh index from the database alone, swapped in atomically.
- `check`: compares database and index (ids and modification times), reports drift and, when
  asked, repairs it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from indexer.base import SearchBackend
from indexer.documents import SearchDocument
from models_std import semantics
from portal.catalog.access import dataset_labels
from portal.catalog.freshness import is_overdue
from portal.catalog.models import Dataset, Organisation, OutboxEntry, TableVersion, utcnow
from portal.catalog.queries import listed_clause

log = logging.getLogger(__name__)


class OrganisationPaths:
    """Organisation names from the city down, loaded once per batch (the table is small)."""

    def __init__(self, session: Session):
        self.orgs = {org.id: org for org in session.scalars(select(Organisation))}

    def path(self, org_id: int | None) -> list[Organisation]:
        chain, node = [], self.orgs.get(org_id)
        while node is not None:
            chain.append(node)
            node = self.orgs.get(node.parent_id)
        return chain[::-1]


def last_changes(session: Session, ids: list[int]) -> dict[int, datetime]:
    """When each dataset's table content last changed (its newest table version)."""
    if not ids:
        return {}
    rows = session.execute(select(TableVersion.dataset_id, func.max(TableVersion.created_at))
                           .where(TableVersion.dataset_id.in_(ids))
                           .group_by(TableVersion.dataset_id))
    return {dataset_id: _aware(when) for dataset_id, when in rows}


def build_document(dataset: Dataset, orgs: OrganisationPaths,
                   last_change: datetime | None, now: datetime) -> SearchDocument:
    path = orgs.path(dataset.owner_org_id)
    owner = path[-1] if path else None
    gu = [d.name_ko for code in dataset.spatial_coverage or []
          if (d := semantics.district_by_code(code, semantics.MOIS)) is not None]
    changed = last_change or dataset.harvested_at or dataset.modified_at
    return SearchDocument(
        id=str(dataset.id), slug=dataset.slug, title=dataset.title_ko,
        permission_labels=dataset_labels(dataset), title_en=dataset.title_en or "",
        description=dataset.description_ko or "", keywords=list(dataset.keywords or []),
        organisation=owner.slug if owner else "",
        organisation_name=owner.name_ko if owner else "",
        organisation_path=[org.name_ko for org in path], gu=gu, theme=dataset.theme,
        kind=dataset.kind, source=dataset.source, source_id=dataset.source_id,
        formats=list(dataset.formats or []), licence=dataset.licence,
        update_cycle=dataset.update_cycle or "",
        overdue=is_overdue(dataset.update_cycle, dataset.next_update_due, changed, now),
        modified=dataset.modified_at, views=dataset.view_count or 0)


def documents_for(session: Session, ids: list[int]) -> list[SearchDocument]:
    """Documents of the listed datasets among `ids`; a withdrawn dataset, or one showing
    as another source's entry (`queries.listed_clause`), has none and leaves the index."""
    datasets = list(session.scalars(select(Dataset).where(Dataset.id.in_(ids),
                                                          listed_clause())))
    orgs, changes, now = OrganisationPaths(session), last_changes(session, ids), utcnow()
    return [build_document(d, orgs, changes.get(d.id), now) for d in datasets]


def with_linked(session: Session, ids: set[int]) -> list[int]:
    """`ids` and the entries of other sources pointing at them: whether those are shown
    depends on their primary (withdrawn or back), so they are indexed again with it."""
    linked = set()
    for start in range(0, len(ids), 1000):
        chunk = sorted(ids)[start:start + 1000]
        linked.update(session.scalars(select(Dataset.id).where(Dataset.same_as_id.in_(chunk))))
    return sorted(ids | linked)


@dataclass
class DrainReport:
    entries: int = 0
    indexed: int = 0
    deleted: int = 0


def drain(sessions: sessionmaker[Session], backend: SearchBackend, *,
          batch_size: int = 500, max_batches: int | None = None) -> DrainReport:
    """Apply pending outbox entries to the index, oldest first, one batch at a time."""
    report, batches = DrainReport(), 0
    while max_batches is None or batches < max_batches:
        with sessions() as session:
            entries = list(session.execute(
                select(OutboxEntry.id, OutboxEntry.dataset_id)
                .where(OutboxEntry.processed_at.is_(None))
                .order_by(OutboxEntry.id).limit(batch_size)))
            if not entries:
                break
            ids = with_linked(session, {dataset_id for _, dataset_id in entries})
            # The database decides: a listed dataset is upserted, one that is not (gone,
            # withdrawn, shown as another source's entry) is deleted, whatever the entry
            # said (entries may arrive out of order).
            documents = documents_for(session, ids)
            gone = set(ids) - {int(doc.id) for doc in documents}
        if documents:
            backend.index(documents)
        if gone:
            backend.delete([str(i) for i in gone])
        with sessions.begin() as session:
            session.execute(update(OutboxEntry)
                            .where(OutboxEntry.id.in_([entry_id for entry_id, _ in entries]))
                            .values(processed_at=utcnow()))
        report.entries += len(entries)
        report.indexed += len(documents)
        report.deleted += len(gone)
        batches += 1
    return report


def all_documents(sessions: sessionmaker[Session], chunk: int = 2000) -> Iterator[SearchDocument]:
    """Every dataset as a document, read in chunks of ids so memory stays flat."""
    last_id = 0
    while True:
        with sessions() as session:
            ids = list(session.scalars(select(Dataset.id).where(Dataset.id > last_id)
                                       .order_by(Dataset.id).limit(chunk)))
            if not ids:
                return
            yield from documents_for(session, ids)
        last_id = ids[-1]


def rebuild(sessions: sessionmaker[Session], backend: SearchBackend) -> int:
    """Recreate the index from the database alone and swap it in.

    A drain running meanwhile (another process) writes into the old index, which the swap
    throws away; so every dataset changed since the rebuild started is indexed again after
    the swap. Entries older than the start are then done: the new index read their state.
    """
    started = utcnow()
    count = backend.rebuild(all_documents(sessions))
    with sessions() as session:
        changed = with_linked(session, set(session.scalars(
            select(OutboxEntry.dataset_id).where(OutboxEntry.created_at >= started))))
        documents = documents_for(session, changed) if changed else []
    if documents:
        backend.index(documents)
    gone = set(changed) - {int(d.id) for d in documents}
    if gone:
        backend.delete([str(i) for i in gone])
    with sessions.begin() as session:
        session.execute(update(OutboxEntry).where(OutboxEntry.processed_at.is_(None),
                                                  OutboxEntry.created_at < started)
                        .values(processed_at=utcnow()))
    return count


@dataclass
class DriftReport:
    missing: list[str] = field(default_factory=list)   # in the database, not in the index
    extra: list[str] = field(default_factory=list)     # in the index, not in the database
    stale: list[str] = field(default_factory=list)     # modified times differ
    repaired: bool = False

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.stale)

    def summary(self) -> str:
        state = "repaired" if self.repaired and not self.clean else ("in step" if self.clean
                                                                    else "drift found")
        return (f"index {state}: {len(self.missing)} missing, {len(self.extra)} extra, "
                f"{len(self.stale)} stale")


def check(sessions: sessionmaker[Session], backend: SearchBackend, *,
          repair: bool = False) -> DriftReport:
    with sessions() as session:
        in_db = {str(i): _aware(m) for i, m in session.execute(
            select(Dataset.id, Dataset.modified_at).where(listed_clause()))}
    in_index = backend.ids_and_versions()
    report = DriftReport(
        missing=sorted(set(in_db) - set(in_index), key=int),
        extra=sorted(set(in_index) - set(in_db), key=int),
        stale=sorted((i for i in set(in_db) & set(in_index)
                      if _seconds(in_index[i]) != _seconds(in_db[i])), key=int))
    if repair and not report.clean:
        _repair(sessions, backend, report)
    return report


def _repair(sessions, backend: SearchBackend, report: DriftReport) -> None:
    ids = [int(i) for i in report.missing + report.stale]
    for start in range(0, len(ids), 1000):
        with sessions() as session:
            backend.index(documents_for(session, ids[start:start + 1000]))
    if report.extra:
        backend.delete(report.extra)
    report.repaired = True


def _seconds(value: datetime) -> int:
    # Indexes keep whole seconds; the database keeps microseconds.
    return int(_aware(value).timestamp())


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value



def start_drainer(portal, interval: float):
    """A daemon thread draining the outbox every `interval` seconds, for `portal serve`.
    Production runs the drain in `portal scheduler` instead (one process, not one per worker)."""
    import threading
    if interval <= 0:
        return None

    def loop(stop: threading.Event) -> None:
        while not stop.wait(interval):
            try:
                drain(portal.sessions, portal.search)
            except Exception:  # keep draining: the entries stay pending and are retried
                log.exception("outbox drain failed")

    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(stop,), name="outbox-drainer", daemon=True)
    thread.start()
    return stop
