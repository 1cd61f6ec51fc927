"""Profiles of real files: totals, by_gu, by_year and yearly series, checked against figures
obtained by hand (awk, the csv module, collections.Counter or the source's own total rows).

Files are loaded with plain pandas so these tests do not depend on the ingest readers.
"""
from __future__ import annotations

import collections
import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from models_std.semantics import GU_NAMES
from portal.catalog.profiles import PROFILE_VERSION, ROWS, compute_profile

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
MOIS_SIDO = SAMPLE / "mois" / "202505_202505_주민등록인구및세대현황_월간_시도.csv"
MOIS_DONG = SAMPLE / "mois" / "202406_202406_연령별인구현황_월간_전국_행정동_10세.csv"
CINEMAS = SAMPLE / "localdata" / "서울시 영화상영관 인허가 정보.csv"
EVENTS = SAMPLE / "seoul_openapi" / "culturalEventInfo_1_1000.json"


def read_cctv() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv", encoding="utf-8-sig")


def read_population_xls() -> pd.DataFrame:
    raw = pd.read_excel(SAMPLE / "seoul_opendata" / "population_in_Seoul_2017Q1.xls",
                        header=None)
    names = ["_".join(dict.fromkeys(raw.iloc[0:3, c])) for c in raw.columns]  # 3 header rows
    frame = raw.iloc[3:].dropna(how="all").reset_index(drop=True)
    frame.columns = names
    for name in names[2:]:
        frame[name] = pd.to_numeric(frame[name])
    return frame


def read_cinemas() -> pd.DataFrame:
    codes = {c: str for c in ("개방자치단체코드", "관리번호", "영업상태코드", "상세영업상태코드",
                              "소재지우편번호", "도로명우편번호", "인허가일자", "폐업일자")}
    return pd.read_csv(CINEMAS, encoding="cp949", dtype=codes)


def read_events() -> pd.DataFrame:
    return pd.DataFrame(json.loads(EVENTS.read_text(encoding="utf-8"))["culturalEventInfo"]["row"])


def plain_json_only(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_json_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_json_only(v) for v in value)
    if isinstance(value, float):
        return np.isfinite(value)
    return value is None or type(value) in (str, int, bool)


# ---------------------------------------------------------------- CCTV (wide yearly)

def test_cctv_is_a_wide_yearly_gu_table():
    profile = compute_profile(read_cctv())
    assert profile["version"] == PROFILE_VERSION == 1
    assert profile["layout"] == "wide_yearly"
    assert profile["columns"]["기관명"]["tag"] == "gu"
    assert profile["dimensions"]["gu"]["column"] == "기관명"
    assert (profile["row_count"], profile["total_row_count"]) == (25, 0)


def test_cctv_totals_are_the_sum_of_the_subtotals_and_of_each_year():
    profile = compute_profile(read_cctv())
    # By hand: sed 's/"//g' CCTV_in_Seoul.csv | awk -F, 'NR>1{a+=$2;b+=$3;c+=$4;d+=$5;e+=$6}'
    # gives 소계 29477, 2013년도 이전 19119, 2014년 3987, 2015년 5130, 2016년 9647.
    assert profile["totals"]["소계"] == 29477
    assert profile["by_year"]["값"] == {"2013년 이전": 19119, "2014": 3987, "2015": 5130,
                                       "2016": 9647}
    assert profile["totals"]["값"] == 19119 + 3987 + 5130 + 9647
    assert profile["dimensions"]["year"]["labels"] == ["2013년 이전", "2014", "2015", "2016"]


def test_cctv_subtotal_is_a_total_column_kept_out_of_the_yearly_series():
    profile = compute_profile(read_cctv())
    measures = {m["name"]: m for m in profile["measures"]}
    assert measures["소계"]["total_of"] == "값"
    assert measures["값"]["columns"] == ["2013년도 이전", "2014년", "2015년", "2016년"]
    assert "소계" not in profile["by_year"] and "소계" not in profile["yearly_series"]


