"""A CKAN-compatible Action API (`/api/3/action/...`), so existing CKAN clients and
harvesters (ckanapi, CKAN's own harvester, data.go.kr tools) work unchanged.

Datasets are shaped as CKAN package dicts plus `source` and `source_id`. Search goes through
the same search service and visibility rule as the page; `package_show` through the catalog's
query layer: an internal dataset is "Not found" for whoever may not see it.
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import replace

from flask import Blueprint, Flask, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from indexer import schema
from indexer.base import SearchQuery
from portal.app import current_viewer, db, portal_state
from portal.catalog import queries, vocab
from portal.catalog.access import visible_datasets
from portal.catalog.models import Dataset, Organisation
from portal.searching import MAX_QUERY_LENGTH

bp = Blueprint("ckan", __name__, url_prefix="/api/3/action")

# CKAN field names → our declared facet names.
CKAN_FACETS = {"organization": "organisation", "res_format": "format", "license_id": "licence",
               "groups": "theme", "tags": None}
CKAN_SORTS = {"score": "relevance", "metadata_modified": "modified", "title_string": "title",
              "name": "title", "views_recent": "views", "views_total": "views"}
MAX_ROWS = 1000


class ActionError(Exception):
    def __init__(self, message: str, kind: str = "Validation Error", status: int = 409):
        super().__init__(message)
        self.kind, self.status = kind, status


def _ok(result):
    return jsonify(help=request.base_url, success=True, result=result)


@bp.errorhandler(ActionError)
def _action_error(error: ActionError):
    return jsonify(help=request.base_url, success=False,
                   error={"__type": error.kind, "message": str(error)}), error.status


def _param(name: str, default=None):
    """Actions take GET parameters or a JSON body, as in CKAN."""
    if request.is_json and isinstance(request.get_json(silent=True), dict):
        return request.get_json().get(name, default)
    return request.values.get(name, default)


def _int(name: str, default: int, maximum: int | None = None) -> int:
    raw = _param(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ActionError(f"{name}: must be a whole number, got {raw!r}") from None
    if value < 0:
        raise ActionError(f"{name}: must be 0 or more")
    return min(value, maximum) if maximum else value


@bp.route("/package_search", methods=["GET", "POST"])
def package_search():
    rows, start = _int("rows", 10, MAX_ROWS), _int("start", 0)
    facet_fields = _facet_fields(_param("facet.field"))
    base = SearchQuery(text=str(_param("q", "") or "").replace("*:*", "").strip()[:MAX_QUERY_LENGTH],
                       labels=current_viewer().labels, filters=_fq_filters(_param("fq", "")),
                       sort=_sort(_param("sort")), facets=tuple(facet_fields.values()),
                       per_page=schema.MAX_PER_PAGE, highlight=False)
    result, hits = _search_window(base, start, rows)
    packages = _packages_by_id([int(hit.id) for hit in hits])
    search_facets, facets = {}, {}
    for ckan_name, name in facet_fields.items():
        values = result.facets.get(name, [])
        facets[ckan_name] = dict(values)
        search_facets[ckan_name] = {"title": ckan_name, "items": [
            {"name": value, "display_name": value, "count": count} for value, count in values]}
    return _ok({"count": result.total, "results": packages, "facets": facets,
                "search_facets": search_facets, "sort": _param("sort") or "score desc"})


@bp.route("/package_show", methods=["GET", "POST"])
def package_show():
    key = str(_param("id", "") or "")
    dataset = queries.get_dataset(db(), current_viewer(), key)
    if dataset is None and key.isdigit():
        dataset = db().scalar(visible_datasets(current_viewer()).where(Dataset.id == int(key)))
    if dataset is None:
        raise ActionError("Not found", "Not Found Error", 404)
    return _ok(package_dict(dataset))


@bp.route("/package_list", methods=["GET", "POST"])
def package_list():
    limit, offset = _int("limit", 0), _int("offset", 0)
    # Lists leave out withdrawn entries and the second copy of linked ones (package_show
    # still answers for them, as their pages do).
    query = select(Dataset.slug).where(queries.listed_datasets(current_viewer()).whereclause) \
        .order_by(Dataset.slug).offset(offset)
    if limit:
        query = query.limit(limit)
    return _ok(list(db().scalars(query)))


@bp.route("/package_autocomplete", methods=["GET", "POST"])
def package_autocomplete():
    prefix = str(_param("q", "") or "").strip()[:50]
    limit = _int("limit", 10, 100)
    if not prefix:
        return _ok([])
    suggestions = portal_state().search.suggest(prefix, current_viewer().labels, limit=limit * 2)
    titles = [s for s in suggestions if s.kind == "title"][:limit]
    return _ok([{"name": s.value, "title": s.text, "match_field": "title",
                 "match_displayed": s.text} for s in titles])


@bp.route("/organization_list", methods=["GET", "POST"])
def organization_list():
    orgs = queries.organisations(db())
    if str(_param("all_fields", "false")).lower() in ("true", "1"):
        return _ok([organization_dict(org) for org in orgs])
    return _ok([org.slug for org in orgs])


@bp.route("/organization_show", methods=["GET", "POST"])
def organization_show():
    org = queries.get_organisation(db(), str(_param("id", "") or ""))
    if org is None:
        raise ActionError("Not found", "Not Found Error", 404)
    result = organization_dict(org)
    if str(_param("include_datasets", "false")).lower() in ("true", "1"):
        page = queries.organisation_datasets(db(), current_viewer(), org, per_page=1000)
        result["packages"] = [package_dict(d) for d in page.items]
        result["package_count"] = page.total
    return _ok(result)


@bp.route("/tag_list", methods=["GET", "POST"])
def tag_list():
    keywords = db().scalars(select(Dataset.keywords).where(
        queries.listed_datasets(current_viewer()).whereclause))
    tags = sorted({tag for words in keywords for tag in (words or [])})
    prefix = str(_param("query", "") or "")
    return _ok([tag for tag in tags if tag.startswith(prefix)])


@bp.route("/status_show", methods=["GET", "POST"])
def status_show():
    search = portal_state().search.health()
    return _ok({"site_title": "서울 공공데이터 포털", "site_url": request.host_url.rstrip("/"),
                "ckan_version": "2.10.0", "api_version": 3, "locale_default": "ko",
                "extensions": ["seoul-portal"], "search": {"ok": search.get("ok"),
                                                          "backend": search.get("backend")}})


def _search_window(base: SearchQuery, start: int, rows: int):
    """CKAN pages by offset (start, rows); the index by page. Fetch the pages covering the
    window, at most MAX_PER_PAGE rows each, and cut it out."""
    size = base.per_page
    first_page = start // size + 1
    result = portal_state().search.search(replace(base, page=first_page))
    hits, page = list(result.hits), first_page
    while rows and len(hits) < (start - (first_page - 1) * size) + rows \
            and page * size < result.total:
        page += 1
        hits += portal_state().search.search(replace(base, page=page, facets=())).hits
    offset = start - (first_page - 1) * size
    return result, hits[offset:offset + rows]


def package_dict(dataset: Dataset) -> dict:
    owner = dataset.owner
    licence = vocab.LICENCES.get(dataset.licence)
    return {
        "id": str(dataset.id), "name": dataset.slug, "title": dataset.title_ko,
        "title_en": dataset.title_en, "notes": dataset.description_ko or "",
        "type": "dataset", "state": "active", "private": dataset.visibility != "public",
        "url": dataset.source_url or "",
        "license_id": dataset.licence, "license_title": licence.ko if licence else dataset.licence,
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": dataset.modified_at.isoformat(),
        "organization": organization_dict(owner) if owner else None,
        "owner_org": str(owner.id) if owner else None,
        "tags": [{"name": tag, "display_name": tag} for tag in dataset.keywords or []],
        "num_tags": len(dataset.keywords or []),
        "groups": [{"name": dataset.theme, "title": dataset.theme}],
        "resources": [{"id": str(r.id), "name": r.name, "url": _resource_url(dataset, r),
                       "format": r.format or "", "resource_type": r.kind,
                       "package_id": str(dataset.id), "position": r.position}
                      for r in dataset.resources],
        "num_resources": len(dataset.resources),
        "source": dataset.source, "source_id": dataset.source_id,
        "theme": dataset.theme, "kind": dataset.kind, "update_cycle": dataset.update_cycle,
        "spatial_coverage": dataset.spatial_coverage or [],
        "extras": [{"key": "source", "value": dataset.source},
                   {"key": "source_id", "value": dataset.source_id}],
    }


def _resource_url(dataset: Dataset, resource) -> str:
    if resource.url:
        return resource.url
    versions = resource.table_versions
    if versions and versions[-1].original_key:
        return url_for("datasets.original", slug=dataset.slug, version_id=versions[-1].id,
                       _external=True)
    return url_for("datasets.show", slug=dataset.slug, _external=True)


def organization_dict(org: Organisation) -> dict:
    return {"id": str(org.id), "name": org.slug, "title": org.name_ko, "title_en": org.name_en,
            "type": "organization", "state": "active", "is_organization": True,
            "description": vocab.label(vocab.ORGANISATION_KINDS, org.kind),
            "extras": [{"key": code.code_system, "value": code.code} for code in org.codes]}


def _packages_by_id(ids: list[int]) -> list[dict]:
    """Full package dicts for search hits, in hit order, read through the visibility rule."""
    if not ids:
        return []
    datasets = db().scalars(visible_datasets(current_viewer()).where(Dataset.id.in_(ids))
                            .options(selectinload(Dataset.resources), selectinload(Dataset.owner)))
    by_id = {d.id: d for d in datasets}
    return [package_dict(by_id[i]) for i in ids if i in by_id]


_FQ_TERM = re.compile(r'^\+?([\w.]+):(.+)$')


def _fq_filters(fq: str) -> dict[str, list[str]]:
    """Solr filter queries as CKAN clients send them: `organization:x res_format:"CSV"`."""
    filters: dict[str, list[str]] = {}
    try:
        terms = shlex.split(fq or "")
    except ValueError:
        raise ActionError(f"fq: unbalanced quotes in {fq!r}") from None
    for term in terms:
        if term.upper() in ("AND", "+"):
            continue
        match = _FQ_TERM.match(term)
        if not match:
            raise ActionError(f"fq: cannot read {term!r}; use field:value")
        field, value = match.group(1), match.group(2).strip('"')
        name = CKAN_FACETS.get(field, field)
        if name is None or (name not in schema.FACETS_BY_NAME and name not in schema.FILTERS_BY_NAME):
            known = sorted(set(CKAN_FACETS) - {"tags"} | set(schema.FACETS_BY_NAME))
            raise ActionError(f"fq: cannot filter by {field!r}; use one of {', '.join(known)}")
        filters.setdefault(name, []).append(value)
    return filters


def _facet_fields(raw) -> dict[str, str]:
    if raw in (None, ""):
        return {}
    try:
        names = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        raise ActionError('facet.field: expected a JSON list such as ["organization"]') from None
    fields = {}
    for name in names:
        ours = CKAN_FACETS.get(name, name)
        if ours not in schema.FACETS_BY_NAME:
            raise ActionError(f"facet.field: no facet {name!r}")
        fields[name] = ours
    return fields


def _sort(raw) -> str:
    if not raw:
        return schema.DEFAULT_SORT
    field = str(raw).split(",")[0].split()[0]
    if field not in CKAN_SORTS:
        raise ActionError(f"sort: cannot sort by {field!r}; use one of {', '.join(CKAN_SORTS)}")
    return CKAN_SORTS[field]


def init_app(app: Flask) -> None:
    # CKAN answers on /api/3/action and on /api/action (which ckanapi uses).
    app.register_blueprint(bp)
    app.register_blueprint(bp, url_prefix="/api/action", name="ckan_unversioned")
