"""LOCALDATA business licences (지방행정 인허가데이터): the files, and helpers to read them.

The files (one per licence type, e.g. 영화상영관) are CP949 CSVs; the connector returns
them as bytes for the ingest. The helpers are for the portal and the standard models,
which need what the raw columns hide:
- dates mix `YYYYMMDD` and `YYYY-MM-DD` in one column (인허가일자: 628 and 275 rows of the
  sample), and `9999-12-31` stands for "unknown" (a closed cinema whose 폐업일자 is that);
- 영업상태코드 is the status (01 영업/정상, 02 휴업, 03 폐업, 04 취소·말소…, 05 제외·삭제);
- 좌표정보(X)/(Y) are metres in EPSG:5174, turned into WGS84 longitude/latitude.
- 관리번호 is an ID, not a number (Excel turns it into 2.01E+18): it stays a string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from connectors.base import DatasetRecord, ResourceRecord
from connectors.coords import KOREAN_TM, tm_to_wgs84

SOURCE = "localdata"
LOCALDATA_PAGE = "https://www.localdata.go.kr/"
SEOUL_PAGE = "https://data.seoul.go.kr/dataList/{id}/S/1/datasetView.do"

# 영업상태코드 (01, 03 and 04 occur in the sample; 02 and 05 complete LOCALDATA's list).
STATUS = {"01": "open", "02": "suspended", "03": "closed", "04": "cancelled", "05": "removed"}
DATE_COLUMNS = ("인허가일자", "인허가취소일자", "폐업일자", "휴업시작일자", "휴업종료일자",
                "재개업일자")
# Any date from this year on is a placeholder (9999-12-31), not a date.
SENTINEL_YEAR = 9000


@dataclass(frozen=True)
class LicenceFile:
    service: str        # 개방서비스명, e.g. 영화상영관
    title_ko: str
    filename: str
    theme: str
    seoul_id: str | None = None   # the Plaza dataset publishing the same file, if any

    @property
    def source_id(self) -> str:
        return f"서울/{self.service}"


FILES = (
    LicenceFile("영화상영관", "서울시 영화상영관 인허가 정보", "서울시 영화상영관 인허가 정보.csv",
                "문화/관광", seoul_id="OA-16053"),
)


def record(spec: LicenceFile) -> DatasetRecord:
    page = SEOUL_PAGE.format(id=spec.seoul_id) if spec.seoul_id else LOCALDATA_PAGE
    return DatasetRecord(
        source=SOURCE, source_id=spec.source_id, title_ko=spec.title_ko,
        description_ko=f"지방행정 인허가(LOCALDATA) {spec.service} 업종: 인허가일자, 영업상태, "
                       "폐업일자, 좌표(EPSG:5174).",
        keywords=("인허가", spec.service, "LOCALDATA"), theme=spec.theme, kind="file",
        formats=("CSV",), licence="KOGL-1", update_cycle="daily", owner="행정안전부",
        source_url=page, resources=[ResourceRecord("LOCALDATA 인허가 데이터", "link", page)],
        extras={k: v for k, v in {"service": spec.service,
                                  "seoul_dataset": spec.seoul_id or ""}.items() if v})


# --- helpers the portal calls -----------------------------------------------------------------

def parse_dates(values) -> pd.Series:
    """Dates from `YYYYMMDD`, `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss[.f]` strings, mixed in
    one column; empty, unparseable and placeholder dates (year ≥ 9000) become NaT."""
    text = pd.Series(values, dtype="str").fillna("").str.strip()
    digits = text.str.replace(r"[-./]", "", regex=True).str.slice(0, 8)
    valid = digits.str.fullmatch(r"\d{8}") & (digits.str.slice(0, 4).map(_year) < SENTINEL_YEAR)
    dates = pd.to_datetime(digits.where(valid), format="%Y%m%d", errors="coerce")
    return dates.rename(getattr(values, "name", None))


def placeholder_dates(values) -> pd.Series:
    """True where a date column holds a placeholder such as 9999-12-31."""
    text = pd.Series(values, dtype="str").fillna("").str.strip()
    return text.str.slice(0, 4).map(_year) >= SENTINEL_YEAR


def _year(text: str) -> int:
    return int(text) if text.isdigit() else 0


def status_of(codes) -> pd.Series:
    """open | suspended | closed | cancelled | removed for 영업상태코드 ("01", "1", 1)."""
    text = pd.Series(codes, dtype="str").fillna("").str.strip().str.zfill(2)
    return text.map(STATUS)


def find_column(frame: pd.DataFrame, *names: str) -> str | None:
    """The column whose name matches one of `names`, ignoring spaces and letter case
    (data.seoul.go.kr writes 좌표정보(X), other exports 좌표정보(x) or 좌표정보 X)."""
    keys = {re.sub(r"[\s()]", "", str(c)).lower(): c for c in frame.columns}
    for name in names:
        found = keys.get(re.sub(r"[\s()]", "", name).lower())
        if found is not None:
            return found
    return None


def licence_frame(frame: pd.DataFrame, epsg: int = KOREAN_TM) -> pd.DataFrame:
    """A copy of a licence table with the date columns as dates (placeholders → NaT), a
    `status` column (see STATUS) and `lon`/`lat` in WGS84 from 좌표정보(X)/(Y)."""
    out = frame.copy()
    for column in DATE_COLUMNS:
        if column in out:
            out[column] = parse_dates(out[column])
    code = find_column(out, "영업상태코드", "영업상태구분코드")
    if code is not None:
        out["status"] = status_of(out[code])
    x = find_column(out, "좌표정보(X)", "좌표정보X", "X")
    y = find_column(out, "좌표정보(Y)", "좌표정보Y", "Y")
    if x is not None and y is not None:
        out["lon"], out["lat"] = tm_to_wgs84(out[x], out[y], epsg)
    number = find_column(out, "관리번호")
    if number is not None:
        out[number] = out[number].astype("str")
    return out
