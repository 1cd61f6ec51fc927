"""Reading the catalog as a viewer. Pages, APIs and exports call these, never raw queries,
so the visibility rule of `access` is applied on every path."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.catalog import freshness
from portal.catalog.access import Viewer, visibility_clause, visible_datasets
from portal.catalog.models import Dataset, Organisation, Resource, TableVersion
from portal.catalog.organisations import subtree_ids


def listed_clause():
    """The one rule for what lists and search show (a page is still reachable by its URL):
    not withdrawn, and not the same data as another source's entry that is itself listed
    (`same_as_id`: the primary is shown instead; when the primary is withdrawn the other
    source's entry is shown again). `portal.sync` builds search documents with it too."""
    primary = aliased(Dataset)
    return and_(Dataset.withdrawn_at.is_(None),
                or_(Dataset.same_as_id.is_(None),
                    ~exists().where(primary.id == Dataset.same_as_id,
                                    primary.withdrawn_at.is_(None))))


def listed_datasets(viewer: Viewer):
    """SELECT of the datasets lists show this viewer."""
    return visible_datasets(viewer).where(listed_clause())


def get_dataset(session: Session, viewer: Viewer, slug: str) -> Dataset | None:
    """The dataset, or None when it does not exist *or* the viewer may not see it:
    callers answer both with the same 404 so nothing reveals that it exists."""
    return session.scalar(visible_datasets(viewer).where(Dataset.slug == slug)
                          .options(selectinload(Dataset.resources),
                                   selectinload(Dataset.owner)))


def count_datasets(session: Session, viewer: Viewer) -> int:
    return session.scalar(select(func.count()).select_from(Dataset)
                          .where(visibility_clause(viewer), listed_clause())) or 0


def counts_by(session: Session, viewer: Viewer, column) -> list[tuple[str, int]]:
    """(value, count) of visible datasets grouped by a Dataset column, largest first."""
    rows = session.execute(select(column, func.count())
                           .where(visibility_clause(viewer), listed_clause())
                           .group_by(column).order_by(func.count().desc(), column))
    return [(value, count) for value, count in rows]


def recent_datasets(session: Session, viewer: Viewer, limit: int = 10) -> list[Dataset]:
    return list(session.scalars(listed_datasets(viewer)
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
    query = listed_datasets(viewer).where(Dataset.owner_org_id.in_(ids))
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


def table_version(session: Session, dataset: Dataset,
                  number: int | None = None) -> TableVersion | None:
    """Version `number` of the table `latest_table_version` shows (None: the latest one);
    the dataset must already have been read through `get_dataset`."""
    latest = latest_table_version(session, dataset)
    if latest is None or number is None or number == latest.number:
        return latest
    return session.scalar(select(TableVersion)
                          .where(TableVersion.resource_id == latest.resource_id,
                                 TableVersion.number == number))


def primary_table_versions(session: Session, dataset: Dataset) -> list[TableVersion]:
    """Every version of the table `latest_table_version` shows, oldest first."""
    latest = latest_table_version(session, dataset)
    if latest is None:
        return []
    return list(session.scalars(select(TableVersion)
                                .where(TableVersion.resource_id == latest.resource_id)
                                .order_by(TableVersion.number)))


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
    query = listed_datasets(viewer)
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


def overdue_datasets(session: Session, viewer: Viewer, org: Organisation, now,
                     limit: int = 50) -> tuple[list[Dataset], int]:
    """Listed datasets of the organisation (and the units below it) whose update cycle has
    been missed, most overdue first, and how many there are. The rule is
    `freshness.is_overdue` over the newest table version, else the harvest or modification
    time: the same as the dataset page's badge and the search filter `overdue`."""
    ids = sorted(subtree_ids(session, org.id))
    newest = (select(TableVersion.dataset_id, func.max(TableVersion.created_at).label("at"))
              .group_by(TableVersion.dataset_id).subquery())
    # Only datasets that promise an update can be late; the date check itself runs here in
    # Python, through the one rule, on a few columns.
    rows = session.execute(
        listed_datasets(viewer).with_only_columns(
            Dataset.id, Dataset.update_cycle, Dataset.next_update_due, newest.c.at,
            Dataset.harvested_at, Dataset.modified_at)
        .outerjoin(newest, newest.c.dataset_id == Dataset.id)
        .where(Dataset.owner_org_id.in_(ids))
        .where((Dataset.update_cycle.is_not(None)) | (Dataset.next_update_due.is_not(None))))
    late = []
    for dataset_id, cycle, declared, versioned, harvested, modified in rows:
        changed = versioned or harvested or modified
        if freshness.is_overdue(cycle, declared, changed, now):
            late.append((freshness.due_date(cycle, declared, changed), dataset_id))
    late.sort()
    chosen = [dataset_id for _, dataset_id in late[:limit]]
    found = {d.id: d for d in session.scalars(select(Dataset).where(Dataset.id.in_(chosen))
                                               .options(selectinload(Dataset.owner)))}
    return [found[i] for i in chosen if i in found], len(late)


def same_as_primary(session: Session, viewer: Viewer, dataset: Dataset) -> Dataset | None:
    """The other source's entry this dataset is the same data as, when the viewer sees it."""
    if dataset.same_as_id is None:
        return None
    return session.scalar(visible_datasets(viewer).where(Dataset.id == dataset.same_as_id))


def other_sources(session: Session, viewer: Viewer, dataset: Dataset) -> list[Dataset]:
    """Entries of other sources that are the same data as this dataset (다른 출처)."""
    return list(session.scalars(visible_datasets(viewer)
                                .where(Dataset.same_as_id == dataset.id)
                                .order_by(Dataset.source, Dataset.source_id)))
