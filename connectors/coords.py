"""Coordinates: which column is the latitude, and Korean TM metres to WGS84.

Sources name coordinate columns unreliably (culturalEventInfo's `LOT` holds latitudes and
its `LAT` longitudes), so columns are told apart by their values, never by their names.
LOCALDATA licences give metres on the Korean 1985 Bessel TM (EPSG:5174; EPSG:2097 puts a
known Seoul cinema about 250 m west of where it stands, so 5174 is the default).

`tm_to_wgs84` is the helper the portal calls to add longitude/latitude to a table.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from connectors.base import CoordinateColumns

WGS84 = 4326
KOREAN_TM = 5174
SEOUL_LAT = (37.4, 37.7)
SEOUL_LON = (126.7, 127.2)
SEOUL_TM_X = (175_000, 220_000)   # metres, EPSG:5174, with a margin around the city
SEOUL_TM_Y = (435_000, 470_000)
SHARE = 0.8  # of the non-empty values that must fall in range to decide


def as_numbers(values) -> pd.Series:
    """Strings to floats; empty or unparseable values become NaN."""
    series = pd.Series(values)
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        series = series.astype("str").str.strip().str.replace(",", "", regex=False)
    return pd.to_numeric(series, errors="coerce").astype("float64")


def share_in(values, bounds: tuple[float, float]) -> float:
    numbers = as_numbers(values).dropna()
    if numbers.empty:
        return 0.0
    return float(numbers.between(*bounds).mean())


def find_lat_lon(frame: pd.DataFrame, candidates=None) -> CoordinateColumns | None:
    """The (longitude, latitude) columns of a WGS84 table in Seoul, told apart by value
    range; None when no pair of columns looks like Seoul coordinates."""
    columns = list(candidates or frame.columns)
    lat = [c for c in columns if share_in(frame[c], SEOUL_LAT) >= SHARE]
    lon = [c for c in columns if share_in(frame[c], SEOUL_LON) >= SHARE]
    if len(lat) == 1 and len(lon) == 1:
        return CoordinateColumns(x=lon[0], y=lat[0], epsg=WGS84)
    return None


def outside_seoul(frame: pd.DataFrame, coords: CoordinateColumns) -> int:
    """Rows with coordinates that are present but fall outside Seoul's bounding box."""
    if coords.epsg == WGS84:
        x_range, y_range = SEOUL_LON, SEOUL_LAT
    else:
        x_range, y_range = SEOUL_TM_X, SEOUL_TM_Y
    x, y = as_numbers(frame[coords.x]), as_numbers(frame[coords.y])
    present = x.notna() & y.notna()
    inside = x.between(*x_range) & y.between(*y_range)
    return int((present & ~inside).sum())


@lru_cache(maxsize=8)
def _transformer(epsg: int):
    from pyproj import Transformer  # imported here: only LOCALDATA users need pyproj
    return Transformer.from_crs(f"EPSG:{epsg}", f"EPSG:{WGS84}", always_xy=True)


def tm_to_wgs84(x, y, epsg: int = KOREAN_TM) -> tuple[pd.Series, pd.Series]:
    """(longitude, latitude) in WGS84 for projected coordinates in metres.

    `x` and `y` may be strings ("198333.470885484"), numbers or empty; empty or
    unparseable rows come back as NaN, as do rows far outside Korea (a column of zeros).
    """
    xs, ys = as_numbers(x), as_numbers(y)
    index = xs.index
    lon = np.full(len(xs), np.nan)
    lat = np.full(len(xs), np.nan)
    ok = (xs.notna() & ys.notna()).to_numpy() & (xs.to_numpy() > 0) & (ys.to_numpy() > 0)
    if ok.any():
        lon[ok], lat[ok] = _transformer(epsg).transform(xs.to_numpy()[ok], ys.to_numpy()[ok])
        korea = (lon > 124) & (lon < 132) & (lat > 33) & (lat < 39)
        lon[~korea], lat[~korea] = np.nan, np.nan
    return pd.Series(lon, index=index, name="lon"), pd.Series(lat, index=index, name="lat")
