"""The gu a point lies in, for tables that locate their rows by coordinates only (a list of
Wi-Fi spots with 위도/경도; licences' EPSG:5174 X/Y once `connectors.coords.tm_to_wgs84`
has converted them) and name no gu.

The polygons are the 425 행정동 of `sample_data/boundaries/seoul-hangjeongdong.geojson`
(MOIS codes in `adm_cd2`; the first five digits are the gu's MOIS code). The dong file is
drawn far finer than the simplified gu outlines, so a point near a gu border falls on the
right side. Each distinct coordinate is located once; a point on a shared border belongs to
the later dong of the file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from models_std.semantics.districts import MOIS, district_by_code

BOUNDARY_FILE = (Path(__file__).resolve().parents[2] / "sample_data" / "boundaries"
                 / "seoul-hangjeongdong.geojson")
DECIMALS = 6             # ≈ 0.1 m: coordinates equal to this are one place


@lru_cache(maxsize=1)
def _dongs() -> tuple[list, np.ndarray, np.ndarray]:
    """The dong polygons (prepared), their bounding boxes and the gu name of each."""
    features = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"]
    polygons = [shapely.geometry.shape(f["geometry"]) for f in features]
    shapely.prepare(polygons)
    names = []
    for feature in features:
        district = district_by_code(str(feature["properties"]["adm_cd2"])[:5], MOIS)
        names.append(district.name_ko if district else None)
    return polygons, shapely.bounds(polygons), np.array(names, dtype=object)


def gu_of_points(lon, lat) -> np.ndarray:
    """The Korean gu name of each WGS84 point (None outside Seoul or without a position)."""
    lon, lat = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    result = np.full(len(lon), None, dtype=object)
    known = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat)
                           & (np.abs(lon) < 1000) & (np.abs(lat) < 1000))
    if not len(known):
        return result
    # One key per place (both coordinates to 1e-6 degree), so each place is located once.
    scaled = np.round(np.column_stack([lon[known], lat[known]]) * 10 ** DECIMALS).astype("int64")
    keys = (scaled[:, 0] + 2 ** 30) * 2 ** 31 + (scaled[:, 1] + 2 ** 30)
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype="int64")
    first[codes[::-1]] = np.arange(len(codes))[::-1]   # each place's first row
    rows = known[first]
    result[known] = _locate(lon[rows], lat[rows])[codes]
    return result


def _locate(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Ray casting against each dong whose bounding box holds the point; the points are
    sorted by longitude so that a box finds its candidates by binary search."""
    polygons, boxes, names = _dongs()
    order = np.argsort(lon, kind="stable")
    sorted_lon, sorted_lat = lon[order], lat[order]
    dong = np.full(len(lon), -1, dtype="int64")
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        lo = np.searchsorted(sorted_lon, x0, side="left")
        hi = np.searchsorted(sorted_lon, x1, side="right")
        if lo >= hi:
            continue
        band = sorted_lat[lo:hi]
        candidates = lo + np.flatnonzero((band >= y0) & (band <= y1))
        inside = shapely.contains_xy(polygons[i], sorted_lon[candidates], sorted_lat[candidates])
        dong[order[candidates[inside]]] = i
    return np.where(dong >= 0, names[np.maximum(dong, 0)], None)
