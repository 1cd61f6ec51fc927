"""One run of the market model: read the inputs, score every area of Seoul, report the gu."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from models_std.base import ModelResult, RunRequest
from models_std.comparison import pct_rank
from models_std.market import context, index, indicators, report
from models_std.market.charts import charts, summary
from models_std.market.schema import ROLE_ALIASES, MarketInputError, canonical, code_text
from models_std.semantics import MOIS, district_by_code

REQUIRED_ROLES = ("sales", "stores", "change_indicator")


def read_inputs(inputs: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    missing = [role for role in REQUIRED_ROLES if inputs.get(role) is None]
    if missing:
        raise MarketInputError(f"필요한 입력이 없습니다: {', '.join(missing)}")
    return {role: canonical(frame, role) for role, frame in inputs.items()
            if frame is not None and role in ROLE_ALIASES}


def area_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """area_code → area_type, area_name, gu_code. The gu comes from 자치구_코드, else from
    the first five digits of 행정동_코드, in the 영역 file or in any other input."""
    sources = [tables[r] for r in ("areas", "sales", "stores", "change_indicator",
                                   "foot_traffic") if r in tables]
    parts = []
    for frame in sources:
        columns = [c for c in ("area_type", "area_name", "gu_code", "dong_code") if c in frame]
        parts.append(frame[["area_code", *columns]].drop_duplicates("area_code", keep="last"))
    areas = parts[0]
    for more in parts[1:]:
        areas = areas.set_index("area_code").combine_first(more.set_index("area_code")) \
            .reset_index()
    gu = code_text(areas["gu_code"]) if "gu_code" in areas else \
        pd.Series(pd.NA, index=areas.index, dtype="string")
    if "dong_code" in areas:
        gu = gu.fillna(code_text(areas["dong_code"]).str.slice(0, 5))
    known = gu.map(lambda c: district_by_code(c, MOIS) is not None if isinstance(c, str)
                   else False)
    if not known.any():
        raise MarketInputError("어느 상권도 자치구를 알 수 없습니다: 영역-상권 표(상권_코드와 "
                               "자치구_코드 또는 행정동_코드)를 입력 'areas'로 주세요.")
    areas["gu_code"] = gu.where(known).astype(object)
    areas["area_type"] = areas["area_type"].astype("string").str.strip().str.upper() \
        .astype(object) if "area_type" in areas else None
    keep = ["area_code", "area_type", "area_name", "gu_code"]
    for column in keep:
        if column not in areas:
            areas[column] = None
    return areas[keep]


def period_quarters(available: np.ndarray, start, end) -> list[int]:
    """The quarters of the data that overlap the requested period."""
    chosen = []
    for q in sorted(set(int(v) for v in available)):
        q_start, q_end = report.quarter_dates(q)
        if q_start <= end and q_end >= start:
            chosen.append(q)
    return chosen


def score_seoul(tables: dict[str, pd.DataFrame], params: Mapping, reference) -> tuple[
        pd.DataFrame, int | None]:
    """Every area of Seoul, every quarter: indicators, index, grades, flags."""
    areas = area_table(tables)
    t = indicators.area_quarters(tables["sales"], tables["stores"],
                                 tables["change_indicator"], tables.get("foot_traffic"))
    t = t.merge(areas, on="area_code", how="left")
    long_rank = None
    if "licences" in tables:
        gu = context.licence_context(tables["licences"], reference,
                                     long_closure_months=params[
                                         "gentrification.long_closure_months"])
        gu["long_closure_rank"] = pct_rank(gu["long_closure_share"])
        t = t.merge(gu[["gu_code", "survival_3y", "business_age_months",
                        "long_closure_rank"]], on="gu_code", how="left")
        long_rank = t["long_closure_rank"]
    scored = index.score(t, params)
    scored = index.gentrification(scored, params, long_rank)
    unmatched = None
    if "markets" in tables:
        geo = areas
        if "areas" in tables and {"x", "y"} <= set(tables["areas"]):
            coords = tables["areas"][["area_code", "x", "y"]].drop_duplicates("area_code")
            geo = areas.merge(coords, on="area_code", how="left")
        per_area, unmatched = context.link_markets(tables["markets"], geo, reference.year)
        scored = scored.merge(per_area, on="area_code", how="left")
    return scored, unmatched


def run(request: RunRequest) -> ModelResult:
    from models_std.market import SPEC   # the declaration imports this module
    tables = read_inputs(request.inputs)
    quarters = period_quarters(tables["sales"]["quarter"].unique(), request.period_start,
                               request.period_end)
    if not quarters:
        have = ", ".join(str(q) for q in sorted(tables["sales"]["quarter"].unique()))
        raise MarketInputError(f"입력 데이터의 분기({have}) 가운데 기간 "
                               f"{request.period_start}~{request.period_end}에 드는 것이 "
                               "없습니다. 기간을 바꿔 주세요.")
    district = district_by_code(request.gu_code, MOIS)
    if district is None:
        raise MarketInputError(f"{request.gu_code!r}은(는) 서울 자치구 코드(행정안전부 5자리)가 "
                               "아닙니다.")
    scored, unmatched = score_seoul(tables, request.parameters, request.period_end)
    # One quarter per run, the last of the period: one row per unit and metric, so two runs
    # compare metric by metric; the charts show the quarters before it.
    last = quarters[-1]
    table = report.result_table(SPEC, request, scored, last)
    focus = None if request.unit_id is None else str(request.unit_id)
    return ModelResult(
        table=table,
        charts=charts(scored, request.gu_code, district.name_ko, last, focus),
        summary_ko=summary(scored, request.gu_code, district.name_ko, last, focus, unmatched,
                           "licences" in tables))
