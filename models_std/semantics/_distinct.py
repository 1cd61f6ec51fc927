"""Work once per distinct value, then spread the result back to every row.

Tables reach a million rows but rarely more than a few thousand distinct labels (gu names,
region cells, dates), so parsing the distinct values keeps per-cell work vectorised.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd


def map_distinct(series: pd.Series, func: Callable[[pd.Series], pd.Series | np.ndarray],
                 dtype=object) -> pd.Series:
    """`func` receives the distinct non-missing values as a Series and returns one result
    per value (same order); missing cells get a missing result."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = func(pd.Series(uniques, dtype=object))
    if dtype is bool:
        # Typed spreading: a million-element object array costs more than the work itself.
        flags = np.append(np.asarray(results, dtype=bool), False)
        return pd.Series(flags[codes], index=series.index, dtype=bool)
    results = np.asarray(results, dtype=object)
    spread = np.append(results, None)[codes]  # code -1 (missing) picks the appended None
    return pd.Series(spread, index=series.index, dtype=dtype)


def map_each_distinct(series: pd.Series, func: Callable) -> pd.Series:
    """Like map_distinct with a plain per-value function (for small distinct sets)."""
    return map_distinct(series, lambda uniques: [func(v) for v in uniques])
