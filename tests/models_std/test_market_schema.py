"""Reading the 상권분석서비스 files: header spellings, the period key, the 상권변화지표 rule.

Fixtures F1–F4, F11 and F12 of reference models.md §10, typed in by hand.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models_std.market import change_type, indicators
from models_std.market.schema import MarketInputError, canonical, quarter_index


@pytest.mark.parametrize("operating, closed, code, name", [
    (85, 45, "LL", "다이나믹"),     # F1
    (130, 60, "HH", "정체"),        # F2
    (90, 70, "LH", "상권확장"),     # F3
    (120, 40, "HL", "상권축소"),    # F4
])
def test_change_indicator_rule_reproduces_fixtures(operating, closed, code, name):
    result = change_type.classify([operating], [closed], [115], [53])
    assert result.tolist() == [code]
    assert change_type.name_of(code) == name


def test_change_indicator_rule_counts_a_tie_with_seoul_as_high():
    assert change_type.classify([115], [53], [115], [53]).tolist() == ["HH"]
    assert change_type.classify([114], [53], [115], [53]).tolist() == ["LH"]


def test_change_indicator_rule_leaves_missing_months_missing():
    result = change_type.classify([85, None], [45, 40], [115, 115], [53, 53])
    assert result.iloc[0] == "LL" and pd.isna(result.iloc[1])


def _sales_row(**extra) -> dict:
    row = {"기준_년분기_코드": 20241, "상권_구분_코드": "A", "상권_코드": 3110001,
           "서비스_업종_코드": "CS100001", "당월_매출_금액": 1000, "당월_매출_건수": 10}
    row.update(extra)
    return row


def test_time_band_count_header_quirk_maps_by_name():   # F11
    bands = {"시간대_건수~06_매출_건수": 1, "시간대_건수~11_매출_건수": 2,
             "시간대_건수~14_매출_건수": 3, "시간대_건수~17_매출_건수": 4,
             "시간대_건수~21_매출_건수": 5, "시간대_건수~24_매출_건수": 6}
    # Shuffled order: the mapping must not depend on position.
    frame = pd.DataFrame([_sales_row(**dict(reversed(bands.items())))])
    out = canonical(frame, "sales")
    assert out["time_00_06_count"].tolist() == [1]
    assert out["time_06_11_count"].tolist() == [2]
    assert out["time_21_24_count"].tolist() == [6]


def test_time_band_amount_headers_keep_their_start_hour():
    out = canonical(pd.DataFrame([_sales_row(**{"시간대_17~21_매출_금액": 7})]), "sales")
    assert out["time_17_21_amount"].tolist() == [7]


KOREAN_STORES = {"기준_년분기_코드": [20241], "상권_구분_코드": ["D"], "상권_코드": ["3120001"],
                 "서비스_업종_코드": ["CS100010"], "점포_수": [8], "유사_업종_점포_수": [10],
                 "개업_율": [10], "개업_점포_수": [1], "폐업_률": [20], "폐업_점포_수": [2],
                 "프랜차이즈_점포_수": [2]}
ENGLISH_STORES = {"stdr_yyqu_cd": ["20241"], "trdar_se_cd": ["D"], "trdar_cd": ["3120001"],
                  "svc_induty_cd": ["CS100010"], "stor_co": [8], "similr_induty_stor_co": [10],
                  "opbiz_rt": [10], "opbiz_stor_co": [1], "clsbiz_rt": [20],
                  "clsbiz_stor_co": [2], "frc_stor_co": [2]}


def test_2025_english_store_headers_give_the_korean_fields():   # F12
    korean = canonical(pd.DataFrame(KOREAN_STORES), "stores")
    english = canonical(pd.DataFrame(ENGLISH_STORES), "stores")
    assert list(english.columns) == list(korean.columns)
    pd.testing.assert_frame_equal(english, korean, check_dtype=False)
    assert {"stores", "similar_stores", "openings", "closures", "franchise_stores"} \
        <= set(english.columns)


def test_split_period_columns_read_as_one_quarter_code():
    frame = pd.DataFrame([_sales_row()]).drop(columns="기준_년분기_코드")
    frame.insert(0, "기준_분기_코드", "3")
    frame.insert(0, "기준_년_코드", "2023")
    assert canonical(frame, "sales")["quarter"].tolist() == [20233]


def test_older_quarterly_sales_header_is_the_same_field():
    frame = pd.DataFrame([_sales_row()]).rename(columns={"당월_매출_금액": "분기당_매출_금액"})
    assert canonical(frame, "sales")["sales_amount"].tolist() == [1000]


def test_area_code_read_as_float_comes_back_as_text():
    frame = pd.DataFrame([_sales_row(상권_코드=3110001.0)])
    assert canonical(frame, "sales")["area_code"].tolist() == ["3110001"]


def test_missing_column_names_the_korean_header():
    frame = pd.DataFrame([_sales_row()]).drop(columns="당월_매출_건수")
    with pytest.raises(MarketInputError, match="당월_매출_건수"):
        canonical(frame, "sales")


def test_a_period_that_is_not_a_quarter_says_which_row():
    frame = pd.DataFrame([_sales_row(), _sales_row(기준_년분기_코드=20245)])
    with pytest.raises(MarketInputError, match="1행"):
        canonical(frame, "sales")


def test_the_same_quarter_last_year_is_four_quarters_back():
    assert (quarter_index([20241]) - quarter_index([20231])).tolist() == [4]
    assert (quarter_index([20241]) - quarter_index([20234])).tolist() == [1]


def _stores(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["quarter", "area_code", "industry_code",
                                        "similar_stores", "openings", "closures",
                                        "franchise_stores"])
    frame["stores"] = frame["similar_stores"] - frame["franchise_stores"]
    return frame


def _sales(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["quarter", "area_code", "industry_code",
                                       "sales_amount", "sales_count"])


def _change(quarters, area="1") -> pd.DataFrame:
    return pd.DataFrame({"quarter": quarters, "area_code": area, "operating_months": 85,
                         "closed_months": 45, "seoul_operating_months": 115,
                         "seoul_closed_months": 53, "change_type": "HH"})


def test_indicators_by_hand():
    sales = _sales([(20231, "1", "a", 1000, 10), (20241, "1", "a", 900, 9),
                    (20241, "1", "b", 300, 1)])
    stores = _stores([(20231, "1", "a", 10, 1, 1, 2), (20241, "1", "a", 6, 0, 2, 3),
                      (20241, "1", "b", 2, 1, 0, 0)])
    t = indicators.area_quarters(sales, stores, _change([20231, 20241]))
    row = t[t["quarter"] == 20241].iloc[0]
    assert row["sales_yoy"] == pytest.approx(1200 / 1000 - 1)
    assert row["stores_yoy"] == pytest.approx(8 / 10 - 1)
    # The denominator is 유사_업종_점포_수 (all stores), not 점포_수.
    assert row["closure_rate"] == pytest.approx(2 / 8)
    assert row["net_opening_rate"] == pytest.approx((1 - 2) / 8)
    assert row["franchise_share"] == pytest.approx(3 / 8)
    assert row["ticket_size"] == pytest.approx(1200 / 10)
    assert row["diversity"] == pytest.approx(1 - (0.75 ** 2 + 0.25 ** 2))
    assert row["maturity"] == pytest.approx(85 / 115)
    # The rule decides over the published code.
    assert row["change_type"] == "LL"


def test_indicators_need_the_same_quarter_last_year_for_growth():
    sales = _sales([(20234, "1", "a", 1000, 10), (20241, "1", "a", 900, 9)])
    stores = _stores([(20234, "1", "a", 10, 1, 1, 2), (20241, "1", "a", 10, 0, 2, 3)])
    t = indicators.area_quarters(sales, stores, _change([20234, 20241]))
    assert t["sales_yoy"].isna().all()   # 2023 Q4 is the previous quarter, not last year's


def test_masked_sales_cells_are_counted_not_zeroed():
    sales = _sales([(20241, "1", "a", None, 10), (20241, "1", "b", 500, 5)])
    stores = _stores([(20241, "1", "a", 5, 0, 0, 0), (20241, "1", "b", 5, 0, 0, 0)])
    t = indicators.area_quarters(sales, stores, _change([20241]))
    assert t["masked_share"].tolist() == [0.5]
    assert t["sales_amount"].tolist() == [500]
    assert np.isfinite(t["sales_per_store"]).all()
