"""Standard analysis model pages (표준분석모델): catalogue, model page, run form, run result
with charts and downloads, comparison of two runs, run history.

The work is in `portal.analysis`; this module turns requests into its calls and its answers
into pages. Runs and datasets are read as the current viewer, and an invisible run answers
the same 404 as a missing one.
"""
from __future__ import annotations

from datetime import date

from flask import (Blueprint, Flask, Response, abort, current_app, redirect, render_template,
                   request, url_for)
from flask_assets import Bundle
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from models_std import registry
from models_std.base import ModelSpec
from portal.analysis import comparison, exports, queries as run_queries
from portal.analysis.demo_inputs import example, is_demo_input_for
from portal.analysis.inputs import InputChoice, RunInputError, column_tags, is_generated
from portal.analysis.requests import (RequestError, gu_choices, gu_name, parse_gu,
                                      parse_parameters, parse_period)
from portal.analysis.runs import SUCCEEDED, read_result, run_model
from portal.app import current_viewer, db, portal_state

bp = Blueprint("models", __name__, url_prefix="/models")

RESULT_PAGE_ROWS = 50


def _spec(model_id: str) -> ModelSpec:
    return registry.get(model_id) or abort(404)


def _run(spec: ModelSpec, run_id: int):
    return run_queries.get_run(db(), current_viewer(), spec.id, run_id) or abort(404)


@bp.get("/")
def index():
    return render_template("models/index.html", models=registry.all_models())


@bp.get("/<model_id>")
def show(model_id: str):
    spec = _spec(model_id)
    recent = run_queries.model_runs(db(), current_viewer(), spec.id, per_page=5)
    return render_template("models/show.html", spec=spec, recent=recent)


@bp.route("/<model_id>/run", methods=["GET", "POST"])
def run_form(model_id: str):
    spec = _spec(model_id)
    if request.method == "GET":
        return _render_form(spec, _initial_values(spec), {}, preselect_demo=True)
    values = {key: request.form.get(key, "") for key in _field_names(spec)}
    errors = _check_csrf()
    try:
        gu_code = parse_gu(values["gu"])
    except RequestError as exc:
        errors[exc.field] = str(exc)
    try:
        period = parse_period(values["period_start"], values["period_end"])
    except RequestError as exc:
        errors[exc.field] = str(exc)
    given = {p.name: values[f"param.{p.name}"] for p in spec.parameters}
    for name, value in given.items():
        try:
            parse_parameters(spec, {name: value})
        except RequestError as exc:
            errors[exc.field] = str(exc)
    choices = {}
    for role in spec.inputs:
        slug = values[f"input.{role.name}"].strip()
        if slug:
            choices[role.name] = InputChoice(role.name, slug)
        elif not role.optional:
            errors[f"input.{role.name}"] = f"'{role.label_ko}' 입력에 쓸 데이터셋을 선택해 주세요."
    if errors:
        return _render_form(spec, values, errors), 400
    session = db()
    try:
        run = run_model(session, portal_state().store, current_viewer(), spec.id,
                        gu_code=gu_code, period_start=period.start, period_end=period.end,
                        inputs=choices, parameters=given, unit_id=values["unit_id"].strip())
    except RunInputError as exc:
        session.rollback()
        return _render_form(spec, values, {f"input.{exc.role}": str(exc)}), 400
    except RequestError as exc:
        session.rollback()
        return _render_form(spec, values, {exc.field: str(exc)}), 400
    session.commit()
    return redirect(url_for("models.result", model_id=spec.id, run_id=run.id), code=303)


def _field_names(spec: ModelSpec) -> list[str]:
    return ["gu", "period_start", "period_end", "unit_id",
            *(f"input.{role.name}" for role in spec.inputs),
            *(f"param.{p.name}" for p in spec.parameters)]


def _initial_values(spec: ModelSpec) -> dict[str, str]:
    """Query arguments pre-fill the form (a dataset page links with `?input.<role>=<slug>`);
    the period defaults to last year."""
    last_year = date.today().year - 1
    values = {"gu": "", "unit_id": "", "period_start": f"{last_year}-01-01",
              "period_end": f"{last_year}-12-31"}
    values.update({f"input.{role.name}": "" for role in spec.inputs})
    values.update({f"param.{p.name}": _plain(p.default) for p in spec.parameters})
    values.update({key: value for key, value in request.args.items()
                   if key in values and value})
    if values["gu"]:
        try:
            values["gu"] = parse_gu(values["gu"])
        except RequestError:
            values["gu"] = ""
    return values


def _plain(value) -> str:
    return "" if value is None else str(value)


