"""read_table on the real files of sample_data/ (facts checked against the files
themselves), then on small synthetic files for each way a file can be wrong."""
from __future__ import annotations

import io
import random
import zipfile
from functools import lru_cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from portal.catalog.cleaning import clean_table
from portal.catalog.errors import IngestError
from portal.catalog.reading import read_table

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"

CCTV = "seoul_opendata/CCTV_in_Seoul.csv"
POPULATION_XLS = "seoul_opendata/population_in_Seoul_2017Q1.xls"
CATALOG_JSON = "seoul_opendata/seoul-api-catalog_SearchCatalogService.json"
WIFI_HEADER_ONLY = "seoul_opendata/서울시 공공와이파이 서비스 위치 정보_HEADER_ONLY.csv"
MOIS_SIDO = "mois/202505_202505_주민등록인구및세대현황_월간_시도.csv"
MOIS_SIDO_SEX = "mois/202505_202505_주민등록인구및세대현황_월간_시도_성별.csv"
MOIS_DONG_AGE = "mois/202406_202406_연령별인구현황_월간_전국_행정동_10세.csv"
MOIS_CODES = "mois/code_hdong_행정기관코드.json"
KOSIS = "kosis/DT_1B04005N_population_raw_data.xlsx"
CINEMAS = "localdata/서울시 영화상영관 인허가 정보.csv"
FESTIVALS = "datagokr/전국문화축제표준데이터.csv"
MARKETS = "datagokr/전국전통시장표준데이터.csv"
EVENTS = "seoul_openapi/culturalEventInfo_1_1000.json"


@lru_cache(maxsize=None)
def raw(relative: str, sheet=None):
    path = SAMPLE / relative
    return read_table(path.read_bytes(), path.name, sheet=sheet)


@lru_cache(maxsize=None)
def clean(relative: str) -> pd.DataFrame:
    return clean_table(raw(relative).frame)


def read_text(text: str, name: str = "test.csv", encoding: str = "utf-8"):
    return read_table(text.encode(encoding), name)


# --- every real sample file -----------------------------------------------------------------

@pytest.mark.parametrize("relative, fmt, encoding, rows, columns", [
    (CCTV, "csv", "utf-8-sig", 25, ["기관명", "소계", "2013년도 이전", "2014년", "2015년", "2016년"]),
    (MOIS_SIDO, "csv", "cp949", 18, ["행정구역", "2025년05월_총인구수", "2025년05월_세대수",
                                      "2025년05월_세대당 인구"]),
    (MOIS_SIDO_SEX, "csv", "cp949", 18, ["행정구역", "2025년05월_총인구수", "2025년05월_세대수",
                                          "2025년05월_남자 인구수", "2025년05월_여자 인구수",
                                          "2025년05월_남여 비율"]),
    (MOIS_DONG_AGE, "csv", "cp949", 3909, ["행정구역", "2024년06월_계_총인구수",
                                            "2024년06월_계_0~9세", "2024년06월_계_100세 이상"]),
    (CINEMAS, "csv", "cp949", 903, ["개방자치단체코드", "관리번호", "인허가일자", "폐업일자",
                                     "좌표정보(X)", "좌표정보(Y)", "지역구분명"]),
    (FESTIVALS, "csv", "cp949", 1289, ["축제명", "개최장소", "축제시작일자", "위도", "경도",
                                        "데이터기준일자", "제공기관코드", "제공기관명"]),
    (MARKETS, "csv", "cp949", 1388, ["시장명", "시장유형", "점포수", "개설연도", "데이터기준일자"]),
    (POPULATION_XLS, "xls", None, 26, ["기간", "자치구", "세대", "인구_합계_계"]),
    (KOSIS, "xlsx", None, 846, ["행정구역(동읍면)별(1)", "행정구역(동읍면)별(2)", "항목", "2016_계"]),
    (EVENTS, "json", "utf-8", 1000, ["CODENAME", "GUNAME", "TITLE", "STRTDATE", "LOT", "LAT"]),
    (MOIS_CODES, "json", "utf-8", 8509, ["시도코드", "시도명", "시군구코드", "시군구명", "행정동코드",
                                          "읍면동명", "생성일자", "말소일자"]),
    (CATALOG_JSON, "json", "utf-8", 8212, ["id", "name", "category", "district", "mapCategory",
                                            "serviceType"]),
])
def test_each_sample_file_reads_with_its_encoding_row_count_and_columns(
        relative, fmt, encoding, rows, columns):
    table = raw(relative)
    assert (table.format, table.encoding, len(table.frame)) == (fmt, encoding, rows)
    assert [c for c in columns if c not in table.frame.columns] == []
    assert table.frame.columns.is_unique
    assert all(name == name.strip() and name for name in table.frame.columns)


