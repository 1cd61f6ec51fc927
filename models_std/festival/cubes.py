"""Long tables → dense arrays indexed by integer codes: (dong, day, hour) and (dong, day).

A district-month of Seoul living population is a few million cells; as a numpy cube with NaN
for missing or masked cells every baseline is one vectorised median instead of a groupby.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_std.festival.calendar import day_types, holiday_mask


@dataclass(frozen=True)
class Cube:
    codes: np.ndarray          # (unit,) dong codes, sorted
    days: np.ndarray           # (day,) datetime64[D], consecutive
    values: np.ndarray         # (unit, day[, hour[, band]]) float64, NaN = missing or masked
    masked: np.ndarray | None = None   # cells that held `*` (others NaN were simply absent)

    def rows(self, codes) -> np.ndarray:
        position = {c: i for i, c in enumerate(self.codes)}
        return np.array([position[c] for c in codes if c in position], dtype="int64")

    def day_index(self, days: np.ndarray) -> np.ndarray:
        """Indices of the given days that the cube covers."""
        offsets = (days - self.days[0]).astype("int64") if len(self.days) else np.array([], int)
        return offsets[(offsets >= 0) & (offsets < len(self.days))]

    def day_types(self, scheme: str) -> np.ndarray:
        return day_types(self.days, scheme)

    def holidays(self) -> np.ndarray:
        return holiday_mask(self.days)


def _axes(dates: np.ndarray, codes: np.ndarray):
    dates = dates.astype("datetime64[D]")   # pandas stores days as datetime64[s]
    valid = ~np.isnat(dates) & pd.notna(codes)
    unit_index, unit_codes = pd.factorize(codes[valid], sort=True)
    unit_codes = np.asarray(unit_codes, dtype=object)
    first, last = dates[valid].min(), dates[valid].max()
    days = np.arange(first, last + np.timedelta64(1, "D"), dtype="datetime64[D]")
    return valid, unit_codes, unit_index, days, (dates[valid] - first).astype("int64")


def hourly_cube(frame: pd.DataFrame, column: str = "total") -> Cube:
    """(dong, day, hour) cube of one column of canonical living population."""
    hours = frame["hour"].to_numpy(dtype="float64")
    keep = (hours >= 0) & (hours <= 23)
    frame = frame[keep]
    valid, codes, unit, days, day = _axes(frame["date"].to_numpy(), frame["dong_code"].to_numpy())
    values = np.full((len(codes), len(days), 24), np.nan)
    hour = frame["hour"].to_numpy(dtype="int64")[valid]
    values[unit, day, hour] = frame[column].to_numpy(dtype="float64")[valid]
    masked = None
    if "masked" in frame:
        masked = np.zeros(values.shape, dtype=bool)
        masked[unit, day, hour] = frame["masked"].to_numpy(dtype=bool)[valid]
    return Cube(codes, days, values, masked)


def band_cube(frame: pd.DataFrame, columns: tuple[str, ...], codes, days: np.ndarray) -> np.ndarray:
    """(day, hour, band) sums over the given dongs, aligned on `days`; a cell is NaN when any
    dong's value is missing (a masked band is unknown, not zero)."""
    rows = frame[frame["dong_code"].isin(list(codes))]
    out = np.full((len(codes), len(days), 24, len(columns)), np.nan)
    if len(rows) and len(days):
        unit = pd.Index(list(codes)).get_indexer(rows["dong_code"])
        day = (rows["date"].to_numpy().astype("datetime64[D]") - days[0]).astype("int64")
        hour = rows["hour"].to_numpy(dtype="int64")
        ok = (day >= 0) & (day < len(days)) & (hour >= 0) & (hour <= 23) & (unit >= 0)
        out[unit[ok], day[ok], hour[ok]] = rows[list(columns)].to_numpy(dtype="float64")[ok]
    return out.sum(axis=0)


def daily_cube(frame: pd.DataFrame, value: str = "amount",
               by: str | None = None) -> tuple[Cube, np.ndarray]:
    """(dong, day) cube of a daily amount summed over the rows of each dong and day, or with
    `by` a (dong, day, category) cube; returns the cube and the category names."""
    valid, codes, unit, days, day = _axes(frame["date"].to_numpy(), frame["dong_code"].to_numpy())
    amounts = frame[value].to_numpy(dtype="float64")[valid]
    if by is None:
        names, category = np.array(["전체"]), np.zeros(len(unit), dtype="int64")
    else:
        names, category = np.unique(frame[by].to_numpy()[valid].astype(str), return_inverse=True)
    values = np.full((len(codes), len(days), len(names)), np.nan)
    flat = np.ravel_multi_index((unit, day, category), values.shape)
    sums = np.bincount(flat, weights=np.nan_to_num(amounts), minlength=values.size)
    seen = np.bincount(flat, minlength=values.size) > 0
    values.ravel()[seen] = sums[seen]
    return Cube(codes, days, values if by else values[..., 0]), names
