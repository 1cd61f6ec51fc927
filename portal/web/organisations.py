"""Organisation pages: the hierarchy and each organisation's datasets."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, request

from portal.app import current_viewer, db
from portal.catalog import queries
from portal.catalog.models import utcnow

bp = Blueprint("organisations", __name__, url_prefix="/orgs")


@bp.get("/")
def index():
    orgs = queries.organisations(db())
    roots = [org for org in orgs if org.parent_id is None]
    return render_template("organisations/index.html", roots=roots)


@bp.get("/<slug>")
def show(slug: str):
    session = db()
    org = queries.get_organisation(session, slug) or abort(404)
    page = max(request.args.get("page", 1, type=int), 1)
    viewer = current_viewer()
    result = queries.organisation_datasets(session, viewer, org, page=page)
    overdue, overdue_total = queries.overdue_datasets(session, viewer, org, utcnow())
    return render_template("organisations/show.html", org=org, result=result,
                           overdue=overdue, overdue_total=overdue_total)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
