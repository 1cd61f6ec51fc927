"""행정동 (administrative dong) polygons of Seoul: the dong list, point-in-polygon and neighbours.

The polygons come from `sample_data/boundaries/seoul-hangjeongdong.geojson` (425 dongs, MOIS
codes in `adm_cd2`). Plain ray casting and shared vertices are enough here, so the model needs
no shapely/geopandas: the file is one topology, neighbouring dongs share their boundary vertices
exactly, and two or more shared vertices mean a shared edge (one alone is a corner touch).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from models_std.semantics.places import BOUNDARY_FILE

VERTEX_DECIMALS = 6      # ≈ 0.1 m; the shared vertices of the file agree to far better


@dataclass(frozen=True)
class Dong:
    code: str            # 8-digit MOIS 행정동코드, as in 생활인구 files (11110530)
    name: str            # 사직동
    gu_code: str         # 5-digit MOIS 자치구 code
    gu_name: str


class DongMap:
    """The dongs, their rings (polygon outlines and holes) and who borders whom."""

    def __init__(self, features: list[dict]):
        self.dongs: tuple[Dong, ...] = tuple(_dong(f["properties"]) for f in features)
        self.index = {d.code: i for i, d in enumerate(self.dongs)}
        self._rings = [_rings(f["geometry"]) for f in features]
        boxes = [np.vstack(r) for r in self._rings]
        self._bbox = np.array([[b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max()]
                               for b in boxes])
        self.neighbours = _neighbours(self._rings)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.dongs)

    def locate(self, lat: float, lon: float) -> str | None:
        """The code of the dong containing the point, or None (outside Seoul, no position)."""
        if not (np.isfinite(lat) and np.isfinite(lon)):
            return None
        b = self._bbox
        hits = np.flatnonzero((b[:, 0] <= lon) & (lon <= b[:, 2]) & (b[:, 1] <= lat)
                              & (lat <= b[:, 3]))
        for i in hits:
            if _inside(self._rings[i], lon, lat):
                return self.dongs[i].code
        return None

    def ring(self, codes: set[str], depth: int = 1) -> list[str]:
        """Dongs within `depth` neighbour steps of `codes`, the codes themselves excluded."""
        seen = set(codes)
        frontier = {self.index[c] for c in codes if c in self.index}
        found: set[int] = set()
        for _ in range(depth):
            step = {n for i in frontier for n in self.neighbours[i]}
            step -= {self.index[c] for c in seen if c in self.index} | found
            found |= step
            frontier = step
        return sorted(self.dongs[i].code for i in found)

    def name(self, code: str) -> str:
        i = self.index.get(code)
        return self.dongs[i].name if i is not None else code

    def gu_of(self, code: str) -> str | None:
        i = self.index.get(code)
        return self.dongs[i].gu_code if i is not None else None


def _dong(props: dict) -> Dong:
    full = str(props["adm_nm"]).split()
    return Dong(str(props["adm_cd2"])[:8], full[-1], str(props["sgg"]), str(props["sggnm"]))


def _rings(geometry: dict) -> list[np.ndarray]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [np.asarray(ring, dtype="float64")[:, :2] for polygon in polygons for ring in polygon]


def _inside(rings: list[np.ndarray], x: float, y: float) -> bool:
    # Even-odd rule over every ring: holes and separate parts need no special case.
    crossings = 0
    for ring in rings:
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        straddles = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        crossings += int(np.count_nonzero(straddles & (x < x_at)))
    return crossings % 2 == 1


def _neighbours(rings_by_dong: list[list[np.ndarray]]) -> tuple[frozenset[int], ...]:
    owners: dict[tuple[float, float], set[int]] = defaultdict(set)
    for i, rings in enumerate(rings_by_dong):
        for ring in rings:
            for x, y in np.round(ring, VERTEX_DECIMALS):
                owners[(x, y)].add(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in owners.values():
        if len(members) > 1:
            ordered = sorted(members)
            for a in range(len(ordered)):
                for b in ordered[a + 1:]:
                    shared[(ordered[a], b)] += 1
    result: list[set[int]] = [set() for _ in rings_by_dong]
    for (a, b), count in shared.items():
        if count >= 2:
            result[a].add(b)
            result[b].add(a)
    return tuple(frozenset(s) for s in result)


def load_dong_map(path: Path | str | None = None) -> DongMap:
    """The dong map of a geojson file (the Seoul file by default, read once)."""
    return _cached(str(Path(path) if path else BOUNDARY_FILE))


@lru_cache(maxsize=4)
def _cached(path: str) -> DongMap:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"행정동 boundary file not found: {path}; the festival model needs the Seoul "
            "hangjeongdong geojson (sample_data/boundaries/seoul-hangjeongdong.geojson)") from None
    return DongMap(data["features"])