def test_cctv_file_is_utf8_with_bom_and_its_counts_are_numbers():
    table = raw(CCTV)
    assert list(table.frame.columns) == ["기관명", "소계", "2013년도 이전", "2014년", "2015년",
                                         "2016년"]  # the BOM is not part of the first name
    assert (table.header_rows, table.data_start_row) == (1, 2)
    frame = clean(CCTV).set_index("기관명")
    assert frame.loc["강남구", "소계"] == 2780
    assert str(frame["소계"].dtype) == "Int64"


def test_mois_sido_file_keeps_the_region_cell_and_reads_quoted_thousands_as_numbers():
    frame = clean(MOIS_SIDO)
    assert frame["행정구역"].iloc[0] == "전국  (1000000000)"  # two spaces at 시도 level
    assert frame["행정구역"].iloc[1:].str.contains("(", regex=False).all()
    assert frame["2025년05월_총인구수"].iloc[0] == 51_169_148
    assert frame["2025년05월_세대수"].iloc[1] == 4_498_871  # 서울특별시
    assert str(frame["2025년05월_총인구수"].dtype) == "Int64"
    # "          2.07": a padded ratio is a float
    assert frame["2025년05월_세대당 인구"].tolist()[:2] == [2.11, 2.07]


def test_mois_sido_by_sex_file_reads_the_padded_ratio_column():
    frame = clean(MOIS_SIDO_SEX)
    assert frame["2025년05월_남자 인구수"].iloc[0] == 25_470_398
    assert frame["2025년05월_남여 비율"].iloc[0] == 0.99


def test_mois_dong_age_file_reads_every_level_with_its_codes_in_the_region_cell():
    frame = clean(MOIS_DONG_AGE)
    row = frame[frame["행정구역"] == "서울특별시 종로구 청운효자동(1111051500)"]
    assert row["2024년06월_계_총인구수"].tolist() == [11_190]
    assert frame["행정구역"].iloc[0] == "서울특별시  (1100000000)"
    assert frame["2024년06월_계_총인구수"].iloc[0] == 9_366_283
    assert all(str(frame[c].dtype) == "Int64" for c in frame.columns[1:])


def test_population_xls_flattens_three_header_rows_into_unique_names():
    table = raw(POPULATION_XLS)
    assert (table.header_rows, table.data_start_row, table.sheet) == (3, 4, "YainSoft_Excel1")
    assert list(table.frame.columns) == [
        "기간", "자치구", "세대", "인구_합계_계", "인구_합계_남자", "인구_합계_여자",
        "인구_한국인_계", "인구_한국인_남자", "인구_한국인_여자",
        "인구_등록외국인_계", "인구_등록외국인_남자", "인구_등록외국인_여자",
        "세대당인구", "65세이상고령자"]


def test_population_xls_has_the_total_and_25_gu_and_drops_the_blank_last_row():
    frame = clean(POPULATION_XLS)
    assert frame["자치구"].iloc[0] == "합계"
    assert frame["자치구"].iloc[-1] == "강동구"
    assert frame["인구_합계_계"].iloc[0] == 10_197_604
    assert frame["인구_합계_계"].iloc[1:].sum() == 10_197_604
    assert frame["기간"].iloc[0] == "2017.1/4"  # a quarter, not 4 January 2017
    assert frame["세대당인구"].iloc[0] == 2.36


def test_kosis_xlsx_reads_the_data_sheet_with_two_flattened_header_rows():
    table = raw(KOSIS)
    assert (table.sheet, table.header_rows, table.data_start_row) == ("데이터", 2, 3)
    assert list(table.frame.columns)[3:6] == ["2016_계", "2016_20 - 24세", "2016_25 - 29세"]
    assert table.frame.columns[-1] == "2016_100+"


