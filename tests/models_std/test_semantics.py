"""The semantic vocabulary: the district table, code systems, region cells, tags, totals.

Reference figures are copied from reference/korean_portals.md §11.1 or read from the real
sample files with plain pandas / the csv module, never from the code under test.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from models_std import semantics as sem

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"

# korean_portals.md §11.1, typed in by hand: 구, English, MOIS 5, 행정기관코드 7, KOSTAT 5.
REFERENCE = """\
종로구 Jongno-gu 11110 3000000 11010
중구 Jung-gu 11140 3010000 11020
용산구 Yongsan-gu 11170 3020000 11030
성동구 Seongdong-gu 11200 3030000 11040
광진구 Gwangjin-gu 11215 3040000 11050
동대문구 Dongdaemun-gu 11230 3050000 11060
중랑구 Jungnang-gu 11260 3060000 11070
성북구 Seongbuk-gu 11290 3070000 11080
강북구 Gangbuk-gu 11305 3080000 11090
도봉구 Dobong-gu 11320 3090000 11100
노원구 Nowon-gu 11350 3100000 11110
은평구 Eunpyeong-gu 11380 3110000 11120
서대문구 Seodaemun-gu 11410 3120000 11130
마포구 Mapo-gu 11440 3130000 11140
양천구 Yangcheon-gu 11470 3140000 11150
강서구 Gangseo-gu 11500 3150000 11160
구로구 Guro-gu 11530 3160000 11170
금천구 Geumcheon-gu 11545 3170000 11180
영등포구 Yeongdeungpo-gu 11560 3180000 11190
동작구 Dongjak-gu 11590 3190000 11200
관악구 Gwanak-gu 11620 3200000 11210
서초구 Seocho-gu 11650 3210000 11220
강남구 Gangnam-gu 11680 3220000 11230
송파구 Songpa-gu 11710 3230000 11240
강동구 Gangdong-gu 11740 3240000 11250
"""
ROWS = [line.split() for line in REFERENCE.splitlines()]


def read_geojson_props(name: str) -> list[dict]:
    data = json.loads((SAMPLE / "boundaries" / name).read_text(encoding="utf-8"))
    return [feature["properties"] for feature in data["features"]]


# ---------------------------------------------------------------- the district table

def test_the_table_holds_the_25_gu_in_mois_order():
    assert [d.name_ko for d in sem.DISTRICTS] == [row[0] for row in ROWS]
    assert sem.GU_NAMES == tuple(row[0] for row in ROWS)


@pytest.mark.parametrize("ko, en, mois, org7, kostat", ROWS)
def test_every_gu_resolves_by_each_name_and_in_each_code_system(ko, en, mois, org7, kostat):
    short, bare = ko[:-1], en[: -len("-gu")]
    for spelling in (ko, short, en, en.lower(), en.upper(), bare, bare.lower(),
                     f"서울특별시 {ko}", f" {ko} "):
        assert sem.district_by_name(spelling).name_ko == ko, spelling
    assert sem.district_by_code(mois, sem.MOIS).name_ko == ko
    assert sem.district_by_code(int(mois), sem.MOIS).name_ko == ko
    assert sem.district_by_code(mois + "00000", sem.MOIS10).name_ko == ko
    assert sem.district_by_code(org7, sem.ORG7).name_ko == ko
    assert sem.district_by_code(kostat, sem.KOSTAT).name_ko == ko


def test_the_city_has_its_own_codes_and_is_no_gu():
    assert sem.SEOUL.codes == {"mois": "11000", "mois10": "1100000000", "org7": "6110000",
                               "kostat": "11"}
    assert sem.district_by_name("서울특별시") is None
    assert sem.district_by_code("6110000", sem.ORG7) is None
    assert sem.is_city("서울시") and sem.is_city("6110000", sem.ORG7)


def test_11110_is_jongno_in_mois_and_nowon_in_kostat():
    assert sem.district_by_code("11110", sem.MOIS).name_ko == "종로구"
    assert sem.district_by_code("11110", sem.KOSTAT).name_ko == "노원구"


def test_a_code_lookup_refuses_an_unknown_code_system():
    with pytest.raises(ValueError, match="code system"):
        sem.district_by_code("11110", "sgis")


def test_the_kostat_boundary_file_agrees_with_the_table_for_all_25_gu():
    props = read_geojson_props("southkorea_kostat_2013_seoul_municipalities_geo_simple.json")
    assert len(props) == 25
    for p in props:
        assert sem.district_by_code(p["code"], sem.KOSTAT).name_ko == p["name"]
        assert sem.district_by_name(p["name_eng"]).name_ko == p["name"]


def test_the_juso_boundary_file_agrees_with_the_table_for_all_25_gu():
    props = read_geojson_props("southkorea_juso_2015_seoul_municipalities_geo_simple.json")
    assert len(props) == 25
    for p in props:
        assert sem.district_by_code(p["SIG_CD"], sem.MOIS).name_ko == p["SIG_KOR_NM"]
        assert sem.district_by_name(p["SIG_ENG_NM"]).name_ko == p["SIG_KOR_NM"]


# ---------------------------------------------------------------- code system detection

def test_a_column_with_mois_only_codes_is_mois():
    assert sem.detect_code_system(["11110", "11140", "11740"]).system == sem.MOIS
    assert sem.detect_code_system([11680, 11110, 11110]).system == sem.MOIS


def test_a_column_with_kostat_only_codes_is_kostat():
    assert sem.detect_code_system(["11110", "11250"]).system == sem.KOSTAT
    assert sem.detect_code_system(["11010", "11140"]).system == sem.KOSTAT


def test_a_column_of_colliding_codes_is_reported_ambiguous_not_guessed():
    detection = sem.detect_code_system(["11110", "11140", "11170", "11200", "11230"] * 10)
    assert detection.system == sem.AMBIGUOUS and detection.ambiguous
    assert set(detection.candidates) == {sem.MOIS, sem.KOSTAT}


def test_the_juso_codes_are_detected_as_mois_and_the_kostat_codes_as_kostat():
    juso = read_geojson_props("southkorea_juso_2015_seoul_municipalities_geo_simple.json")
    kostat = read_geojson_props("southkorea_kostat_2013_seoul_municipalities_geo_simple.json")
    assert sem.detect_code_system(p["SIG_CD"] for p in juso).system == sem.MOIS
    assert sem.detect_code_system(p["code"] for p in kostat).system == sem.KOSTAT


def test_a_tagged_column_of_ambiguous_codes_says_so():
    frame = pd.DataFrame({"구코드": ["11110", "11140", "11170", "11200"], "건수": [1, 2, 3, 4]})
    tag = sem.tag_columns(frame)[0]
    assert (tag.tag, tag.code_system) == (sem.GU, sem.AMBIGUOUS)


# ---------------------------------------------------------------- region cells

@pytest.mark.parametrize("cell, name, code, level, gu", [
    ("서울특별시 강동구 (1174000000)", "서울특별시 강동구", "1174000000", "시군구", "강동구"),
    ("서울특별시 종로구 청운효자동(1111051500)", "서울특별시 종로구 청운효자동", "1111051500",
     "읍면동", "종로구"),
    ("서울특별시  (1100000000)", "서울특별시", "1100000000", "시도", None),
    ("전국  (1000000000)", "전국", "1000000000", "전국", None),
    ("부산광역시 중구 (2611000000)", "부산광역시 중구", "2611000000", "시군구", None),
])
def test_a_mois_region_cell_parses_into_name_code_and_level(cell, name, code, level, gu):
    region = sem.parse_region(cell)
    assert (region.name, region.code, region.level) == (name, code, level)
    assert (region.district.name_ko if region.district else None) == gu


def test_a_cell_without_a_code_is_no_region():
    assert sem.parse_region("서울특별시 강동구") is None
    assert sem.parse_region(None) is None


# ---------------------------------------------------------------- wide yearly headers

@pytest.mark.parametrize("header, label, measure", [
    ("2014년", "2014", ""), ("2015", "2015", ""), ("2013년도 이전", "2013년 이전", ""),
    ("2024년06월_계_총인구수", "2024-06", "계_총인구수"),
    ("2010년_거주자_총인구수", "2010", "거주자_총인구수"),
    ("2025년05월_세대당 인구", "2025-05", "세대당 인구"),
])
def test_period_headers_parse_into_a_label_and_a_measure(header, label, measure):
    parsed = sem.parse_period_header(header)
    assert (parsed.label, parsed.measure) == (label, measure)


@pytest.mark.parametrize("header", ["소계", "기관명", "20240601", "1111051500", "좌표정보(X)"])
def test_other_headers_are_not_periods(header):
    assert sem.parse_period_header(header) is None


def read_cctv() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "seoul_opendata" / "CCTV_in_Seoul.csv", encoding="utf-8-sig")


def test_the_cctv_year_columns_form_one_group_with_the_open_bucket_first():
    groups = sem.wide_year_columns(read_cctv().columns)
    assert list(groups) == [""]  # 소계 is a total column, not a year
    assert [h.label for h in groups[""]] == ["2013년 이전", "2014", "2015", "2016"]
    assert sem.is_wide_yearly(read_cctv().columns)


def test_melting_the_cctv_table_gives_a_long_series_per_gu():
    frame = read_cctv()
    long = sem.melt_wide_years(frame, sem.wide_year_columns(frame.columns)[""], ["기관명"])
    assert len(long) == 25 * 4
    assert list(long["year"].cat.categories) == ["2013년 이전", "2014", "2015", "2016"]
    # 강남구 row of the file: 1292, 430, 584, 932
    gangnam = long[long["기관명"] == "강남구"].sort_values("year")["value"].tolist()
    assert gangnam == [1292, 430, 584, 932]


# ---------------------------------------------------------------- column tags

def tags_by_name(frame: pd.DataFrame) -> dict[str, sem.ColumnTag]:
    return {tag.name: tag for tag in sem.tag_columns(frame)}


def test_cctv_tags_the_institution_column_as_gu_and_the_subtotal_as_a_total_column():
    tags = tags_by_name(read_cctv())
    assert (tags["기관명"].tag, tags["기관명"].code_system) == (sem.GU, sem.NAME)
    assert tags["소계"].tag == sem.MEASURE and tags["소계"].total_column
    assert tags["2013년도 이전"].year == "2013년 이전" and tags["2016년"].year == "2016"
    assert sem.total_columns(list(tags.values())) == ["소계"]


def read_cultural_events() -> pd.DataFrame:
    data = json.loads((SAMPLE / "seoul_openapi" / "culturalEventInfo_1_1000.json")
                      .read_text(encoding="utf-8"))
    return pd.DataFrame(data["culturalEventInfo"]["row"])


def test_cultural_events_tag_guname_as_gu_and_lat_lon_by_value_not_by_name():
    tags = tags_by_name(read_cultural_events())
    assert tags["GUNAME"].tag == sem.GU
    # The API swaps the names: LOT holds 37.x (latitude), LAT holds 127.x (longitude).
    assert tags["LOT"].tag == sem.LAT
    assert tags["LAT"].tag == sem.LON
    assert tags["STRTDATE"].tag == sem.DATE


def read_cinemas() -> pd.DataFrame:
    codes = {c: str for c in ("개방자치단체코드", "관리번호", "영업상태코드", "상세영업상태코드",
                              "소재지우편번호", "도로명우편번호", "인허가일자", "폐업일자")}
    return pd.read_csv(SAMPLE / "localdata" / "서울시 영화상영관 인허가 정보.csv",
                       encoding="cp949", dtype=codes)


def test_localdata_tags_the_local_government_code_as_gu_in_org7_and_tm_coordinates():
    tags = tags_by_name(read_cinemas())
    assert (tags["개방자치단체코드"].tag, tags["개방자치단체코드"].code_system) == (sem.GU, sem.ORG7)
    assert (tags["좌표정보(X)"].tag, tags["좌표정보(X)"].epsg) == (sem.X, 5174)
    assert (tags["좌표정보(Y)"].tag, tags["좌표정보(Y)"].epsg) == (sem.Y, 5174)
    assert tags["인허가일자"].tag == sem.DATE  # mixes 19580121 and 2005-03-22
    assert tags["관리번호"].tag == sem.ID
    assert tags["영업상태코드"].tag == sem.CODE  # "01", "03": codes, not measures


def test_numeric_codes_and_years_are_not_measures():
    frame = pd.DataFrame({"기준년도": [2019, 2020, 2021], "월": [1, 2, 12],
                          "우편번호": [4533, 3000, 6000], "시군구코드": [11110, 11740, 11680],
                          "인구수": [100, 200, 300]})
    tags = tags_by_name(frame)
    assert [tags[c].tag for c in frame.columns] == [sem.YEAR, sem.MONTH, sem.CODE, sem.GU,
                                                    sem.MEASURE]
    assert tags["시군구코드"].code_system == sem.MOIS


def test_a_population_column_is_not_mistaken_for_gu_codes():
    frame = pd.DataFrame({"자치구": ["종로구", "중구", "용산구"], "인구": [11230, 11110, 11140]})
    assert tags_by_name(frame)["인구"].tag == sem.MEASURE


@pytest.mark.parametrize("header, unit", [
    ("인구수", "명"), ("세대수", "세대"), ("매출액", "원"), ("당월_매출_금액", "원"),
    ("건수", "건"), ("점포수", "개"), ("방문자(명)", "명"), ("시설(개)", "개"),
    ("예산(원)", "원"), ("민원(건)", "건"), ("증가율(%)", "%"), ("CCTV", None),
])
def test_measure_units_come_from_the_header(header, unit):
    assert sem.unit_of(header) == unit


def test_ratios_are_measures_that_do_not_add_up():
    frame = pd.DataFrame({"세대당인구": [2.1, 2.3], "폐업_률": [1.5, 2.5], "매출액": [1, 2]})
    tags = tags_by_name(frame)
    assert tags["세대당인구"].additive is False and tags["폐업_률"].additive is False
    assert tags["매출액"].additive is True


# ---------------------------------------------------------------- totals

def read_population_xls() -> pd.DataFrame:
    raw = pd.read_excel(SAMPLE / "seoul_opendata" / "population_in_Seoul_2017Q1.xls",
                        header=None)
    names = []
    for column in raw.columns:  # 3 stacked header rows: keep each distinct part once
        parts = list(dict.fromkeys(raw.iloc[0:3, column]))
        names.append("_".join(parts))
    frame = raw.iloc[3:].dropna(how="all").reset_index(drop=True)
    frame.columns = names
    for name in names[2:]:
        frame[name] = pd.to_numeric(frame[name])
    return frame


@pytest.mark.filterwarnings("ignore:The xlrd engine is deprecated")
def test_the_population_total_row_is_the_only_total_row():
    frame = read_population_xls()
    mask = sem.total_row_mask(frame, sem.tag_columns(frame))
    assert frame.loc[mask, "자치구"].tolist() == ["합계"]


def test_the_national_row_of_the_mois_sido_file_is_its_only_total_row():
    frame = pd.read_csv(SAMPLE / "mois" / "202505_202505_주민등록인구및세대현황_월간_시도.csv",
                        encoding="cp949", thousands=",")
    tags = sem.tag_columns(frame)
    assert tags[0].region_level == sem.LEVEL_SIDO
    assert frame.loc[sem.total_row_mask(frame, tags), "행정구역"].tolist() == [
        "전국  (1000000000)"]


def test_the_mois_dong_file_counts_every_sido_and_sigungu_row_as_a_total():
    path = SAMPLE / "mois" / "202406_202406_연령별인구현황_월간_전국_행정동_10세.csv"
    frame = pd.read_csv(path, encoding="cp949", thousands=",")
    tags = sem.tag_columns(frame)
    assert (tags[0].tag, tags[0].region_level) == (sem.DONG, sem.LEVEL_DONG)
    # By hand with the csv module: a region whose code ends in 00000 is a 시도 or 시군구 row.
    text = path.read_bytes().decode("cp949")
    codes = [row[0][-11:-1] for row in list(csv.reader(io.StringIO(text)))[1:]]
    coarse = sum(code.endswith("00000") for code in codes)
    assert (len(codes), coarse) == (3909, 294)
    assert int(sem.total_row_mask(frame, tags).sum()) == coarse


def test_total_labels_and_the_city_are_totals_in_a_gu_table():
    frame = pd.DataFrame({"구명": ["서울특별시", "종로구", "중구", "계"], "건수": [3, 1, 2, 3]})
    assert sem.total_row_mask(frame, sem.tag_columns(frame)).tolist() == [True, False, False,
                                                                          True]


def test_a_label_column_of_only_totals_breaks_nothing_down():
    frame = pd.DataFrame({"자치구": ["종로구", "중구"], "항목": ["계", "계"], "인구수": [1, 2]})
    assert not sem.total_row_mask(frame, sem.tag_columns(frame)).any()


def test_a_kosis_item_starting_with_총_is_the_total_of_the_other_items():
    # KOSIS stacks variables in 항목: 총인구수 = 남자인구수 + 여자인구수.
    frame = pd.DataFrame({"행정구역": ["종로구"] * 3 + ["중구"] * 3,
                          "항목": ["총인구수 (명)", "남자인구수 (명)", "여자인구수 (명)"] * 2,
                          "2016": [10, 4, 6, 20, 9, 11]})
    assert sem.total_row_mask(frame, sem.tag_columns(frame)).tolist() == [
        True, False, False, True, False, False]


@pytest.mark.parametrize("codes, system", [([11110515, 11740525, 11740526], sem.MOIS8),
                                           (["1111051500", "1174052500"], sem.MOIS10)])
def test_dong_codes_are_tagged_dong_and_know_their_gu(codes, system):
    frame = pd.DataFrame({"행정동코드": codes})
    tag = sem.tag_columns(frame)[0]
    assert (tag.tag, tag.code_system) == (sem.DONG, system)
    names = sem.gu_names(frame["행정동코드"], system).tolist()
    assert names == ["종로구", "강동구", "강동구"][: len(codes)]


@pytest.mark.parametrize("date, hour, dong", [
    ("기준일ID", "시간대구분", "행정동코드"),                  # the Korean download
    ("STDR_DE_ID", "TMZON_PD_SE", "ADSTRD_CODE_SE"),          # the OpenAPI and 2025 files
])
def test_living_population_headers_tag_date_hour_and_dong(date, hour, dong):
    frame = pd.DataFrame({date: [20251017, 20251017, 20251018], hour: [0, 23, 5],
                          dong: [11110515, 11620595, 11620595],
                          "총생활인구수": [12034.5, 8801.2, 9120.0]})
    tags = {t.name: t.tag for t in sem.tag_columns(frame)}
    assert tags == {date: "date", hour: "category", dong: "dong", "총생활인구수": "measure"}
    as_text = frame.astype(str)   # the OpenAPI sends every value as a string
    assert [t.tag for t in sem.tag_columns(as_text)][:3] == ["date", "category", "dong"]
