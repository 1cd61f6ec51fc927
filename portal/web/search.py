"""The search page and the native search/suggest JSON API."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, render_template, request
from sqlalchemy import select

from indexer import schema
from portal.app import current_viewer, db, portal_state
from portal.catalog import vocab
from portal.catalog.models import Organisation
from portal.searching import (SearchParameterError, log_search, popular_searches,
                              query_from_args, run_search)
from portal.web.home import SOURCE_LABELS

bp = Blueprint("search", __name__)

# How each facet's stored codes read on a page (organisations are looked up by slug).
FACET_VOCABULARIES = {"theme": vocab.THEMES, "kind": vocab.KINDS, "licence": vocab.LICENCES,
                      "update_cycle": vocab.UPDATE_CYCLES}


@bp.get("/search")
def page():
    try:
        query = query_from_args(request.args.to_dict(flat=False), current_viewer())
    except SearchParameterError as error:
        return render_template("search/page.html", error=str(error), q=request.args.get("q", "")), 400
    found = run_search(portal_state().search, query)
    session = db()
    if query.page == 1 and not query.filters:
        log_search(session, query.text, found.result)
        session.commit()
    popular = popular_searches(session) if found.result.total == 0 else []
    return render_template("search/page.html", found=found, q=query.text, popular=popular,
                           facet_label=facet_value_labeller(found), schema=schema)


@bp.get("/api/v1/search")
def api_search():
    try:
        query = query_from_args(request.args.to_dict(flat=False), current_viewer())
    except SearchParameterError as error:
        return jsonify(error=str(error)), 400
    found = run_search(portal_state().search, query)
    result = found.result
    return jsonify(
        query=query.text, total=result.total, page=query.page, per_page=query.per_page,
        sort=query.sort, suggestion=result.suggestion, broader_query=found.broader,
        facets={name: [{"value": v, "count": c} for v, c in values]
                for name, values in result.facets.items()},
        results=[{"id": hit.id, "slug": hit.slug, "score": hit.score,
                  "highlights": hit.highlights, **_public(hit.fields)} for hit in result.hits])


@bp.get("/api/v1/suggest")
def api_suggest():
    prefix = request.args.get("q", "").strip()[:50]
    limit = min(request.args.get("limit", 8, type=int) or 8, 20)
    if not prefix:
        return jsonify(suggestions=[])
    suggestions = portal_state().search.suggest(prefix, current_viewer().labels, limit=limit)
    return jsonify(suggestions=[{"text": s.text, "kind": s.kind, "value": s.value,
                                 "count": s.count} for s in suggestions])


def _public(fields: dict) -> dict:
    data = {k: v for k, v in fields.items() if k not in ("id", "slug", "rendered")}
    if data.get("modified") is not None and hasattr(data["modified"], "isoformat"):
        data["modified"] = data["modified"].isoformat()
    return data


def facet_value_labeller(found):
    """value → label for the facets on the page; organisation names in one query."""
    slugs = [value for value, _ in found.result.facets.get("organisation", [])]
    names = dict(db().execute(select(Organisation.slug, Organisation.name_ko)
                              .where(Organisation.slug.in_(slugs))).all()) if slugs else {}

    def label(facet: str, value: str) -> str:
        if facet == "organisation":
            return names.get(value, value)
        if facet == "source":
            return SOURCE_LABELS.get(value, value)
        vocabulary = FACET_VOCABULARIES.get(facet)
        return vocab.label(vocabulary, value) if vocabulary else value
    return label


def search_url(*, toggle: tuple[str, str] | None = None, **replace) -> str:
    """This search's URL with one facet value toggled and/or parameters replaced; any change
    but a page turn goes back to page 1."""
    from flask import url_for
    args = request.args.to_dict(flat=False)
    if toggle:
        name, value = toggle
        values = args.get(name, [])
        args[name] = [v for v in values if v != value] if value in values else values + [value]
    for name, value in replace.items():
        args[name] = [] if value is None else [str(value)]
    if "page" not in replace:
        args.pop("page", None)
    return url_for("search.page", **{k: v for k, v in args.items() if v})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["search_url"] = search_url
