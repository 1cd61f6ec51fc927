"""The dataset API (`/api/v1/datasets/<slug>`…): metadata, rows to filter, sort and page,
the stored totals, and the comparison of two versions with its page.

Every read goes through `queries` with the current viewer, and a dataset the viewer may not
see answers the very bytes a missing one does. JSON keeps the table's column order (Flask's
own JSON sorts keys), numbers as numbers and missing cells as null.
"""
from __future__ import annotations

import hashlib
import json
import shlex
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, render_template, request, url_for

from portal.app import current_viewer, db, portal_state
from portal.catalog import queries, vocab
from portal.catalog.models import Dataset, TableVersion
from portal.catalog.table_query import (OPERATORS, QueryError, column_kind, json_cell,
                                        json_rows, parse_query, run_query, table_schema)
from portal.catalog.version_diff import compare_versions
from portal.web import downloads

bp = Blueprint("api", __name__)

NOT_FOUND = {"error": "not_found", "message": "데이터셋을 찾을 수 없습니다. (No such dataset.)"}
NO_TABLE = {"error": "no_table", "message": "이 데이터셋에는 표 데이터가 없습니다. "
                                            "(This dataset has no table.)"}


def json_response(payload, status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False, allow_nan=False),
                    status=status, mimetype="application/json")


class ApiError(Exception):
    def __init__(self, status: int, payload: dict):
        super().__init__(payload.get("message"))
        self.status, self.payload = status, payload


def bad_request(message: str) -> ApiError:
    return ApiError(400, {"error": "bad_request", "message": message})


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return json_response(error.payload, error.status)


def visible_dataset(slug: str) -> Dataset:
    dataset = queries.get_dataset(db(), current_viewer(), slug)
    if dataset is None:
        raise ApiError(404, NOT_FOUND)
    return dataset


def requested_version(dataset: Dataset, raw: str | None) -> TableVersion:
    """The version asked for by number (`_version`), else the latest."""
    number = None
    if raw not in (None, ""):
        try:
            number = int(raw)
        except ValueError:
            raise bad_request(f"_version must be a version number, not {raw!r}") from None
    version = queries.table_version(db(), dataset, number)
    if version is None:
        raise ApiError(404, NO_TABLE if number is None else {
            "error": "no_version", "message": f"버전 {number}이(가) 없습니다. (No version {number}.)"})
    return version


@bp.get("/api/v1/datasets/<slug>")
def dataset_metadata(slug: str):
    dataset = visible_dataset(slug)
    versions = queries.primary_table_versions(db(), dataset)
    latest = versions[-1] if versions else None
    owner = dataset.owner
    return json_response({
        "slug": dataset.slug,
        "title": {"ko": dataset.title_ko, "en": dataset.title_en},
        "description": {"ko": dataset.description_ko, "en": dataset.description_en},
        "owner": {"slug": owner.slug, "name_ko": owner.name_ko, "name_en": owner.name_en}
        if owner else None,
        "theme": _coded(vocab.THEMES, dataset.theme),
        "licence": _coded(vocab.LICENCES, dataset.licence),
        "update_cycle": _coded(vocab.UPDATE_CYCLES, dataset.update_cycle),
        "keywords": dataset.keywords or [],
        "source": {"name": dataset.source, "id": dataset.source_id, "url": dataset.source_url},
        "coverage": {"gu_codes": dataset.spatial_coverage or [],
                     "start": _iso(dataset.temporal_start), "end": _iso(dataset.temporal_end)},
        "created": _iso(dataset.created_at), "modified": _iso(dataset.modified_at),
        "resources": [{"name": r.name, "kind": r.kind, "format": r.format, "url": r.url}
                      for r in dataset.resources],
        "columns": table_columns(latest) if latest else [],
        "versions": [_version_entry(dataset, v) for v in reversed(versions)],
        "links": {"page": url_for("datasets.show", slug=slug, _external=True),
                  "rows": url_for("api.rows", slug=slug, _external=True),
                  "totals": url_for("api.totals", slug=slug, _external=True),
                  "downloads": downloads.download_links(dataset) if latest else {}},
    })


def _coded(vocabulary, code):
    return {"code": code, "label": vocab.label(vocabulary, code) if code else None}


def _iso(value):
    return value.isoformat() if value is not None else None


def _version_entry(dataset: Dataset, version: TableVersion) -> dict:
    return {"number": version.number, "created": _iso(version.created_at),
            "row_count": version.row_count, "column_count": version.column_count,
            "content_hash": version.content_hash,
            "original": {"filename": version.original_filename, "size": version.original_size,
                         "url": url_for("datasets.original", slug=dataset.slug,
                                        version_id=version.id, _external=True)}
            if version.original_key else None,
            "links": {"rows": url_for("api.rows", slug=dataset.slug, _version=version.number,
                                      _external=True),
                      "totals": url_for("api.totals", slug=dataset.slug,
                                        _version=version.number, _external=True)}}


