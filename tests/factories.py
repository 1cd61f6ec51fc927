"""Factories for catalog objects, with traits (`internal=True`, `with_table=True`)."""
from __future__ import annotations

import itertools

import pandas as pd

from portal.catalog.models import Dataset, Organisation, Resource, TableVersion
from portal.catalog.profiles import compute_profile
from portal.catalog.tablestore import TableStore

_numbers = itertools.count(1)


def make_organisation(session, *, slug=None, name_ko=None, kind="division", parent=None):
    n = next(_numbers)
    org = Organisation(slug=slug or f"org-{n}", name_ko=name_ko or f"기관{n}", kind=kind,
                       parent=parent)
    session.add(org)
    session.flush()
    return org


def make_dataset(session, *, slug=None, title_ko=None, internal=False, owner=None,
                 with_table=False, store: TableStore | None = None, frame=None, **fields):
    n = next(_numbers)
    slug = slug or f"dataset-{n}"
    dataset = Dataset(slug=slug, source=fields.pop("source", "upload"),
                      source_id=fields.pop("source_id", slug),
                      title_ko=title_ko or f"테스트 데이터 {n}",
                      visibility="internal" if internal else "public",
                      owner_org_id=owner.id if owner else None, **fields)
    session.add(dataset)
    session.flush()
    if with_table:
        add_table_version(session, dataset, store, frame)
    return dataset


def add_table_version(session, dataset, store: TableStore, frame=None):
    frame = frame if frame is not None else pd.DataFrame(
        {"자치구": ["종로구", "중구"], "인구": [140_000, 120_000]})
    resource = dataset.resources[0] if dataset.resources else Resource(
        dataset=dataset, name="table.csv", kind="file", format="CSV")
    stored = store.put_table(frame)
    number = len(resource.table_versions) + 1
    version = TableVersion(dataset=dataset, resource=resource, number=number,
                           content_hash=stored.content_hash, row_count=stored.row_count,
                           column_count=stored.column_count, parquet_key=stored.key,
                           profile=compute_profile(frame))
    session.add(version)
    session.flush()
    return version
