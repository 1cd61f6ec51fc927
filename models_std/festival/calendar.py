"""Day types for the baseline: 평일 (weekday), 토요일 (Saturday), 일요일·공휴일 (Sunday or holiday).

Korean public holidays (공휴일) are a small table rather than a dependency: the lunar holidays
(설날, 추석, 부처님오신날), substitute holidays (대체공휴일), election days and one-off
temporary holidays (임시공휴일) are decided by government notice, so a table checked against the
official calendar is what any package would hold too. Extend it a year at a time.
"""
from __future__ import annotations

from datetime import date

import numpy as np

WEEKDAY, SATURDAY, SUNDAY_HOLIDAY = 0, 1, 2
DAY_TYPE_NAMES = {WEEKDAY: "평일", SATURDAY: "토요일", SUNDAY_HOLIDAY: "일요일·공휴일"}
THREE_TYPES, TWO_TYPES = "weekday_saturday_sunday", "weekday_weekend"

_HOLIDAYS = """
2022-01-01 2022-01-31 2022-02-01 2022-02-02 2022-03-01 2022-03-09 2022-05-05 2022-05-08
2022-06-01 2022-06-06 2022-08-15 2022-09-09 2022-09-10 2022-09-11 2022-09-12 2022-10-03
2022-10-09 2022-10-10 2022-12-25
2023-01-01 2023-01-21 2023-01-22 2023-01-23 2023-01-24 2023-03-01 2023-05-05 2023-05-27
2023-05-29 2023-06-06 2023-08-15 2023-09-28 2023-09-29 2023-09-30 2023-10-02 2023-10-03
2023-10-09 2023-12-25
2024-01-01 2024-02-09 2024-02-10 2024-02-11 2024-02-12 2024-03-01 2024-04-10 2024-05-05
2024-05-06 2024-05-15 2024-06-06 2024-08-15 2024-09-16 2024-09-17 2024-09-18 2024-10-01
2024-10-03 2024-10-09 2024-12-25
2025-01-01 2025-01-27 2025-01-28 2025-01-29 2025-01-30 2025-03-01 2025-03-03 2025-05-05
2025-05-06 2025-06-03 2025-06-06 2025-08-15 2025-10-03 2025-10-05 2025-10-06 2025-10-07
2025-10-08 2025-10-09 2025-12-25
2026-01-01 2026-02-16 2026-02-17 2026-02-18 2026-03-01 2026-03-02 2026-05-05 2026-05-24
2026-05-25 2026-06-03 2026-06-06 2026-08-15 2026-08-17 2026-09-24 2026-09-25 2026-09-26
2026-10-03 2026-10-05 2026-10-09 2026-12-25
"""
HOLIDAYS = frozenset(date.fromisoformat(d) for d in _HOLIDAYS.split())
COVERED_YEARS = frozenset(d.year for d in HOLIDAYS)


def holiday_mask(days: np.ndarray) -> np.ndarray:
    """True for public holidays; `days` is datetime64[D]."""
    table = np.array(sorted(HOLIDAYS), dtype="datetime64[D]")
    return np.isin(days, table)


def day_types(days: np.ndarray, scheme: str = THREE_TYPES) -> np.ndarray:
    """Day type per day (WEEKDAY / SATURDAY / SUNDAY_HOLIDAY); with the two-type scheme
    Saturdays count as weekend days with Sundays and holidays."""
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7   # 1970-01-05 was a Monday
    types = np.full(len(days), WEEKDAY, dtype="int8")
    types[weekday == 5] = SATURDAY
    types[(weekday == 6) | holiday_mask(days)] = SUNDAY_HOLIDAY
    if scheme == TWO_TYPES:
        types[types == SATURDAY] = SUNDAY_HOLIDAY
    elif scheme != THREE_TYPES:
        raise ValueError(f"unknown day-type scheme {scheme!r}; use {THREE_TYPES} or {TWO_TYPES}")
    return types


def uncovered_years(days: np.ndarray) -> list[int]:
    """Years of the data the holiday table does not know (their holidays count as weekdays)."""
    years = np.unique(days.astype("datetime64[Y]").astype(int) + 1970)
    return [int(y) for y in years if int(y) not in COVERED_YEARS]