def table_columns(version: TableVersion) -> list[dict]:
    """Each column: Arrow type, how it compares, and what the profile knows of it."""
    schema = table_schema(portal_state().store.path(version.parquet_key))
    info = (version.profile or {}).get("columns") or {}
    return [{"name": f.name, "type": str(f.type), "kind": column_kind(f.type),
             **{k: info.get(f.name, {}).get(k) for k in ("tag", "unit", "missing", "distinct")}}
            for f in schema]


@bp.get("/api/v1/datasets/<slug>/rows")
def rows(slug: str):
    dataset = visible_dataset(slug)
    version = requested_version(dataset, request.args.get("_version"))
    path = portal_state().store.path(version.parquet_key)
    config = portal_state().config
    try:
        query = parse_query(request.args.items(multi=True), table_schema(path),
                            default_size=config.get("api", "page_size"),
                            max_size=config.get("api", "max_page_size"))
    except QueryError as error:
        raise bad_request(str(error)) from None
    result = run_query(path, query)
    shape = request.args.get("_shape", "objects")
    if shape not in ("objects", "arrays"):
        raise bad_request("_shape is objects or arrays")
    data = json_rows(result.rows) if shape == "objects" else \
        [[json_cell(v) for v in row.values()] for row in result.rows.to_pylist()]
    return json_response({
        "dataset": slug, "version": version.number, "total": result.total,
        "offset": query.offset, "limit": query.limit,
        "page": query.offset // query.limit + 1,
        "sort": query.sort, "sort_desc": query.descending,
        "filters": [{"column": f.column, "operator": f.operator, "value": json_cell(f.value)
                     if not isinstance(f.value, list) else [json_cell(v) for v in f.value]}
                    for f in query.filters],
        "columns": result.columns, "rows": data,
        "next": _page_url(query.offset + query.limit, query.limit)
        if query.offset + query.limit < result.total else None,
        "previous": _page_url(max(query.offset - query.limit, 0), query.limit)
        if query.offset > 0 else None,
    })


