"""clean_table, one rule at a time, on small frames shaped like what read_table gives
(text columns from CSV and JSON, objects from Excel, numbers from the parser's fast path)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from portal.catalog.cleaning import (CleanResult, clean_table, clean_table_with_notes,
                                     columns_to_read_as_text)


def text(*values) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def cleaned(name: str, *values) -> pd.Series:
    return clean_table(pd.DataFrame({name: text(*values)}))[name]


# --- numbers ---------------------------------------------------------------------------------

def test_thousands_separators_make_exact_integers():
    column = cleaned("총인구수", "9,328,042", "51,169,148", "712")
    assert str(column.dtype) == "Int64"
    assert column.tolist() == [9_328_042, 51_169_148, 712]


def test_padded_ratios_become_floats():
    column = cleaned("세대당 인구", "          2.07", "          2.11")
    assert column.dtype == "float64" and column.tolist() == [2.07, 2.11]


@pytest.mark.parametrize("marker", ["-", "－", "..", "x", "X", "", "   "])
def test_missing_markers_in_a_number_column_are_missing(marker):
    column = cleaned("건수", "1,204", marker, "17")
    assert str(column.dtype) == "Int64"
    assert column.isna().tolist() == [False, True, False]


def test_integral_floats_become_integers_and_fractions_stay_floats():
    frame = clean_table(pd.DataFrame({"정수": [1.0, None, 3.0], "실수": [1.5, None, 2.0]}))
    assert str(frame["정수"].dtype) == "Int64" and frame["정수"].tolist()[::2] == [1, 3]
    assert frame["실수"].dtype == "float64"


def test_parser_typed_integers_become_nullable_integers():
    frame = clean_table(pd.DataFrame({"년도": [2014, 2015], "월": [1, 2]}))
    assert [str(t) for t in frame.dtypes] == ["Int64", "Int64"]


def test_one_real_word_keeps_a_number_column_as_text_and_says_why():
    values = [f"{i},000" for i in range(1, 20)] + ["확인중"]
    result = clean_table_with_notes(pd.DataFrame({"인구": text(*values)}))
    assert result.frame["인구"].dtype == "str"
    assert result.frame["인구"].tolist() == values
    assert "확인중" in result.notes["인구"]


def test_a_word_late_in_a_long_column_keeps_it_text():
    values = [f"{i:,}" for i in range(10_000)]
    values[9_973] = "비공개"  # not in the sample: the full conversion must catch it
    result = clean_table_with_notes(pd.DataFrame({"금액": text(*values)}))
    assert result.frame["금액"].dtype == "str" and "비공개" in result.notes["금액"]


def test_commas_that_are_not_thousands_separators_keep_text():
    assert cleaned("층", "1,2", "3,4").tolist() == ["1,2", "3,4"]


def test_an_all_missing_column_is_empty_text():
    frame = clean_table(pd.DataFrame({"비고": [None, None], "면적": [float("nan")] * 2}))
    assert frame["비고"].isna().all() and frame["비고"].dtype == "str"
    assert frame["면적"].dtype == "str"


# --- codes -----------------------------------------------------------------------------------

def test_codes_with_leading_zeros_stay_text():
    assert cleaned("상태", "01", "03", "13").tolist() == ["01", "03", "13"]
    assert cleaned("우편", "04533", "12345").tolist() == ["04533", "12345"]


@pytest.mark.parametrize("name, values", [
    ("개방자치단체코드", ("3000000", "3010000", "3240000")),
    ("관리번호", ("20050322001", "20050322002")),
    ("전화번호", ("2118-5443", "7305")),
    ("SIGNGU_CD", ("11110", "11140")),
    ("행정동", ("1111051500", "1111053000")),  # one width of 10 digits: a code
])
def test_identifiers_stay_text(name, values):
    column = cleaned(name, *values)
    assert column.dtype == "str" and column.tolist() == list(values)


def test_fixed_width_counts_under_a_quantity_name_are_numbers():
    column = cleaned("인구수", "1234567", "2345678")
    assert str(column.dtype) == "Int64"


def test_identifier_stored_as_a_number_by_excel_comes_back_as_text():
    frame = clean_table(pd.DataFrame({"개방자치단체코드": pd.Series([3000000, 3010000],
                                                                   dtype=object)}))
    assert frame["개방자치단체코드"].tolist() == ["3000000", "3010000"]


def test_digit_strings_longer_than_a_float_holds_stay_text():
    assert cleaned("값", "2010000000000000001", "2010000000000000002").dtype == "str"


# --- dates -----------------------------------------------------------------------------------

def test_mixed_date_spellings_in_one_column_become_dates():
    column = cleaned("인허가일자", "19580121", "2024-10-23", "2005.03.22", "2020/06/08")
    assert pd.api.types.is_datetime64_any_dtype(column)
    assert column.tolist() == [pd.Timestamp(d) for d in
                               ("1958-01-21", "2024-10-23", "2005-03-22", "2020-06-08")]


def test_timestamps_with_a_fraction_become_datetimes():
    column = cleaned("데이터갱신일자", "2023-12-06 00:08:00.0", "2018-08-31 23:59:59.0")
    assert column.tolist() == [pd.Timestamp("2023-12-06 00:08:00"),
                               pd.Timestamp("2018-08-31 23:59:59")]


@pytest.mark.parametrize("sentinel", ["9999-12-31", "99991231", "1900-01-01", "0000-00-00",
                                      "00000000"])
def test_sentinel_dates_are_missing(sentinel):
    result = clean_table_with_notes(pd.DataFrame({"폐업일자": text("20130306", sentinel, None)}))
    column = result.frame["폐업일자"]
    assert pd.api.types.is_datetime64_any_dtype(column)
    assert column.tolist()[0] == pd.Timestamp("2013-03-06")
    assert column.isna().tolist() == [False, True, True]
    assert "폐업일자" in result.notes


def test_eight_digit_values_without_a_date_header_are_not_dates():
    column = cleaned("매출액", "20240101", "20231231")
    assert str(column.dtype) == "Int64"


def test_plain_years_are_numbers_not_dates():
    assert str(cleaned("개설연도", "1980", "1977", "2014").dtype) == "Int64"


def test_separated_dates_are_dates_even_without_a_date_header():
    column = cleaned("RGST", "2025-01-10", "2025-03-31")
    assert pd.api.types.is_datetime64_any_dtype(column)


def test_quarter_labels_and_date_ranges_stay_text():
    assert cleaned("기간", "2017.1/4", "2017.2/4").tolist() == ["2017.1/4", "2017.2/4"]
    assert cleaned("DATE", "2025-12-18~2025-12-21").dtype == "str"


def test_an_impossible_date_keeps_the_column_text():
    values = [f"2024-01-{day:02d}" for day in range(1, 31)] + ["2024-02-30"]
    result = clean_table_with_notes(pd.DataFrame({"시작일자": text(*values)}))
    assert result.frame["시작일자"].dtype == "str"
    assert "2024-02-30" in result.notes["시작일자"]


def test_excel_dates_are_datetimes_and_their_sentinels_missing():
    values = pd.Series([dt.datetime(2016, 1, 1), dt.datetime(9999, 12, 31), None], dtype=object)
    column = clean_table(pd.DataFrame({"기준일": values}))["기준일"]
    assert column.tolist()[0] == pd.Timestamp("2016-01-01") and column.isna().sum() == 2


def test_dates_stored_as_numbers_under_a_date_header_become_dates():
    column = clean_table(pd.DataFrame({"생성일자": [19880423, 20081101]}))["생성일자"]
    assert column.tolist() == [pd.Timestamp("1988-04-23"), pd.Timestamp("2008-11-01")]


# --- text --------------------------------------------------------------------------------

def test_text_is_stripped_and_blank_cells_are_missing():
    column = cleaned("사업장명", "  롯데시네마 ", "", "   ", "CGV")
    assert column.tolist()[::3] == ["롯데시네마", "CGV"]
    assert column.isna().tolist() == [False, True, True, False]


def test_mixed_excel_objects_become_text():
    frame = clean_table(pd.DataFrame({"비고": pd.Series(["가", 3, None], dtype=object)}))
    assert frame["비고"].tolist()[:2] == ["가", "3"] and frame["비고"].isna().iloc[2]


# --- the table as a whole --------------------------------------------------------------------

def test_cleaning_returns_a_typed_copy_and_leaves_the_input_alone():
    source = pd.DataFrame({"자치구": text("종로구", "중구"), "인구": text("1,000", "2,000")},
                          index=[10, 11])
    before = source.copy()
    frame = clean_table(source)
    pd.testing.assert_frame_equal(source, before)
    assert list(frame.index) == [0, 1] and list(frame.columns) == ["자치구", "인구"]


def test_notes_come_with_the_frame_when_asked_for():
    result = clean_table_with_notes(pd.DataFrame({"영업상태코드": text("01", "03")}))
    assert isinstance(result, CleanResult)
    assert result.notes == {"영업상태코드": "identifier kept as text"}


def test_the_fast_reader_is_told_to_keep_codes_dates_and_odd_commas_as_text():
    sample = pd.DataFrame({"코드": text("01", "02"), "일자": text("20240101", "20240102"),
                           "층": text("1,2", "3"), "인구": text("1,000", "2"),
                           "이름": text("가", "나")})
    assert columns_to_read_as_text(sample) == ["코드", "일자", "층", "이름"]
