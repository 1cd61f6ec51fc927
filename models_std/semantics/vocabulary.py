"""The words the tagger reads, declared as data: tags, header hints, units, total labels.

Headers are hints only; values decide (a column named LAT holding 127.x is a longitude).
Hints are matched on a normalised header: lower case, without spaces.
"""
from __future__ import annotations

import re

# The semantic column tags (the shared vocabulary of profiles and model inputs).
GU, DONG, YEAR, MONTH, DATE = "gu", "dong", "year", "month", "date"
MEASURE, CATEGORY, TEXT, CODE, ID = "measure", "category", "text", "code", "id"
LAT, LON, X, Y = "lat", "lon", "x", "y"
TAGS = (GU, DONG, YEAR, MONTH, DATE, MEASURE, CATEGORY, LAT, LON, X, Y, CODE, TEXT, ID)

# Labels of total rows (합계 행). Matched on the whole cell after stripping spaces.
TOTAL_LABELS = frozenset({"합계", "소계", "계", "총계", "전체", "전국", "합", "총합", "누계",
                          "total", "subtotal", "sum", "grandtotal", "all"})

# KOSIS downloads stack several variables in one 항목 column (총인구수, 남자인구수, 여자인구수):
# there an item starting with these words is the total of the others.
ITEM_HINTS = ("항목", "item")
ITEM_TOTAL_PREFIXES = ("총", "계", "전체", "합계")

GU_HINTS = ("자치구", "구명", "기관명", "시군구", "구별", "guname", "gu_name", "sgg", "sig_",
            "signgu", "wrdofc", "district", "구청")
DONG_HINTS = ("행정동", "법정동", "동명", "읍면동", "dong", "adm_nm", "admdong", "hdong",
              "adstrd")
YEAR_HINTS = ("년도", "연도", "기준년", "year", "yr")
YEAR_EXACT = ("년", "연", "yyyy")
MONTH_HINTS = ("기준월", "month")
MONTH_EXACT = ("월", "mm", "mon")
DATE_HINTS = ("일자", "날짜", "일시", "기준일", "date", "시점", "dttm", "ymd", "_dt", "_de")
# Hours of the day (생활인구 시간대구분 0–23) are a dimension, not a count to add up.
HOUR_EXACT = ("시간대", "시간대구분", "hour", "tmzon_pd_se", "tmzon")
COORD_HINTS = ("위도", "경도", "좌표", "lat", "lon", "lng", "lnt", "lot", "crd", "coord")
CODE_HINTS = ("코드", "code", "_cd", "cd_", "번호", "우편", "zip", "_no", "id", "pk")
ID_HINTS = ("관리번호", "일련번호", "고유번호", "objectid", "esri_pk", "_id", "id_", "uid", "pk")
ID_EXACT = ("id", "no", "번호", "순번")

# Preferred date columns for the year dimension: the event that a row records happened
# on these (licence, start), not the bookkeeping dates (updated, registered, closed).
DATE_PREFERRED = ("인허가일자", "개업", "시작", "개최", "strt", "start", "기준일", "발생")
DATE_BOOKKEEPING = ("수정", "갱신", "등록", "rgst", "update", "작업", "말소", "폐업", "취소",
                    "종료", "end", "work")

# Seoul ranges, used when the header gives no hint; Korea ranges when it does.
SEOUL_LAT, SEOUL_LON = (37.4, 37.7), (126.7, 127.2)
KOREA_LAT, KOREA_LON = (33.0, 38.7), (124.5, 131.9)
# Korean Bessel TM (EPSG:5174, LOCALDATA 인허가) in metres: Seoul ≈ X 180–215k, Y 440–465k.
TM_X, TM_Y = (180_000.0, 215_000.0), (440_000.0, 465_000.0)
TM_EPSG = 5174
WGS84_EPSG = 4326

UNITS = frozenset({"명", "개", "원", "천원", "백만원", "억원", "조원", "건", "%", "세대", "가구",
                   "대", "개소", "곳", "㎡", "m²", "m2", "㎢", "km²", "km", "㎞", "m", "톤", "t",
                   "회", "세", "일", "시간", "분", "호", "ha", "개월", "년", "kwh", "점", "천명",
                   "만명", "인", "척", "병상", "석", "면", "권", "종", "‰", "%p"})
# "…(명)", "…[천원]", "…(단위: 원)" at the end of a header.
UNIT_SUFFIX = re.compile(r"[(\[]\s*(?:단위\s*[:：]?\s*)?([^()\[\]]{1,6}?)\s*[)\]]\s*$")

# Words in a header and the unit they imply; the first match wins, so specific words first.
UNIT_WORDS = (
    ("세대당", "명/세대"), ("비율", "%"), ("비중", "%"), ("율", "%"), ("률", "%"),
    ("세대수", "세대"), ("가구수", "가구"), ("인구수", "명"), ("인구", "명"), ("고령자", "명"),
    ("인원", "명"), ("승객", "명"), ("방문객", "명"), ("관람객", "명"), ("이용자", "명"),
    ("학생수", "명"), ("직원수", "명"), ("종사자", "명"), ("세대", "세대"), ("가구", "가구"),
    ("매출액", "원"), ("매출_금액", "원"), ("금액", "원"), ("소득", "원"), ("지출", "원"),
    ("임대료", "원"), ("예산", "원"), ("요금", "원"), ("건수", "건"), ("_건수", "건"),
    ("점포수", "개"), ("점포_수", "개"), ("업소수", "개"), ("사업체수", "개"), ("면적", "㎡"),
    ("개월", "개월"),
)
# Ratios, averages and per-unit figures: summing them across rows means nothing.
NON_ADDITIVE = re.compile(r"(평균|비율|비중|율|률|지수|밀도|순위|(세대|인|가구|점포|㎡)\s*당"
                          r"|ratio|rate|avg|mean|index|pct|percent)")
NON_ADDITIVE_UNITS = frozenset({"%", "명/세대", "‰", "%p"})


def header_key(name: str) -> str:
    return re.sub(r"\s+", "", str(name)).lower()


def has_hint(name: str, hints: tuple[str, ...], exact: tuple[str, ...] = ()) -> bool:
    key = header_key(name)
    return key in exact or any(h in key for h in hints)


def is_total_label(value) -> bool:
    return isinstance(value, str) and header_key(value).replace("_", "") in TOTAL_LABELS


def unit_of(name: str) -> str | None:
    """The unit a measure header states or implies; None when it says nothing."""
    match = UNIT_SUFFIX.search(str(name))
    if match and match.group(1).strip().lower() in UNITS:
        return match.group(1).strip()
    key = header_key(name)
    return next((unit for word, unit in UNIT_WORDS if word in key), None)


def is_additive(name: str, unit: str | None) -> bool:
    return unit not in NON_ADDITIVE_UNITS and not NON_ADDITIVE.search(header_key(name))
