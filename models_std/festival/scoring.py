"""Size classes and the composite performance score (§2.3 h), percentiles within a class.

The score is a proposal: its components are always shown beside it, and components without
data (no card sales, no origin, no online or budget data) give their weight to the others.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.comparison import pct_rank

# component → (metric it ranks, weight parameter)
COMPONENTS = {
    "attendance": "incremental_person_hours_per_day",
    "local_economy": "sales_uplift_pct",
    "reach": "outside_share_pct",
    "online": "mention_uplift",
    "efficiency": "person_hours_per_million_krw",
}
GRADES = ("A", "B", "C", "D", "E")
MIN_CLASS_SIZE = 5      # fewer festivals per class than this: use fewer classes


def size_classes(baseline: pd.Series, classes: int = 5) -> pd.Series:
    """Quintile (1 = smallest) of the footprint's ordinary mean-hour population; with few
    festivals, fewer classes so that each holds at least MIN_CLASS_SIZE of them."""
    ranks = baseline.rank(method="first")
    n = int(ranks.notna().sum())
    if n == 0:
        return pd.Series(np.nan, index=baseline.index)
    k = max(1, min(classes, n // MIN_CLASS_SIZE))
    return np.ceil(ranks * k / n).astype("float64")


def performance(wide: pd.DataFrame, ranked: pd.Series, weights: dict[str, float]) -> pd.DataFrame:
    """Component percentiles within size class, the weighted score and its grade.

    `wide` has one row per festival with metric columns and `size_class`; unranked festivals
    (quality flag) get no score."""
    out = pd.DataFrame(index=wide.index)
    used = {}
    for component, metric in COMPONENTS.items():
        if metric not in wide or wide[metric].where(ranked).notna().sum() == 0:
            continue
        values = wide[metric].where(ranked)
        out[f"score_{component}"] = values.groupby(wide["size_class"]).transform(pct_rank)
        used[component] = weights.get(component, 0.0)
    total = sum(used.values())
    if not used or total <= 0:
        return out
    score = sum(out[f"score_{c}"] * (w / total) for c, w in used.items())
    out["performance_score"] = score.where(ranked)
    # Grade by quintile of the score across Seoul: A = top 20 %.
    pct = pct_rank(out["performance_score"])
    out["performance_grade"] = np.minimum(5, np.floor((100 - pct) / 20) + 1).where(pct.notna())
    return out
