"""Dataset list and dataset pages. Everything shown comes from the catalog and the profile
stored with the table version; only the preview reads the table, and only its first rows."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request, send_file, url_for

from portal.app import current_viewer, db, portal_state
from portal.catalog import freshness, queries
from portal.catalog.models import TableVersion, utcnow
from portal.web import dataset_charts, dataset_jsonld

bp = Blueprint("datasets", __name__, url_prefix="/datasets")

LIST_FILTERS = ("theme", "kind", "source", "licence", "update_cycle")


@bp.get("/")
def index():
    filters = {name: request.args[name] for name in LIST_FILTERS if request.args.get(name)}
    page = max(request.args.get("page", 1, type=int), 1)
    result = queries.list_datasets(db(), current_viewer(), q=request.args.get("q", ""),
                                   filters=filters, page=page)
    return render_template("datasets/index.html", result=result, filters=filters,
                           q=request.args.get("q", ""))


@bp.get("/<slug>")
def show(slug: str):
    session, viewer = db(), current_viewer()
    dataset = queries.get_dataset(session, viewer, slug) or abort(404)
    version = queries.latest_table_version(session, dataset)
    preview = None
    if version is not None:
        rows = portal_state().config.get("web", "preview_rows")
        preview = portal_state().store.head(version.parquet_key, rows)
    queries.count_view(session, dataset)
    session.commit()
    last_change = version.created_at if version else (dataset.harvested_at or dataset.modified_at)
    due = freshness.due_date(dataset.update_cycle, dataset.next_update_due, last_change)
    profile = version.profile if version and (version.profile or {}).get("version") == 1 \
        else None  # a newer profile format than this page knows counts as absent
    versions = queries.table_versions(session, dataset)
    return render_template("datasets/show.html", dataset=dataset, version=version,
                           profile=profile, preview=preview, versions=versions,
                           cards=dataset_charts.summary_cards(profile),
                           charts=dataset_charts.chart_data(profile),
                           jsonld=dataset_jsonld.script_text(dataset_jsonld.dataset_jsonld(
                               dataset, versions, profile, url_for)),
                           same_as_primary=queries.same_as_primary(session, viewer, dataset),
                           other_sources=queries.other_sources(session, viewer, dataset),
                           last_change=last_change, due=due,
                           overdue=freshness.is_overdue(dataset.update_cycle,
                                                        dataset.next_update_due, last_change,
                                                        utcnow()))


@bp.get("/<slug>/versions/<int:version_id>/original")
def original(slug: str, version_id: int):
    """The file exactly as received, for any version."""
    session = db()
    dataset = queries.get_dataset(session, current_viewer(), slug) or abort(404)
    version = session.get(TableVersion, version_id)
    if version is None or version.dataset_id != dataset.id or not version.original_key:
        abort(404)
    return send_file(portal_state().store.path(version.original_key), as_attachment=True,
                     download_name=version.original_filename or f"{slug}.{version.source_format}")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
