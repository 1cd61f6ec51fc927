"""The three inputs in canonical form: real header variants mapped onto one set of columns.

- events: 서울시 문화행사 정보 (culturalEventInfo) and 전국문화축제표준데이터 (national festival
  standard data) rows → name, venue, start_date, end_date, lat, lon, gu_name, category
- living_population: 생활인구 (living population, KT estimate of people present per hour) by
  행정동, Korean download headers or the OpenAPI/2025 English names → date, hour, dong_code,
  total and 28 sex×age columns; masked `*` cells become NULL, never 0
- card_sales: 카드매출 (card sales, private feed) → date, dong_code, industry, amount
"""
from __future__ import annotations

import numpy as np
import pandas as pd

AGE_BANDS = ("0_9", "10_14", "15_19", "20_24", "25_29", "30_34", "35_39", "40_44", "45_49",
             "50_54", "55_59", "60_64", "65_69", "70_plus")
AGE_LABELS_KO = ("0~9세", "10~14세", "15~19세", "20~24세", "25~29세", "30~34세", "35~39세",
                 "40~44세", "45~49세", "50~54세", "55~59세", "60~64세", "65~69세", "70세 이상")
SEXES = ("male", "female")
BAND_COLUMNS = tuple(f"{sex}_{band}" for sex in SEXES for band in AGE_BANDS)
MASK_MARKER = "*"


def _korean_band(band: str) -> str:
    if band == "70_plus":
        return "70세이상"
    low, high = band.split("_")
    return f"{low}세" if low == high else f"{low}세부터{high}세"


def _english_band(band: str) -> str:
    # The OpenAPI names the open top band F70T74 although it holds everyone aged 70 and over.
    low, high = ("70", "74") if band == "70_plus" else band.split("_")
    return f"F{low}T{high}"


LIVING_POPULATION_ALIASES: dict[str, str] = {
    "기준일ID": "date", "STDR_DE_ID": "date",
    "시간대구분": "hour", "TMZON_PD_SE": "hour",
    "행정동코드": "dong_code", "ADSTRD_CODE_SE": "dong_code",
    "총생활인구수": "total", "TOT_LVPOP_CO": "total",
}
for _sex, _ko, _en in (("male", "남자", "MALE"), ("female", "여자", "FEMALE")):
    for _band in AGE_BANDS:
        LIVING_POPULATION_ALIASES[f"{_ko}{_korean_band(_band)}생활인구수"] = f"{_sex}_{_band}"
        LIVING_POPULATION_ALIASES[f"{_en}_{_english_band(_band)}_LVPOP_CO"] = f"{_sex}_{_band}"

EVENT_ALIASES: dict[str, str] = {
    "TITLE": "name", "축제명": "name", "행사명": "name",
    "PLACE": "venue", "개최장소": "venue",
    "STRTDATE": "start_date", "축제시작일자": "start_date",
    "END_DATE": "end_date", "축제종료일자": "end_date",
    "DATE": "date_range",
    "GUNAME": "gu_name", "CODENAME": "category",
    # culturalEventInfo swaps its coordinate names: LOT holds the latitude (37.x), LAT the
    # longitude (127.x). The ranges are checked again in `events_frame`.
    "LOT": "lat", "LAT": "lon", "위도": "lat", "경도": "lon",
    "제공기관명": "provider", "ORG_NAME": "provider", "주최기관명": "host",
    "소재지도로명주소": "address",
}

CARD_SALES_ALIASES: dict[str, str] = {
    "기준일자": "date", "adm_dong_code": "dong_code", "행정동코드": "dong_code",
    "industry_name": "industry", "업종명": "industry", "amount_krw": "amount",
    "매출금액": "amount", "이용금액": "amount",
}


def canonical(frame: pd.DataFrame, aliases: dict[str, str]) -> pd.DataFrame:
    """Rename real headers onto canonical names (case and surrounding spaces ignored). A header
    that already is a canonical name stays: the portal renames before the model does, and
    `lat` must not be read as culturalEventInfo's `LAT` (which holds the longitude)."""
    lookup = {k.strip().upper(): v for k, v in aliases.items()}
    names = set(aliases.values())
    renamed = {c: str(c).strip() if str(c).strip() in names
               else lookup.get(str(c).strip().upper(), str(c).strip()) for c in frame.columns}
    return frame.rename(columns=renamed)


def _numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values, masked): `*` and empty cells become NaN and are marked masked."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        return values, np.isnan(values)
    text = column.astype("string").str.strip()
    values = pd.to_numeric(text.where(text != MASK_MARKER), errors="coerce")
    values = values.to_numpy(dtype="float64", na_value=np.nan)
    return values, np.isnan(values)


