"""Running a model on catalog tables and storing the run.

A run stores what makes it reproducible: the model version, every parameter and their hash,
the gu, the period, the unit and the exact table version read for each input role. The
result table goes into the content-addressed table store as Parquet; the same model version
and parameters on the same table versions give the same bytes (models sort their tables and
round their figures; `finish_table`), and so the same key.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from models_std import registry
from models_std.base import RESULT_COLUMNS, ChartSpec, ModelSpec, RunRequest
from models_std.parameters import parameter_hash
from portal.analysis.inputs import InputChoice, ResolvedInput, resolve_inputs
from portal.analysis.requests import parse_parameters
from portal.catalog.access import Viewer
from portal.catalog.models import ModelRun, ModelRunInput
from portal.catalog.tablestore import TableStore

log = logging.getLogger(__name__)

SUCCEEDED, FAILED = "succeeded", "failed"


class UnknownModel(LookupError):
    pass


def get_model(model_id: str) -> ModelSpec:
    spec = registry.get(model_id)
    if spec is None:
        known = ", ".join(s.id for s in registry.all_models()) or "없음"
        raise UnknownModel(f"'{model_id}' 모델이 없습니다. 등록된 모델: {known}")
    return spec


def run_model(session: Session, store: TableStore, viewer: Viewer, model_id: str, *,
              gu_code: str, period_start: date, period_end: date,
              inputs: Mapping[str, InputChoice], parameters: Mapping[str, Any] | None = None,
              unit_id: str | None = None) -> ModelRun:
    """Resolve, run and store (the caller commits). Inputs and parameters a person can fix
    raise RunInputError or RequestError before anything is stored; a model that fails on
    the data is stored as a failed run with its message."""
    spec = get_model(model_id)
    params = parse_parameters(spec, parameters or {})
    resolved = resolve_inputs(session, store, viewer, spec, inputs)
    run = ModelRun(model_id=spec.id, model_version=spec.version, parameters=_jsonable(params),
                   parameter_hash=parameter_hash(params), gu_code=gu_code,
                   period_start=period_start, period_end=period_end, unit_id=unit_id or None,
                   created_by=viewer.name, charts=[], summary=[])
    run.inputs = [ModelRunInput(role=name, dataset_id=item.dataset.id,
                                table_version_id=item.version.id)
                  for name, item in sorted(resolved.items())]
    run.visibility, run.owner_org_id = run_visibility(resolved)
    request = RunRequest(inputs={name: item.frame for name, item in resolved.items()},
                         parameters=params, gu_code=gu_code, period_start=period_start,
                         period_end=period_end, unit_id=unit_id or None)
    try:
        result = spec.run(request)
        table = _result_table(result.table)
    except (ValueError, KeyError) as exc:
        # The model's own word on the data (e.g. no rows in the period) is worth keeping.
        log.info("model %s failed on its inputs: %s", spec.id, exc)
        run.status, run.error_message = FAILED, str(exc)
    except Exception:  # noqa: BLE001 - a model bug must not take the page down
        log.exception("model %s raised", spec.id)
        run.status = FAILED
        run.error_message = "모델 실행 중 예기치 않은 오류가 발생했습니다. 관리자에게 알려 주세요."
    else:
        stored = store.put_table(table)
        run.status, run.result_key = SUCCEEDED, stored.key
        run.result_hash, run.result_rows = stored.content_hash, stored.row_count
        run.charts = [chart_json(chart) for chart in result.charts]
        run.summary = [str(sentence) for sentence in result.summary_ko]
    session.add(run)
    session.flush()
    return run


def run_visibility(resolved: Mapping[str, ResolvedInput]) -> tuple[str, int | None]:
    """Public unless an input is internal: then internal, owned by that input's owner (the
    first internal input by role name; the page rule also asks for every input)."""
    for name in sorted(resolved):
        dataset = resolved[name].dataset
        if dataset.visibility != "public":
            return "internal", dataset.owner_org_id
    return "public", None


def read_result(store: TableStore, run: ModelRun) -> pd.DataFrame:
    if not run.result_key:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    return store.read_table(run.result_key)


def _result_table(table: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in RESULT_COLUMNS if column not in table.columns]
    if missing:
        raise RuntimeError(f"the model's result table lacks {missing}")
    return table.reset_index(drop=True)


def chart_json(chart: ChartSpec) -> dict[str, Any]:
    """A ChartSpec as JSON: tuples as lists, NaN and infinities as null (JSONB refuses
    them)."""
    data = asdict(chart)
    data["labels"] = [str(label) for label in chart.labels]
    data["series"] = [{"label": str(label), "values": [_number(v) for v in values]}
                      for label, values in chart.series]
    return data


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in params.items():
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        elif not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = str(value)
        out[name] = value
    return out

