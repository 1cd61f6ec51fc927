"""Generated living population and card sales for the demo and the tests (seeded, pure).

The tables have the exact columns of the real files (Korean download headers, or the OpenAPI
English names) for every 행정동 of the boundary file, with daily and weekly rhythms, public
holidays behaving like Sundays, a little noise, a few masked cells (NaN in memory, `*` when
written with `write_csv`) and planted festival effects: known extra presence that the model
must find again. Nothing here is real data.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from models_std.festival.calendar import SATURDAY, SUNDAY_HOLIDAY, day_types
from models_std.festival.geography import load_dong_map
from models_std.festival.inputs import AGE_BANDS, LIVING_POPULATION_ALIASES

DEMO_DIR = Path(__file__).resolve().parents[2] / "sample_data" / "models" / "festival"
DEMO_EVENTS = DEMO_DIR / "seoul_festivals_2024_2025.csv"
# Autumn 2025, and five weeks around the 2024 edition of 관악강감찬축제 (11–13 October).
DEMO_WINDOWS = ((date(2025, 8, 25), 90), (date(2024, 9, 27), 35))
HOURS = np.arange(24)


def _headers(english: bool) -> list[str]:
    wanted = ["date", "hour", "dong_code", "total",
              *(f"{s}_{b}" for s in ("male", "female") for b in AGE_BANDS)]
    by_canonical: dict[str, str] = {}
    for header, canonical in LIVING_POPULATION_ALIASES.items():
        if header.isascii() == english:
            by_canonical.setdefault(canonical, header)
    return [by_canonical[c] for c in wanted]


KOREAN_HEADERS = tuple(_headers(False))
ENGLISH_HEADERS = tuple(_headers(True))


@dataclass(frozen=True)
class PlantedEffect:
    """Extra presence of `uplift` × the ordinary level in `dong_codes`, in hours
    `first_hour`…`last_hour` of each day from `start` to `end`; `spill_uplift` in
    `spill_codes`. Extra visitors are younger than residents (the festival age profile)."""
    dong_codes: tuple[str, ...]
    start: date
    end: date
    uplift: float = 0.40
    first_hour: int = 10
    last_hour: int = 21
    spill_codes: tuple[str, ...] = ()
    spill_uplift: float = 0.0
    sales_uplift: float = 0.0


def _seoul_age_profile() -> np.ndarray:
    # Rough shape of Seoul's population by the 14 bands (0–9 wide, 5-year bands, 70+).
    per_band = np.array([7, 3.5, 4, 6, 7.5, 8, 7.5, 7.5, 7.5, 8, 7.5, 7, 6, 12.5])
    both = np.concatenate([per_band * 0.49, per_band * 0.51])
    return both / both.sum()


def _festival_age_profile() -> np.ndarray:
    per_band = np.array([8, 4, 6, 12, 13, 12, 10, 8, 7, 6, 5, 4, 2, 2])
    both = np.concatenate([per_band * 0.45, per_band * 0.55])
    return both / both.sum()


def _expected(n_dongs: int, days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Ordinary presence per dong × day × hour before noise."""
    size = np.exp(rng.normal(np.log(18_000), 0.45, n_dongs))
    business = rng.beta(2.0, 3.5, n_dongs)                  # 0 residential … 1 business
    business[rng.random(n_dongs) < 0.04] = 0.95             # a few downtown dongs
    day = np.exp(-0.5 * ((HOURS - 14.0) / 3.5) ** 2)       # the working-day bump
    evening = np.exp(-0.5 * ((HOURS - 19.5) / 2.5) ** 2)
    resident = 1.0 - 0.25 * day
    worker = 0.45 + 1.3 * day + 0.2 * evening
    types = day_types(days)
    weekend = np.isin(types, (SATURDAY, SUNDAY_HOLIDAY))
    # Weekends: business dongs empty out in the daytime, residential ones fill up a little.
    shape = ((1 - business)[:, None, None] * resident[None, None, :]
             * np.where(weekend, 1.06, 1.0)[None, :, None]
             + business[:, None, None] * worker[None, None, :]
             * np.where(weekend[None, :, None], 0.55 + 0.45 * (1 - day)[None, None, :], 1.0))
    shape = shape * np.where(types == SATURDAY, 1.02, 1.0)[None, :, None]
    return size[:, None, None] * shape


