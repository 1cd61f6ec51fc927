"""Two runs of one model side by side: one gu against another, or one gu now against the
same gu in an earlier period.

Each run's result covers all of Seoul (models_std.comparison), so what is compared is each
run's own part of it: its unit when it was run for one, otherwise its gu's rows. When each
part has one row per metric (gu against gu, or one gu in two periods) rows are matched by
metric; when a part has several units per metric (the dong of a gu) unit by unit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from portal.catalog.models import ModelRun

UNIT_KEYS = ["unit_type", "unit_id"]


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame      # metric, unit_a, value_a, unit_b, value_b, difference, change_pct, …
    by_unit: bool            # True: matched unit by unit; False: by metric only
    units: list[str]         # each row's unit of measure (원, 명, %)


def own_rows(table: pd.DataFrame, run: ModelRun) -> pd.DataFrame:
    """The rows of the result that are about the run's own unit or gu."""
    if run.unit_id:
        rows = table[table["unit_id"].astype(str) == str(run.unit_id)]
        if not rows.empty:
            return rows
    gu_units = table[(table["unit_type"] == "gu") & (table["unit_id"].astype(str) == run.gu_code)]
    if not gu_units.empty:
        return gu_units
    return table[table["gu_code"].astype(str) == run.gu_code]


def compare(table_a: pd.DataFrame, run_a: ModelRun, table_b: pd.DataFrame,
            run_b: ModelRun) -> Comparison:
    a, b = own_rows(table_a, run_a), own_rows(table_b, run_b)
    by_unit = a["metric"].duplicated().any() or b["metric"].duplicated().any()
    keys = [*UNIT_KEYS, "metric"] if by_unit else ["metric"]
    kept = ["unit_type", "unit_id", "unit_name", "metric", "value", "unit", "seoul_pct_rank",
            "index_seoul100"]
    merged = a[kept].merge(b[kept], on=keys, how="outer", suffixes=("_a", "_b"), sort=False)
    difference = merged["value_b"] - merged["value_a"]
    with np.errstate(divide="ignore", invalid="ignore"):
        change = 100.0 * difference / merged["value_a"].abs()
    merged["difference"] = difference
    merged["change_pct"] = change.where(np.isfinite(change))
    order = {metric: i for i, metric in enumerate(pd.concat([a["metric"], b["metric"]]).unique())}
    merged["_order"] = merged["metric"].map(order)
    merged = merged.sort_values(["_order", *keys[:-1]], kind="mergesort", ignore_index=True)
    units = merged["unit_a"].fillna(merged["unit_b"]).fillna("")
    return Comparison(merged.drop(columns="_order"), bool(by_unit), units.tolist())