def test_cctv_by_gu_and_yearly_series_follow_the_rows_of_the_file():
    profile = compute_profile(read_cctv())
    assert list(profile["by_gu"]["소계"]) == list(GU_NAMES)  # MOIS order, not file order
    assert profile["by_gu"]["소계"]["강남구"] == 2780  # the 강남구 row
    # 종로구 row: "종로구","1002","464","314","211","630"
    assert profile["yearly_series"]["값"]["by_gu"]["종로구"] == {
        "2013년 이전": 464, "2014": 314, "2015": 211, "2016": 630}
    assert profile["yearly_series"]["값"]["seoul"] == profile["by_year"]["값"]


# ---------------------------------------------------------------- Seoul population (XLS)

@pytest.mark.filterwarnings("ignore:The xlrd engine is deprecated")
def test_population_by_gu_adds_up_to_the_sources_total_row():
    profile = compute_profile(read_population_xls())
    assert profile["total_row_count"] == 1
    # The 합계 row of the sheet states 10197604 people and 4202888 households.
    assert profile["source_totals"]["인구_합계_계"] == 10197604
    assert profile["source_totals"]["세대"] == 4202888
    by_gu = profile["by_gu"]["인구_합계_계"]
    assert list(by_gu) == list(GU_NAMES)
    assert sum(by_gu.values()) == 10197604
    for measure in profile["measures"]:
        if measure["aggregate"] == "sum":
            assert profile["totals"][measure["name"]] == \
                profile["source_totals"][measure["name"]], measure["name"]


@pytest.mark.filterwarnings("ignore:The xlrd engine is deprecated")
def test_a_ratio_has_no_grand_total_but_keeps_the_stated_one():
    profile = compute_profile(read_population_xls())
    assert profile["columns"]["세대당인구"]["additive"] is False
    assert profile["totals"]["세대당인구"] is None
    assert profile["source_totals"]["세대당인구"] == 2.36  # the 합계 row
    assert profile["by_gu"]["세대당인구"]["종로구"] == 2.11  # one row per gu: its own value


# ---------------------------------------------------------------- MOIS files

def test_the_national_sido_file_counts_the_nation_once_and_has_no_by_gu():
    frame = pd.read_csv(MOIS_SIDO, encoding="cp949", thousands=",")
    profile = compute_profile(frame)
    # The 전국 row: "전국  (1000000000)","51,169,148","24,223,795","2.11"; by hand, the 17 시도
    # rows also add up to 51169148 (awk on the file with commas removed).
    assert profile["totals"]["2025년05월_총인구수"] == 51169148
    assert profile["source_totals"]["2025년05월_총인구수"] == 51169148
    assert profile["totals"]["2025년05월_세대수"] == 24223795
    assert profile["total_row_count"] == 1
    assert profile["by_gu"] == {} and profile["yearly_series"] == {}