def living_population(start: date, days: int, *, effects: tuple[PlantedEffect, ...] = (),
                      seed: int = 20251017, english: bool = False, bands: bool = True,
                      masked_share: float = 0.0005, decimals: int = 1,
                      dong_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Hourly living population by 행정동 in the real schema, one row per dong × day × hour.

    Values carry `decimals` decimals: the real files have four, one keeps a Parquet snapshot
    of the demo a third of the size (low-cardinality values compress)."""
    codes = np.array(dong_codes or load_dong_map().codes, dtype=object)
    day_index = np.arange(np.datetime64(start, "D"), np.datetime64(start, "D") + days)
    rng = np.random.default_rng(seed)
    expected = _expected(len(codes), day_index, rng)
    city_day = 1 + rng.normal(0, 0.008, (1, days, 1))
    dong_day = 1 + rng.normal(0, 0.008, (len(codes), days, 1))
    cell = 1 + rng.normal(0, 0.02, expected.shape)
    ordinary = expected * city_day * dong_day * cell
    extra = np.zeros_like(expected)
    position = {c: i for i, c in enumerate(codes)}
    for effect in effects:
        on_days = (day_index >= np.datetime64(effect.start)) & (day_index <= np.datetime64(effect.end))
        hours = (HOURS >= effect.first_hour) & (HOURS <= effect.last_hour)
        for targets, uplift in ((effect.dong_codes, effect.uplift),
                                (effect.spill_codes, effect.spill_uplift)):
            rows = [position[c] for c in targets if c in position]
            if rows and uplift:
                block = np.ix_(rows, np.flatnonzero(on_days), np.flatnonzero(hours))
                extra[block] += uplift * expected[block]
    columns = {"date": np.repeat(np.char.replace(day_index.astype(str), "-", ""), 24)[None, :]
               .repeat(len(codes), 0).ravel(),
               "hour": np.tile(HOURS, len(codes) * days),
               "dong_code": codes.repeat(days * 24)}
    total = (ordinary + extra).ravel()
    if bands:
        resident_share = rng.dirichlet(_seoul_age_profile() * 400, len(codes)).astype("float32")
        parts = (ordinary.astype("float32")[..., None] * resident_share[:, None, None, :]
                 + extra.astype("float32")[..., None] * _festival_age_profile().astype("float32"))
        parts = parts.reshape(-1, parts.shape[-1])
        total = parts.sum(axis=1, dtype="float64")
        names = [f"{s}_{b}" for s in ("male", "female") for b in AGE_BANDS]
        masked = rng.random(parts.shape) < masked_share
        parts[masked] = np.nan
        band_columns = {name: np.round(parts[:, i].astype("float64"), decimals)
                        for i, name in enumerate(names)}
    else:
        band_columns = {}
    total = np.round(total, decimals)
    total[rng.random(total.shape) < masked_share / 5] = np.nan
    frame = pd.DataFrame({**columns, "total": total, **band_columns})
    headers = ENGLISH_HEADERS if english else KOREAN_HEADERS
    return frame.rename(columns=dict(zip(["date", "hour", "dong_code", "total", *band_columns],
                                         headers)))


def card_sales(start: date, days: int, *, effects: tuple[PlantedEffect, ...] = (),
               seed: int = 20251017, dong_codes: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Daily card sales by dong × industry in the portal's card schema (models.md §1.2-L)."""
    industries = ("한식", "카페", "편의점", "주점", "숙박")
    codes = np.array(dong_codes or load_dong_map().codes, dtype=object)
    day_index = np.arange(np.datetime64(start, "D"), np.datetime64(start, "D") + days)
    rng = np.random.default_rng(seed + 1)
    level = np.exp(rng.normal(np.log(30e6), 0.6, (len(codes), 1, len(industries))))
    weekend = np.isin(day_types(day_index), (SATURDAY, SUNDAY_HOLIDAY))[None, :, None]
    amount = level * np.where(weekend, 1.1, 1.0) * (1 + rng.normal(0, 0.03, (len(codes), days,
                                                                               len(industries))))
    position = {c: i for i, c in enumerate(codes)}
    for effect in effects:
        on_days = np.flatnonzero((day_index >= np.datetime64(effect.start))
                                 & (day_index <= np.datetime64(effect.end)))
        rows = [position[c] for c in effect.dong_codes if c in position]
        if rows and effect.sales_uplift:
            amount[np.ix_(rows, on_days)] *= 1 + effect.sales_uplift
    return pd.DataFrame({
        "date": np.repeat(day_index.astype(str), len(industries))[None, :].repeat(len(codes), 0)
        .ravel(),
        "adm_dong_code": codes.repeat(days * len(industries)),
        "industry_name": np.tile(np.array(industries, dtype=object), len(codes) * days),
        "amount_krw": np.round(amount.ravel(), 0),
    })


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """As the portal downloads them: cp949, every cell quoted, masked cells as `*`."""
    frame.to_csv(path, index=False, encoding="cp949", na_rep="*", quoting=1)


# ------------------------------------------------------------------ the demo datasets

def _planted_uplift(festival_id: str) -> float:
    # Deterministic per festival: from 5 % to 60 % extra presence.
    digest = int(hashlib.sha256(festival_id.encode("utf-8")).hexdigest()[:8], 16)
    return round(0.05 + 0.55 * (digest % 1000) / 999, 3)


DEMO_UPLIFTS = {"관악강감찬축제": (0.40, 0.32)}   # (2025 edition, 2024 edition)


def demo_effects() -> tuple[PlantedEffect, ...]:
    """One planted effect per located festival of the demo event list."""
    from models_std.festival.footprint import catalogue
    from models_std.festival.inputs import events_frame
    events = events_frame(pd.read_csv(DEMO_EVENTS, dtype=str))
    festivals, _ = catalogue(events, load_dong_map())
    effects = []
    for f in festivals:
        key = f.edition_key.split("@")[0]
        uplift = _planted_uplift(f.id)
        if key in DEMO_UPLIFTS:
            uplift = DEMO_UPLIFTS[key][0 if f.start >= np.datetime64("2025-01-01") else 1]
        effects.append(PlantedEffect(f.footprint, f.start.astype(date), f.end.astype(date),
                                     uplift=uplift, spill_codes=f.ring,
                                     spill_uplift=round(uplift / 8, 4),
                                     sales_uplift=round(uplift / 2, 4)))
    return tuple(effects)


def demo_living_population() -> pd.DataFrame:
    """The demo: autumn 2025 (90 days) and October 2024 (35 days, for previous editions)."""
    effects = demo_effects()
    return pd.concat([living_population(start, days, effects=effects, seed=seed)
                      for seed, (start, days) in enumerate(DEMO_WINDOWS, start=2025)],
                     ignore_index=True)


def demo_card_sales() -> pd.DataFrame:
    effects = demo_effects()
    return pd.concat([card_sales(start, days, effects=effects, seed=seed)
                      for seed, (start, days) in enumerate(DEMO_WINDOWS, start=2025)],
                     ignore_index=True)
