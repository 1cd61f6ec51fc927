"""Table contents during a harvest: fetched from the connector, ingested through the one
ingest path (`portal.catalog.ingest.ingest_bytes`, as `portal ingest` does), so the content
hash decides between a new version and nothing at all.

A table whose columns lost some of the previous version's is refused (`schema-changed`):
pages, totals and standard models read columns by name, and a source that renamed them
would otherwise break them silently. The item fails and the previous version stays until
the source is fixed or a person ingests the new table by hand.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors import DatasetRecord, TableContent
from portal.catalog.errors import IngestError
from portal.catalog.ingest import IngestOutcome, ingest_bytes
from portal.catalog.models import Dataset, TableVersion
from portal.catalog.tablestore import TableStore


class SchemaChanged(IngestError):
    code = "schema-changed"


def as_file(content: TableContent, record: DatasetRecord) -> tuple[bytes, str]:
    """The content as the bytes and name the ingest reads. JSON rows become a JSON array of
    row objects: every value stays the string the source sent (typed at ingest)."""
    if content.is_file:
        return content.data, content.filename
    rows = content.frame.astype(object).where(content.frame.notna(), None)
    data = json.dumps(rows.to_dict(orient="records"), ensure_ascii=False).encode("utf-8")
    name = record.extras.get("service") or record.extras.get("tbl_id") or record.source_id
    return data, f"{re.sub(r'[^0-9A-Za-z가-힣_.-]+', '_', name)}.json"


def has_rows(content: TableContent) -> bool:
    # An empty answer ("no data" from the source) is not a table to version.
    return content.is_file or len(content.frame) > 0


def ingest_content(session: Session, store: TableStore, dataset: Dataset,
                   content: TableContent, record: DatasetRecord) -> IngestOutcome:
    """Ingest into the dataset's first tabular resource of the same file kind (the one an
    earlier harvest or the demo created), so a monthly file with a new name is a new version,
    not a new table. Another kind is another layout of the data (a KOSIS download in wide
    XLSX beside the API's long JSON rows): it gets its own resource and versions."""
    data, filename = as_file(content, record)
    kind = Path(filename).suffix.lower()
    tabular = next((r for r in dataset.resources
                    if r.table_versions and Path(r.name).suffix.lower() == kind), None)
    previous = _latest(session, tabular)
    outcome = ingest_bytes(session, store, dataset, data, filename,
                           resource_name=tabular.name if tabular else filename)
    if outcome.created and previous is not None:
        lost = [c for c in previous.profile.get("columns", {})
                if c not in outcome.version.profile.get("columns", {})]
        if lost:
            raise SchemaChanged(f"the table lost {len(lost)} column(s) of version "
                                f"{previous.number}: {', '.join(lost[:5])}; the previous "
                                "version is kept", filename=filename)
    return outcome


def _latest(session: Session, resource) -> TableVersion | None:
    if resource is None:
        return None
    return session.scalar(select(TableVersion).where(TableVersion.resource_id == resource.id)
                          .order_by(TableVersion.number.desc()).limit(1))
