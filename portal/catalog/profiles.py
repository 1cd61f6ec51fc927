"""The profile of a table version: computed once at ingest, stored as JSON beside it.

Dataset pages and charts read only the profile, never the table. Its format is documented in
docs/profiles.md (format version 1); the vocabulary (tags, gu, totals) is models_std.semantics.
Text is dictionary-encoded once and every dimension is a column of integer codes, so the
figures per gu, year and category come from a few `np.bincount` passes
(`profile_groups`); column statistics are in `profile_columns`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from connectors.coords import tm_to_wgs84
from models_std import semantics as sem
from models_std.semantics import places, vocabulary
from portal.catalog.profile_columns import column_statistics, dictionary_encoded
from portal.catalog.profile_groups import Groups, GroupSums, Grouping

PROFILE_VERSION = 1
ROWS = "@rows"            # the series of row counts in by_gu / by_year / yearly_series
TOP_CATEGORY_COLUMNS = 3
TOP_VALUES = 10
LAYOUT_LONG, LAYOUT_WIDE = "long", "wide_yearly"


@dataclass
class Measure:
    """A measure: one column, or (wide yearly) one group of period columns."""
    name: str
    columns: list[str]
    periods: list[str | None]           # period label per column (None: not a period column)
    unit: str | None
    additive: bool
    wide: bool = False
    total_of: str | None = None         # a total column: the wide measure it totals

    def describe(self) -> dict:
        return {"name": self.name, "columns": self.columns, "unit": self.unit,
                "aggregate": "sum" if self.additive else "mean", "wide": self.wide,
                "periods": [p for p in self.periods if p] or None, "total_of": self.total_of}


def compute_profile(frame: pd.DataFrame) -> dict:
    """The profile of a typed table (see docs/profiles.md); JSON-serialisable as returned."""
    frame = _unique_names(frame)
    dtypes = [str(dtype) for dtype in frame.dtypes]  # as stored, before encoding
    frame = dictionary_encoded(frame)
    tags = [replace(tag, dtype=dtype) for tag, dtype in zip(sem.tag_columns(frame), dtypes)]
    scores = sem.total_row_scores(frame, tags)
    body = (~sem.is_total(scores)).to_numpy()
    measures, layout = _measures(tags)
    numbers = _numbers(frame, measures)
    gu, gu_info = _gu_dimension(frame, tags)
    year, year_info = _year_dimension(frame, tags) if layout == LAYOUT_LONG else (None, None)
    data = numbers if body.all() else numbers[body]  # total rows never count
    sums = GroupSums(numbers, body)
    by_gu_groups, by_year_groups, pair_groups = _groups(sums, gu, year)
    by_gu = _by_gu(by_gu_groups, measures) if gu is not None else {}
    by_year = _by_year(data, by_year_groups, measures)
    year_info = _label_order(gu_info, year_info, by_gu, by_year, layout)
    categories = [t.name for t in tags if t.tag == sem.CATEGORY and t.region_level is None]
    profile = {
        "version": PROFILE_VERSION,
        "row_count": len(frame),
        "total_row_count": int((~body).sum()),
        "layout": layout,
        "dimensions": {"gu": gu_info, "year": year_info},
        "column_order": list(frame.columns),
        "columns": column_statistics(frame, tags),
        "measures": [m.describe() for m in measures],
        "totals": {m.name: _total(data, m) for m in measures},
        "source_totals": _source_totals(numbers, sem.grand_total_mask(scores).to_numpy(),
                                        measures),
        "by_gu": by_gu,
        "by_year": by_year,
        "top_categories": _top_categories(frame, categories, body, sums, measures),
        "yearly_series": _yearly_series(pair_groups, by_gu_groups, measures, by_year)
        if gu is not None else {},
        "notes": _notes(tags),
    }
    return json_safe(profile)


# ---------------------------------------------------------------- what is measured

def _unique_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names as distinct strings (JSON keys); duplicates get " (2)", " (3)"."""
    seen: dict[str, int] = {}
    names = []
    for column in frame.columns:
        name = str(column)
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return frame.set_axis(names, axis=1) if names != list(frame.columns) else frame