def mois_rows(path: Path) -> list[tuple[str, str, int]]:
    """(name, 10-digit code, 총인구수) per line, read with the csv module."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp949"))))[1:]
    parsed = []
    for row in rows:
        name, code = re.fullmatch(r"\s*(.*?)\s*\((\d{10})\)\s*", row[0]).groups()
        parsed.append((" ".join(name.split()), code, int(row[1].replace(",", ""))))
    return parsed


def test_seoul_dong_rows_summed_per_gu_equal_the_files_own_gu_rows():
    rows = mois_rows(MOIS_DONG)
    assert len(rows) == 3909
    seoul = [r for r in rows if r[1].startswith("11")]
    gu_rows = {name.split()[1]: value for name, code, value in seoul
               if code.endswith("00000") and not code.endswith("00000000")}
    dong_sums = collections.Counter()
    for name, code, value in seoul:
        if not code.endswith("00000"):
            dong_sums[name.split()[1]] += value
    assert len(gu_rows) == 25 and dict(dong_sums) == gu_rows  # the file agrees with itself

    profile = compute_profile(pd.read_csv(MOIS_DONG, encoding="cp949", thousands=","))
    assert profile["by_gu"]["2024년06월_계_총인구수"] == {g: gu_rows[g] for g in GU_NAMES}
    assert profile["by_gu"]["2024년06월_계_총인구수"]["종로구"] == 139189  # its 시군구 row


def test_the_dong_file_totals_only_the_finest_rows():
    rows = mois_rows(MOIS_DONG)
    sido_sum = sum(v for _, code, v in rows if code.endswith("00000000"))
    dong_sum = sum(v for _, code, v in rows if not code.endswith("00000"))
    assert sido_sum == dong_sum == 51271480  # by hand with the csv module
    profile = compute_profile(pd.read_csv(MOIS_DONG, encoding="cp949", thousands=","))
    assert profile["totals"]["2024년06월_계_총인구수"] == 51271480
    # No 전국 row here: the 17 시도 rows together state the grand total.
    assert profile["source_totals"]["2024년06월_계_총인구수"] == 51271480
    assert profile["total_row_count"] == 294


# ---------------------------------------------------------------- LOCALDATA, events

def test_cinema_licences_are_counted_by_year_of_their_licence_date():
    profile = compute_profile(read_cinemas())
    assert profile["dimensions"]["year"] == {"column": "인허가일자", "source": "date",
                                             "labels": profile["dimensions"]["year"]["labels"]}
    # By hand: csv module on the file, Counter of the first 4 characters of 인허가일자
    # (the column mixes 19580121 and 2005-03-22); all 903 rows have one.
    expected = {"1958": 1, "1962": 1, "1963": 1, "1969": 1, "1972": 1, "1983": 2, "1987": 1,
                "1989": 3, "1990": 2, "1991": 5, "1992": 3, "1994": 5, "1995": 7, "1996": 6,
                "1997": 4, "1998": 24, "1999": 21, "2000": 56, "2001": 22, "2002": 57,
                "2003": 77, "2004": 70, "2005": 67, "2006": 38, "2007": 54, "2008": 40,
                "2009": 53, "2010": 11, "2011": 12, "2012": 39, "2013": 32, "2014": 28,
                "2015": 25, "2016": 26, "2017": 34, "2018": 9, "2019": 23, "2020": 16,
                "2021": 8, "2022": 16, "2023": 1, "2024": 1}
    assert profile["by_year"][ROWS] == expected
    assert sum(expected.values()) == 903


def test_cinema_licences_are_counted_per_gu_from_the_local_government_code():
    profile = compute_profile(read_cinemas())
    assert profile["dimensions"]["gu"]["code_system"] == "org7"
    # By hand: Counter of 개방자치단체코드 — 3220000 (강남구) 112, 3000000 (종로구) 67,
    # 3090000 (도봉구) 12.
    rows = profile["by_gu"][ROWS]
    assert (rows["강남구"], rows["종로구"], rows["도봉구"]) == (112, 67, 12)
    assert sum(rows.values()) == 903
    assert profile["columns"]["인허가일자"]["min"] == "1958-01-21"


def test_cultural_events_are_counted_per_gu_and_located_by_value_range():
    profile = compute_profile(read_events())
    columns = profile["columns"]
    assert (columns["GUNAME"]["tag"], columns["LOT"]["tag"], columns["LAT"]["tag"]) == \
        ("gu", "lat", "lon")
    assert 37.4 <= columns["LOT"]["min"] <= columns["LOT"]["max"] <= 37.8
    # By hand: Counter(row["GUNAME"]) over the 1000 rows: 종로구 278, 동작구 4, '' 14.
    assert profile["by_gu"][ROWS]["종로구"] == 278
    assert profile["by_gu"][ROWS]["동작구"] == 4
    assert sum(profile["by_gu"][ROWS].values()) == 1000 - 14
    assert columns["GUNAME"]["missing"] == 14
    top = profile["top_categories"][0]
    assert top["column"] == "CODENAME"
    assert top["values"][0] == {"value": "교육/체험", "rows": 420, "sums": {}}


# ---------------------------------------------------------------- any table

@pytest.mark.filterwarnings("ignore:The xlrd engine is deprecated")
@pytest.mark.parametrize("reader", [read_cctv, read_population_xls, read_cinemas, read_events,
                                    lambda: pd.read_csv(MOIS_SIDO, encoding="cp949",
                                                        thousands=",")])
def test_every_profile_is_plain_json(reader):
    profile = compute_profile(reader())
    assert plain_json_only(profile)
    assert json.loads(json.dumps(profile, allow_nan=False)) == profile


@pytest.mark.parametrize("frame", [
    pd.DataFrame(),
    pd.DataFrame({"a": pd.Series([], dtype=float)}),
    pd.DataFrame({"a": [np.nan, np.nan], "b": [None, None]}),
    pd.DataFrame({"자치구": ["종로구"], "인구수": [1000]}),
    pd.DataFrame({"제목": ["행사 하나", "행사 둘"], "비고": ["", None]}),
    pd.DataFrame([[1, 2, "가"]], columns=["v", "v", 0]),
    pd.DataFrame({"구코드": ["11110", "11140", "11170", "11200"], "건수": [1, 2, 3, 4]}),
    pd.DataFrame({"v": [np.inf, 1.0], "d": pd.to_datetime(["2020-01-01", None])}),
], ids=["empty", "no rows", "all missing", "single row", "no measures", "duplicate names",
        "ambiguous codes", "infinity and dates"])
def test_odd_tables_profile_without_crashing(frame):
    profile = compute_profile(frame)
    assert plain_json_only(profile)
    assert profile["row_count"] == len(frame)


def test_ambiguous_gu_codes_give_no_by_gu_and_say_why():
    frame = pd.DataFrame({"구코드": ["11110", "11140", "11170", "11200"], "건수": [1, 2, 3, 4]})
    profile = compute_profile(frame)
    assert profile["columns"]["구코드"]["code_system"] == "ambiguous"
    assert profile["by_gu"] == {} and profile["notes"]


def test_a_million_row_table_profiles_without_counting_its_total_rows():
    # Speed is measured in bench/ingest.py; this checks the figures at that scale.
    rng = np.random.default_rng(0)
    n = 1_000_000
    gu = rng.choice(np.array(list(GU_NAMES) + ["합계"]), n)
    frame = pd.DataFrame({"자치구": gu, "년도": rng.integers(2015, 2025, n),
                          "월": rng.integers(1, 13, n),
                          "업종": rng.choice(np.array([f"업종{i:02d}" for i in range(40)]), n),
                          "매출액": rng.integers(0, 10_000_000, n),
                          "건수": rng.integers(0, 500, n)})
    profile = compute_profile(frame)
    # Independently: numpy sums over the rows whose 자치구 is not 합계.
    data = gu != "합계"
    assert profile["totals"]["매출액"] == int(frame["매출액"].to_numpy()[data].sum())
    assert profile["total_row_count"] == int((~data).sum())
    assert [c["tag"] for c in profile["columns"].values()] == [
        "gu", "year", "month", "category", "measure", "measure"]
    assert sum(profile["by_gu"]["건수"].values()) == profile["totals"]["건수"]


def test_living_population_by_dong_code_is_summed_per_gu():
    # 생활인구 files key rows by 8-digit 행정동 codes; the first five digits are the MOIS gu.
    frame = pd.DataFrame({"행정동코드": [11110515, 11110530, 11740525],
                          "총생활인구수": [100.5, 200.0, 50.0]})
    profile = compute_profile(frame)
    assert profile["dimensions"]["gu"]["code_system"] == "mois8"
    assert profile["by_gu"]["총생활인구수"] == {"종로구": 300.5, "강동구": 50.0}


def test_a_table_of_points_without_a_gu_is_counted_per_gu_by_position():
    # The cinema licences without their 개방자치단체코드: the EPSG:5174 X/Y place each row.
    cinemas = read_cinemas()
    address_gu = cinemas["지번주소"].astype(str).str.extract(r"서울특별시 (\S+구)")[0]
    profile = compute_profile(cinemas.drop(columns=["개방자치단체코드"]))
    gu = profile["dimensions"]["gu"]
    assert (gu["via"], gu["columns"]) == ("point", ["좌표정보(X)", "좌표정보(Y)"])
    counted = profile["by_gu"][ROWS]
    by_address = address_gu[cinemas["좌표정보(X)"].notna()].value_counts()
    assert sum(counted.values()) == cinemas["좌표정보(X)"].notna().sum()
    assert sum(abs(counted.get(name, 0) - n) for name, n in by_address.items()) <= 2


def test_a_national_table_of_points_is_not_made_a_seoul_table():
    # 전국전통시장표준데이터: about one market in twelve is in Seoul.
    markets = pd.read_csv(SAMPLE / "datagokr" / "전국전통시장표준데이터.csv", encoding="cp949")
    assert markets.filter(regex="위도|경도").shape[1] == 2
    assert compute_profile(markets)["dimensions"]["gu"] is None


# ---------------------------------------------------------------- grouped figures

def small_sales() -> pd.DataFrame:
    """Whole amounts (one missing), a ratio, a blank gu, a missing year and a total row."""
    return pd.DataFrame({
        "자치구": ["종로구", "종로구", "중구", "중구", "", "합계"],
        "년도": pd.array([2020, 2021, 2020, None, 2021, 2021], dtype="Int64"),
        "업종": ["한식", "한식", "중식", "한식", "중식", "한식"],
        "매출액": pd.array([10, 20, None, 40, 50, 120], dtype="Int64"),
        "면적": [1.5, 2.5, 3.0, 4.0, 5.0, 16.0],
    })


def test_sums_per_gu_year_and_category_follow_the_rows_by_hand():
    profile = compute_profile(small_sales())
    # By hand over the five data rows (합계 is a total row; the blank gu has no gu).
    assert profile["by_gu"]["매출액"] == {"종로구": 30, "중구": 40}
    assert profile["by_gu"][ROWS] == {"종로구": 2, "중구": 2}
    assert profile["by_year"]["매출액"] == {"2020": 10, "2021": 70}
    assert profile["by_year"]["면적"] == {"2020": 4.5, "2021": 7.5}
    assert profile["yearly_series"]["매출액"]["by_gu"] == {
        "종로구": {"2020": 10, "2021": 20}, "중구": {"2020": None}}
    top = {v["value"]: v for v in profile["top_categories"][0]["values"]}
    assert top["한식"]["sums"] == {"매출액": 70, "면적": 8.0}
    assert top["중식"]["sums"] == {"매출액": 50, "면적": 8.0}


def test_a_gu_whose_amounts_are_all_missing_has_no_sum_not_zero():
    frame = pd.DataFrame({"자치구": ["종로구", "중구"],
                          "매출액": pd.array([5, None], dtype="Int64")})
    assert compute_profile(frame)["by_gu"]["매출액"] == {"종로구": 5, "중구": None}


def test_sums_beyond_float_precision_stay_exact():
    # 2**61 + 1 is not a float64: the sum must not pass through one.
    big = 2 ** 61
    frame = pd.DataFrame({"자치구": ["종로구", "종로구", "중구"],
                          "년도": [2020, 2020, 2021],
                          "매출액": [big + 1, big + 2, 3]})
    profile = compute_profile(frame)
    assert profile["by_gu"]["매출액"] == {"종로구": 2 * big + 3, "중구": 3}
    assert profile["yearly_series"]["매출액"]["by_gu"]["종로구"] == {"2020": 2 * big + 3}


def test_grouped_figures_equal_pandas_group_sums_at_scale():
    rng = np.random.default_rng(5)
    n = 200_000
    frame = pd.DataFrame({
        "자치구": rng.choice(np.array(list(GU_NAMES) + ["합계", ""]), n),
        "년도": pd.array(np.where(rng.random(n) < 0.05, None, rng.integers(2015, 2025, n)),
                        dtype="Int64"),
        "업종": rng.choice(np.array([f"업종{i:02d}" for i in range(30)]), n),
        "매출액": pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 10**9, n)),
                         dtype="Int64"),
        "면적": rng.random(n) * 100,
    })
    profile = compute_profile(frame)
    data = frame[frame["자치구"] != "합계"]
    by_pair = data[data["자치구"] != ""].groupby(["자치구", "년도"])["매출액"].sum(min_count=1)
    series = profile["yearly_series"]["매출액"]["by_gu"]
    assert {(g, int(y)): v for (g, y), v in by_pair.items()} == {
        (g, int(y)): v for g, years in series.items() for y, v in years.items()}
    by_year = data.groupby("년도")["면적"].sum(min_count=1)
    assert profile["by_year"]["면적"] == {str(y): v for y, v in by_year.items()}
    by_gu = data[data["자치구"] != ""].groupby("자치구")["면적"].sum()
    assert profile["by_gu"]["면적"] == by_gu.to_dict()
