"""Optional context: LOCALDATA licences (인허가) per gu, traditional markets (전통시장) per area.

LOCALDATA rows carry no 상권 code, only the 개방자치단체코드 of their gu and TM coordinates,
so business age and 3-year survival are gu figures, given to every area of the gu.
Traditional markets are linked to R-type (전통시장) areas by normalised name, then by the
nearest R area within 300 m (reference §3.2); the rest stay unmatched and are counted.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from models_std.market.schema import code_text, numbers
from models_std.semantics import ORG7, district_by_code, district_by_name

SENTINEL_YEAR = 9000      # LOCALDATA writes 9999-12-31 for "no date"
CLOSED_STATUS = ("03", "04", "05")   # 폐업, 취소/말소/만료/정지/중지, 제외/삭제/전출
MATCH_RADIUS_M = 300.0
AREA_EPSG = 5181          # 영역-상권 엑스좌표_값/와이좌표_값


def licence_dates(values: pd.Series) -> pd.Series:
    """Dates from YYYYMMDD or YYYY-MM-DD text (mixed in one column) or from datetimes;
    the 9999-12-31 placeholder and blanks become NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.where(values.dt.year < SENTINEL_YEAR)
    digits = values.astype("string").str.strip().str.replace(r"[-./]", "", regex=True) \
        .str.slice(0, 8)
    valid = digits.str.fullmatch(r"\d{8}").fillna(False) & \
        (pd.to_numeric(digits.str.slice(0, 4), errors="coerce") < SENTINEL_YEAR).fillna(False)
    return pd.to_datetime(digits.where(valid), format="%Y%m%d", errors="coerce")


def licence_context(licences: pd.DataFrame, reference: date, *,
                    long_closure_months: float) -> pd.DataFrame:
    """Per gu (MOIS code): 3-year survival of the cohort licensed 3–4 years before the
    reference date, mean age of businesses alive then, and the share of last year's
    closures older than `long_closure_months`."""
    ref = pd.Timestamp(reference)
    codes = code_text(licences["org_code"])
    # Looked up once per distinct code: a LOCALDATA file has hundreds of thousands of rows.
    lookup = {c: getattr(district_by_code(c, ORG7), "mois", None) for c in codes.dropna().unique()}
    gu = codes.map(lookup)
    opened = licence_dates(licences["licence_date"])
    closed = licence_dates(licences["closure_date"])
    if "status_code" in licences:
        status = code_text(licences["status_code"]).str.zfill(2)
        # A closed business without a closure date closed at an unknown time: not alive now.
        closed_undated = status.isin(CLOSED_STATUS).fillna(False) & closed.isna()
    else:
        closed_undated = pd.Series(False, index=licences.index)
    alive = (opened <= ref) & (closed.isna() | (closed > ref)) & ~closed_undated
    cohort = (opened > ref - pd.DateOffset(years=4)) & (opened <= ref - pd.DateOffset(years=3))
    age = (ref - opened).dt.days / 30.4375
    recent_closure = (closed <= ref) & (closed > ref - pd.DateOffset(years=1))
    closed_age = (closed - opened).dt.days / 30.4375
    frame = pd.DataFrame({
        "gu_code": gu, "cohort": cohort.astype(float),
        "cohort_alive": (cohort & alive).astype(float),
        "alive_age": age.where(alive), "recent_closures": recent_closure.astype(float),
        "long_closures": (recent_closure & (closed_age > long_closure_months)).astype(float),
    }).dropna(subset=["gu_code"])
    grouped = frame.groupby("gu_code", sort=True)
    out = grouped[["cohort", "cohort_alive", "recent_closures", "long_closures"]].sum()
    out["business_age_months"] = grouped["alive_age"].mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["survival_3y"] = (out.cohort_alive / out.cohort).where(out.cohort > 0)
        out["long_closure_share"] = (out.long_closures / out.recent_closures) \
            .where(out.recent_closures > 0)
    return out.reset_index()


def _name_key(names: pd.Series) -> pd.Series:
    """망원시장 and 망원 전통시장 meet: no brackets, no 시장/전통, no spaces."""
    text = names.astype("string").str.replace(r"\(.*?\)", "", regex=True)
    return text.str.replace(r"전통|시장|\s", "", regex=True).str.strip()


def _market_gu(markets: pd.DataFrame) -> pd.Series:
    """The gu in the address; the real file also writes '동작구상도로102' without a space."""
    address = markets.get("road_address", pd.Series(index=markets.index, dtype=object))
    if "lot_address" in markets:
        address = address.fillna(markets["lot_address"])
    gu = address.astype("string").str.extract(r"^서울\S*\s+(\S+?구)")[0]
    return gu.map(lambda name: getattr(district_by_name(name), "mois", None)
                  if isinstance(name, str) else None)


def link_markets(markets: pd.DataFrame, areas: pd.DataFrame, reference_year: int) -> tuple[
        pd.DataFrame, int]:
    """(per R-area market attributes, number of Seoul markets left unmatched)."""
    seoul = markets.assign(gu_code=_market_gu(markets)).dropna(subset=["gu_code"])
    seoul = seoul.reset_index(drop=True)
    r_areas = areas[areas["area_type"] == "R"].drop_duplicates("area_code")
    keys = pd.DataFrame({"area_code": r_areas["area_code"].to_numpy(),
                         "key": _name_key(r_areas["area_name"]).to_numpy()})
    keys = keys[keys.key.str.len() > 0].drop_duplicates("key", keep=False)
    seoul["key"] = _name_key(seoul["market_name"])
    linked = seoul.merge(keys, on="key", how="left")
    linked = _nearest(linked, r_areas)
    matched = linked.dropna(subset=["area_code"])
    values = numbers(matched, ["market_stores", "opened_year"])
    per_area = pd.DataFrame({
        "area_code": matched["area_code"].to_numpy(),
        "market_stores": values.get("market_stores"),
        "market_age_years": reference_year - values.get("opened_year"),
    }).groupby("area_code", sort=True).agg({"market_stores": "sum", "market_age_years": "max"})
    return per_area.reset_index(), int(linked["area_code"].isna().sum())


def _nearest(linked: pd.DataFrame, r_areas: pd.DataFrame) -> pd.DataFrame:
    """Unmatched markets take the nearest R area within MATCH_RADIUS_M (areas in EPSG:5181,
    markets in WGS84)."""
    todo = linked["area_code"].isna()
    if not todo.any() or not {"x", "y"} <= set(r_areas) or not {"lat", "lon"} <= set(linked):
        return linked
    from pyproj import Transformer   # only needed when coordinates are given
    points = numbers(linked.loc[todo], ["lon", "lat"]).dropna()
    areas = numbers(r_areas, ["x", "y"]).join(r_areas["area_code"]).dropna()
    if points.empty or areas.empty:
        return linked
    to_tm = Transformer.from_crs(4326, AREA_EPSG, always_xy=True)
    mx, my = to_tm.transform(points.lon.to_numpy(), points.lat.to_numpy())
    dx = mx[:, None] - areas.x.to_numpy()[None, :]
    dy = my[:, None] - areas.y.to_numpy()[None, :]
    distance = np.hypot(dx, dy)
    best = distance.argmin(axis=1)
    near = distance[np.arange(len(best)), best] <= MATCH_RADIUS_M
    linked.loc[points.index[near], "area_code"] = areas.area_code.to_numpy()[best[near]]
    return linked
