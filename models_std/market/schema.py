"""Real headers of the 상권분석서비스 (commercial-area service) files and their canonical names.

The files come in three spellings: Korean headers (`당월_매출_금액`), older Korean headers
(`분기당_매출_금액`, the period split into `기준_년_코드` + `기준_분기_코드`), and the English
lower-case headers of the 2025 store file (`stor_co`, `similr_induty_stor_co`). Every table
is renamed to one canonical set before anything is computed; columns are found by name,
never by position.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

# Keys shared by every 상권 file.
KEY_ALIASES = {
    "기준_년분기_코드": "quarter", "stdr_yyqu_cd": "quarter",
    "기준_년_코드": "year", "stdr_yy_cd": "year",
    "기준_분기_코드": "quarter_no", "stdr_qu_cd": "quarter_no",
    "상권_구분_코드": "area_type", "trdar_se_cd": "area_type",
    "상권_구분_코드_명": "area_type_name", "trdar_se_cd_nm": "area_type_name",
    "상권_코드": "area_code", "trdar_cd": "area_code",
    "상권_코드_명": "area_name", "trdar_cd_nm": "area_name",
    "서비스_업종_코드": "industry_code", "svc_induty_cd": "industry_code",
    "서비스_업종_코드_명": "industry_name", "svc_induty_cd_nm": "industry_name",
    # The 영역 file, and some hand-made extracts, say where an area lies.
    "자치구_코드": "gu_code", "signgu_cd": "gu_code",
    "자치구_코드_명": "gu_name", "signgu_cd_nm": "gu_name",
    "행정동_코드": "dong_code", "adstrd_cd": "dong_code",
    "행정동_코드_명": "dong_name", "adstrd_cd_nm": "dong_name",
}

_BANDS = ("00_06", "06_11", "11_14", "14_17", "17_21", "21_24")
_DAYS = (("월요일", "mon"), ("화요일", "tues"), ("수요일", "wed"), ("목요일", "thur"),
         ("금요일", "fri"), ("토요일", "sat"), ("일요일", "sun"))
_AGES = (("10", "10"), ("20", "20"), ("30", "30"), ("40", "40"), ("50", "50"),
         ("60_이상", "60_above"))


def _sales_aliases() -> dict[str, str]:
    """추정매출 (estimated sales): amounts (금액) and counts (건수) in every grouping."""
    out: dict[str, str] = {}
    for ko, en, kind in (("금액", "amt", "amount"), ("건수", "co", "count")):
        out[f"당월_매출_{ko}"] = out[f"분기당_매출_{ko}"] = f"sales_{kind}"
        out[f"thsmon_selng_{en}"] = f"sales_{kind}"
        out[f"주중_매출_{ko}"], out[f"mdwk_selng_{en}"] = f"weekday_{kind}", f"weekday_{kind}"
        out[f"주말_매출_{ko}"], out[f"wkend_selng_{en}"] = f"weekend_{kind}", f"weekend_{kind}"
        for day, day_en in _DAYS:
            out[f"{day}_매출_{ko}"] = out[f"{day_en}_selng_{en}"] = f"{day_en}_{kind}"
        for band in _BANDS:
            start, end = band.split("_")
            out[f"시간대_{start}~{end}_매출_{ko}"] = f"time_{band}_{kind}"
            out[f"tmzon_{band}_selng_{en}"] = f"time_{band}_{kind}"
        for sex, sex_en, name in (("남성", "ml", "male"), ("여성", "fml", "female")):
            out[f"{sex}_매출_{ko}"] = out[f"{sex_en}_selng_{en}"] = f"{name}_{kind}"
        for age, age_en in _AGES:
            canonical = f"age_{age_en.split('_')[0]}_{kind}"
            out[f"연령대_{age}_매출_{ko}"] = out[f"agrde_{age_en}_selng_{en}"] = canonical
    # The official count headers of the time bands read `시간대_건수~06_매출_건수`: the start
    # hour was replaced by the word 건수, so the band is known only by its end hour.
    for band in _BANDS:
        out[f"시간대_건수~{band.split('_')[1]}_매출_건수"] = f"time_{band}_count"
    return out


SALES_ALIASES = _sales_aliases()

STORE_ALIASES = {
    "점포_수": "stores", "stor_co": "stores",
    "유사_업종_점포_수": "similar_stores", "similr_induty_stor_co": "similar_stores",
    "개업_율": "opening_rate", "opbiz_rt": "opening_rate",
    "개업_점포_수": "openings", "opbiz_stor_co": "openings",
    "폐업_률": "closure_rate", "clsbiz_rt": "closure_rate",
    "폐업_점포_수": "closures", "clsbiz_stor_co": "closures",
    "프랜차이즈_점포_수": "franchise_stores", "frc_stor_co": "franchise_stores",
}

CHANGE_ALIASES = {
    "상권_변화_지표": "change_type", "trdar_chnge_ix": "change_type",
    "상권_변화_지표_명": "change_type_name", "trdar_chnge_ix_nm": "change_type_name",
    "운영_영업_개월_평균": "operating_months", "opr_sale_mt_avrg": "operating_months",
    "폐업_영업_개월_평균": "closed_months", "cls_sale_mt_avrg": "closed_months",
    "서울_운영_영업_개월_평균": "seoul_operating_months",
    "su_opr_sale_mt_avrg": "seoul_operating_months",
    "서울_폐업_영업_개월_평균": "seoul_closed_months",
    "su_cls_sale_mt_avrg": "seoul_closed_months",
}

TRAFFIC_ALIASES = {"총_유동인구_수": "foot_traffic", "tot_flpop_co": "foot_traffic"}

AREA_ALIASES = {
    "엑스좌표_값": "x", "xcnts_value": "x", "xnts_vl": "x",
    "와이좌표_값": "y", "ydnts_value": "y", "ynts_vl": "y",
    "영역_면적": "area_sqm", "relm_ar": "area_sqm",
}

LICENCE_ALIASES = {
    "개방자치단체코드": "org_code", "opnsfteamcode": "org_code",
    "인허가일자": "licence_date", "apvpermymd": "licence_date",
    "영업상태코드": "status_code", "영업상태구분코드": "status_code",
    "trdstategbn": "status_code",
    "영업상태명": "status_name", "trdstatenm": "status_name",
    "폐업일자": "closure_date", "dcbymd": "closure_date",
}

MARKET_ALIASES = {
    "시장명": "market_name", "mrktnm": "market_name",
    "시장유형": "market_type", "소재지도로명주소": "road_address",
    "소재지지번주소": "lot_address", "위도": "lat", "경도": "lon",
    "점포수": "market_stores", "개설연도": "opened_year",
}

ROLE_ALIASES = {
    "sales": {**KEY_ALIASES, **SALES_ALIASES},
    "stores": {**KEY_ALIASES, **STORE_ALIASES},
    "change_indicator": {**KEY_ALIASES, **CHANGE_ALIASES},
    "foot_traffic": {**KEY_ALIASES, **TRAFFIC_ALIASES},
    "areas": {**KEY_ALIASES, **AREA_ALIASES},
    "licences": LICENCE_ALIASES,
    "markets": MARKET_ALIASES,
}

# Canonical columns each role must have after renaming (the period is checked apart).
ROLE_COLUMNS = {
    "sales": ("area_code", "sales_amount", "sales_count"),
    "stores": ("area_code", "similar_stores", "openings", "closures", "franchise_stores"),
    "change_indicator": ("area_code", "operating_months", "closed_months",
                         "seoul_operating_months", "seoul_closed_months"),
    "foot_traffic": ("area_code", "foot_traffic"),
    "areas": ("area_code",),
    "licences": ("org_code", "licence_date", "closure_date"),
    "markets": ("market_name",),
}
PERIOD_ROLES = frozenset({"sales", "stores", "change_indicator", "foot_traffic"})
AREA_TYPES = {"A": "골목상권", "D": "발달상권", "R": "전통시장", "U": "관광특구"}


class MarketInputError(ValueError):
    """An input table the model cannot read: says which role, which column, what to do."""


def _key(name) -> str:
    return re.sub(r"\s+", "", str(name)).lstrip("\ufeff").lower()


def canonical(frame: pd.DataFrame, role: str) -> pd.DataFrame:
    """The table with canonical column names, the period as `quarter` (yyyyq, int) and the
    area code as text; unknown columns are kept under their own names."""
    aliases = {_key(k): v for k, v in ROLE_ALIASES[role].items()}
    renamed = {c: aliases.get(_key(c), c) for c in frame.columns}
    out = frame.rename(columns=renamed)
    out = out.loc[:, ~out.columns.duplicated()]
    missing = [c for c in ROLE_COLUMNS[role] if c not in out.columns]
    if missing:
        wanted: dict[str, str] = {}
        for header, name in ROLE_ALIASES[role].items():
            if not header.isascii():
                wanted.setdefault(name, header)   # the current header comes first
        names = ", ".join(f"{wanted.get(c, c)} ({c})" for c in missing)
        raise MarketInputError(f"입력 '{role}'에 필요한 열이 없습니다: {names}. "
                               "상권분석서비스 파일의 열 구성 그대로 주세요.")
    if "area_code" in out:
        out["area_code"] = code_text(out["area_code"])
    if role in PERIOD_ROLES:
        out["quarter"] = quarter_codes(out, role)
        out = out.drop(columns=[c for c in ("year", "quarter_no") if c in out])
    return out


def code_text(values: pd.Series) -> pd.Series:
    """Codes as text without a trailing '.0' (a code column read as floats)."""
    text = values.astype("string").str.strip()
    return text.str.replace(r"\.0$", "", regex=True)


def quarter_codes(frame: pd.DataFrame, role: str) -> pd.Series:
    """`기준_년분기_코드` (20241) as an integer, or built from the older split columns
    `기준_년_코드` (2024) + `기준_분기_코드` (1)."""
    if "quarter" in frame:
        codes = pd.to_numeric(code_text(frame["quarter"]), errors="coerce")
    elif "year" in frame and "quarter_no" in frame:
        year = pd.to_numeric(frame["year"], errors="coerce")
        number = pd.to_numeric(frame["quarter_no"], errors="coerce")
        codes = year * 10 + number
    else:
        raise MarketInputError(f"입력 '{role}'에 기간 열이 없습니다: 기준_년분기_코드, 또는 "
                               "기준_년_코드와 기준_분기_코드가 있어야 합니다.")
    valid = codes.notna() & (codes % 10).between(1, 4) & (codes // 10).between(1990, 2100)
    if not valid.all():
        bad = frame.index[~valid.to_numpy()][0]
        raise MarketInputError(f"입력 '{role}'의 {bad}행: 기간 {codes.loc[bad]!r}은(는) "
                               "20241 같은 년분기 코드가 아닙니다.")
    return codes.astype("int64")


def quarter_index(codes) -> np.ndarray:
    """Consecutive quarter numbers (year × 4 + quarter − 1): the same quarter a year ago is
    four less."""
    codes = np.asarray(codes, dtype="int64")
    return (codes // 10) * 4 + (codes % 10) - 1


def quarter_from_index(index) -> np.ndarray:
    index = np.asarray(index, dtype="int64")
    return (index // 4) * 10 + index % 4 + 1


def quarter_label(code: int) -> str:
    return f"{code // 10}-Q{code % 10}"


def numbers(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Numeric copies of the columns that exist; text cells such as '*' become missing."""
    present = [c for c in columns if c in frame]
    return frame[present].apply(pd.to_numeric, errors="coerce").astype("float64")
