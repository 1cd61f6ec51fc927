"""KOSIS period codes and period strings.

`prdSe` in a request is a code (Y, H, Q, M, D, F, IR); the same field in data rows may come
back as another code (a `prdSe=Y` query answered with PRD_SE "A"), and getMeta PRD rows
give a Korean label ("년", "월", "5년"). All three are normalised to the request codes.
Period strings are `2024` for years and `202401` for months; other types' strings are
taken as the source gives them (no arithmetic is done on them).
"""
from __future__ import annotations

import re

_CODES = {
    "Y": "Y", "A": "Y", "년": "Y", "연": "Y", "연간": "Y",
    "H": "H", "반기": "H", "반년": "H",
    "Q": "Q", "분기": "Q",
    "M": "M", "월": "M",
    "D": "D", "일": "D",
    "F": "F", "IR": "IR", "부정기": "IR", "비정기": "IR",
}
CYCLES = {"Y": "yearly", "H": "half-yearly", "Q": "quarterly", "M": "monthly", "D": "daily",
          "F": "irregular", "IR": "irregular"}


def normalise_period_code(label: str | None) -> str | None:
    """Y/H/Q/M/D/F/IR for a code or Korean label; None when unknown."""
    text = (label or "").strip()
    if text in _CODES:
        return _CODES[text]
    if re.fullmatch(r"\d+년", text):  # 2년, 5년: multi-year
        return "F"
    return None


def cycle_of(label: str | None) -> str | None:
    """The catalog update cycle of a period type label."""
    return CYCLES.get(normalise_period_code(label) or "")


def periods_between(period_type: str, start: str, end: str) -> list[str] | None:
    """Every period from start to end inclusive, for years and months; None otherwise."""
    if period_type == "Y" and start.isdigit() and end.isdigit() and len(start) == len(end) == 4:
        return [str(year) for year in range(int(start), int(end) + 1)]
    if period_type == "M" and re.fullmatch(r"\d{6}", start) and re.fullmatch(r"\d{6}", end):
        first = int(start[:4]) * 12 + int(start[4:]) - 1
        last = int(end[:4]) * 12 + int(end[4:]) - 1
        return [f"{n // 12}{n % 12 + 1:02d}" for n in range(first, last + 1)]
    return None


def step_back(period_type: str, period: str, steps: int) -> str | None:
    """The period `steps` before `period`, for years and months; None otherwise."""
    if period_type == "Y" and re.fullmatch(r"\d{4}", period):
        return str(int(period) - steps)
    if period_type == "M" and re.fullmatch(r"\d{6}", period):
        n = int(period[:4]) * 12 + int(period[4:]) - 1 - steps
        return f"{n // 12}{n % 12 + 1:02d}"
    return None
