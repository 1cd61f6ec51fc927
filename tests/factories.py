"""Factories for catalog objects, with traits (`internal=True`, `with_table=True`)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from portal.catalog.models import Dataset, Organisation, Resource, TableVersion
from portal.catalog.profiles import compute_profile
from portal.catalog.tablestore import TableStore

_numbers = itertools.count(1)
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
CCTV = SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv"
CINEMA = SAMPLE / "localdata" / "서울시 영화상영관 인허가 정보.csv"


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


def cctv_in_two_versions(portal, slug: str = "cctv"):
    """The real CCTV file as version 1, and as version 2 the same with 강남구's 소계 2780
    changed to 9999."""
    from portal.catalog import datasets
    from portal.catalog.ingest import ingest_bytes, ingest_file
    changed = CCTV.read_bytes().decode("utf-8-sig").replace('"강남구","2780"', '"강남구","9999"')
    with portal.sessions.begin() as session:
        cctv = datasets.create_dataset(session, slug, title_ko="CCTV")
        ingest_file(session, portal.store, cctv, CCTV)
        ingest_bytes(session, portal.store, cctv, changed.encode(), "CCTV_in_Seoul.csv")


def add_seoul_cctv(session, store: TableStore, **fields):
    """The real CCTV table as the dataset `seoul-cctv`, as the page tests know it."""
    from portal.catalog import datasets
    from portal.catalog.ingest import ingest_file
    cctv = datasets.create_dataset(session, "seoul-cctv", title_ko="서울시 자치구 CCTV 설치현황",
                                   theme="안전", keywords=["CCTV", "방범"], **fields)
    ingest_file(session, store, cctv, CCTV)
    return cctv


def add_cinema_and_internal_cctv(portal):
    """The real cinema licences as public `cinema`, and the CCTV table as `secret-cctv`,
    internal to a division (for the API and download tests' visibility checks)."""
    from portal.catalog import datasets
    from portal.catalog.ingest import ingest_file
    with portal.sessions.begin() as session:
        cinema = datasets.create_dataset(session, "cinema", title_ko="서울시 영화상영관 인허가 정보",
                                         theme="문화/관광")
        ingest_file(session, portal.store, cinema, CINEMA)
        division = make_organisation(session, slug="cctv-team", name_ko="안전총괄과")
        secret = datasets.create_dataset(session, "secret-cctv", title_ko="CCTV 내부 검토",
                                         visibility="internal", owner_org_id=division.id)
        ingest_file(session, portal.store, secret, CCTV)
