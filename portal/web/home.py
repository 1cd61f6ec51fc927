"""Home page: what the catalog holds, by theme, source and kind."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template

from portal.app import current_viewer, db
from portal.catalog import queries
from portal.catalog.models import Dataset

bp = Blueprint("home", __name__)

SOURCE_LABELS = {"seoul": "서울 열린데이터광장", "kosis": "통계청 KOSIS",
                 "mois": "행정안전부", "datagokr": "공공데이터포털", "localdata": "LOCALDATA",
                 "upload": "부서 등록"}


@bp.get("/")
def index():
    session, viewer = db(), current_viewer()
    return render_template(
        "home.html",
        total=queries.count_datasets(session, viewer),
        by_theme=queries.counts_by(session, viewer, Dataset.theme),
        by_source=queries.counts_by(session, viewer, Dataset.source),
        by_kind=queries.counts_by(session, viewer, Dataset.kind),
        recent=queries.recent_datasets(session, viewer, limit=8),
        source_labels=SOURCE_LABELS)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["source_label"] = lambda code: SOURCE_LABELS.get(code, code)
