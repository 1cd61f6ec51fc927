"""`/sitemap.xml` and `/robots.txt`: what search engines may crawl.

The sitemap lists the pages of the datasets the public sees in lists (`listed_datasets` as an
anonymous viewer, whoever asks: an administrator's browser must not publish internal pages),
with their last change, next to the schema.org JSON-LD each page carries. 8,000 entries stay
far below the protocol's 50,000 per file.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Flask, Response, url_for
from sqlalchemy import func

from portal.app import db
from portal.catalog import queries
from portal.catalog.access import ANONYMOUS
from portal.catalog.models import Dataset

bp = Blueprint("sitemap", __name__)

PROTOCOL_LIMIT = 50_000


@bp.get("/sitemap.xml")
def sitemap():
    changed = func.coalesce(Dataset.modified_at, Dataset.created_at)
    # Read before streaming: the request's session is closed once the view returns.
    rows = db().execute(queries.listed_datasets(ANONYMOUS)
                        .with_only_columns(Dataset.slug, changed)
                        .order_by(Dataset.slug).limit(PROTOCOL_LIMIT - 2)).all()
    home, models = url_for("home.index", _external=True), url_for("models.index", _external=True)
    page = url_for("datasets.show", slug="SLUG", _external=True)

    def lines():
        yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for url in (home, models):
            yield f"<url><loc>{escape(url)}</loc></url>\n"
        for slug, at in rows:
            lastmod = f"<lastmod>{at:%Y-%m-%d}</lastmod>" if at else ""
            yield f"<url><loc>{escape(page.replace('SLUG', slug))}</loc>{lastmod}</url>\n"
        yield "</urlset>\n"
    return Response(lines(), mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    # The admin pages and the JSON API are not for crawlers; everything else is.
    text = ("User-agent: *\nDisallow: /admin/\nDisallow: /api/\n"
            f"Sitemap: {url_for('sitemap.sitemap', _external=True)}\n")
    return Response(text, mimetype="text/plain")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