def _check_csrf() -> dict[str, str]:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return {}
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:
        return {"form": "페이지가 만료되었습니다. 새로 고친 뒤 다시 실행해 주세요."}
    return {}


def _render_form(spec: ModelSpec, values: dict[str, str], errors: dict[str, str],
                 preselect_demo: bool = False):
    tables = run_queries.datasets_with_tables(db(), current_viewer())
    candidates = {role.name: run_queries.candidates_for(role, tables) for role in spec.inputs}
    if preselect_demo:
        # A role nobody chose starts on the model's own demo input, when it is loaded, and
        # then the gu and period start where the demo data is (unless the link chose them).
        chosen_demo = False
        for role in spec.inputs:
            field = f"input.{role.name}"
            demo = next((d for d in candidates[role.name]
                         if is_demo_input_for(d, spec.id, role.name)), None)
            if not values[field] and demo is not None:
                values[field] = demo.slug
                chosen_demo = True
        where = example(portal_state().config.demo_dir, spec.id) if chosen_demo else None
        if where is not None:
            for field, value in (("gu", where.gu_code),
                                 ("period_start", where.period_start.isoformat()),
                                 ("period_end", where.period_end.isoformat())):
                if not request.args.get(field):
                    values[field] = value
    return render_template("models/run_form.html", spec=spec, values=values, errors=errors,
                           candidates=candidates, gu_choices=gu_choices(),
                           csrf_token=generate_csrf)


@bp.get("/<model_id>/runs/<int:run_id>")
def result(model_id: str, run_id: int):
    spec = _spec(model_id)
    run = _run(spec, run_id)
    table = read_result(portal_state().store, run)
    page = max(request.args.get("page", 1, type=int), 1)
    pages = max(1, -(-len(table) // RESULT_PAGE_ROWS))
    page = min(page, pages)
    rows = table.iloc[(page - 1) * RESULT_PAGE_ROWS: page * RESULT_PAGE_ROWS]
    own = comparison.own_rows(table, run) if len(table) else table
    return render_template("models/result.html", spec=spec, run=run, rows=rows, own=own,
                           total_rows=len(table), page=page, pages=pages,
                           gu_name=gu_name(run.gu_code))


@bp.get("/<model_id>/runs/<int:run_id>/result.<any(csv, xlsx):fmt>")
def download(model_id: str, run_id: int, fmt: str):
    spec = _spec(model_id)
    run = _run(spec, run_id)
    if run.status != SUCCEEDED:
        abort(404)
    table = read_result(portal_state().store, run)
    name = f"{spec.id}-run-{run.id}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.csv_bytes(table), "text/csv; charset=utf-8"
    else:
        body = exports.xlsx_bytes(table)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/<model_id>/runs")
def history(model_id: str):
    spec = _spec(model_id)
    page = max(request.args.get("page", 1, type=int), 1)
    runs = run_queries.model_runs(db(), current_viewer(), spec.id, page=page)
    return render_template("models/history.html", spec=spec, result=runs)


@bp.get("/<model_id>/compare")
def compare(model_id: str):
    spec = _spec(model_id)
    a_id, b_id = request.args.get("a", type=int), request.args.get("b", type=int)
    if a_id is None or b_id is None:
        choices = run_queries.model_runs(db(), current_viewer(), spec.id, per_page=100)
        return render_template("models/compare.html", spec=spec, choices=choices.items,
                               a=None, b=None, comparison=None)
    run_a, run_b = _run(spec, a_id), _run(spec, b_id)
    store = portal_state().store
    result = None
    if run_a.status == run_b.status == SUCCEEDED:
        result = comparison.compare(read_result(store, run_a), run_a,
                                    read_result(store, run_b), run_b)
    return render_template("models/compare.html", spec=spec, a=run_a, b=run_b,
                           comparison=result, choices=[])


def analysis_links(dataset, profile) -> list[dict]:
    """Every (model, input role) the dataset's columns satisfy, with the run form's URL
    pre-filled with the dataset (for templates/datasets/_models.html)."""
    if not profile:
        return []
    return [{"spec": spec, "role": role,
             "url": url_for("models.run_form", model_id=spec.id,
                            **{f"input.{role.name}": dataset.slug})}
            for spec, role in registry.matching_roles(column_tags(profile))]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(analysis_links=analysis_links,
                                 is_generated_dataset=is_generated, run_gu_name=gu_name)
    # Registered here, on the same hook as the portal's own bundles (portal/web/assets.py).
    app.jinja_env.assets_environment.register(
        "js_model_charts", Bundle("js/model_charts.js", output="gen/model_charts.js"))
