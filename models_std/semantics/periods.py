"""Headers that are periods: the columns of wide yearly tables, and melting them to long form.

Korean statistics are published wide: one column per year (`2014년`, `2015`), an open first
bucket (`2013년도 이전`), or a period prefix in front of the measure (`2024년06월_계_총인구수`,
`2010년_거주자_총인구수`). A header parses into a period label and the measure it belongs to
(the rest of the header, '' when the header is only a period).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True)
class PeriodHeader:
    column: str
    label: str         # "2014", "2013년 이전", "2024-06", "2017-Q1"
    year: int
    measure: str       # shared suffix ("계_총인구수"), '' when the header is only a period
    sort_key: tuple


_SEP = r"[\s_\-]*"
# Order matters: the most specific forms first ("2017.1/4" would otherwise read as a month).
# (?!\d) keeps 8-digit dates and codes ("20240601") from reading as a year plus a suffix.
_FORMS = (
    ("quarter", re.compile(rf"^(\d{{4}})\s*년?\s*\.?\s*([1-4])\s*(?:분기|/4)(?:{_SEP}(.*))?$")),
    ("month", re.compile(rf"^(\d{{4}})\s*(?:년|\.)\s*(\d{{1,2}})(?!\d)\s*월?(?:{_SEP}(.*))?$")),
    ("before", re.compile(rf"^(\d{{4}})\s*년?\s*도?\s*(이전|이후)(?:{_SEP}(.*))?$")),
    ("year", re.compile(rf"^(\d{{4}})(?!\d)\s*년?\s*도?(?:{_SEP}(.*))?$")),
    ("year_suffix", re.compile(r"^(.*?)[\s_(]+(\d{4})\s*년?\s*도?\)?$")),
)


def parse_period_header(column) -> PeriodHeader | None:
    """The period a header stands for, or None when it is not a period header."""
    if not isinstance(column, str):
        return None
    text = column.strip()
    for form, pattern in _FORMS:
        match = pattern.match(text)
        if match:
            header = _header(column, form, match)
            if header is not None and YEAR_MIN <= header.year <= YEAR_MAX:
                return header
            return None
    return None


def _header(column: str, form: str, match: re.Match) -> PeriodHeader | None:
    if form == "year_suffix":
        measure, year = match.group(1).strip(" _"), int(match.group(2))
        return PeriodHeader(column, str(year), year, measure, (year, 0)) if measure else None
    year = int(match.group(1))
    rest = (match.group(3) if form != "year" else match.group(2)) or ""
    rest = rest.strip(" _")
    if form == "month":
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        return PeriodHeader(column, f"{year}-{month:02d}", year, rest, (year, month))
    if form == "quarter":
        quarter = int(match.group(2))
        return PeriodHeader(column, f"{year}-Q{quarter}", year, rest, (year, quarter * 3))
    if form == "before":
        # "2013년도 이전" is its own bucket, not 2013: keep it as a label ordered first.
        after = match.group(2) == "이후"
        label = f"{year}년 {'이후' if after else '이전'}"
        return PeriodHeader(column, label, year, rest, (year, 99 if after else -1))
    return PeriodHeader(column, str(year), year, rest, (year, 0))


def period_sort_key(label: str) -> tuple:
    """Order of period labels as profiles write them: "2013년 이전" < "2014" < "2014-06"."""
    header = parse_period_header(label)
    return header.sort_key if header is not None else (10_000, 0, str(label))


def wide_year_columns(columns: Iterable) -> dict[str, list[PeriodHeader]]:
    """Period headers grouped by measure (shared suffix), each group in period order.

    Total columns (소계, 합계) are not period headers, so they never enter a series.
    """
    groups: dict[str, list[PeriodHeader]] = {}
    for column in columns:
        header = parse_period_header(column)
        if header is not None:
            groups.setdefault(header.measure, []).append(header)
    return {measure: sorted(headers, key=lambda h: h.sort_key)
            for measure, headers in groups.items()}


def is_wide_yearly(columns: Iterable) -> bool:
    """A table is wide-yearly when one measure spreads over two or more periods."""
    return any(len(headers) >= 2 for headers in wide_year_columns(columns).values())


def melt_wide_years(frame: pd.DataFrame, headers: list[PeriodHeader],
                    id_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Long form of one measure: id columns, `year` (ordered categorical label), `value`."""
    id_columns = list(id_columns)
    labels = {h.column: h.label for h in headers}
    long = frame[id_columns + list(labels)].melt(id_vars=id_columns, var_name="year",
                                                 value_name="value")
    order = [h.label for h in sorted(headers, key=lambda h: h.sort_key)]
    long["year"] = pd.Categorical(long["year"].map(labels), categories=order, ordered=True)
    return long


def yearly_series(frame: pd.DataFrame, headers: list[PeriodHeader]) -> dict[str, float]:
    """{period label: column sum} in period order; the series of one wide measure."""
    ordered = sorted(headers, key=lambda h: h.sort_key)
    sums = frame[[h.column for h in ordered]].sum(min_count=1)
    return {h.label: sums[h.column] for h in ordered}
