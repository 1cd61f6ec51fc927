"""Per column of a profile: text dictionary-encoded once, and missing, distinct, min, max.

Text columns become categoricals, encoded once by Arrow (about 10 ms a million cells):
every later unique, group-by and count then works on small integer codes instead of
hashing a million strings again. Integer columns count their distinct values with one
`np.bincount` over their range when it is small (years, months, counts), and by sorting
their 32-bit offsets from the minimum when it is not (amounts).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as ptypes

from models_std import semantics as sem

# An integer column whose range is at most this many times its length is counted by range.
RANGE_PER_VALUE = 4


def dictionary_encoded(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text columns as categoricals (a blank cell is missing)."""
    columns = {}
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        if pd.api.types.is_string_dtype(column.dtype) and not isinstance(
                column.dtype, pd.CategoricalDtype):
            column = _categorical(column)
        columns[position] = column
    encoded = pd.DataFrame(columns, index=frame.index, copy=False)
    encoded.columns = frame.columns
    return encoded


def _categorical(column: pd.Series) -> pd.Series:
    # Arrow-backed text converts without a copy; other text is cast to one string type.
    arrow_backed = getattr(column.dtype, "storage", None) == "pyarrow"
    array = pa.array(column.array, from_pandas=True,
                     type=None if arrow_backed else pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array)
    values = encoded.dictionary.to_pandas()
    # A blank cell is not a value: its code becomes missing, as an empty cell's is.
    blank = np.flatnonzero(values.str.strip().eq("").to_numpy())
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    if len(blank):
        keep = np.ones(len(values), dtype=bool)
        keep[blank] = False
        renumber = np.where(keep, np.cumsum(keep) - 1, -1)
        codes = np.where(codes >= 0, renumber[np.maximum(codes, 0)], -1)
        values = values[keep]
    categories = pd.Index(values.to_numpy(), dtype="str")
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories),
                     index=column.index, name=column.name)


def column_statistics(frame: pd.DataFrame, tags: list[sem.ColumnTag]) -> dict:
    columns = {}
    for tag in tags:
        series = frame[tag.name]
        info = {k: val for k, val in tag.as_dict().items() if k != "name"}
        info["missing"] = int(_missing(series).sum())
        info["distinct"] = _distinct_count(series)
        info["min"], info["max"] = _range(series, tag)
        columns[tag.name] = info
    return columns


def _distinct_count(series: pd.Series) -> int:
    """Distinct non-missing values; for a categorical, the categories in use (no hashing)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        return int(np.count_nonzero(np.bincount(codes[codes >= 0],
                                                minlength=len(series.cat.categories))))
    if ptypes.is_signed_integer_dtype(series.dtype):
        array = series.array
        if isinstance(array, pd.arrays.IntegerArray):
            values = array._data[~array._mask] if array._mask.any() else array._data
        else:
            values = np.asarray(array)
        if not len(values):
            return 0
        low, high = int(values.min()), int(values.max())
        offsets = values.astype(np.int64, copy=False) - low
        if high - low <= RANGE_PER_VALUE * len(values):
            return int(np.count_nonzero(np.bincount(offsets)))
        if high - low < 2 ** 32:  # amounts: sorting 32-bit offsets beats hashing 64-bit values
            ordered = offsets.astype(np.uint32)
            ordered.sort()
            return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1
        return len(pd.unique(values))
    return int(series.nunique(dropna=True))


def _missing(series: pd.Series) -> pd.Series:
    missing = series.isna()
    if ptypes.is_string_dtype(series.dtype) and series.dtype != object:
        missing |= series.str.strip().eq("").fillna(False)  # a blank cell is not a value
    return missing


def _range(series: pd.Series, tag: sem.ColumnTag):
    if ptypes.is_bool_dtype(series.dtype):
        return None, None
    if ptypes.is_datetime64_any_dtype(series.dtype):
        return _iso_timestamp(series.min()), _iso_timestamp(series.max())
    if ptypes.is_numeric_dtype(series.dtype):
        return series.min(), series.max()
    if tag.tag == sem.DATE:
        parts = sem.map_distinct(
            series, lambda u: _iso_dates(sem.date_parts(u)), dtype=object).dropna()
        return (parts.min(), parts.max()) if len(parts) else (None, None)
    if tag.tag == sem.MEASURE or tag.tag in (sem.LAT, sem.LON, sem.X, sem.Y):
        numbers = pd.to_numeric(series.astype(str).str.replace(",", "", regex=False),
                                errors="coerce")
        return numbers.min(), numbers.max()
    return None, None


def _iso_timestamp(value) -> str | None:
    # A date column read as datetime64 shows as a date, like one read as text.
    return None if pd.isna(value) else value.isoformat().removesuffix("T00:00:00")


def _iso_dates(parts: pd.DataFrame) -> np.ndarray:
    ok = parts.year.between(1800, 2100)  # 9999-12-31 is a sentinel, not a date
    text = (parts.year.astype("Int64").astype(str) + "-" + parts.month.astype("Int64")
            .astype(str).str.zfill(2) + "-" + parts.day.astype("Int64").astype(str).str.zfill(2))
    return text.where(ok, None).to_numpy(dtype=object)
