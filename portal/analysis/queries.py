"""Reading runs as a viewer, and the datasets a viewer could feed into an input role.

A run is seen by a viewer who may see every dataset it read: its own visibility (public, or
internal to the owner of an internal input: the same labels as datasets) *and* every input
dataset as it is now, so a dataset made internal later also hides the runs that read it.
"""
from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from models_std.base import InputRole
from portal.analysis.inputs import role_accepts
from portal.catalog.access import (ADMIN_LABEL, PUBLIC, Viewer, can_see, org_label,
                                   visibility_clause, visible_datasets)
from portal.catalog.models import Dataset, ModelRun, ModelRunInput, TableVersion
from portal.catalog.queries import Page


def run_labels(run: ModelRun) -> list[str]:
    """The permission labels of a run, like `access.dataset_labels`."""
    if run.visibility == "public":
        return [PUBLIC, ADMIN_LABEL]
    return ([org_label(run.owner_org_id)] if run.owner_org_id else []) + [ADMIN_LABEL]


def run_visibility_clause(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_admin:
        return ModelRun.id.is_not(None)
    own = ModelRun.visibility == "public"
    if viewer.org_ids:
        own = or_(own, and_(ModelRun.visibility == "internal",
                            ModelRun.owner_org_id.in_(sorted(viewer.org_ids))))
    hidden_input = exists().where(ModelRunInput.run_id == ModelRun.id,
                                  ModelRunInput.dataset_id == Dataset.id,
                                  not_(visibility_clause(viewer)))
    return and_(own, not_(hidden_input))


def can_see_run(viewer: Viewer, run: ModelRun) -> bool:
    """The label form of the same rule (a test keeps the two in agreement)."""
    return bool(set(run_labels(run)) & viewer.labels) and all(
        can_see(viewer, item.dataset) for item in run.inputs)


def visible_runs(viewer: Viewer) -> Select[tuple[ModelRun]]:
    return select(ModelRun).where(run_visibility_clause(viewer))


def get_run(session: Session, viewer: Viewer, model_id: str, run_id: int) -> ModelRun | None:
    """The run, or None when it does not exist, belongs to another model *or* the viewer may
    not see it (the same 404 for all three)."""
    return session.scalar(visible_runs(viewer)
                          .where(ModelRun.id == run_id, ModelRun.model_id == model_id)
                          .options(selectinload(ModelRun.inputs).selectinload(
                                       ModelRunInput.dataset),
                                   selectinload(ModelRun.inputs).selectinload(
                                       ModelRunInput.table_version)))


def model_runs(session: Session, viewer: Viewer, model_id: str, page: int = 1,
               per_page: int = 20) -> Page:
    """The model's visible runs, newest first."""
    query = visible_runs(viewer).where(ModelRun.model_id == model_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(
        query.order_by(ModelRun.created_at.desc(), ModelRun.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
        .options(selectinload(ModelRun.inputs).selectinload(ModelRunInput.dataset))))
    return Page(items, total, page, per_page)


def datasets_with_tables(session: Session, viewer: Viewer) -> list[tuple[Dataset, TableVersion]]:
    """Visible datasets with their newest table version, by title. (Candidates for inputs:
    the visibility rule is `access.visible_datasets`, the one every catalog query uses.)"""
    newest = (select(TableVersion.dataset_id, func.max(TableVersion.id).label("version_id"))
              .group_by(TableVersion.dataset_id).subquery())
    query = (visible_datasets(viewer)
             .join(newest, newest.c.dataset_id == Dataset.id)
             .join(TableVersion, TableVersion.id == newest.c.version_id)
             .add_columns(TableVersion)
             .order_by(Dataset.title_ko, Dataset.id))
    return [(dataset, version) for dataset, version in session.execute(query)]


def candidates_for(role: InputRole, tables: list[tuple[Dataset, TableVersion]]
                   ) -> list[Dataset]:
    """The datasets whose newest table has every column tag the role requires."""
    return [dataset for dataset, version in tables if role_accepts(role, version.profile)]
