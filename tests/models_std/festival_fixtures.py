"""Small generated cities for the festival model tests: three gu, two autumns, known effects."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from models_std.base import RunRequest
from models_std.festival import SPEC
from models_std.festival import synthetic as s
from models_std.festival.geography import load_dong_map
from models_std.parameters import resolve

GU_CODES = ("11620", "11590", "11545", "11560")     # 관악, 동작, 금천, 영등포
WINDOWS = ((date(2024, 9, 6), 63), (date(2025, 8, 29), 84))
PERIOD = (date(2025, 9, 1), date(2025, 11, 6))
TARGET = "관악강감찬축제"


def dongs_of(gu_codes=GU_CODES) -> tuple[str, ...]:
    return tuple(c for c in load_dong_map().codes if c[:5] in gu_codes)


def point_in(code: str) -> tuple[float, float]:
    """A (lat, lon) inside the dong, found on a grid over its bounding box."""
    m = load_dong_map()
    x0, y0, x1, y1 = m._bbox[m.index[code]]
    for fy in np.linspace(0.1, 0.9, 9):
        for fx in np.linspace(0.1, 0.9, 9):
            lat, lon = y0 + fy * (y1 - y0), x0 + fx * (x1 - x0)
            if m.locate(lat, lon) == code:
                return float(lat), float(lon)
    raise AssertionError(f"no inner point found for {code}")


def festival_plan() -> list[dict]:
    """(name, dong, start, days, uplift) of the generated festivals; distinct dongs."""
    codes = dongs_of()
    m = load_dong_map()
    venue = next(c for c in codes if m.name(c) == "낙성대동")
    others = [c for c in codes if c != venue and c not in m.ring({venue})][::4]
    plan = [dict(name="2025 관악강감찬축제", code=venue, start=date(2025, 10, 17), days=3, uplift=0.40),
            dict(name="2024 관악강감찬축제", code=venue, start=date(2024, 10, 11), days=3, uplift=0.30)]
    uplifts = (0.10, 0.55, 0.25, 0.35, 0.15, 0.50, 0.20, 0.45, 0.30, 0.60)
    starts = [date(2025, 9, 26) + timedelta(days=3 * i) for i in range(len(uplifts))]
    for i, (code, uplift, start) in enumerate(zip(others, uplifts, starts)):
        plan.append(dict(name=f"시험축제{i + 1}", code=code, start=start, days=1 + i % 3,
                         uplift=uplift))
    return plan


def events(plan=None) -> pd.DataFrame:
    rows = []
    for f in plan or festival_plan():
        lat, lon = point_in(f["code"])
        end = f["start"] + timedelta(days=f["days"] - 1)
        rows.append({"축제명": f["name"], "개최장소": f"{f['name']} 광장",
                     "축제시작일자": f["start"].isoformat(), "축제종료일자": end.isoformat(),
                     "위도": f"{lat:.7f}", "경도": f"{lon:.7f}"})
    return pd.DataFrame(rows)


def effects(plan=None, scale: float = 1.0) -> tuple[s.PlantedEffect, ...]:
    return tuple(s.PlantedEffect((f["code"],), f["start"],
                                 f["start"] + timedelta(days=f["days"] - 1),
                                 uplift=f["uplift"] * scale)
                 for f in plan or festival_plan())


def living_population(scale: float = 1.0, english: bool = False, **kwargs) -> pd.DataFrame:
    return pd.concat([s.living_population(start, days, effects=effects(scale=scale), seed=7 + i,
                                          english=english, dong_codes=dongs_of(), **kwargs)
                      for i, (start, days) in enumerate(WINDOWS)], ignore_index=True)


def request(lp: pd.DataFrame, ev: pd.DataFrame | None = None, *, gu_code: str = "11620",
            card: pd.DataFrame | None = None, period=PERIOD, **params) -> RunRequest:
    inputs = {"events": events() if ev is None else ev, "living_population": lp}
    if card is not None:
        inputs["card_sales"] = card
    return RunRequest(inputs, resolve(SPEC, params), gu_code, *period)


def value(table: pd.DataFrame, name_contains: str, metric: str, column: str = "value"):
    rows = table[(table["unit_type"] == "festival") & (table["metric"] == metric)]
    exact = rows[rows["unit_name"] == name_contains]
    rows = exact if len(exact) else rows[rows["unit_name"].str.contains(name_contains, regex=False)]
    assert len(rows) == 1, (name_contains, metric, len(rows))
    return rows[column].iloc[0]