def test_kosis_xlsx_fills_merged_region_cells_down_within_their_parent():
    frame = clean(KOSIS)
    region, gu, item = frame.columns[:3]
    assert frame.loc[:2, region].tolist() == ["전국"] * 3
    jongno = frame[frame[gu] == "종로구"]
    assert jongno[region].unique().tolist() == ["서울특별시"]
    assert jongno[item].tolist() == ["총인구수 (명)", "남자인구수 (명)", "여자인구수 (명)"]
    assert frame[[region, gu]].notna().all().all()
    assert frame["2016_계"].iloc[0] == 51_696_216


def test_kosis_metadata_sheet_can_be_read_by_name_or_position():
    table = raw(KOSIS, sheet="메타정보")
    # a key-value sheet has no header: its first pair names the columns
    assert (table.sheet, table.frame.shape) == ("메타정보", (23, 2))
    assert list(table.frame.columns) == ["○ 통계표ID", "DT_1B04005N"]
    assert raw(KOSIS, sheet=1).sheet == "메타정보"


def test_localdata_cinemas_keep_codes_as_text_and_read_both_date_spellings():
    frame = clean(CINEMAS)
    assert frame.shape == (903, 56)
    for code in ("개방자치단체코드", "관리번호", "영업상태코드", "도로명우편번호"):
        assert frame[code].dtype == "str", code
    assert frame["개방자치단체코드"].iloc[0] == "3010000"
    assert frame["관리번호"].iloc[0] == "CDFF4220002005000002"
    assert set(frame["영업상태코드"]) == {"01", "03", "04"}
    assert frame["도로명우편번호"].iloc[0] == "04533"
    licensed = frame["인허가일자"]
    assert pd.api.types.is_datetime64_any_dtype(licensed) and licensed.notna().all()
    assert licensed.min() == pd.Timestamp("1958-01-21")  # written 19580121
    assert licensed.max() == pd.Timestamp("2024-10-23")  # written 2024-10-23


def test_localdata_sentinel_closing_date_is_missing():
    source = pd.read_csv(SAMPLE / CINEMAS, encoding="cp949", dtype=str)
    sentinel = source["폐업일자"] == "9999-12-31"
    assert sentinel.sum() == 1
    closed = clean(CINEMAS)["폐업일자"]
    assert pd.api.types.is_datetime64_any_dtype(closed)
    assert closed[sentinel.to_numpy()].isna().all()
    assert closed.notna().sum() == source["폐업일자"].notna().sum() - 1
    assert closed.max() < pd.Timestamp("2100-01-01")


def test_localdata_coordinates_are_numbers():
    frame = clean(CINEMAS)
    assert frame["좌표정보(X)"].between(180_000, 215_000).sum() == 887  # 16 rows have none


def test_festival_standard_data_types_dates_coordinates_and_provider_code():
    frame = clean(FESTIVALS)
    assert pd.api.types.is_datetime64_any_dtype(frame["축제시작일자"])
    assert frame["축제시작일자"].min() == pd.Timestamp("2013-08-31")
    assert frame["위도"].dtype == "float64"
    assert frame["제공기관코드"].dtype == "str"
    assert frame["전화번호"].dtype == "str"


def test_market_standard_data_keeps_years_as_numbers_not_dates():
    frame = clean(MARKETS)
    assert str(frame["점포수"].dtype) == "Int64"
    assert str(frame["개설연도"].dtype) == "Int64"
    assert frame["데이터기준일자"].iloc[0] == pd.Timestamp("2024-11-04")
    assert frame["제공기관코드"].iloc[0] == "B553077"


def test_seoul_openapi_envelope_gives_its_rows():
    frame = clean(EVENTS)
    assert frame["CODENAME"].iloc[0] == "전시/미술"
    assert frame["STRTDATE"].iloc[0] == pd.Timestamp("2025-12-18")
    assert frame["LOT"].between(37, 38).mean() > 0.9  # LOT holds the latitude


def test_pandas_columns_orientation_json_with_bare_nan_reads_codes_as_text():
    frame = clean(MOIS_CODES)
    assert frame["행정동코드"].iloc[3] == "1111051500"
    assert frame["시도코드"].iloc[0] == "11"
    assert frame["읍면동명"].iloc[3] == "청운효자동"
    assert frame["말소일자"].isna().sum() == 3882
    assert frame["생성일자"].iloc[0] == pd.Timestamp("1988-04-23")


