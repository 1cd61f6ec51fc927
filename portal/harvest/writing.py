"""Writing one entry in the caller's transaction: metadata, link, table, the item row."""
from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from connectors import DatasetRecord, TableContent
from portal.catalog import datasets as catalog
from portal.catalog.models import Dataset, HarvestItem, Resource, utcnow
from portal.catalog.tablestore import TableStore
from portal.harvest.mapping import Mapped, apply_resources, with_table_formats
from portal.harvest.tables import ingest_content


def write_item(session: Session, store: TableStore, record: DatasetRecord, mapped: Mapped, *,
               run_id: int, same_as_id: int | None, metadata: bool,
               content: TableContent | None) -> tuple[str, int]:
    """Create or update the dataset (`metadata`: the source's description or the link
    changed) and ingest its table; new | updated | unchanged, and the dataset's id. The
    item row is added here unless unchanged (those are inserted in bulk by the run)."""
    # One query finds the dataset and, for a new one, a dataset already holding its slug.
    found = session.scalars(select(Dataset).where(or_(
        and_(Dataset.source == record.source, Dataset.source_id == record.source_id),
        Dataset.slug == mapped.slug)).options(selectinload(Dataset.resources)
                                               .selectinload(Resource.table_versions))).all()
    dataset = next((d for d in found if (d.source, d.source_id) ==
                    (record.source, record.source_id)), None)
    if dataset is None and found:
        raise catalog.DatasetError(f"dataset {mapped.slug} exists already (from "
                                   f"{found[0].source} {found[0].source_id})")
    status = "unchanged"
    if metadata or dataset is None:
        fields = {**mapped.fields, "source": record.source, "source_id": record.source_id,
                  "formats": with_table_formats(mapped.fields["formats"], dataset),
                  "harvested_at": utcnow()}
        if dataset is None:
            dataset, status = _new_dataset(session, mapped, fields, same_as_id), "new"
        else:
            catalog.update_dataset(session, dataset, **fields)
            apply_resources(dataset, mapped)
            dataset.same_as_id = same_as_id
            # Listed again: no longer missing, and back if it had been withdrawn.
            dataset.missing_runs, dataset.withdrawn_at = 0, None
            status = "updated"
    if content is not None:
        outcome = ingest_content(session, store, dataset, content, record)
        if outcome.created and status == "unchanged":
            status = "updated"
    if status != "unchanged":
        session.add(HarvestItem(run_id=run_id, source_id=record.source_id,
                                dataset_id=dataset.id, status=status))
        session.flush()
    return status, dataset.id


def _new_dataset(session: Session, mapped: Mapped, fields: dict,
                 same_as_id: int | None) -> Dataset:
    """The checks of `catalog.create_dataset`, then the dataset with its resources in one
    INSERT each and one outbox row: a first harvest creates thousands of them, and a flush
    per step (create, then resources, then the link) doubled the statements."""
    catalog.check_slug(mapped.slug)   # (that no dataset holds the slug: see write_item)
    fields = catalog.check_fields(dict(fields))
    dataset = Dataset(slug=mapped.slug, same_as_id=same_as_id, **fields, resources=[
        Resource(name=name, kind=kind, url=url, format=fmt, position=i)
        for i, (name, kind, url, fmt) in enumerate(mapped.resources)])
    session.add(dataset)
    session.flush()
    return dataset
