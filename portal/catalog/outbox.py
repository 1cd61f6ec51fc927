"""The outbox: every change search must see writes "dataset X changed" in its own transaction.

Hooked into the session once (`watch`), so no code path can change a dataset and forget to
tell search. A view-count bump is not a change search must see at once: pages bump it with a
plain UPDATE that bypasses the ORM (see `queries.count_view`), and the next drain picks the
counts up with the dataset's other changes.
"""
from __future__ import annotations

from sqlalchemy import event, inspect, insert, select
from sqlalchemy.orm import Session, sessionmaker

from portal.catalog.models import (Dataset, Organisation, OutboxEntry, Resource, TableVersion,
                                   utcnow)

# Organisation attributes that appear in search documents of its datasets.
_ORGANISATION_FIELDS = ("name_ko", "name_en", "parent_id", "slug")


def watch(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _record_changes)


def _record_changes(session: Session, _context) -> None:
    changes: dict[int, tuple[str, str]] = {}
    for obj in session.new:
        _note(obj, "upsert", changes, session)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note(obj, "upsert", changes, session)
    for obj in session.deleted:
        _note(obj, "delete" if isinstance(obj, Dataset) else "upsert", changes, session)
    if changes:
        now = utcnow()
        session.connection().execute(insert(OutboxEntry), [
            {"dataset_id": dataset_id, "dataset_slug": slug, "change": change,
             "created_at": now}
            for dataset_id, (slug, change) in changes.items()])


def _note(obj, change: str, changes: dict, session: Session) -> None:
    if isinstance(obj, Dataset):
        if change == "upsert" and obj.id in changes:
            return  # a delete in the same flush wins
        changes[obj.id] = (obj.slug, change)
    elif isinstance(obj, (Resource, TableVersion)):
        dataset = obj.dataset or session.get(Dataset, obj.dataset_id)
        if dataset is not None and dataset.id not in changes:
            changes[dataset.id] = (dataset.slug, "upsert")
    elif isinstance(obj, Organisation) and obj.id is not None and _organisation_renamed(obj):
        rows = session.connection().execute(
            select(Dataset.id, Dataset.slug).where(Dataset.owner_org_id == obj.id))
        for dataset_id, slug in rows:
            changes.setdefault(dataset_id, (slug, "upsert"))


def _organisation_renamed(org: Organisation) -> bool:
    state = inspect(org)
    return any(state.attrs[name].history.has_changes() for name in _ORGANISATION_FIELDS)


def pending(session: Session, limit: int = 500) -> list[OutboxEntry]:
    """Unprocessed entries, oldest first."""
    return list(session.scalars(
        select(OutboxEntry).where(OutboxEntry.processed_at.is_(None))
        .order_by(OutboxEntry.id).limit(limit)))
