"""The one ingest path: file bytes in, a table version with its profile out.

read → clean → hash → (same as the latest version? stop) → store Parquet + original →
profile → TableVersion row. The caller owns the transaction: if it rolls back, nothing in the
catalog changes (a Parquet file written meanwhile is content-addressed and harmless).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models_std import semantics
from portal.catalog.cleaning import clean_table
from portal.catalog.errors import IngestError
from portal.catalog.models import Dataset, Resource, TableVersion, utcnow
from portal.catalog.profiles import compute_profile
from portal.catalog.reading import read_table
from portal.catalog.tablestore import TableStore, content_hash


@dataclass(frozen=True)
class IngestOutcome:
    dataset: Dataset
    version: TableVersion
    created: bool  # False: the content equals the latest version, nothing was added


def ingest_bytes(session: Session, store: TableStore, dataset: Dataset, data: bytes,
                 filename: str, *, resource_name: str | None = None,
                 max_bytes: int | None = None, sheet: str | int | None = None
                 ) -> IngestOutcome:
    if max_bytes is not None and len(data) > max_bytes:
        raise IngestError(f"the file is {len(data) / 1e6:.1f} MB; the limit is "
                          f"{max_bytes / 1e6:.0f} MB", filename=filename)
    resource = _tabular_resource(session, dataset, resource_name or Path(filename).name)
    latest = _latest_version(session, resource)
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ingest")
    try:
        # The bytes' SHA-256 names the kept original. Only an earlier version needs it before
        # reading (the very same bytes again stop here); a first one hashes beside the read.
        keyed = pool.submit(store.original_key, data, filename)
        if latest is not None and latest.original_key == keyed.result() and sheet is None:
            return IngestOutcome(dataset, latest, created=False)  # the very same bytes again

        raw = read_table(data, filename, sheet=sheet)
        frame = clean_table(raw.frame)
        if frame.shape[1] == 0 or len(frame) == 0:
            raise IngestError("the table has no data rows", filename=filename)
        # The profile (in a worker thread) starts at once; the hash and the Parquet write
        # (numpy and Arrow release the GIL) run beside it, and the original's copy beside
        # both, so on two cores the profile costs little wall time. Unchanged content leaves
        # it unused.
        profile = pool.submit(compute_profile, frame)
        digest = content_hash(frame)
        if latest is not None and latest.content_hash == digest:
            profile.cancel()
            return IngestOutcome(dataset, latest, created=False)
        resource.format = raw.format.upper()
        original_key = keyed.result()
        original = pool.submit(store.put_original, data, filename, original_key)
        stored = store.put_table(frame, digest)
        original.result()
        profile = profile.result()
    finally:
        pool.shutdown(wait=False)
    version = TableVersion(
        dataset=dataset, resource=resource,
        number=(latest.number + 1) if latest else 1,
        content_hash=digest, row_count=stored.row_count, column_count=stored.column_count,
        parquet_key=stored.key, original_key=original_key, original_filename=filename,
        original_size=len(data), source_format=raw.format, encoding=raw.encoding,
        header_rows=raw.header_rows, profile=profile)
    session.add(version)
    _note_format(dataset, raw.format)
    fill_coverage(dataset, version.profile)
    dataset.modified_at = utcnow()
    session.flush()
    return IngestOutcome(dataset, version, created=True)


def ingest_file(session: Session, store: TableStore, dataset: Dataset, path: Path,
                **options) -> IngestOutcome:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror}", filename=str(path)) from None
    return ingest_bytes(session, store, dataset, data, path.name, **options)


def _tabular_resource(session: Session, dataset: Dataset, name: str) -> Resource:
    """The dataset's resource of that name, created on first ingest."""
    for resource in dataset.resources:
        if resource.name == name:
            return resource
    resource = Resource(dataset=dataset, name=name, kind="file",
                        position=len(dataset.resources))
    session.add(resource)
    return resource


def _latest_version(session: Session, resource: Resource) -> TableVersion | None:
    if resource.id is None:
        return None
    return session.scalar(select(TableVersion).where(TableVersion.resource_id == resource.id)
                          .order_by(TableVersion.number.desc()).limit(1))


def fill_coverage(dataset: Dataset, profile: dict) -> None:
    """Spatial and temporal coverage from the table itself, where the metadata says none."""
    dimensions = profile.get("dimensions") or {}
    gu_labels = (dimensions.get("gu") or {}).get("labels") or []
    if not dataset.spatial_coverage and gu_labels:
        districts = [semantics.district_by_name(name) for name in gu_labels]
        dataset.spatial_coverage = [d.mois for d in districts if d is not None]
    years = sorted(int(label[:4]) for label in (dimensions.get("year") or {}).get("labels", [])
                   if label[:4].isdigit())
    if years and dataset.temporal_start is None and dataset.temporal_end is None:
        dataset.temporal_start = date(years[0], 1, 1)
        dataset.temporal_end = date(years[-1], 12, 31)


def _note_format(dataset: Dataset, fmt: str) -> None:
    fmt = fmt.upper()
    if fmt not in (dataset.formats or []):
        dataset.formats = [*(dataset.formats or []), fmt]