def living_population_frame(frame: pd.DataFrame, *, bands: bool = True) -> pd.DataFrame:
    """Canonical living population: date (datetime64[D]), hour, dong_code (8 digits), total
    and, when `bands`, the 28 sex×age columns; `masked` is True where the total was `*`."""
    data = canonical(frame, LIVING_POPULATION_ALIASES)
    missing = [c for c in ("date", "hour", "dong_code", "total") if c not in data]
    if missing:
        raise ValueError(f"생활인구 표에 필요한 열이 없습니다: {', '.join(missing)} (기준일ID, "
                         "시간대구분, 행정동코드, 총생활인구수 또는 STDR_DE_ID, TMZON_PD_SE, "
                         "ADSTRD_CODE_SE, TOT_LVPOP_CO)")
    out = pd.DataFrame({
        "date": parse_days(data["date"]),
        "hour": pd.to_numeric(data["hour"], errors="coerce").to_numpy(dtype="float64",
                                                                     na_value=np.nan),
        "dong_code": dong_codes(data["dong_code"]),
    })
    out["total"], out["masked"] = _numbers(data["total"])
    if bands:
        for column in BAND_COLUMNS:
            out[column] = _numbers(data[column])[0] if column in data else np.nan
    return out


def parse_days(column: pd.Series) -> np.ndarray:
    """Dates as datetime64[D] from 20251017, "2025-10-17", "2025-10-17 00:00:00.0" or dates."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.to_numpy().astype("datetime64[D]")
    # A million rows hold a few hundred distinct dates: parse each distinct value once.
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    text = (pd.Series(uniques).astype("string").str.strip().str.slice(0, 10)
            .str.replace(r"[./]", "-", regex=True))
    compact = text.str.fullmatch(r"\d{8}").fillna(False)
    text = text.where(~compact, text.str.slice(0, 4) + "-" + text.str.slice(4, 6) + "-"
                      + text.str.slice(6, 8))
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").to_numpy()
    parsed = np.append(parsed.astype("datetime64[D]"), np.datetime64("NaT", "D"))
    return parsed[codes]   # the NA sentinel -1 picks the appended NaT


def dong_codes(column: pd.Series) -> np.ndarray:
    """8-digit dong codes as text; OpenAPI codes arrive padded with spaces, file codes as
    numbers, 10-digit codes with a trailing 00."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    text = pd.Series(uniques).astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    clean = np.append(text.str.slice(0, 8).to_numpy(dtype=object, na_value=None), None)
    return clean[codes]


def events_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical events; rows without a name or a start date are dropped."""
    data = canonical(frame, EVENT_ALIASES)
    if "start_date" not in data and "date_range" in data:
        parts = data["date_range"].astype("string").str.split("~", n=1, expand=True)
        data["start_date"], data["end_date"] = parts[0], parts[1]
    if "name" not in data or "start_date" not in data:
        raise ValueError("축제·행사 목록에 이름과 시작일 열이 있어야 합니다 (축제명/축제시작일자, "
                         "TITLE/STRTDATE 또는 DATE)")
    out = pd.DataFrame({"name": data["name"].astype("string").str.strip()})
    out["venue"] = (data["venue"].astype("string").str.strip() if "venue" in data
                    else pd.Series("", index=data.index, dtype="string"))
    out["start_date"] = parse_days(data["start_date"])
    end = parse_days(data["end_date"]) if "end_date" in data else out["start_date"].to_numpy()
    out["end_date"] = np.where(np.isnat(end), out["start_date"].to_numpy(), end)
    for column in ("lat", "lon"):
        out[column] = (pd.to_numeric(data[column], errors="coerce").to_numpy(dtype="float64")
                       if column in data else np.nan)
    # In Korea latitude (33–39) is always below longitude (124–132): swap rows that disagree.
    swap = out["lat"] > out["lon"]
    out.loc[swap, ["lat", "lon"]] = out.loc[swap, ["lon", "lat"]].to_numpy()
    for column in ("gu_name", "category", "provider"):
        out[column] = (data[column].astype("string").fillna("") if column in data
                       else pd.Series("", index=data.index, dtype="string"))
    out = out[out["name"].notna() & (out["name"] != "") & ~np.isnat(out["start_date"])]
    return out.reset_index(drop=True)


def card_sales_frame(frame: pd.DataFrame) -> pd.DataFrame:
    data = canonical(frame, CARD_SALES_ALIASES)
    missing = [c for c in ("date", "dong_code", "amount") if c not in data]
    if missing:
        raise ValueError(f"카드매출 표에 필요한 열이 없습니다: {', '.join(missing)} (date, "
                         "adm_dong_code, industry_name, amount_krw 또는 기준일자, 행정동코드, "
                         "업종명, 매출금액)")
    out = pd.DataFrame({
        "date": parse_days(data["date"]),
        "dong_code": dong_codes(data["dong_code"]),
        "industry": (data["industry"].astype("string").fillna("기타").to_numpy(dtype=object)
                     if "industry" in data else "전체"),
    })
    out["amount"] = _numbers(data["amount"])[0]
    return out
