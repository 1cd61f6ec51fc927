"""The scored area-quarters as the long result table, with the Seoul-wide comparison.

A run reports one quarter, the last of its period. Ranks and the Seoul median come from
every area of Seoul of the same type in that quarter; the gu's areas are then ranked among
themselves (gu_pct_rank) and compared with the same quarter a year earlier. Every gu gets
its sales-weighted roll-up, so one run compares its gu with the others. Categorical results
(grade, quadrant, change type, flag) are numeric codes (see CODEBOOKS) and are never ranked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from models_std.base import ModelSpec, RunRequest
from models_std.comparison import (
    INSUFFICIENT_BASELINE, finish_table, gu_rank, previous_period, seoul_context)
from models_std.market import change_type
from models_std.market.index import FLAGS, QUADRANTS
from models_std.semantics import MOIS, district_by_code

BASELINE = "전년 동분기 대비; 서울 같은 유형(A/D/R/U)·같은 분기 상권과 비교"


@dataclass(frozen=True)
class Metric:
    name: str
    column: str
    unit: str
    scale: float = 1.0
    signed: bool = False       # can be zero or negative: no index against the median
    categorical: bool = False  # a code: no rank, no median, no change in %
    growth: bool = False       # needs the same quarter last year


METRICS = (
    Metric("sales", "sales_amount", "원"),
    Metric("stores", "similar_stores", "개"),
    Metric("foot_traffic", "foot_traffic", "명"),
    Metric("sales_yoy_pct", "sales_yoy", "%", 100, signed=True, growth=True),
    Metric("stores_yoy_pct", "stores_yoy", "%", 100, signed=True, growth=True),
    Metric("traffic_yoy_pct", "traffic_yoy", "%", 100, signed=True, growth=True),
    Metric("closure_rate_pct", "closure_rate", "%", 100),
    Metric("opening_rate_pct", "opening_rate", "%", 100),
    Metric("net_opening_rate_pct", "net_opening_rate", "%", 100, signed=True),
    Metric("franchise_share_pct", "franchise_share", "%", 100),
    Metric("maturity_ratio", "maturity", "배"),
    Metric("survival_3y_pct", "survival_3y", "%", 100),
    Metric("business_age_months", "business_age_months", "개월"),
    Metric("sales_per_store", "sales_per_store", "원"),
    Metric("customers_per_store", "customers_per_store", "건"),
    Metric("ticket_size", "ticket_size", "원"),
    Metric("evening_share_pct", "evening_share", "%", 100),
    Metric("weekend_share_pct", "weekend_share", "%", 100),
    Metric("young_share_pct", "young_share", "%", 100),
    Metric("diversity_index", "diversity", "점", 100),
    Metric("score_growth", "score_growth", "점"),
    Metric("score_stability", "score_stability", "점"),
    Metric("score_vitality", "score_vitality", "점"),
    Metric("score_purchasing", "score_purchasing", "점"),
    Metric("score_diversity", "score_diversity", "점"),
    Metric("rvi", "rvi", "점"),
    Metric("rvi_trend_4q", "rvi_trend_4q", "점", growth=True),
    Metric("grade", "grade", "등급", categorical=True),
    Metric("quadrant", "quadrant", "코드", categorical=True),
    Metric("change_type", "change_type_code", "코드", categorical=True),
    Metric("gentrification_flag", "gentrification_flag", "코드", categorical=True),
    Metric("gentrification_signals", "gentrification_signals", "개", categorical=True),
    Metric("market_stores", "market_stores", "개"),
    Metric("market_age_years", "market_age_years", "년"),
)
GU_METRICS = (
    Metric("rvi_sales_weighted", "rvi", "점"),
    Metric("decline_share_pct", "decline", "%", 100),
    Metric("gentrification_watch_count", "watch", "개"),
)
OUTPUTS = tuple(m.name for m in METRICS) + tuple(m.name for m in GU_METRICS)
# What the codes of the categorical metrics stand for (the table's value column is numeric).
CODEBOOKS = {
    "grade": {g: f"{g}등급" for g in range(1, 6)},
    "quadrant": QUADRANTS,
    "change_type": {i: f"{c} {change_type.CHANGE_TYPE_NAMES[c]}"
                    for c, i in change_type.CHANGE_TYPE_CODES.items()},
    "gentrification_flag": FLAGS,
}


def quarter_dates(code: int) -> tuple[date, date]:
    year, q = divmod(int(code), 10)
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def long_rows(t: pd.DataFrame, metrics=METRICS, unit_type: str = "trdar") -> pd.DataFrame:
    """One row per unit, quarter and metric (units missing a metric's column are skipped)."""
    frames = []
    base = pd.DataFrame({
        "unit_type": unit_type, "unit_id": t["unit_id"].to_numpy(),
        "unit_name": t["unit_name"].to_numpy(), "gu_code": t["gu_code"].to_numpy(),
        "area_type": t["area_type"].to_numpy(), "quarter": t["quarter"].to_numpy(),
        "qidx": t["qidx"].to_numpy(), "n_obs": t["n_obs"].to_numpy(),
        "quality_flag": t["quality_flag"].to_numpy(), "ranked": t["ranked"].to_numpy()})
    for m in metrics:
        if m.column not in t:
            continue
        frame = base.copy()
        frame["metric"] = m.name
        frame["value"] = t[m.column].to_numpy(dtype="float64") * m.scale
        frame["unit"] = m.unit
        frame["ranked"] &= not m.categorical
        if m.growth:
            missing = np.isnan(frame["value"].to_numpy()) & frame["quality_flag"].isna()
            frame.loc[missing, "quality_flag"] = INSUFFICIENT_BASELINE
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def compare(rows: pd.DataFrame, metrics, *, by: list[str],
            gu_code: str | None) -> pd.DataFrame:
    """Seoul context over every unit; then, for the gu's units only (every unit when
    `gu_code` is None), the rank inside the gu and the same quarter a year earlier."""
    current = rows[rows["current"]].copy()
    ranked = current["ranked"] & current["value"].notna()
    # Codes take part in nothing: kept out of the (per-group) Seoul context.
    codes = current["metric"].isin({m.name for m in metrics if m.categorical}).to_numpy()
    current = pd.concat([seoul_context(current[~codes], by=by, ranked=ranked[~codes]),
                         current[codes]])
    ranked = ranked.reindex(current.index)
    if gu_code is not None:
        mine = (current["gu_code"] == gu_code).to_numpy()
        current, ranked = current[mine], ranked[mine]
        rows = rows[rows["gu_code"] == gu_code]
        masked = current.assign(value=current["value"].where(ranked))
        current["gu_pct_rank"] = gu_rank(masked, current["gu_code"], by=["quarter"])
    else:
        current["gu_pct_rank"] = np.nan   # a gu alone in its gu: the Seoul rank says it all
    previous = rows.assign(align=rows["qidx"] + 4)
    current["align"] = current["qidx"]
    current = previous_period(current, previous, on=["unit_type", "unit_id", "align"])
    signed = {m.name for m in metrics if m.signed or m.categorical}
    categorical = {m.name for m in metrics if m.categorical}
    current.loc[current["metric"].isin(signed), "index_seoul100"] = np.nan
    current.loc[current["metric"].isin(categorical), "prev_period_delta_pct"] = np.nan
    return current


def gu_rollup(t: pd.DataFrame) -> pd.DataFrame:
    """Per gu and quarter: sales-weighted mean index, share of declining areas, flags."""
    used = t[t["ranked"] & t["gu_code"].notna()].copy()
    used["weight"] = used["sales_amount"].where(used["rvi"].notna()).fillna(0.0)
    used["weighted"] = used["rvi"].fillna(0.0) * used["weight"]
    used["decline"] = (used["quadrant"] == 4).astype(float).where(used["quadrant"].notna())
    used["watch"] = (used["gentrification_flag"] >= 1).astype(float)
    grouped = used.groupby(["gu_code", "quarter", "qidx"], sort=True)
    out = grouped[["weight", "weighted", "watch"]].sum()
    out["decline"] = grouped["decline"].mean()
    out["n_obs"] = grouped.size()
    out["rvi"] = out["weighted"] / out["weight"].where(out["weight"] > 0)
    out = out.reset_index()
    out["unit_id"] = out["gu_code"]
    out["unit_name"] = out["gu_code"].map(lambda c: district_by_code(c, MOIS).name_ko)
    out["area_type"], out["quality_flag"], out["ranked"] = "gu", None, True
    return out


def result_table(spec: ModelSpec, request: RunRequest, t: pd.DataFrame,
                 quarter: int) -> pd.DataFrame:
    """The finished table for one quarter: the gu's areas, and every gu of Seoul (so one run
    compares its gu with the others). One row per unit and metric."""
    t = t.assign(unit_id=t["area_code"], unit_name=t["area_name"].fillna(t["area_code"]),
                 n_obs=t["similar_stores"],
                 change_type_code=t["change_type"].map(change_type.CHANGE_TYPE_CODES))
    t = t[t["quarter"].isin([quarter, quarter - 10])]
    areas = long_rows(t)
    areas["current"] = areas["quarter"] == quarter
    areas = compare(areas, METRICS, by=["quarter", "area_type"], gu_code=request.gu_code)
    gu = long_rows(gu_rollup(t), GU_METRICS, unit_type="gu")
    gu["current"] = gu["quarter"] == quarter
    gu = compare(gu, GU_METRICS, by=["quarter"], gu_code=None)
    rows = pd.concat([areas, gu], ignore_index=True)
    start, end = quarter_dates(quarter)
    rows["period_start"], rows["period_end"] = start.isoformat(), end.isoformat()
    rows["baseline_spec"] = BASELINE
    rows["n_obs"] = rows["n_obs"].astype("float64").round().astype("Int64")
    return finish_table(rows, spec, request)