def _page_url(offset: int, limit: int) -> str:
    args = request.args.to_dict(flat=False)
    if "offset" in args or "limit" in args:
        args.update(offset=[str(offset)], limit=[str(limit)])
    else:
        args.update(_page=[str(offset // limit + 1)], _size=[str(limit)])
    return url_for("api.rows", slug=request.view_args["slug"], _external=True, **args)


@bp.get("/api/v1/datasets/<slug>/totals")
def totals(slug: str):
    dataset = visible_dataset(slug)
    version = requested_version(dataset, request.args.get("_version"))
    profile = version.profile or {}
    return json_response({"dataset": slug, "version": version.number,
                          "profile_version": profile.get("version"), **ordered_totals(profile)})


def ordered_totals(profile: dict) -> dict:
    """The profile's figures as stored, with keys back in display order (PostgreSQL's JSONB
    forgets key order; the profile keeps it in label lists)."""
    dimensions = profile.get("dimensions") or {}
    gu = (dimensions.get("gu") or {}).get("labels") or []
    years = (dimensions.get("year") or {}).get("labels") or []
    measures = [m["name"] for m in profile.get("measures") or []] + ["@rows"]

    def ordered(mapping: dict | None, order: list[str]) -> dict:
        mapping = mapping or {}
        return {k: mapping[k] for k in [*order, *mapping] if k in mapping}

    series = profile.get("yearly_series") or {}
    return {
        "row_count": profile.get("row_count"), "total_row_count": profile.get("total_row_count"),
        "measures": profile.get("measures") or [],
        "dimensions": dimensions or None,
        "totals": ordered(profile.get("totals"), measures),
        "source_totals": ordered(profile.get("source_totals"), measures),
        "by_gu": {m: ordered(v, gu) for m, v in ordered(profile.get("by_gu"), measures).items()},
        "by_year": {m: ordered(v, years)
                    for m, v in ordered(profile.get("by_year"), measures).items()},
        "yearly_series": {m: {"seoul": ordered(s.get("seoul"), years),
                              "by_gu": {g: ordered(v, years)
                                        for g, v in ordered(s.get("by_gu"), gu).items()}}
                          for m, s in ordered(series, measures).items()},
        "top_categories": profile.get("top_categories") or [],
    }


def _compared(slug: str):
    """The dataset and its two versions (`from`, `to`; default: the last two)."""
    dataset = visible_dataset(slug)
    versions = queries.primary_table_versions(db(), dataset)
    if not versions:
        raise ApiError(404, NO_TABLE)
    by_number = {v.number: v for v in versions}
    try:
        new_number = int(request.args.get("to") or versions[-1].number)
        old_number = int(request.args.get("from") or new_number - 1)
    except ValueError:
        raise bad_request("from and to are version numbers") from None
    for number in (old_number, new_number):
        if number not in by_number:
            raise ApiError(404, {"error": "no_version",
                                 "message": f"버전 {number}이(가) 없습니다. (No version {number}.)"})
    return dataset, by_number[old_number], by_number[new_number]


@bp.get("/api/v1/datasets/<slug>/compare")
def compare(slug: str):
    dataset, old, new = _compared(slug)
    diff = compare_versions(portal_state().store, old, new)
    figure = lambda c: {"name": c.name, "old": c.old, "new": c.new,  # noqa: E731
                        "delta": c.delta, "percent": c.percent}
    rows = diff.rows
    return json_response({
        "dataset": slug, "from": old.number, "to": new.number, "key": rows.key,
        "rows": {"added": rows.added, "removed": rows.removed, "changed": rows.changed,
                 "unchanged": rows.unchanged},
        "columns": {"added": rows.columns_added, "removed": rows.columns_removed},
        "changed_sample": [{"key": {k: json_cell(v) for k, v in change.key.items()},
                            "cells": [{"column": c.column, "old": json_cell(c.old),
                                       "new": json_cell(c.new)} for c in change.cells]}
                           for change in rows.changed_sample],
        "added_sample": [{k: json_cell(v) for k, v in r.items()} for r in rows.added_sample],
        "removed_sample": [{k: json_cell(v) for k, v in r.items()} for r in rows.removed_sample],
        "row_count": figure(diff.row_count),
        "totals": [figure(c) for c in diff.totals],
        "by_gu": {series: [figure(c) for c in changes] for series, changes in diff.by_gu.items()},
    })


@bp.get("/datasets/<slug>/compare")
def compare_page(slug: str):
    """The comparison as a page; same checks as its JSON twin, answered as pages."""
    try:
        dataset, old, new = _compared(slug)
    except ApiError as error:
        if error.status == 404:
            abort(404)
        return render_template("datasets/compare.html", error=error.payload["message"],
                               dataset=queries.get_dataset(db(), current_viewer(), slug)), 400
    diff = compare_versions(portal_state().store, old, new)
    json_url = url_for("api.compare", slug=slug, _external=True,
                       **{"from": old.number, "to": new.number})
    return render_template("datasets/compare.html", dataset=dataset, old=old, new=new,
                           diff=diff, versions=queries.primary_table_versions(db(), dataset),
                           json_url=json_url)


def api_example(dataset: Dataset, version: TableVersion | None, profile: dict | None,
                preview) -> dict | None:
    """The dataset page's API examples (curl and Python): a real filter on this table, one
    page of 20 rows, and the totals, with absolute URLs."""
    if version is None:
        return None
    params: dict[str, object] = {}
    column, value = _example_filter(profile or {}, preview)
    if column:
        params[column] = value
    params.update({"_size": 20, "_page": 1})
    rows_url = url_for("api.rows", slug=dataset.slug, _external=True)
    totals_url = url_for("api.totals", slug=dataset.slug, _external=True)
    literal = "{" + ", ".join(f"{k!r}: {v!r}" for k, v in params.items()) + "}"
    curl_args = " ".join(f"--data-urlencode {shlex.quote(f'{k}={v}')}" for k, v in params.items())
    return {
        "rows_url": rows_url, "totals_url": totals_url, "params": params,
        "max_page_size": portal_state().config.get("api", "max_page_size"),
        "metadata_url": url_for("api.dataset_metadata", slug=dataset.slug, _external=True),
        "curl_rows": f"curl -G {shlex.quote(rows_url)} {curl_args}",
        "curl_totals": f"curl {shlex.quote(totals_url)}",
        "python_rows": (f"import requests\n\nresponse = requests.get(\n    {rows_url!r},\n"
                        f"    params={literal},\n    timeout=30,\n)\nresponse.raise_for_status()\n"
                        f"page = response.json()\nprint(page[\"total\"], \"rows match\")\n"
                        f"for row in page[\"rows\"]:\n    print(row)\n"),
        "python_totals": (f"import requests\n\ntotals = requests.get({totals_url!r}, "
                          f"timeout=30).json()\nprint(totals[\"totals\"])\n"
                          f"print(totals[\"by_gu\"])\n"),
    }


def _example_filter(profile: dict, preview) -> tuple[str | None, object]:
    """A gu column, else the first category column, with a value really in the table."""
    gu = (profile.get("dimensions") or {}).get("gu") or {}
    columns = [gu["column"]] if gu.get("column") and gu.get("via") == "gu" else []
    columns += [c["column"] for c in profile.get("top_categories") or []]
    if preview is None or not len(preview):
        return None, None
    columns += [c for c in preview.columns if c not in columns]
    for name in columns:
        if name in preview.columns:
            values = [json_cell(v) for v in preview[name].dropna().head(1)]
            if values and isinstance(values[0], str) and values[0]:
                return name, values[0]
    return None, None


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["api_example"] = api_example
    app.jinja_env.globals["filter_operators"] = OPERATORS
    app.jinja_env.globals["table_columns"] = table_columns
    app.jinja_env.globals["preview_script_url"] = _static_url_with_hash(app, "js/preview.js")


def _static_url_with_hash(app: Flask, filename: str):
    """The script's URL with its content hash, computed once per process: a bundle's URL
    costs milliseconds on every page, and the preview script needs no bundling."""
    digest = hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:8]
    url = f"{app.static_url_path}/{filename}?{digest}"
    return lambda: url
