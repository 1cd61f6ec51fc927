"""상권변화지표 (commercial-change indicator) → `change_type`, by the official rule.

The first letter compares the average operating months of surviving businesses
(운영_영업_개월_평균) with the Seoul average, the second the average operating months of
closed businesses (폐업_영업_개월_평균): L when below Seoul, H when equal or above.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

CHANGE_TYPES = ("LL", "LH", "HL", "HH")
CHANGE_TYPE_NAMES = {"LL": "다이나믹", "LH": "상권확장", "HL": "상권축소", "HH": "정체"}
# Numeric codes for the result table, whose `value` column holds numbers only.
CHANGE_TYPE_CODES = {code: i for i, code in enumerate(CHANGE_TYPES, start=1)}


def classify(operating, closed, seoul_operating, seoul_closed) -> pd.Series:
    """LL / LH / HL / HH per row; missing where any of the four months is missing.
    Ties count as H (the official rule reads "operating ≥ Seoul")."""
    frame = pd.DataFrame({"o": operating, "c": closed, "so": seoul_operating,
                          "sc": seoul_closed}).apply(pd.to_numeric, errors="coerce")
    first = np.where(frame.o >= frame.so, "H", "L")
    second = np.where(frame.c >= frame.sc, "H", "L")
    codes = pd.Series(np.char.add(first, second), index=frame.index, dtype=object)
    return codes.where(frame.notna().all(axis=1))


def name_of(code: str | None) -> str | None:
    return CHANGE_TYPE_NAMES.get(code) if isinstance(code, str) else None


def scores(codes: pd.Series, table: dict[str, float]) -> pd.Series:
    """The stability score of each change type (0–1), from the parameters."""
    return codes.map(table).astype("float64")
