"""The one visibility rule. Every reader of datasets goes through `visible_datasets`.

A dataset is `public` (anyone) or `internal` (its owner division and the units below it).
The rule is expressed as permission labels so that the search index can carry the same
labels on each document: a viewer sees a dataset when they share a label.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from portal.catalog.models import Dataset, Organisation
from portal.catalog.organisations import subtree_ids

PUBLIC = "public"
# Every document carries it, so an administrator's search sees everything through the same
# label filter as everyone else.
ADMIN_LABEL = "admin"


@dataclass(frozen=True)
class Viewer:
    """Who is looking. `org_ids`: the viewer's organisation and every unit below it."""
    org_ids: frozenset[int] = field(default_factory=frozenset)
    is_admin: bool = False
    name: str = "anonymous"

    @property
    def labels(self) -> frozenset[str]:
        labels = {PUBLIC} | {org_label(org_id) for org_id in self.org_ids}
        if self.is_admin:
            labels.add(ADMIN_LABEL)
        return frozenset(labels)


ANONYMOUS = Viewer()
ADMIN = Viewer(is_admin=True, name="admin")


def org_label(org_id: int) -> str:
    return f"org:{org_id}"


def dataset_labels(dataset: Dataset) -> list[str]:
    """The labels a search document of this dataset carries."""
    if dataset.visibility == "public":
        return [PUBLIC, ADMIN_LABEL]
    # An internal dataset without an owner is seen by administrators only.
    return ([org_label(dataset.owner_org_id)] if dataset.owner_org_id else []) + [ADMIN_LABEL]


def visibility_clause(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_admin:
        return Dataset.id.is_not(None)
    clause = Dataset.visibility == "public"
    if viewer.org_ids:
        clause = or_(clause, (Dataset.visibility == "internal")
                     & Dataset.owner_org_id.in_(sorted(viewer.org_ids)))
    return clause


def visible_datasets(viewer: Viewer) -> Select[tuple[Dataset]]:
    """SELECT of the datasets this viewer may see; add filters and ordering to it."""
    return select(Dataset).where(visibility_clause(viewer))


def can_see(viewer: Viewer, dataset: Dataset) -> bool:
    return bool(set(dataset_labels(dataset)) & viewer.labels)


def viewer_for_organisation(session: Session, org: Organisation) -> Viewer:
    """An employee of `org`: sees its datasets and those of every unit below it."""
    return Viewer(org_ids=frozenset(subtree_ids(session, org.id)), name=org.slug)
