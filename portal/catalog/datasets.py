"""Creating and changing datasets: one function per action, the checks first."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalog import vocab
from portal.catalog.models import Dataset, Organisation

EDITABLE_FIELDS = {
    "source", "source_id", "source_url", "title_ko", "title_en", "description_ko",
    "description_en", "keywords", "theme", "kind", "formats", "licence", "update_cycle",
    "next_update_due", "spatial_coverage", "temporal_start", "temporal_end", "owner_org_id",
    "visibility", "harvested_at",
}
_VOCABULARY_FIELDS = {"theme": vocab.THEMES, "kind": vocab.KINDS, "licence": vocab.LICENCES,
                      "update_cycle": vocab.UPDATE_CYCLES, "visibility": vocab.VISIBILITIES}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}[a-z0-9]$")


class DatasetError(ValueError):
    pass


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise DatasetError(f"dataset slug {slug!r}: use 2-120 lowercase letters, digits "
                           "and hyphens, starting and ending with a letter or digit")
    return slug


def check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DatasetError(f"unknown dataset field(s): {', '.join(sorted(unknown))}")
    for name, vocabulary in _VOCABULARY_FIELDS.items():
        value = fields.get(name)
        if value is not None and value not in vocabulary:
            raise DatasetError(f"{name} {value!r} is not one of: {', '.join(vocabulary)}")
    for name in ("temporal_start", "temporal_end", "next_update_due"):
        value = fields.get(name)
        if isinstance(value, str):
            fields[name] = _parse_date(name, value)
    return fields


def _parse_date(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DatasetError(f"{name} {value!r}: expected a date as YYYY-MM-DD") from None


def get_by_slug(session: Session, slug: str) -> Dataset | None:
    """For writers only: readers go through `portal.catalog.queries` (visibility)."""
    return session.scalar(select(Dataset).where(Dataset.slug == slug))


def create_dataset(session: Session, slug: str, **fields: Any) -> Dataset:
    check_slug(slug)
    fields = check_fields(dict(fields))
    if not fields.get("title_ko"):
        raise DatasetError(f"dataset {slug}: a Korean title (title_ko) is required")
    if get_by_slug(session, slug) is not None:
        raise DatasetError(f"dataset {slug} exists already")
    fields.setdefault("source", "upload")
    fields.setdefault("source_id", slug)
    dataset = Dataset(slug=slug, **fields)
    session.add(dataset)
    session.flush()
    return dataset


def update_dataset(session: Session, dataset: Dataset, **fields: Any) -> Dataset:
    for name, value in check_fields(dict(fields)).items():
        if getattr(dataset, name) != value:
            setattr(dataset, name, value)
    session.flush()
    return dataset


def organisation_by_slug(session: Session, slug: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise DatasetError(f"no organisation with slug {slug!r} (see `portal orgs`)")
    return org


def touch_harvested(dataset: Dataset, when: datetime) -> None:
    dataset.harvested_at = when