def test_header_only_file_is_an_error_naming_the_first_missing_row():
    with pytest.raises(IngestError, match="header but no data rows") as caught:
        raw(WIFI_HEADER_ONLY)
    assert caught.value.row == 2


def test_geojson_boundaries_are_refused_as_map_layers():
    path = SAMPLE / "boundaries/southkorea_juso_2015_seoul_municipalities_geo_simple.json"
    with pytest.raises(IngestError, match="map layer"):
        read_table(path.read_bytes(), path.name)


# --- formats by content ----------------------------------------------------------------------

def test_an_excel_file_named_csv_is_read_as_excel():
    data = (SAMPLE / POPULATION_XLS).read_bytes()
    assert read_table(data, "population.csv").format == "xls"


def test_a_csv_named_xlsx_is_read_as_csv():
    table = read_table("구,인구\n종로구,1\n".encode("cp949"), "wrong.xlsx")
    assert (table.format, table.encoding) == ("csv", "cp949")


def test_an_html_error_page_saved_as_xls_is_refused_with_a_reason():
    with pytest.raises(IngestError, match="HTML or XML page"):
        read_table(b"<html><body>Error 500</body></html>", "data.xls")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    with pytest.raises(IngestError, match="ZIP archive, not an Excel workbook"):
        read_table(buffer.getvalue(), "data.xlsx")


def test_a_truncated_xlsx_is_refused_with_a_way_out():
    data = (SAMPLE / KOSIS).read_bytes()[:20_000]
    with pytest.raises(IngestError, match="damaged") as caught:
        read_table(data, "kosis.xlsx")
    assert "save it again" in str(caught.value)


def test_an_unknown_sheet_lists_the_sheets_there_are():
    with pytest.raises(IngestError, match="데이터, 메타정보"):
        read_table((SAMPLE / KOSIS).read_bytes(), "kosis.xlsx", sheet="Sheet1")


def test_an_xlsx_without_a_data_sheet_reads_its_first_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "통계"
    book.active.append(["자치구", "인구"])
    book.active.append(["종로구", 152737])
    book.create_sheet("설명").append(["설명"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "gu.xlsx")
    assert table.sheet == "통계"
    assert table.frame.to_dict("list") == {"자치구": ["종로구"], "인구": [152737]}


def test_tab_separated_utf16_text_from_excel_reads():
    data = "\ufeff자치구\t인구\n종로구\t1,234\n".encode("utf-16-le")
    table = read_table(data, "gu.txt")
    assert table.encoding.startswith("utf_16")
    assert table.frame.to_dict("list") == {"자치구": ["종로구"], "인구": [1234]}


# --- headers -----------------------------------------------------------------------------

def test_a_single_header_row_is_not_mistaken_for_a_stacked_one():
    table = read_text("기관명,소계\n강남구,2780\n강동구,773\n")
    assert (table.header_rows, list(table.frame.columns)) == (1, ["기관명", "소계"])


def test_an_all_text_table_keeps_its_first_row_as_its_only_header():
    table = read_text("이름,주소\n가,서울\n나,부산\n다,대구\n")
    assert table.header_rows == 1 and len(table.frame) == 3


def test_stacked_csv_header_with_blank_merged_cells_is_flattened():
    text = ("자치구,인구,,,세대\n"
            ",계,남자,여자,\n"
            "종로구,\"162,820\",\"79,675\",\"83,145\",\"72,654\"\n")
    table = read_text(text)
    assert table.header_rows == 2 and table.data_start_row == 3
    assert list(table.frame.columns) == ["자치구", "인구_계", "인구_남자", "인구_여자", "세대"]
    assert table.frame["인구_계"].iloc[0] == 162820


def test_year_labels_in_a_lower_header_row_stay_in_the_header():
    table = read_text("자치구,CCTV,,\n,2014,2015,2016\n종로구,10,20,30\n")
    assert list(table.frame.columns) == ["자치구", "CCTV_2014", "CCTV_2015", "CCTV_2016"]


def test_title_and_unit_lines_above_the_header_are_skipped():
    table = read_text("서울시 자치구별 인구\n(단위: 명)\n자치구,인구,세대\n종로구,1,2\n")
    assert list(table.frame.columns) == ["자치구", "인구", "세대"]
    assert table.data_start_row == 4


def test_duplicate_and_blank_column_names_are_made_unique():
    table = read_text("이름,이름,,값\n가,나,다,1\n")
    assert list(table.frame.columns) == ["이름", "이름_2", "column_3", "값"]


def test_a_trailing_separator_on_every_data_line_is_ignored():
    table = read_text("구,값\n종로구,1,\n중구,2,\n")
    assert list(table.frame.columns) == ["구", "값"] and len(table.frame) == 2


def test_trailing_blank_rows_are_dropped():
    table = read_text("구,값\n종로구,1\n중구,2\n,\n,\n")
    assert len(table.frame) == 2


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"  \r\n\n"])
def test_an_empty_file_is_an_error(data):
    with pytest.raises(IngestError, match="empty"):
        read_table(data, "empty.csv")


