"""Total rows and total columns: what must not be added again.

Korean statistics ship their totals inside the table: a 합계 row above the 25 gu, a 계 row
per year, 서울특별시 above its gu, and MOIS files mixing 시도, 시군구 and 행정동 rows where
every coarser row is the sum of the finer ones. Summing a column as it comes double counts.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from models_std.semantics import vocabulary as v
from models_std.semantics._distinct import map_distinct
from models_std.semantics.districts import LEVEL_RANK, NAME, city_names
from models_std.semantics.tagging import ColumnTag, region_levels, total_labels

_LABEL_TAGS = (v.GU, v.DONG, v.CATEGORY, v.TEXT, v.CODE)
_REGION_CODE = r"\((\d{10})\)\s*$"


def total_row_scores(frame: pd.DataFrame, tags: Sequence[ColumnTag]) -> pd.Series:
    """How much of a total each row is; 0 for a data row.

    +1 for each label column whose cell is a total label (합계, 소계, 계, 총계, 전체, 전국) or,
    in a gu column of names, the city itself (서울특별시, 서울시), or in a KOSIS 항목 column
    an item such as 총인구수 (the sum of 남자인구수 and 여자인구수); for MOIS region cells, the
    number of levels the row sits above the finest level of the table (in a file of 시도,
    시군구 and 행정동 rows, a 시도 row scores 2, a 시군구 row 1). The rows with the highest
    score are the grand total the source states. A label column whose every cell is a total
    label (a KOSIS 항목 of only 계) breaks nothing down and is ignored.
    """
    scores = np.zeros(len(frame), dtype="int64")
    for i, tag in enumerate(tags):
        if tag.tag not in _LABEL_TAGS and tag.region_level is None:
            continue
        column = frame.iloc[:, i]
        if tag.region_level is not None:
            scores += _levels_above_finest(column, tag.region_level)
        elif not pd.api.types.is_numeric_dtype(column.dtype):
            city = tag.tag == v.GU and tag.code_system == NAME
            item = v.has_hint(tag.name, v.ITEM_HINTS)
            flags = _row_flags(column, lambda u, c=city, i=item: _is_total(u, c, i))
            if not flags[column.notna().to_numpy()].all():
                scores += flags
    return pd.Series(scores, index=frame.index, name="total_score")


def total_row_mask(frame: pd.DataFrame, tags: Sequence[ColumnTag]) -> pd.Series:
    """True for rows that are totals of other rows (they never count toward a total)."""
    return is_total(total_row_scores(frame, tags))


def is_total(scores: pd.Series) -> pd.Series:
    """Rows scoring above the table's finest rows. Usually the finest score is 0; a MOIS
    file of only 시군구 rows, or a table whose every row carries 계, has no finer rows, and
    then its finest rows are the data."""
    floor = int(scores.min()) if len(scores) else 0
    return scores.gt(floor).rename("is_total")


def grand_total_mask(scores: pd.Series) -> pd.Series:
    """The rows that state the table's grand total: those with the highest total score.

    One 합계 row; or one 합계 row per year; or the 17 시도 rows of a national MOIS file
    without a 전국 row. Empty when the table has no total rows.
    """
    if not len(scores):
        return scores.astype(bool)
    top, floor = int(scores.max()), int(scores.min())
    return scores.eq(top) & (top > floor)


def total_columns(tags: Sequence[ColumnTag]) -> list[str]:
    """Measure columns that are row totals of other columns (CCTV's 소계 over its years)."""
    return [tag.name for tag in tags if tag.total_column]


def _row_flags(column: pd.Series, func) -> np.ndarray:
    """Per row, `func` of its value (False where missing), worked out once per distinct
    value; a categorical's categories are its distinct values already (no hashing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        flags = np.asarray(func(pd.Series(column.cat.categories, dtype=object)), dtype=bool)
        return np.append(flags, False)[column.cat.codes.to_numpy()]
    return map_distinct(column, func, dtype=bool).to_numpy()


def _is_total(uniques: pd.Series, city: bool, item: bool) -> np.ndarray:
    flags = total_labels(uniques)
    if city:
        flags |= city_names(uniques)
    if item:
        flags |= uniques.astype(str).str.strip().str.startswith(v.ITEM_TOTAL_PREFIXES)
    return flags.to_numpy(dtype=bool)


def _levels_above_finest(column: pd.Series, finest: str) -> np.ndarray:
    def levels_above(uniques: pd.Series) -> np.ndarray:
        codes = uniques.astype(str).str.extract(_REGION_CODE)[0]
        ranks = region_levels(codes).map(LEVEL_RANK)
        return (LEVEL_RANK[finest] - ranks).fillna(0).clip(lower=0).to_numpy(dtype="int64")

    return map_distinct(column, levels_above).fillna(0).to_numpy(dtype="int64")
