"""Figures per group of rows: by gu, by year, the gu × year cells, category values.

Rows carry integer group codes (a gu's position in MOIS order, a year label's position, a
category value's position), so a grouped sum is one `np.bincount` pass per column. Integer
measure columns are summed once over the gu × year cells, and by_gu and by_year are the
margins of those cells: integer sums are exact in any order. Float columns keep pandas'
grouped sums, one per grouping, because pandas adds floats in row order with compensation
and adding cell sums again would change the last digits of published figures.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

# Below this bound every partial sum of integers is an exact float64.
EXACT_BOUND = 2.0 ** 52


@dataclass(frozen=True)
class Grouping:
    """Per row a group code (-1: no group, e.g. a blank gu cell) and per code its label."""
    codes: np.ndarray
    labels: list

    @classmethod
    def of(cls, series: pd.Series) -> Grouping:
        """From a categorical: its categories are the groups, in their order."""
        return cls(series.cat.codes.to_numpy().astype(np.int64),
                   list(series.cat.categories))

    @property
    def size(self) -> int:
        return len(self.labels)


@dataclass
class ColumnSums:
    """Per group code (the index) of one column: sums and means as pandas gives them
    (an integer column's sums stay integers; a group without values has no sum)."""
    sums: pd.Series
    means: pd.Series


@dataclass
class Groups:
    """Per observed group (in code order): its label, its rows and each column's sums."""
    labels: list
    rows: np.ndarray
    columns: dict[str, ColumnSums]

    def table(self, columns: list[str], means: bool = False) -> pd.DataFrame:
        return pd.DataFrame({c: (self.columns[c].means if means else self.columns[c].sums).array
                             for c in columns}, index=pd.Index(self.labels, dtype=object))


class GroupSums:
    """Grouped sums of the measure columns over the data rows (`body`) of a table."""

    def __init__(self, numbers: pd.DataFrame, body: np.ndarray):
        self.numbers = numbers
        self.body = body
        self._exact = {name: _exact_integers(numbers[name]) for name in numbers.columns}

    def by(self, grouping: Grouping) -> Groups:
        codes = grouping.codes if self.body.all() else np.where(self.body, grouping.codes, -1)
        rows = _bincount(codes, None, grouping.size)
        sums = {name: self._column(name, codes, grouping.size) for name in self.numbers}
        return _observed(grouping.labels, rows, sums)

    def crossed(self, first: Grouping, second: Grouping) -> tuple[Groups, Groups, Groups]:
        """Groups by `first`, by `second` and by both: integer columns in one pass over
        the cells (a missing code is a cell of its own, so margins keep its rows)."""
        width = second.size + 1
        cell = np.where(first.codes >= 0, first.codes, first.size)
        cell *= width
        cell += np.where(second.codes >= 0, second.codes, second.size)
        if not self.body.all():
            cell[~self.body] = -1
        shape = (first.size + 1, width)
        rows = _bincount(cell, None, shape[0] * shape[1]).reshape(shape)
        by_first, by_second, by_both = {}, {}, {}
        for name in self.numbers:
            exact = self._exact[name]
            if exact is None:
                pair = np.where(self.body & (first.codes >= 0) & (second.codes >= 0),
                                first.codes * second.size + second.codes, -1)
                by_first[name] = self._column(name, np.where(self.body, first.codes, -1),
                                              first.size)
                by_second[name] = self._column(name, np.where(self.body, second.codes, -1),
                                               second.size)
                by_both[name] = self._column(name, pair, first.size * second.size)
                continue
            values, valid = exact
            sums = _bincount(cell, values, rows.size).reshape(shape)
            counts = rows if valid is None else \
                _bincount(np.where(valid, cell, -1), None, rows.size).reshape(shape)
            dtype = self.numbers[name].dtype
            by_first[name] = _integer_sums(sums.sum(axis=1)[:-1], counts.sum(axis=1)[:-1],
                                           dtype)
            by_second[name] = _integer_sums(sums.sum(axis=0)[:-1], counts.sum(axis=0)[:-1],
                                            dtype)
            by_both[name] = _integer_sums(sums[:-1, :-1].ravel(), counts[:-1, :-1].ravel(),
                                          dtype)
        pairs = [(a, b) for a in first.labels for b in second.labels]
        return (_observed(first.labels, rows.sum(axis=1)[:-1], by_first),
                _observed(second.labels, rows.sum(axis=0)[:-1], by_second),
                _observed(pairs, rows[:-1, :-1].ravel(), by_both))

    def _column(self, name: str, codes: np.ndarray, size: int) -> ColumnSums:
        exact = self._exact[name]
        column = self.numbers[name]
        if exact is None:
            # pandas' own grouped sum (row order, compensation, dtype), observed groups only
            keys = pd.Categorical.from_codes(codes, categories=pd.RangeIndex(size))
            grouped = column.groupby(keys, observed=True, sort=True)
            sums, means = grouped.sum(min_count=1), grouped.mean()
            index = pd.Index(np.asarray(sums.index, dtype=np.int64))
            return ColumnSums(sums.set_axis(index), means.set_axis(index))
        values, valid = exact
        sums = _bincount(codes, values, size)
        counts = _bincount(codes if valid is None else np.where(valid, codes, -1), None, size)
        return _integer_sums(sums, counts, column.dtype)


def _exact_integers(column: pd.Series):
    """(values as float64 with 0 for missing, mask of values or None when none is missing)
    for an integer column whose sums are exact in float64; None for any other column."""
    dtype = column.dtype
    if not ptypes.is_integer_dtype(dtype) or ptypes.is_bool_dtype(dtype):
        return None
    array = column.array
    if isinstance(array, pd.arrays.IntegerArray):
        valid = ~array._mask if array._mask.any() else None
        values = array._data.astype(np.float64)
        if valid is not None:
            values[~valid] = 0.0
    else:
        valid, values = None, np.asarray(array, dtype=np.float64)
    if not len(values):
        return values, valid
    # The cheap bound first (rows × largest magnitude), the exact one only when it fails.
    largest = max(abs(float(values.min())), abs(float(values.max())))
    if largest * len(values) < EXACT_BOUND or np.abs(values).sum() < EXACT_BOUND:
        return values, valid
    return None


def _bincount(codes: np.ndarray, weights, size: int) -> np.ndarray:
    keep = codes >= 0
    if keep.all():
        return np.bincount(codes, weights, minlength=size)
    return np.bincount(codes[keep], None if weights is None else weights[keep],
                       minlength=size)


def _integer_sums(sums: np.ndarray, counts: np.ndarray, dtype) -> ColumnSums:
    """Exact integer sums as pandas gives them: the column's integer kind, missing (a
    masked column's NA) where a group has no value; means as float64."""
    empty = counts == 0
    integers = sums.astype(np.int64)
    # A numpy integer column has a value in every row, so every observed group has a sum.
    total = pd.Series(pd.arrays.IntegerArray(integers, empty.copy())
                      if isinstance(dtype, pd.api.extensions.ExtensionDtype) else integers)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = pd.Series(np.where(empty, np.nan, sums / np.maximum(counts, 1)))
    return ColumnSums(total, means)


def _observed(labels: list, rows: np.ndarray, columns: dict[str, ColumnSums]) -> Groups:
    seen = np.flatnonzero(rows > 0)
    return Groups([labels[i] for i in seen], rows[seen].astype(np.int64),
                  {name: ColumnSums(s.sums.reindex(seen), s.means.reindex(seen))
                   for name, s in columns.items()})