def test_a_ragged_row_is_an_error_naming_its_line():
    text = "구,값\n종로구,1\n중구,2\n용산구,3,4\n성동구,5\n"
    with pytest.raises(IngestError, match="line 4 has 3 fields") as caught:
        read_text(text)
    assert caught.value.row == 4 and caught.value.filename == "test.csv"


def test_a_ragged_row_far_into_a_big_file_names_its_line():
    lines = ["구,값"] + [f"구{i},{i}" for i in range(20_000)]
    lines[15_000] += ",extra"
    with pytest.raises(IngestError) as caught:
        read_text("\n".join(lines) + "\n")
    assert caught.value.row == 15_001


def test_an_unclosed_quote_is_an_error_naming_where_it_opens():
    with pytest.raises(IngestError, match="never closed") as caught:
        read_text('구,값\n종로구,1\n"중구,2\n용산구,3\n')
    assert caught.value.row == 3


def test_bytes_in_no_known_encoding_are_an_error_naming_the_offset():
    data = random.Random(7).randbytes(4000)
    with pytest.raises(IngestError, match="cannot decode") as caught:
        read_table(data, "noise.csv")
    assert "offset" in caught.value.message and caught.value.row >= 1


def test_a_damaged_cp949_file_is_an_error_at_the_damaged_line_not_a_guess():
    lines = ["자치구,인구"] + [f"종로구,{i}" for i in range(30_000)]
    data = "\n".join(lines).encode("cp949")
    at = data.index(b"\n", 300_000) + 1  # past the head pandas is not given to check
    line = data[:at].count(b"\n") + 1
    damaged = data[:at] + b"\xff" + data[at + 1:]
    with pytest.raises(IngestError, match="not valid CP949") as caught:
        read_table(damaged, "gu.csv")
    assert caught.value.row == line


def test_a_cp949_file_whose_korean_starts_late_still_reads_as_cp949():
    lines = ["a,b"] + [f"{i},{i}" for i in range(40_000)] + ["종로구,1"]
    table = read_table("\n".join(lines).encode("cp949"), "late.csv")
    assert table.encoding == "cp949" and table.frame["a"].iloc[-1] == "종로구"


def test_not_json_is_an_error_naming_the_line():
    with pytest.raises(IngestError, match="not valid JSON") as caught:
        read_table(b'[\n{"a": 1},\n{"a": }\n]', "rows.json")
    assert caught.value.row == 3


def test_seoul_openapi_error_answer_is_an_error_with_its_code():
    body = '{"RESULT": {"CODE": "ERROR-500", "MESSAGE": "서버 오류입니다."}}'
    with pytest.raises(IngestError, match="ERROR-500"):
        read_table(body.encode(), "answer.json")
    wrapped = '{"tbX": {"RESULT": {"CODE": "INFO-200", "MESSAGE": "해당하는 데이터가 없습니다."}}}'
    with pytest.raises(IngestError, match="INFO-200"):
        read_table(wrapped.encode(), "answer.json")


def test_an_ole2_file_that_is_not_a_workbook_is_refused():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    with pytest.raises(IngestError, match="not a readable XLS workbook"):
        read_table(data, "report.hwp")
