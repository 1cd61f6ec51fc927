"""Reading the catalog as a viewer. Pages, APIs and exports call these, never raw queries,
so the visibility rule of `access` is applied on every path."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.catalog.access import Viewer, visibility_clause, visible_datasets
from portal.catalog.models import Dataset, Organisation, Resource, TableVersion
from portal.catalog.organisations import subtree_ids


def get_dataset(session: Session, viewer: Viewer, slug: str) -> Dataset | None:
    """The dataset, or None when it does not exist *or* the viewer may not see it:
    callers answer both with the same 404 so nothing reveals that it exists."""
    return session.scalar(visible_datasets(viewer).where(Dataset.slug == slug)
                          .options(selectinload(Dataset.resources),
                                   selectinload(Dataset.owner)))


def count_datasets(session: Session, viewer: Viewer) -> int:
    return session.scalar(select(func.count()).select_from(Dataset)
                          .where(visibility_clause(viewer))) or 0


def counts_by(session: Session, viewer: Viewer, column) -> list[tuple[str, int]]:
    """(value, count) of visible datasets grouped by a Dataset column, largest first."""
    rows = session.execute(select(column, func.count()).where(visibility_clause(viewer))
                           .group_by(column).order_by(func.count().desc(), column))
    return [(value, count) for value, count in rows]


def recent_datasets(session: Session, viewer: Viewer, limit: int = 10) -> list[Dataset]:
    return list(session.scalars(visible_datasets(viewer)
                                .order_by(Dataset.modified_at.desc(), Dataset.id.desc())
                                .limit(limit).options(selectinload(Dataset.owner))))


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def organisation_datasets(session: Session, viewer: Viewer, org: Organisation,
                          page: int = 1, per_page: int = 20) -> Page:
    """Visible datasets owned by the organisation or any unit below it."""
    ids = sorted(subtree_ids(session, org.id))
    query = visible_datasets(viewer).where(Dataset.owner_org_id.in_(ids))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(query.order_by(Dataset.modified_at.desc(), Dataset.id.desc())
                                 .offset((page - 1) * per_page).limit(per_page)))
    return Page(items, total, page, per_page)


def get_organisation(session: Session, slug: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.slug == slug)
                          .options(selectinload(Organisation.children)))


def organisations(session: Session, kind: str | None = None) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.id)
    if kind:
        query = query.where(Organisation.kind == kind)
    return list(session.scalars(query))


def latest_table_version(session: Session, dataset: Dataset) -> TableVersion | None:
    """Newest version of the dataset's first tabular resource (the dataset must already
    have been read through `get_dataset`)."""
    return session.scalar(select(TableVersion).join(Resource)
                          .where(TableVersion.dataset_id == dataset.id)
                          .order_by(Resource.position, TableVersion.number.desc()).limit(1))


def table_versions(session: Session, dataset: Dataset) -> list[TableVersion]:
    return list(session.scalars(select(TableVersion)
                                .where(TableVersion.dataset_id == dataset.id)
                                .order_by(TableVersion.resource_id, TableVersion.number)))


def count_view(session: Session, dataset: Dataset) -> None:
    """Bump the view count with a plain UPDATE: atomic under concurrent requests, and not a
    change that needs an outbox entry of its own."""
    session.execute(update(Dataset).where(Dataset.id == dataset.id)
                    .values(view_count=Dataset.view_count + 1)
                    .execution_options(synchronize_session=False))
    # The page shows the count including this view, without making the object dirty.
    set_committed_value(dataset, "view_count", (dataset.view_count or 0) + 1)


LIST_FILTER_FIELDS = ("theme", "kind", "source", "licence", "update_cycle", "owner_org_id")


def list_datasets(session: Session, viewer: Viewer, *, q: str = "",
                  filters: dict[str, str] | None = None, page: int = 1,
                  per_page: int = 20) -> Page:
    """Browse visible datasets by exact field filters and a plain title match.

    Ranked full-text search belongs to the search index; this is the catalog's own list.
    """
    query = visible_datasets(viewer)
    for name, value in (filters or {}).items():
        if name not in LIST_FILTER_FIELDS:
            raise ValueError(f"cannot filter datasets by {name!r}")
        query = query.where(getattr(Dataset, name) == value)
    if q.strip():
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Dataset.title_ko.ilike(pattern, escape="\\"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(query.order_by(Dataset.modified_at.desc(), Dataset.id.desc())
                                 .offset((page - 1) * per_page).limit(per_page)
                                 .options(selectinload(Dataset.owner))))
    return Page(items, total, page, per_page)
