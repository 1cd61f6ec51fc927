"""A connector's DatasetRecord as the fields of a Dataset (the portal's side of the mapping).

Connectors pass the source's names through; choosing the owner organisation and the spatial
coverage is the portal's business. For the Seoul catalog it is the rule `portal load-demo`
uses (provider group, or the gu named in the title of a 자치구 entry), so a harvest after the
demo load finds the same owners.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors import DatasetRecord
from portal.catalog.models import Dataset, Organisation, Resource
from portal.catalog.seoul_catalog import SEOUL_CITY_CODE, catalog_owner, clean_title

@dataclass(frozen=True)
class Mapped:
    """What a record sets on its dataset: the fields and the source's own resources."""
    slug: str
    fields: dict[str, Any]
    resources: tuple[tuple[str, str, str | None, str | None], ...]  # name, kind, url, format


def organisation_index(session: Session) -> dict[str, int]:
    """Slugs and Korean names of organisations → id, for owner lookups."""
    index: dict[str, int] = {}
    for org_id, slug, name_ko in session.execute(
            select(Organisation.id, Organisation.slug, Organisation.name_ko)):
        index.setdefault(name_ko, org_id)
        index[slug] = org_id
    return index


def map_record(record: DatasetRecord, orgs: dict[str, int]) -> Mapped:
    owner_slug, spatial = _owner_and_spatial(record)
    fields: dict[str, Any] = {
        "source_url": record.source_url, "title_ko": clean_title(record.title_ko),
        "keywords": list(record.keywords), "theme": record.theme, "kind": record.kind,
        "formats": list(record.formats), "licence": record.licence,
        "owner_org_id": orgs.get(owner_slug) if owner_slug else orgs.get(record.owner or ""),
    }
    if spatial:
        # Without codes from the source, the coverage the ingest read from the table stays.
        fields["spatial_coverage"] = spatial
    # A source that says nothing does not erase what the portal added (an English title, a
    # description written for a demo table).
    for name in ("title_en", "description_ko", "update_cycle"):
        value = getattr(record, name)
        if value is not None:
            fields[name] = value
    resources = tuple((r.name, r.kind, r.url, r.format) for r in record.resources)
    return Mapped(slug_for(record), fields, resources)


def slug_for(record: DatasetRecord) -> str:
    """seoul + OA-2734 → seoul-oa-2734 (the slug `portal load-demo` gives it). An ID with
    Korean in it (서울/영화상영관) keeps its Latin part and a short hash of the whole, so
    two such IDs of one source never get the same slug."""
    text = re.sub(r"[^a-z0-9]+", "-", f"{record.source}-{record.source_id}".lower())
    text = text.strip("-")[:100].rstrip("-")
    if not record.source_id.isascii():
        text += "-" + hashlib.sha1(record.source_id.encode("utf-8")).hexdigest()[:10]
    return text


def _owner_and_spatial(record: DatasetRecord) -> tuple[str | None, list[str]]:
    mois = [s.code for s in record.spatial if s.code_system == "mois"]
    if record.source != "seoul":
        return None, mois
    owner, gu_code = catalog_owner(record.title_ko, record.extras.get("provider_group", ""))
    return owner, [gu_code] if gu_code else (mois or [SEOUL_CITY_CODE])


# --- comparing ------------------------------------------------------------------------------

def table_formats(dataset: Dataset) -> list[str]:
    """Formats the ingest added to the dataset from its tables (CSV, JSON, …)."""
    return [r.format for r in dataset.resources if r.table_versions and r.format]


def with_table_formats(formats: list[str], dataset: Dataset | None) -> list[str]:
    """The source's formats plus those of the dataset's ingested tables: a harvest keeps
    what the ingest noted, and does not count it as a change."""
    return list(dict.fromkeys([*formats, *(table_formats(dataset) if dataset else [])]))


def harvested_resources(dataset: Dataset) -> list[Resource]:
    """The resources a harvest owns: all but those holding ingested table versions."""
    return [r for r in dataset.resources if not r.table_versions]


def current(dataset: Dataset, mapped: Mapped) -> Mapped:
    """The dataset as it is, in the shape of `mapped`, to tell whether anything changed."""
    fields = {name: getattr(dataset, name) for name in mapped.fields}
    fields["formats"] = [f for f in dataset.formats or []
                         if f in mapped.fields["formats"] or f not in table_formats(dataset)]
    resources = tuple((r.name, r.kind, r.url, r.format) for r in harvested_resources(dataset))
    return Mapped(dataset.slug, fields, resources)


def apply_resources(dataset: Dataset, mapped: Mapped) -> bool:
    """Replace the harvested resources when the source lists others; True when it did."""
    kept = harvested_resources(dataset)
    if tuple((r.name, r.kind, r.url, r.format) for r in kept) == mapped.resources:
        return False
    tables = [r for r in dataset.resources if r.table_versions]
    dataset.resources = tables + [
        Resource(name=name, kind=kind, url=url, format=fmt, position=len(tables) + i)
        for i, (name, kind, url, fmt) in enumerate(mapped.resources)]
    return True
