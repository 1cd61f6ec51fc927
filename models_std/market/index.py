"""Revitalization index (활성화지수, RVI), grades, quadrant typology, trend and gentrification
watch (reference models.md §3.3 b, c, e).

Every indicator becomes a percentile rank among all Seoul areas of the same type
(상권_구분_코드 A/D/R/U) in the same quarter, sign-flipped where high is bad; a dimension is
the mean of its indicators' scores and the index the weighted sum of the dimensions. Areas
with too few stores or too many masked cells are scored on nothing and ranked nowhere.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from models_std.comparison import MASKED_SHARE, SMALL_GROUP
from models_std.market import change_type

GROUP = ["quarter", "area_type"]
# dimension → (indicator, direction): +1 high is good, −1 high is bad, 0 a fixed 0–100 score.
DIMENSIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "growth": (("sales_yoy", 1), ("stores_yoy", 1), ("traffic_yoy", 1)),
    "stability": (("closure_rate", -1), ("net_opening_rate", 1), ("maturity", 1),
                  ("survival_3y", 1), ("change_type_score", 0)),
    "vitality": (("sales_per_store", 1), ("customers_per_store", 1)),
    "purchasing": (("ticket_size", 1),),
    "diversity": (("diversity", 1), ("franchise_score", 0)),
}
QUADRANTS = {1: "성장관리", 2: "생존율관리", 3: "점포수관리", 4: "상권쇠퇴관리"}
FLAGS = {0: "해당없음", 1: "주의", 2: "경계"}


def eligible(t: pd.DataFrame, params: Mapping[str, Any]) -> tuple[pd.Series, pd.Series]:
    """(rows that take part in ranks, their quality flag) — the small-sample guard."""
    small = ~(t["similar_stores"] >= params["quality.min_stores"])
    masked = t["masked_share"] > params["quality.max_masked_share"]
    flag = pd.Series(None, index=t.index, dtype=object)
    flag[masked.to_numpy()] = MASKED_SHARE
    flag[small.to_numpy()] = SMALL_GROUP
    return ~(small | masked), flag


def ranked_within_type(t: pd.DataFrame, column: str, use: pd.Series) -> pd.Series:
    """Percentile rank (0–100) of a column among the used rows of the same quarter and type:
    `comparison.pct_rank` per group, vectorised (a Python call per group costs seconds
    over 1,650 areas × 8 quarters × a dozen indicators)."""
    values = t[column].where(use)
    grouped = values.groupby([t[k] for k in GROUP], sort=False)
    ranks, n = grouped.rank(method="average"), grouped.transform("count")
    rank = 100.0 * (ranks - 1) / (n - 1).where(n > 1)
    return rank.where(n > 1, 50.0).where(values.notna())


def score(t: pd.DataFrame, params: Mapping[str, Any]) -> pd.DataFrame:
    """Dimension scores, the index, its rank within type and the grade (1 best … 5)."""
    t = t.copy()
    use, t["quality_flag"] = eligible(t, params)
    t["ranked"] = use
    table = {code: params[f"change_type_score.{code}"] for code in change_type.CHANGE_TYPES}
    t["change_type_score"] = 100.0 * change_type.scores(t["change_type"], table)
    threshold = params["diversity.franchise_penalty_above"]
    over = ((t["franchise_share"] - threshold) / (1.0 - threshold)).clip(lower=0.0)
    t["franchise_score"] = 100.0 * (1.0 - over).clip(lower=0.0)
    weights = {name: params[f"weights.{name}"] for name in DIMENSIONS}
    total = pd.Series(0.0, index=t.index)
    weight_sum = pd.Series(0.0, index=t.index)
    for dimension, indicators in DIMENSIONS.items():
        parts = []
        for column, direction in indicators:
            if column not in t or t[column].isna().all():
                continue
            if direction == 0:
                parts.append(t[column].where(use))
            else:
                rank = ranked_within_type(t, column, use)
                parts.append(rank if direction > 0 else 100.0 - rank)
        dim = pd.concat(parts, axis=1).mean(axis=1) if parts else \
            pd.Series(np.nan, index=t.index)
        t[f"score_{dimension}"] = dim
        # A dimension with no data (no foot traffic, no y/y yet) leaves its weight to the rest.
        present = dim.notna()
        total += (weights[dimension] * dim).where(present, 0.0)
        weight_sum += pd.Series(np.where(present, weights[dimension], 0.0), index=t.index)
    t["rvi"] = (total / weight_sum.where(weight_sum > 0)).where(use)
    t["rvi_rank"] = ranked_within_type(t, "rvi", use)
    cuts = [params[f"grades.grade{g}_min_rank"] for g in (1, 2, 3, 4)]
    t["grade"] = grade_of(t["rvi_rank"], cuts)
    t["quadrant"] = quadrant(t, use)
    t["rvi_trend_4q"] = rolling_trend(t, "rvi", 4)
    return t


def grade_of(rank: pd.Series, cuts: list[float]) -> pd.Series:
    """Grade 1 (rank ≥ cuts[0]) … 5 (below cuts[3]); missing rank, missing grade."""
    grade = pd.Series(5.0, index=rank.index)
    for g, cut in reversed(list(enumerate(cuts, start=1))):
        grade = grade.where(~(rank >= cut), float(g))
    return grade.where(rank.notna())


def quadrant(t: pd.DataFrame, use: pd.Series) -> pd.Series:
    """Growth (sales YoY) × sustainability (1 − closure rate), each split at the Seoul
    median of the area type in the quarter: 1 성장관리, 2 생존율관리, 3 점포수관리,
    4 상권쇠퇴관리."""
    keys = [t[k] for k in GROUP]
    x, y = t["sales_yoy"].where(use), t["survival_proxy"].where(use)
    high_x = x >= x.groupby(keys, sort=False).transform("median")
    high_y = y >= y.groupby(keys, sort=False).transform("median")
    code = np.select([high_x & high_y, high_x & ~high_y, ~high_x & high_y],
                     [1.0, 2.0, 3.0], default=4.0)
    return pd.Series(code, index=t.index).where(x.notna() & y.notna())


def rolling_trend(t: pd.DataFrame, column: str, window: int) -> pd.Series:
    """Mean of the last `window` consecutive quarters of each area (all must be present)."""
    wide = t.pivot_table(index="area_code", columns="qidx", values=column, dropna=False,
                         aggfunc="first")
    full = range(int(t["qidx"].min()), int(t["qidx"].max()) + 1)
    wide = wide.reindex(columns=full)
    rolled = wide.T.rolling(window, min_periods=window).mean().T
    long = rolled.stack(future_stack=True).rename("trend")
    keys = pd.MultiIndex.from_arrays([t["area_code"], t["qidx"]])
    return pd.Series(long.reindex(keys).to_numpy(), index=t.index)


def gentrification(t: pd.DataFrame, params: Mapping[str, Any],
                   long_closure_rank: pd.Series | None) -> pd.DataFrame:
    """Signals of the watch list and the flag (0 none, 1 주의, 2 경계). A flag, not a score;
    the gu rent signal needs a rent input the model does not have, so it never holds."""
    t = t.copy()
    use = t["ranked"]
    hot = ranked_within_type(t, "sales_yoy", use) > params["gentrification.sales_growth_rank"]
    t["_hot"] = hot.astype(float).where(t["sales_yoy"].notna())
    n = int(params["gentrification.consecutive_quarters"])
    sustained = rolling_trend(t, "_hot", n) == 1.0
    signals = sustained.astype(int)
    for share, name in (("franchise_share", "franchise"), ("cafe_share", "cafe"),
                        ("young_share", "young")):
        points = 100.0 * t[f"{share}_change"]
        signals += (points >= params[f"gentrification.{name}_share_pp"]).astype(int)
    t["gentrification_signals"] = signals.where(use).astype("float64")
    late = t["change_type"].isin(["HL", "HH"]) & (t["change_type"] != t["prev_change_type"]) \
        & t["prev_change_type"].notna()
    long = long_closure_rank if long_closure_rank is not None else \
        pd.Series(np.nan, index=t.index)
    # Without LOCALDATA the closures of long-operating stores are unknown: no 경계.
    old_closures = long > params["gentrification.long_closure_rank"]
    alert = (signals >= params["gentrification.alert_min_signals"]) & late & old_closures
    caution = signals >= params["gentrification.caution_min_signals"]
    flag = np.select([alert, caution], [2.0, 1.0], default=0.0)
    t["gentrification_flag"] = pd.Series(flag, index=t.index).where(use)
    return t.drop(columns=["_hot"])
