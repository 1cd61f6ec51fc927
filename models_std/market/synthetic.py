"""Generated 상권분석서비스 files for the demo and the tests (seeded, pure, no I/O).

The tables have the real files' Korean headers and column order: 영역-상권, 추정매출-상권
(with the official `시간대_건수~06_매출_건수` header quirk), 점포-상권, 상권변화지표-상권 and
길단위인구-상권, for 1,650 areas in all 25 gu over 8 quarters. The values are invented.
Planted on purpose: a declining traditional market (falling sales and foot traffic, rising
closures), an overheating developed area (fast growth, rising franchise, cafe and 20–39
shares), an area built at the centre of every distribution, an area with too few stores and
one with many blank sales cells; blank cells are scattered elsewhere as in the real files.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from models_std.market.change_type import CHANGE_TYPE_NAMES, classify
from models_std.market.schema import AREA_TYPES, quarter_from_index, quarter_index
from models_std.market.seoul_facts import (
    GU_CENTRES, INDUSTRIES, MARKET_NAMES, TOURIST_ZONES)
from models_std.semantics import DISTRICTS

SEED = 20250301
TYPE_COUNTS = {"A": 1090, "D": 253, "R": 301, "U": 6}
CAFE = np.array([code in ("CS100004", "CS100010") for code, _ in INDUSTRIES])
INDUSTRIES_PER_TYPE = {"A": 6, "D": 10, "R": 8, "U": 12}
STORES_PER_INDUSTRY = {"A": 6.0, "D": 14.0, "R": 10.0, "U": 28.0}
LEVEL_PER_TYPE = {"A": 1.0, "D": 2.2, "R": 1.1, "U": 3.5}

# Planted areas (codes are fixed by construction, see _areas).
DECLINE_NAME, HEAT_NAME, MEDIAN_NAME = "쇠퇴표본시장", "과열표본거리", "보통표본길"
SMALL_NAME, MASKED_NAME = "소규모표본길", "결측표본길"
DECLINE_GU, HEAT_GU, MEDIAN_GU = "11230", "11200", "11260"


def _planted_codes() -> dict[str, str]:
    areas = areas_table()
    return dict(zip(areas["상권_코드_명"], areas["상권_코드"]))


def planted(name: str) -> str:
    """The 상권_코드 of a planted area (DECLINE_NAME, HEAT_NAME, MEDIAN_NAME, …)."""
    return _planted_codes()[name]


@lru_cache(maxsize=4)
def _world(seed: int, quarters: int, start: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    areas = _areas(rng)
    latent = _latent(rng, areas)
    grid = _grid(rng, areas, latent, quarters, start)
    return {"areas": _area_file(areas), "sales": _sales_file(rng, grid),
            "stores": _store_file(grid), "change_indicator": _change_file(rng, areas, latent,
                                                                           quarters, start),
            "foot_traffic": _traffic_file(rng, areas, latent, quarters, start)}


def generate(seed: int = SEED, quarters: int = 8, start: int = 20231) -> dict[str, pd.DataFrame]:
    """{role: table} in the real Korean layouts; copies, so callers may change them."""
    return {k: v.copy() for k, v in _world(seed, quarters, start).items()}


def areas_table() -> pd.DataFrame:
    return _world(SEED, 8, 20231)["areas"].copy()


def sales_table() -> pd.DataFrame:
    return _world(SEED, 8, 20231)["sales"].copy()


def stores_table() -> pd.DataFrame:
    return _world(SEED, 8, 20231)["stores"].copy()


def change_indicator_table() -> pd.DataFrame:
    return _world(SEED, 8, 20231)["change_indicator"].copy()


def foot_traffic_table() -> pd.DataFrame:
    return _world(SEED, 8, 20231)["foot_traffic"].copy()


# ---------------------------------------------------------------- areas

def _areas(rng: np.random.Generator) -> pd.DataFrame:
    gu_codes = [d.mois for d in DISTRICTS if d.order > 0]
    short = {d.mois: d.short_ko for d in DISTRICTS if d.order > 0}
    rows = []
    for area_type, count in TYPE_COUNTS.items():
        if area_type == "U":
            rows += [(area_type, gu, name) for name, gu in TOURIST_ZONES]
            continue
        gus = np.sort(rng.choice(gu_codes, size=count))
        for k, gu in enumerate(gus):
            rows.append((area_type, gu, None))
    frame = pd.DataFrame(rows, columns=["type", "gu", "name"])
    frame = frame.sort_values(["type", "gu"], kind="mergesort", ignore_index=True)
    seq = frame.groupby(["type", "gu"]).cumcount()
    names = []
    for area_type, gu, name, n in zip(frame["type"], frame["gu"], frame["name"], seq):
        s, real = short[gu], MARKET_NAMES.get(gu, ())
        names.append(name if isinstance(name, str) else
                     {"A": f"{s}로{n + 1}길", "D": f"{s} 발달상권 {n + 1}",
                      "R": real[n] if n < len(real) else f"{s}{n + 1}시장"}[area_type])
    frame["name"] = names
    # The planted areas take the first free slot of their type in their gu.
    for name, area_type, gu, nth in ((DECLINE_NAME, "R", DECLINE_GU, 3),
                                     (HEAT_NAME, "D", HEAT_GU, 0), (MEDIAN_NAME, "A", MEDIAN_GU, 0),
                                     (SMALL_NAME, "A", MEDIAN_GU, 1),
                                     (MASKED_NAME, "A", MEDIAN_GU, 2)):
        at = frame.index[(frame["type"] == area_type) & (frame["gu"] == gu)][nth]
        frame.at[at, "name"] = name
    frame["code"] = [str(3110001 + i) for i in range(len(frame))]
    frame["dong"] = frame["gu"] + pd.Series(500 + 10 * (seq % 18), dtype=int).astype(str)
    lat = frame["gu"].map(lambda g: GU_CENTRES[g][0]) + rng.normal(0, 0.012, len(frame))
    lon = frame["gu"].map(lambda g: GU_CENTRES[g][1]) + rng.normal(0, 0.015, len(frame))
    # EPSG:5181 near Seoul, linearised around its origin (38°N, 127°E; 200,000/500,000 m).
    frame["x"] = (200_000 + (lon - 127.0) * 88_200).round(0)
    frame["y"] = (500_000 + (lat - 38.0) * 110_950).round(0)
    frame["sqm"] = np.round(rng.lognormal(11.0, 0.6, len(frame)), 0)
    return frame


def _area_file(areas: pd.DataFrame) -> pd.DataFrame:
    names = {d.mois: d.name_ko for d in DISTRICTS}
    return pd.DataFrame({
        "상권_구분_코드": areas["type"], "상권_구분_코드_명": areas["type"].map(AREA_TYPES),
        "상권_코드": areas["code"], "상권_코드_명": areas["name"],
        "엑스좌표_값": areas["x"].astype("int64"), "와이좌표_값": areas["y"].astype("int64"),
        "자치구_코드": areas["gu"], "자치구_코드_명": areas["gu"].map(names),
        "행정동_코드": areas["dong"], "행정동_코드_명": areas["gu"].map(names).str[:-1]
        + (areas["dong"].str[-2:].astype(int) // 10 + 1).astype(str) + "동",
        "영역_면적": areas["sqm"].astype("int64")})


def _latent(rng: np.random.Generator, areas: pd.DataFrame) -> pd.DataFrame:
    """Per-area drivers; the median area sits exactly at the centre of each."""
    n = len(areas)
    t = areas["type"]
    lat = pd.DataFrame({
        "level": t.map(LEVEL_PER_TYPE) * rng.lognormal(0.0, 0.45, n) * 3.0e7,
        "growth": rng.normal(0.03, 0.08, n), "store_growth": rng.normal(0.01, 0.05, n),
        "closure": np.clip(rng.normal(0.03, 0.01, n), 0.004, None),
        "opening": np.clip(rng.normal(0.033, 0.01, n), 0.004, None),
        "franchise": np.clip(rng.normal(0.2, 0.08, n), 0.0, 0.9),
        "ticket": t.map({"A": 1.0, "D": 1.3, "R": 0.8, "U": 1.6}) * rng.lognormal(0, 0.25, n)
        * 18_000, "traffic_growth": rng.normal(0.02, 0.06, n),
        "operating": rng.normal(115, 30, n), "closed": rng.normal(53, 14, n),
        "stores_scale": rng.lognormal(0.0, 0.35, n),
        "traffic": t.map({"A": 1.0, "D": 3.0, "R": 1.5, "U": 6.0}) * rng.lognormal(0, .4, n) * 2e5,
        "kind": "plain"}, index=areas.index)
    name = areas["name"]
    centre = name == MEDIAN_NAME
    lat.loc[centre, ["level", "growth", "store_growth", "closure", "opening", "franchise",
                     "ticket", "traffic_growth", "operating", "closed", "stores_scale",
                     "traffic"]] = [3.0e7, 0.03, 0.01, 0.03, 0.033, 0.2, 18_000, 0.02, 114, 52,
                                    1.0, 2e5]
    decline = name == DECLINE_NAME
    lat.loc[decline, ["growth", "store_growth", "traffic_growth", "operating", "closed"]] = \
        [-0.25, -0.10, -0.15, 150, 75]
    heat = name == HEAT_NAME
    lat.loc[heat, ["growth", "traffic_growth", "operating", "closed"]] = [0.45, 0.15, 95, 40]
    lat.loc[centre, "kind"], lat.loc[decline, "kind"] = "median", "decline"
    lat.loc[heat, "kind"], lat.loc[name == MASKED_NAME, "kind"] = "heat", "masked"
    return lat


# ---------------------------------------------------------------- area × industry × quarter

def _grid(rng, areas, latent, quarters: int, start: int) -> pd.DataFrame:
    per_area = areas["type"].map(INDUSTRIES_PER_TYPE).to_numpy()
    keys = rng.random((len(areas), len(INDUSTRIES)))
    chosen = np.argsort(keys, axis=1)
    area_idx = np.repeat(np.arange(len(areas)), per_area)
    ind_idx = np.concatenate([chosen[i, :k] for i, k in enumerate(per_area)])
    base_n = rng.poisson(areas["type"].map(STORES_PER_INDUSTRY).to_numpy()[area_idx]
                         * latent["stores_scale"].to_numpy()[area_idx]) + 1
    # The planted small area keeps two stores in all: too few to rank.
    first_two = pd.Series(area_idx).groupby(area_idx).cumcount().to_numpy() < 2
    small = (areas["name"] == SMALL_NAME).to_numpy()[area_idx]
    base_n = np.where(small, first_two.astype(int), base_n)
    weight = rng.lognormal(0.0, 0.3, len(area_idx))
    q0 = quarter_index([start])[0]
    frames = []
    for step in range(quarters):
        frames.append(pd.DataFrame({"a": area_idx, "j": ind_idx, "step": step,
                                    "qidx": q0 + step, "base_n": base_n, "weight": weight}))
    g = pd.concat(frames, ignore_index=True)
    lat = latent.iloc[g["a"]].reset_index(drop=True)
    years = g["step"] / 4.0
    kind = lat["kind"].to_numpy()
    progress = g["step"] / max(quarters - 1, 1)
    n = g["base_n"] * (1 + lat["store_growth"]) ** years
    n = np.where(kind == "median", n, n * rng.lognormal(0, 0.04, len(g)))
    g["N"] = np.maximum(np.round(n), 0).astype(int)
    closure = np.where(kind == "decline", 0.05 + 0.07 * progress, lat["closure"])
    opening = np.where(kind == "decline", 0.01, lat["opening"])
    if_exact = kind == "median"
    g["closures"] = np.where(if_exact, np.round(g["N"] * closure), rng.binomial(g["N"], closure))
    g["openings"] = np.where(if_exact, np.round(g["N"] * opening), rng.binomial(g["N"], opening))
    franchise = lat["franchise"] + np.where(kind == "heat", 0.03 * g["step"], 0.0)
    g["franchise"] = np.minimum(np.round(g["N"] * np.clip(franchise, 0, 0.95)), g["N"])
    season = np.array([0.95, 1.02, 1.0, 1.05])[(g["qidx"] % 4).to_numpy()]
    cafe = CAFE[g["j"]]
    boost = np.where((kind == "heat") & cafe, 1.0 + 0.25 * g["step"], 1.0)
    noise = np.where(kind == "median", 1.0, rng.lognormal(0, 0.08, len(g)))
    g["S"] = np.round(g["N"] * lat["level"] * g["weight"] * (1 + lat["growth"]) ** years
                      * season * boost * noise, -3)
    g["ticket"] = lat["ticket"] * np.where(kind == "median", 1.0, rng.lognormal(0, 0.05, len(g)))
    g["young"] = 0.42 + np.where(kind == "heat", 0.035 * g["step"], 0.0)
    g["kind"] = kind
    g["code"] = areas["code"].to_numpy()[g["a"]]
    g["type"] = areas["type"].to_numpy()[g["a"]]
    g["name"] = areas["name"].to_numpy()[g["a"]]
    return g


def _keys(g: pd.DataFrame, with_industry: bool = True) -> dict[str, object]:
    keys = {"기준_년분기_코드": quarter_from_index(g["qidx"]),
            "상권_구분_코드": g["type"].to_numpy(),
            "상권_구분_코드_명": g["type"].map(AREA_TYPES).to_numpy(),
            "상권_코드": g["code"].to_numpy(), "상권_코드_명": g["name"].to_numpy()}
    if with_industry:
        codes, names = (np.array(column) for column in zip(*INDUSTRIES))
        keys["서비스_업종_코드"] = codes[g["j"].to_numpy()]
        keys["서비스_업종_코드_명"] = names[g["j"].to_numpy()]
    return keys


def _split(rng, total: np.ndarray, base, spread: float) -> np.ndarray:
    shares = np.asarray(base)[None, :] * rng.lognormal(0, spread, (len(total), len(base)))
    shares /= shares.sum(axis=1, keepdims=True)
    return np.round(total[:, None] * shares)


def _sales_file(rng, grid: pd.DataFrame) -> pd.DataFrame:
    g = grid[grid["N"] > 0].reset_index(drop=True)
    amount = g["S"].to_numpy(dtype=float)
    count = np.maximum(np.round(amount / g["ticket"].to_numpy()), 1)
    weekend = rng.uniform(0.25, 0.4, len(g))
    days = np.hstack([_split(rng, amount * (1 - weekend), [1, 1, 1, 1.05, 1.15], 0.05),
                      _split(rng, amount * weekend, [1.1, 0.9], 0.05)])
    bands = _split(rng, amount, [0.02, 0.12, 0.26, 0.18, 0.28, 0.14], 0.1)
    male = np.round(amount * rng.uniform(0.4, 0.6, len(g)))
    young = g["young"].to_numpy()
    rest = (0.95 - young) * amount
    ages = np.column_stack([0.05 * amount, young / 2 * amount, young / 2 * amount,
                            0.45 * rest, 0.33 * rest, 0.22 * rest])
    ages = np.round(ages * rng.lognormal(0, 0.03, ages.shape))
    ratio = count / amount
    out = _keys(g)
    out["당월_매출_금액"], out["당월_매출_건수"] = amount, count
    out["주중_매출_금액"], out["주말_매출_금액"] = days[:, :5].sum(axis=1), days[:, 5:].sum(axis=1)
    for i, day in enumerate(("월", "화", "수", "목", "금", "토", "일")):
        out[f"{day}요일_매출_금액"] = days[:, i]
    band_names = ("00~06", "06~11", "11~14", "14~17", "17~21", "21~24")
    for i, band in enumerate(band_names):
        out[f"시간대_{band}_매출_금액"] = bands[:, i]
    out["남성_매출_금액"], out["여성_매출_금액"] = male, amount - male
    age_names = ("10", "20", "30", "40", "50", "60_이상")
    for i, age in enumerate(age_names):
        out[f"연령대_{age}_매출_금액"] = ages[:, i]
    out["주중_매출_건수"] = np.round(out["주중_매출_금액"] * ratio)
    out["주말_매출_건수"] = np.round(out["주말_매출_금액"] * ratio)
    for i, day in enumerate(("월", "화", "수", "목", "금", "토", "일")):
        out[f"{day}요일_매출_건수"] = np.round(days[:, i] * ratio)
    for i, band in enumerate(band_names):
        # The official header of the time-band counts: 시간대_건수~06_매출_건수.
        out[f"시간대_건수~{band.split('~')[1]}_매출_건수"] = np.round(bands[:, i] * ratio)
    out["남성_매출_건수"], out["여성_매출_건수"] = np.round(male * ratio), \
        np.round((amount - male) * ratio)
    for i, age in enumerate(age_names):
        out[f"연령대_{age}_매출_건수"] = np.round(ages[:, i] * ratio)
    frame = pd.DataFrame(out)
    measures = frame.columns[7:]
    frame[measures] = frame[measures].astype("Int64")
    # Blank cells: a few everywhere, a third of the rows of the planted 'masked' area.
    blank = rng.random(len(frame)) < 0.004
    position = g.groupby(["a", "step"]).cumcount().to_numpy()
    blank |= (g["kind"].to_numpy() == "masked") & (position % 2 == 0)
    blank &= g["kind"].to_numpy() != "median"
    frame.loc[blank, "당월_매출_금액"] = pd.NA
    return frame


def _store_file(grid: pd.DataFrame) -> pd.DataFrame:
    out = _keys(grid)
    n = grid["N"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        opening_rate = np.where(n > 0, np.round(100 * grid["openings"] / n), 0)
        closure_rate = np.where(n > 0, np.round(100 * grid["closures"] / n), 0)
    # 점포_수 leaves franchises out; 유사_업종_점포_수 counts every store.
    out["점포_수"] = n - grid["franchise"].to_numpy()
    out["유사_업종_점포_수"] = n
    out["개업_율"], out["개업_점포_수"] = opening_rate, grid["openings"].to_numpy()
    out["폐업_률"], out["폐업_점포_수"] = closure_rate, grid["closures"].to_numpy()
    out["프랜차이즈_점포_수"] = grid["franchise"].to_numpy()
    frame = pd.DataFrame(out)
    frame[frame.columns[7:]] = frame[frame.columns[7:]].astype("int64")
    return frame


def _quarter_keys(areas: pd.DataFrame, quarters: int, start: int) -> pd.DataFrame:
    q0 = quarter_index([start])[0]
    g = pd.DataFrame({"a": np.tile(np.arange(len(areas)), quarters),
                      "step": np.repeat(np.arange(quarters), len(areas))})
    g["qidx"] = q0 + g["step"]
    g["type"] = areas["type"].to_numpy()[g["a"]]
    g["code"] = areas["code"].to_numpy()[g["a"]]
    g["name"] = areas["name"].to_numpy()[g["a"]]
    return g


def _change_file(rng, areas, latent, quarters: int, start: int) -> pd.DataFrame:
    g = _quarter_keys(areas, quarters, start)
    lat = latent.iloc[g["a"]].reset_index(drop=True)
    exact = (lat["kind"] == "median").to_numpy()
    drift = g["step"].to_numpy()
    operating = np.where(exact, lat["operating"], lat["operating"] + rng.normal(0, 4, len(g)))
    closed = np.where(exact, lat["closed"], lat["closed"] + rng.normal(0, 4, len(g)))
    # The overheating area turns from LL to HL: survivors now outlast the Seoul average.
    heat = (lat["kind"] == "heat").to_numpy()
    operating = np.where(heat, 95 + 6 * drift, operating)
    seoul_operating = 114 + drift // 3
    seoul_closed = np.full(len(g), 53)
    out = _keys(g, with_industry=False)
    codes = classify(np.round(operating), np.round(closed), seoul_operating, seoul_closed)
    out["상권_변화_지표"] = codes.to_numpy()
    out["상권_변화_지표_명"] = codes.map(CHANGE_TYPE_NAMES).to_numpy()
    out["운영_영업_개월_평균"] = np.round(np.clip(operating, 6, None)).astype("int64")
    out["폐업_영업_개월_평균"] = np.round(np.clip(closed, 3, None)).astype("int64")
    out["서울_운영_영업_개월_평균"] = seoul_operating.astype("int64")
    out["서울_폐업_영업_개월_평균"] = seoul_closed.astype("int64")
    return pd.DataFrame(out)


def _traffic_file(rng, areas, latent, quarters: int, start: int) -> pd.DataFrame:
    g = _quarter_keys(areas, quarters, start)
    lat = latent.iloc[g["a"]].reset_index(drop=True)
    exact = (lat["kind"] == "median").to_numpy()
    total = lat["traffic"] * (1 + lat["traffic_growth"]) ** (g["step"] / 4.0)
    total = np.round(np.where(exact, total, total * rng.lognormal(0, 0.05, len(g))))
    out = _keys(g, with_industry=False)
    out["총_유동인구_수"] = total
    male = np.round(total * rng.uniform(0.45, 0.55, len(g)))
    out["남성_유동인구_수"], out["여성_유동인구_수"] = male, total - male
    ages = _split(rng, total, [0.1, 0.2, 0.2, 0.18, 0.17, 0.15], 0.08)
    for i, age in enumerate(("10", "20", "30", "40", "50", "60_이상")):
        out[f"연령대_{age}_유동인구_수"] = ages[:, i]
    bands = _split(rng, total, [0.08, 0.17, 0.2, 0.17, 0.23, 0.15], 0.08)
    for i, band in enumerate(("00_06", "06_11", "11_14", "14_17", "17_21", "21_24")):
        out[f"시간대_{band}_유동인구_수"] = bands[:, i]
    days = _split(rng, total, [1, 1, 1, 1, 1.05, 1.0, 0.9], 0.05)
    for i, day in enumerate(("월", "화", "수", "목", "금", "토", "일")):
        out[f"{day}요일_유동인구_수"] = days[:, i]
    frame = pd.DataFrame(out)
    frame[frame.columns[5:]] = frame[frame.columns[5:]].astype("int64")
    return frame


# ---------------------------------------------------------------- header variants

ENGLISH_STORE_HEADERS = {
    "기준_년분기_코드": "stdr_yyqu_cd", "상권_구분_코드": "trdar_se_cd",
    "상권_구분_코드_명": "trdar_se_cd_nm", "상권_코드": "trdar_cd", "상권_코드_명": "trdar_cd_nm",
    "서비스_업종_코드": "svc_induty_cd", "서비스_업종_코드_명": "svc_induty_cd_nm",
    "점포_수": "stor_co", "유사_업종_점포_수": "similr_induty_stor_co", "개업_율": "opbiz_rt",
    "개업_점포_수": "opbiz_stor_co", "폐업_률": "clsbiz_rt", "폐업_점포_수": "clsbiz_stor_co",
    "프랜차이즈_점포_수": "frc_stor_co"}


def english_store_headers(stores: pd.DataFrame) -> pd.DataFrame:
    """The store table as the 2025 file spells it (English lower-case headers)."""
    return stores.rename(columns=ENGLISH_STORE_HEADERS)


def split_period_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as older files give it: 기준_년_코드 and 기준_분기_코드 in place of
    기준_년분기_코드."""
    codes = frame["기준_년분기_코드"].astype("int64")
    out = frame.drop(columns=["기준_년분기_코드"])
    out.insert(0, "기준_분기_코드", codes % 10)
    out.insert(0, "기준_년_코드", codes // 10)
    return out
