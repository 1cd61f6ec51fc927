"""Seoul-wide context shared by every model (reference models.md §1.4).

Every unit in Seoul is scored, so one district's figure is ranked against all comparable
units: percentile rank 0–100 within like-for-like groups, and an index where the Seoul median
scores 100. Small samples get a quality flag instead of a rank.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.base import RESULT_COLUMNS, ModelSpec, RunRequest

INSUFFICIENT_BASELINE = "insufficient_baseline"
MASKED_SHARE = "masked_share_high"
SMALL_GROUP = "small_group"
MIN_OBSERVATIONS = 4          # fewer baseline observations than this: no rank
MAX_MASKED_SHARE = 0.20       # more masked cells than this in the footprint: no rank


def pct_rank(values: pd.Series) -> pd.Series:
    """Percentile rank 0–100 (ties share their average rank; the smallest is 0, the largest
    100; a lone value is 50). Missing values stay missing."""
    valid = values.dropna()
    n = len(valid)
    if n == 0:
        return pd.Series(np.nan, index=values.index, dtype="float64")
    if n == 1:
        return pd.Series(np.where(values.notna(), 50.0, np.nan), index=values.index)
    ranks = valid.rank(method="average")
    return (100.0 * (ranks - 1) / (n - 1)).reindex(values.index)


def seoul_context(frame: pd.DataFrame, *, value: str = "value", by: list[str] | None = None,
                  ranked: pd.Series | None = None) -> pd.DataFrame:
    """Add `seoul_value` (the median of the group), `seoul_pct_rank` and `index_seoul100`
    (100 × value / group median) to every row, grouping by the metric and `by` (for example
    the 상권 type). Rows where `ranked` is False take part in nothing and get no rank."""
    out = frame.copy()
    keys = ["metric", *(by or [])]
    use = ranked if ranked is not None else pd.Series(True, index=out.index)
    values = out[value].where(use)
    grouped = values.groupby([out[k] for k in keys], dropna=False, sort=False)
    median = grouped.transform("median")
    out["seoul_value"] = median
    out["seoul_pct_rank"] = grouped.transform(pct_rank)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = 100.0 * values / median
    out["index_seoul100"] = index.where(np.isfinite(index))
    return out


def gu_rank(frame: pd.DataFrame, gu_codes: pd.Series, *, value: str = "value",
            by: list[str] | None = None) -> pd.Series:
    """Percentile rank of each unit among the units of its own gu."""
    keys = [frame["metric"], gu_codes, *(frame[k] for k in (by or []))]
    return frame[value].groupby(keys, dropna=False, sort=False).transform(pct_rank)


def previous_period(current: pd.DataFrame, previous: pd.DataFrame | None,
                    on: list[str]) -> pd.DataFrame:
    """Attach the same unit's value in the aligned previous period and the change in %."""
    out = current.copy()
    if previous is None or previous.empty:
        out["prev_period_value"] = np.nan
        out["prev_period_delta_pct"] = np.nan
        return out
    prev = previous[[*on, "metric", "value"]].rename(columns={"value": "prev_period_value"})
    out = out.drop(columns=["prev_period_value", "prev_period_delta_pct"], errors="ignore")
    out = out.merge(prev, on=[*on, "metric"], how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = 100.0 * (out["value"] - out["prev_period_value"]) / out["prev_period_value"].abs()
    out["prev_period_delta_pct"] = delta.where(np.isfinite(delta))
    return out


def finish_table(rows: pd.DataFrame, spec: ModelSpec, request: RunRequest) -> pd.DataFrame:
    """The result table in its fixed column order, missing columns filled, sorted so that the
    same run twice gives byte-identical output."""
    out = rows.copy()
    fixed = {"model_id": spec.id, "model_version": spec.version,
             "period_start": request.period_start.isoformat(),
             "period_end": request.period_end.isoformat()}
    for column, default in fixed.items():
        if column not in out:
            out[column] = default
    if "gu_code" not in out:
        out["gu_code"] = request.gu_code
    for column in RESULT_COLUMNS:
        if column not in out:
            out[column] = None
    out = out[list(RESULT_COLUMNS)]
    float_columns = ["value", "seoul_value", "seoul_pct_rank", "gu_pct_rank", "index_seoul100",
                     "prev_period_value", "prev_period_delta_pct"]
    out[float_columns] = out[float_columns].astype("float64").round(6)
    return out.sort_values(["unit_type", "unit_id", "metric"], kind="mergesort",
                           ignore_index=True)