def _measures(tags: list[sem.ColumnTag]) -> tuple[list[Measure], str]:
    measure_tags = [t for t in tags if t.tag == sem.MEASURE]
    groups: dict[str, list[sem.ColumnTag]] = {}
    for tag in measure_tags:
        if tag.measure is not None:
            groups.setdefault(tag.measure, []).append(tag)
    wide = {name: group for name, group in groups.items() if len(group) >= 2}
    layout = LAYOUT_WIDE if wide else LAYOUT_LONG
    column_names = {t.name for t in tags}
    measures: list[Measure] = []
    for tag in measure_tags:
        if tag.measure in wide:
            if tag is wide[tag.measure][0]:
                measures.append(_wide_measure(tag.measure, wide[tag.measure], column_names))
            continue
        measures.append(Measure(tag.name, [tag.name], [tag.year], tag.unit, bool(tag.additive)))
    wide_names = [m.name for m in measures if m.wide]
    for measure in measures:
        if measure.columns[0] in sem.total_columns(tags) and len(wide_names) == 1:
            measure.total_of = wide_names[0]
    return measures, layout


def _wide_measure(name: str, group: list[sem.ColumnTag], column_names: set[str]) -> Measure:
    headers = sorted((sem.parse_period_header(t.name) for t in group), key=lambda h: h.sort_key)
    units = [t.unit for t in group if t.unit]
    label = name if name not in column_names else f"{name} (연도별)"
    return Measure(label, [h.column for h in headers], [h.label for h in headers],
                   units[0] if units else None, all(t.additive for t in group), wide=True)


def _numbers(frame: pd.DataFrame, measures: list[Measure]) -> pd.DataFrame:
    """The measure columns as numbers (a text column of numbers is coerced, not trusted)."""
    columns = {}
    for name in dict.fromkeys(c for m in measures for c in m.columns):
        series = frame[name]
        if not ptypes.is_numeric_dtype(series.dtype) or ptypes.is_bool_dtype(series.dtype):
            text = series.astype(str).str.replace(",", "", regex=False).str.strip()
            series = pd.to_numeric(text, errors="coerce")
        columns[name] = series
    return pd.DataFrame(columns, index=frame.index)


# ---------------------------------------------------------------- dimensions

def _gu_dimension(frame: pd.DataFrame, tags: list[sem.ColumnTag]):
    """Per row the gu's position in MOIS order (a Grouping labelled with Korean names),
    from the first usable gu column, else from 행정동 region codes; (None, None) when the
    table has no gu."""
    usable = [t for t in tags if t.tag == sem.GU and t.code_system != sem.AMBIGUOUS]
    usable += [t for t in tags if t.tag == sem.DONG and t.code_system in (sem.MOIS10, sem.MOIS8)]
    if not usable:
        return _gu_of_points(frame, tags)
    tag = usable[0]
    # Resolve each distinct cell once: a million rows cost one lookup per distinct value.
    column = frame[tag.name]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    names = sem.gu_names(pd.Series(uniques, dtype=object), tag.code_system)
    position = {name: i for i, name in enumerate(sem.GU_NAMES)}
    gu_codes = np.append(names.map(lambda n: position.get(n, -1)).to_numpy(dtype="int64"), -1)
    gu = Grouping(gu_codes[codes], list(sem.GU_NAMES))
    return gu, {"column": tag.name, "code_system": tag.code_system, "via": tag.tag}


SEOUL_POINT_SHARE = 0.5


def _gu_of_points(frame: pd.DataFrame, tags: list[sem.ColumnTag]):
    """The gu of each row from its coordinates (WGS84 lat/lon, else EPSG:5174 X/Y), for a
    table that names no gu: point data is counted per gu like any other."""
    first = {tag.tag: tag.name for tag in reversed(tags)}
    if sem.LAT in first and sem.LON in first:
        columns = (first[sem.LON], first[sem.LAT])
        lon, lat = (_coordinate(frame[c]) for c in columns)
    elif sem.X in first and sem.Y in first:
        columns = (first[sem.X], first[sem.Y])
        lon, lat = (series.to_numpy() for series in
                    tm_to_wgs84(*(_coordinate(frame[c]) for c in columns)))
    else:
        return None, None
    names = pd.Series(places.gu_of_points(lon, lat), dtype=object)
    # A national table (festivals, markets of all Korea) is not a Seoul table because some
    # of its points are in Seoul: most positioned rows must be.
    if names.notna().sum() < SEOUL_POINT_SHARE * (np.isfinite(lon) & np.isfinite(lat)).sum():
        return None, None
    position = {name: i for i, name in enumerate(sem.GU_NAMES)}
    gu = Grouping(names.map(position).fillna(-1).to_numpy(dtype="int64"), list(sem.GU_NAMES))
    return gu, {"column": columns[1], "columns": list(columns), "code_system": None,
                "via": "point"}


