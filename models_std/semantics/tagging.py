"""Column tagging: what each column of a table means (gu, year, measure in 명, latitude …).

Values decide, headers hint. A column is `gu` when ≥ 80 % of its cells (total labels and the
city itself aside) are gu names or gu codes of one code system, whatever it is called; a
column called LAT is a longitude when its values are 127.x. Work is done on distinct values
(value_counts), so a million-row table costs a few hashes per column, not Python per row.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from models_std.semantics import vocabulary as v
from models_std.semantics.districts import (
    LEVEL_DONG, LEVEL_NATION, LEVEL_RANK, LEVEL_SIDO, LEVEL_SIGUNGU, MOIS8, MOIS10,
    NAME,
    city_names, detect_code_system, known_name_keys, name_keys)
from models_std.semantics.periods import parse_period_header

SHARE = 0.8           # share of cells that must agree for a value-based tag
COORD_SHARE = 0.9     # coordinates: a few bad points are normal, most must be in range
WIDE_VALUE = "값"     # measure name of a wide group whose headers are only periods


@dataclass(frozen=True)
class ColumnTag:
    name: str
    tag: str                          # one of vocabulary.TAGS
    dtype: str
    unit: str | None = None           # measures: 명, 원, 건, %, … (None when unknown)
    code_system: str | None = None    # gu: name|mois|mois10|org7|kostat|ambiguous; dong: +mois8
    year: str | None = None           # a period column: "2014", "2013년 이전", "2024-06"
    measure: str | None = None        # a period column: the measure it belongs to
    epsg: int | None = None           # x/y and lat/lon
    region_level: str | None = None   # MOIS region cells: the finest level present
    additive: bool | None = None      # measures: False for ratios and averages
    total_column: bool = False        # a measure that is the row total (CCTV's 소계)

    def as_dict(self) -> dict:
        return asdict(self)


def tag_columns(frame: pd.DataFrame) -> list[ColumnTag]:
    """One tag per column, in column order (duplicate names are tagged by position)."""
    tags = [tag_column(frame.iloc[:, i], str(name)) for i, name in enumerate(frame.columns)]
    return [_with_period(tag) for tag in tags]


def tag_column(series: pd.Series, name: str) -> ColumnTag:
    dtype = str(series.dtype)
    if ptypes.is_bool_dtype(series.dtype):
        return ColumnTag(name, v.CATEGORY, dtype)
    if ptypes.is_datetime64_any_dtype(series.dtype):
        return ColumnTag(name, v.DATE, dtype)
    if ptypes.is_numeric_dtype(series.dtype):
        return _tag_numbers(name, series.dropna(), dtype)
    numbers = numbers_in_objects(series)
    if numbers is not None:
        return _tag_numbers(name, numbers.dropna(), dtype)
    counts = distinct_counts(series)
    if counts.empty:
        return ColumnTag(name, v.TEXT, dtype)
    return _tag_strings(name, counts, dtype)


def numbers_in_objects(series: pd.Series) -> pd.Series | None:
    """An object column holding Python numbers (an Excel sheet read without types)."""
    if series.dtype != object:
        return None
    kind = ptypes.infer_dtype(series, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
        return pd.to_numeric(series, errors="coerce")
    return None


def distinct_counts(series: pd.Series) -> pd.Series:
    """Row count per distinct stripped string value; blanks are missing, not a value."""
    counts = series.value_counts(dropna=True)
    counts = counts[counts > 0]  # a categorical lists categories no row has
    if counts.empty:
        return counts
    keys = pd.Index(counts.index.map(str)).str.strip()
    counts = pd.Series(counts.to_numpy(), index=keys)
    counts = counts[counts.index != ""]
    return counts.groupby(level=0, sort=False).sum() if not keys.is_unique else counts


# ---------------------------------------------------------------- numbers

def _tag_numbers(name: str, values: pd.Series, dtype: str) -> ColumnTag:
    integers = ptypes.is_integer_dtype(values.dtype)
    if not integers:  # integers are always finite: a million of them need no check
        values = values[np.isfinite(values.to_numpy(dtype=float))]
    if values.empty:
        return ColumnTag(name, v.TEXT, dtype)
    integral = integers or bool(np.all(np.mod(values.to_numpy(dtype=float), 1) == 0))
    if integral:
        tag = _integral_tag(name, values, dtype)
        if tag is not None:
            return tag
    coordinate = _coordinate_tag(name, values, dtype, integral)
    if coordinate is not None:
        return coordinate
    if v.has_hint(name, v.ID_HINTS, v.ID_EXACT) and values.is_unique and integral:
        return ColumnTag(name, v.ID, dtype)
    if v.has_hint(name, v.CODE_HINTS) and integral:
        return ColumnTag(name, v.CODE, dtype)
    unit = v.unit_of(name)
    return ColumnTag(name, v.MEASURE, dtype, unit=unit, additive=v.is_additive(name, unit))


def _integral_tag(name: str, values: pd.Series, dtype: str,
                  as_text: bool = False) -> ColumnTag | None:
    # An integer column's own min and max: converting a million values first costs more.
    numbers = values if ptypes.is_signed_integer_dtype(values.dtype) else values.astype("int64")
    lo, hi = int(numbers.min()), int(numbers.max())
    # Counts can look like gu codes by chance (a population of 11230): numbers need a header
    # hint; digit strings (codes kept as text) need a hint or some variety.
    hinted = v.has_hint(name, v.GU_HINTS + v.CODE_HINTS)
    if (hinted or as_text) and lo >= 11000:
        # only here: hashing a million numbers is not free
        distinct = pd.unique(numbers.astype("int64"))
        if hinted or len(distinct) >= 3:
            detection = detect_code_system(distinct, threshold=SHARE)
            if detection.system is not None:
                return ColumnTag(name, v.GU, dtype, code_system=detection.system)
    if v.has_hint(name, v.DONG_HINTS) and lo >= 10_000_000:
        # 행정동 codes: 10 digits (1111051500) or 8 (11110515, 생활인구 and 상권 files).
        digits = {len(str(code)) for code in (lo, hi)}
        if digits in ({8}, {10}):
            return ColumnTag(name, v.DONG, dtype, code_system=MOIS8 if digits == {8} else MOIS10)
    # "2015년도" heads a column of counts for 2015, not a column of years.
    # Traditional markets opened in 1780 exist: years are wide when the header says so.
    if v.has_hint(name, v.YEAR_HINTS, v.YEAR_EXACT) and 1500 <= lo and hi <= 2100 \
            and parse_period_header(name) is None:
        return ColumnTag(name, v.YEAR, dtype)
    if v.has_hint(name, v.MONTH_HINTS, v.MONTH_EXACT) and 1 <= lo and hi <= 12:
        return ColumnTag(name, v.MONTH, dtype)
    if v.has_hint(name, v.DATE_HINTS) and 19000101 <= lo and hi <= 99991231:
        return ColumnTag(name, v.DATE, dtype)
    if v.header_key(name) in v.HOUR_EXACT and 0 <= lo and hi <= 24:
        return ColumnTag(name, v.CATEGORY, dtype)
    return None


def _coordinate_tag(name: str, values: pd.Series, dtype: str,
                    integral: bool) -> ColumnTag | None:
    """lat/lon by value range, never by name (culturalEventInfo's LOT is the latitude)."""
    hinted = v.has_hint(name, v.COORD_HINTS) or v.header_key(name) in ("x", "y") \
        or v.header_key(name).endswith(("(x)", "(y)"))
    if integral and not hinted:
        return None  # whole numbers without a header hint are never coordinates
    numbers = values.to_numpy(dtype=float)

    def share_in(bounds: tuple[float, float], slack: float = 0.0) -> float:
        return float(np.mean((numbers >= bounds[0] - slack) & (numbers <= bounds[1] + slack)))

    lat, lon = (v.KOREA_LAT, v.KOREA_LON) if hinted else (v.SEOUL_LAT, v.SEOUL_LON)
    if not integral or hinted:
        if share_in(lat) >= COORD_SHARE:
            return ColumnTag(name, v.LAT, dtype, epsg=v.WGS84_EPSG)
        if share_in(lon) >= COORD_SHARE:
            return ColumnTag(name, v.LON, dtype, epsg=v.WGS84_EPSG)
    if hinted:
        if share_in(v.TM_X, 15_000) >= COORD_SHARE:
            return ColumnTag(name, v.X, dtype, epsg=v.TM_EPSG)
        if share_in(v.TM_Y, 15_000) >= COORD_SHARE:
            return ColumnTag(name, v.Y, dtype, epsg=v.TM_EPSG)
    return None


# ---------------------------------------------------------------- strings

def total_labels(values: pd.Series) -> pd.Series:
    """Vectorised vocabulary.is_total_label: 합계, 소계, 계, 총계, 전체, 전국, Total …"""
    keys = values.astype(str).str.replace(r"[\s_]", "", regex=True).str.lower()
    return keys.isin(v.TOTAL_LABELS)


def _share(counts: pd.Series, mask) -> float:
    total = counts.sum()
    return float(counts[np.asarray(mask, dtype=bool)].sum() / total) if total else 0.0


SAMPLE_DISTINCT = 20_000


def _tag_strings(name: str, counts: pd.Series, dtype: str) -> ColumnTag:
    # A free-text column can have a million distinct values; shares estimated on a fixed
    # sample of them decide as well and keep tagging fast.
    sample = counts if len(counts) <= SAMPLE_DISTINCT else \
        counts.sample(n=SAMPLE_DISTINCT, random_state=0)
    keys = pd.Series(sample.index, index=sample.index, dtype=object)
    for detect in (_region_tag, _gu_name_tag, _digit_tag, _date_tag, _year_or_dong_tag,
                   _decimal_tag):
        tag = detect(name, keys, sample, dtype)
        if tag is not None:
            return tag
    return _label_tag(name, counts, dtype)


_REGION = r"^\s*(.*?)\s*\((\d{10})\)\s*$"


def region_levels(codes: pd.Series) -> pd.Series:
    """Level of 10-digit MOIS codes, vectorised (see districts.region_level)."""
    level = pd.Series(LEVEL_DONG, index=codes.index, dtype=object)
    level[codes.str[5:] == "00000"] = LEVEL_SIGUNGU
    level[codes.str[2:] == "00000000"] = LEVEL_SIDO
    level[codes.isin(["1000000000", "0000000000"])] = LEVEL_NATION
    return level.where(codes.notna())


def _region_tag(name, keys, counts, dtype) -> ColumnTag | None:
    codes = keys.str.extract(_REGION)[1]
    if _share(counts, codes.notna()) < SHARE:
        return None
    levels = region_levels(codes)
    finest = max(levels.dropna(), key=LEVEL_RANK.__getitem__)
    if finest == LEVEL_DONG:
        return ColumnTag(name, v.DONG, dtype, code_system=MOIS10, region_level=finest)
    finest_rows = (levels == finest).to_numpy()
    in_seoul = (codes.str[:2] == "11").to_numpy()
    if finest == LEVEL_SIGUNGU and _share(counts[finest_rows], in_seoul[finest_rows]) >= SHARE:
        return ColumnTag(name, v.GU, dtype, code_system=MOIS10, region_level=finest)
    return ColumnTag(name, v.CATEGORY, dtype, code_system=MOIS10, region_level=finest)


def _gu_name_tag(name, keys, counts, dtype) -> ColumnTag | None:
    norm = name_keys(keys)
    neutral = (city_names(keys) | total_labels(keys)).to_numpy()
    considered = counts[~neutral]
    if considered.empty:
        return None
    if _share(considered, norm[~neutral].isin(known_name_keys())) >= SHARE:
        return ColumnTag(name, v.GU, dtype, code_system=NAME)
    return None


def _digit_tag(name, keys, counts, dtype) -> ColumnTag | None:
    """Digit strings: codes kept as text (leading zeros), gu codes, years, months, ids."""
    digits = keys.str.fullmatch(r"\d+(?:\.0)?")
    if _share(counts, digits) < SHARE:
        return None
    numbers = pd.to_numeric(keys[digits.to_numpy(dtype=bool)], errors="coerce").dropna()
    if numbers.empty:
        return None
    integral = _integral_tag(name, numbers, dtype, as_text=True)
    if integral is not None:
        return integral
    if v.has_hint(name, v.ID_HINTS, v.ID_EXACT) and int(counts.max()) == 1:
        return ColumnTag(name, v.ID, dtype)
    return ColumnTag(name, v.CODE, dtype)


# YYYY-MM-DD, YYYYMMDD, YYYY.MM.DD, with an optional time ("2025-12-18 00:00:00.0").
_DATE = r"^(\d{4})[-./]?(\d{2})[-./]?(\d{2})\.?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"


def date_parts(strings: pd.Series) -> pd.DataFrame:
    """year, month, day of date strings (NaN where the cell is not a valid date)."""
    parts = strings.astype(str).str.extract(_DATE)
    parts = parts.apply(pd.to_numeric, errors="coerce")
    parts.columns = ["year", "month", "day"]
    valid = parts.month.between(1, 12) & parts.day.between(1, 31) & parts.year.ge(1800)
    return parts.where(valid)


def _date_tag(name, keys, counts, dtype) -> ColumnTag | None:
    parts = date_parts(keys)
    if _share(counts, parts.year.notna()) < SHARE:
        return None
    # Bare 8-digit values are dates only when the header says so (they may be dong codes).
    compact = keys.str.fullmatch(r"\d{8}")
    if _share(counts, compact) >= SHARE and not v.has_hint(name, v.DATE_HINTS):
        return None
    return ColumnTag(name, v.DATE, dtype)


def _year_or_dong_tag(name, keys, counts, dtype) -> ColumnTag | None:
    if v.has_hint(name, v.YEAR_HINTS, v.YEAR_EXACT):
        years = pd.to_numeric(keys.str.extract(r"^(\d{4})\s*(?:년|년도)?$")[0], errors="coerce")
        if _share(counts, years.between(1500, 2100)) >= SHARE:
            return ColumnTag(name, v.YEAR, dtype)
    if v.has_hint(name, v.MONTH_HINTS, v.MONTH_EXACT):
        months = pd.to_numeric(keys.str.extract(r"^(\d{1,2})\s*월?$")[0], errors="coerce")
        if _share(counts, months.between(1, 12)) >= SHARE:
            return ColumnTag(name, v.MONTH, dtype)
    if v.has_hint(name, v.DONG_HINTS) and _share(counts, keys.str.contains(r"[동가리읍면]$")) \
            >= SHARE:
        return ColumnTag(name, v.DONG, dtype, code_system=NAME)
    return None


def _decimal_tag(name, keys, counts, dtype) -> ColumnTag | None:
    """Decimal numbers left as text (an API's JSON strings): coordinates or measures."""
    numbers = pd.to_numeric(keys.str.replace(",", "", regex=False), errors="coerce")
    if _share(counts, numbers.notna()) < SHARE or not keys.str.contains(".", regex=False).any():
        return None
    values = pd.Series(np.repeat(numbers.to_numpy(dtype=float), counts.to_numpy())).dropna()
    return _tag_numbers(name, values, dtype) if not values.empty else None


def _label_tag(name, counts, dtype) -> ColumnTag:
    distinct, rows = len(counts), int(counts.sum())
    keys = pd.Series(counts.index, dtype=object)
    tokens = keys.str.fullmatch(r"[A-Za-z0-9\-_]+").all()
    # An id need not be unique per row: a cinema's screens share its 관리번호.
    if v.has_hint(name, v.ID_HINTS, v.ID_EXACT) and (tokens or distinct == rows) and rows > 1:
        return ColumnTag(name, v.ID, dtype)
    # Unique, space-free, long tokens are identifiers (관리번호 "CDFF4220002005000002").
    if distinct == rows and rows > 1 and keys.str.fullmatch(r"[A-Za-z0-9\-_]{8,}").all():
        return ColumnTag(name, v.ID, dtype)
    if distinct <= 200 and distinct <= max(2, rows // 2):
        return ColumnTag(name, v.CATEGORY, dtype)
    return ColumnTag(name, v.TEXT, dtype)


# ---------------------------------------------------------------- wide tables

def _with_period(tag: ColumnTag) -> ColumnTag:
    """Measures under a period header learn their period and measure group; a measure
    called 소계/합계 is a total column."""
    if tag.tag != v.MEASURE:
        return tag
    if v.is_total_label(tag.name):
        return replace(tag, total_column=True)
    header = parse_period_header(tag.name)
    if header is None:
        return tag
    measure = header.measure or WIDE_VALUE
    unit = tag.unit or v.unit_of(measure)
    return replace(tag, year=header.label, measure=measure, unit=unit,
                   additive=v.is_additive(measure, unit))