def _coordinate(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(object)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _year_dimension(frame: pd.DataFrame, tags: list[sem.ColumnTag]):
    """Per row the year label ("2016"), from a year column or the best date column."""
    years = [t for t in tags if t.tag == sem.YEAR]
    if years:
        return _year_labels(frame[years[0].name]), {"column": years[0].name, "source": "year"}
    dates = [t for t in tags if t.tag == sem.DATE]
    if not dates:
        return None, None
    best = max(dates, key=lambda t: _date_preference(t.name, frame[t.name]))
    return _date_years(frame[best.name]), {"column": best.name, "source": "date"}


def _date_preference(name: str, series: pd.Series) -> float:
    # The licence or start date says when a row's event happened; 수정/갱신 dates do not.
    score = float(series.notna().mean())
    if vocabulary.has_hint(name, vocabulary.DATE_PREFERRED):
        score += 0.5
    if vocabulary.has_hint(name, vocabulary.DATE_BOOKKEEPING):
        score -= 0.5
    return score


def _year_labels(series: pd.Series) -> Grouping:
    if ptypes.is_signed_integer_dtype(series.dtype):
        return _integer_years(series)
    if ptypes.is_numeric_dtype(series.dtype):
        numbers = series
    else:
        numbers = pd.to_numeric(series.astype(str).str.extract(r"(\d{4})")[0], errors="coerce")
    return _as_labels(numbers.where(numbers.between(1500, 2100)).round())


def _integer_years(series: pd.Series) -> Grouping:
    """Year codes of an integer column by table lookup over 1500-2100 (no hashing)."""
    array = series.array
    if isinstance(array, pd.arrays.IntegerArray):
        values, known = array._data.astype(np.int64), ~array._mask
    else:
        values, known = np.asarray(array, dtype=np.int64), True
    ok = known & (values >= 1500) & (values <= 2100)
    offsets = np.where(ok, values - 1500, 0)
    present = np.zeros(601, dtype=bool)
    present[offsets[ok]] = True
    lookup = np.cumsum(present) - 1
    codes = np.where(ok, lookup[offsets], -1)
    return Grouping(codes, [str(year) for year in np.flatnonzero(present) + 1500])


def _date_years(series: pd.Series) -> Grouping:
    """Year of each date; sentinels such as 9999-12-31 (LOCALDATA 폐업일자) are missing."""
    if ptypes.is_datetime64_any_dtype(series.dtype):
        numbers = series.dt.year
    elif ptypes.is_numeric_dtype(series.dtype):
        numbers = series // 10000
    else:
        numbers = sem.map_distinct(
            series, lambda u: sem.date_parts(u)["year"].to_numpy(), dtype="float64")
    return _as_labels(numbers.where(numbers.between(1800, 2100)))


def _as_labels(numbers: pd.Series) -> Grouping:
    """Year labels ("2016") in year order: one factorize of the column, then every
    group-by on it works on integer codes."""
    codes, years = pd.factorize(numbers.astype("Int64"), sort=True, use_na_sentinel=True)
    return Grouping(np.asarray(codes, dtype=np.int64), [str(int(year)) for year in years])


def _label_order(gu_info, year_info, by_gu: dict, by_year: dict, layout: str):
    """Key order is display order, but PostgreSQL JSONB does not keep it: state it in lists.
    Returns the year dimension (a wide table's years come from its headers)."""
    if gu_info is not None:
        gu_info["labels"] = [g for g in sem.GU_NAMES if any(g in s for s in by_gu.values())]
    if by_year:
        year_info = year_info or {"source": "columns" if layout == LAYOUT_WIDE else "headers"}
        year_info["labels"] = sorted({y for s in by_year.values() for y in s},
                                     key=sem.period_sort_key)
    return year_info


# ---------------------------------------------------------------- figures

def _per_column(numbers: pd.DataFrame, measure: Measure) -> pd.Series:
    """Sum (mean, for ratios) of each of a measure's columns."""
    values = numbers[measure.columns]
    return values.sum(min_count=1) if measure.additive else values.mean()


def _total(numbers: pd.DataFrame, measure: Measure):
    # A ratio has no grand total: the mean of 25 gu ratios is not the city's ratio.
    if not measure.additive:
        return None
    return numbers[measure.columns].sum(min_count=1).sum(min_count=1)


def _source_totals(numbers: pd.DataFrame, grand: np.ndarray, measures: list[Measure]) -> dict:
    if not grand.any():
        return {}
    rows = numbers[grand]
    totals = {}
    for m in measures:
        if m.additive:
            totals[m.name] = rows[m.columns].sum(min_count=1).sum(min_count=1)
        else:  # a ratio is stated, not summed: only a single total row states it
            totals[m.name] = rows[m.columns[0]].iloc[0] if len(rows) == 1 else None
    return totals


def _groups(sums: GroupSums, gu: Grouping | None, year: Grouping | None):
    """(by gu, by year, by gu × year) groups; None where a dimension is missing."""
    if gu is not None and year is not None:
        return sums.crossed(gu, year)
    return (sums.by(gu) if gu is not None else None,
            sums.by(year) if year is not None else None, None)


def _grouped(groups: Groups, measures: list[Measure]) -> dict[str, pd.Series]:
    """Per measure, its value per group (sum, or mean for ratios), and the rows."""
    columns = list(dict.fromkeys(c for m in measures for c in m.columns))
    sums, means = groups.table(columns), None
    if not all(m.additive for m in measures):
        means = groups.table(columns, means=True)
    result = {}
    for m in measures:
        part = (sums if m.additive else means)[m.columns]
        result[m.name] = part.sum(axis=1, min_count=1) if m.additive else part.mean(axis=1)
    result[ROWS] = pd.Series(groups.rows, index=sums.index)
    return result


def _by_gu(groups: Groups, measures: list[Measure]) -> dict:
    # Grouped over data rows only: total rows never count, and the city has no gu.
    return {name: series.to_dict() for name, series in _grouped(groups, measures).items()}


def _by_year(numbers: pd.DataFrame, groups: Groups | None, measures: list[Measure]) -> dict:
    result = {}
    grouped = _grouped(groups, measures) if groups is not None else {}
    for m in measures:
        if m.wide or (m.periods[0] is not None and m.name not in grouped):
            sums = _per_column(numbers, m)
            result[m.name] = {p: sums[c] for c, p in zip(m.columns, m.periods)}
        elif m.name in grouped:
            result[m.name] = grouped[m.name].to_dict()
    if ROWS in grouped:
        result[ROWS] = grouped[ROWS].to_dict()
    return result


def _yearly_series(pairs: Groups | None, by_gu: Groups, measures, by_year) -> dict:
    """Per measure the Seoul series and one series per gu (where a gu dimension exists)."""
    series: dict = {}
    if pairs is not None:
        for name, values in _grouped(pairs, measures).items():
            if name in by_year:
                per_gu: dict = {}
                for (g, y), value in zip(pairs.labels, values.to_numpy(dtype=object)):
                    per_gu.setdefault(g, {})[y] = value
                series[name] = {"seoul": by_year[name], "by_gu": per_gu}
    wide_or_period = [m for m in measures if m.name in by_year and m.name not in series]
    if wide_or_period:
        columns = list(dict.fromkeys(c for m in wide_or_period for c in m.columns))
        table = by_gu.table(columns)
        means = by_gu.table(columns, means=True) \
            if not all(m.additive for m in wide_or_period) else None
        for m in wide_or_period:
            part = table if m.additive else means
            per_gu = {g: {p: row[c] for c, p in zip(m.columns, m.periods)}
                      for g, row in part[m.columns].iterrows()}
            series[m.name] = {"seoul": by_year[m.name], "by_gu": per_gu}
    return series


def _top_categories(frame: pd.DataFrame, categories: list[str], body: np.ndarray,
                    sums: GroupSums, measures: list[Measure]) -> list[dict]:
    """Up to 3 category columns: their 10 most frequent values, rows and measure sums."""
    result = []
    for name in categories:
        column = frame[name]
        counts = (column if body.all() else column[body]).value_counts(dropna=True)
        counts = counts[counts > 0]  # categories of total rows no longer present
        if len(counts) < 2:
            continue
        top = counts.head(TOP_VALUES)
        grouped = _grouped(sums.by(_value_grouping(column)), measures) if measures else {}
        values = [{"value": str(value), "rows": count,
                   "sums": {m.name: grouped[m.name].get(value) for m in measures
                            if m.additive}}
                  for value, count in top.items()]
        result.append({"column": name, "distinct": len(counts), "values": values})
        if len(result) == TOP_CATEGORY_COLUMNS:
            break
    return result


def _value_grouping(column: pd.Series) -> Grouping:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return Grouping.of(column)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return Grouping(np.asarray(codes, dtype=np.int64), list(uniques))


def _notes(tags: list[sem.ColumnTag]) -> list[str]:
    notes = []
    for tag in tags:
        if tag.code_system == sem.AMBIGUOUS:
            notes.append(f"column {tag.name!r}: every code is valid both as a MOIS and as a "
                         "KOSTAT gu code, so the gu are not named; by_gu is left out")
    return notes


# ---------------------------------------------------------------- JSON

def json_safe(value):
    """Plain JSON types only: str keys, int/float/None (NaN → None), lists, ISO dates."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(value) else float(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)
