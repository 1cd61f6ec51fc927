"""The market model run on the generated Seoul (1,650 areas × 8 quarters) with planted areas."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from models_std.base import RESULT_COLUMNS, RunRequest
from models_std.comparison import MASKED_SHARE, SMALL_GROUP, pct_rank
from models_std.market import SPEC, index, synthetic
from models_std.market.run import read_inputs, score_seoul
from models_std.market.schema import MarketInputError

YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))


def run(inputs=None, gu=synthetic.DECLINE_GU, period=YEAR_2024, unit=None, **params):
    request = RunRequest(inputs=inputs or synthetic.generate(),
                         parameters={**SPEC.defaults(), **params}, gu_code=gu,
                         period_start=period[0], period_end=period[1], unit_id=unit)
    return SPEC.run(request)


@pytest.fixture(scope="module")
def decline():
    return run(unit=synthetic.planted(synthetic.DECLINE_NAME))


@pytest.fixture(scope="module")
def seoul():
    tables = read_inputs(synthetic.generate())
    scored, _ = score_seoul(tables, SPEC.defaults(), date(2024, 12, 31))
    return scored


def value(table, unit, metric):
    row = table[(table.unit_id == unit) & (table.metric == metric)]
    assert len(row) == 1, (unit, metric)
    return row.iloc[0]


def test_result_has_the_shared_columns_the_gu_areas_and_every_gu(decline):
    table = decline.table
    assert tuple(table.columns) == RESULT_COLUMNS
    areas, gus = table[table.unit_type == "trdar"], table[table.unit_type == "gu"]
    assert set(areas.gu_code) == {synthetic.DECLINE_GU}
    assert gus.unit_id.nunique() == 25
    # One quarter, the last of the period: one row per unit and metric.
    assert set(table.period_start) == {"2024-10-01"} and set(table.period_end) == {"2024-12-31"}
    assert not table.duplicated(["unit_type", "unit_id", "metric"]).any()


def test_declining_market_scores_low_grade_and_decline_quadrant(decline):
    table, area = decline.table, synthetic.planted(synthetic.DECLINE_NAME)
    rvi = value(table, area, "rvi")
    others = table[(table.metric == "rvi") & (table.unit_type == "trdar")]
    assert rvi.value < others.value.median()
    assert rvi.value < rvi.seoul_value           # below the Seoul median of R areas
    assert rvi.seoul_pct_rank < 10
    assert value(table, area, "grade").value == 5
    assert value(table, area, "quadrant").value == 4          # 상권쇠퇴관리
    assert value(table, area, "change_type").value == 4       # HH 정체
    assert value(table, area, "sales_yoy_pct").value < -15
    closure = value(table, area, "closure_rate_pct")
    assert closure.value > closure.prev_period_value          # closures rising


def test_planted_decline_is_named_in_the_summary(decline):
    assert any(synthetic.DECLINE_NAME in line and "상권쇠퇴관리" in line
               for line in decline.summary_ko)


@pytest.fixture(scope="module")
def median_gu():
    return run(gu=synthetic.MEDIAN_GU, unit=synthetic.planted(synthetic.MEDIAN_NAME))


def test_area_without_planted_effect_sits_in_the_middle(median_gu, seoul):
    area = synthetic.planted(synthetic.MEDIAN_NAME)
    assert value(median_gu.table, area, "grade").value == 3
    quarters = seoul[seoul.area_code == area]
    assert len(quarters) == 8
    assert quarters.rvi_rank.between(30, 70).all()
    assert quarters.grade.isin([2, 3, 4]).all()


def test_overheating_area_raises_the_gentrification_watch():
    area = synthetic.planted(synthetic.HEAT_NAME)
    table = run(gu=synthetic.HEAT_GU, unit=area).table
    assert value(table, area, "gentrification_flag").value >= 1
    assert value(table, area, "gentrification_signals").value >= 2
    assert value(table, area, "quadrant").value in (1, 2)     # high growth


def test_small_and_masked_areas_get_a_flag_instead_of_a_rank(median_gu):
    table = median_gu.table
    for name, flag in ((synthetic.SMALL_NAME, SMALL_GROUP), (synthetic.MASKED_NAME, MASKED_SHARE)):
        rows = table[(table.unit_id == synthetic.planted(name))]
        assert set(rows.quality_flag) == {flag}
        assert rows.seoul_pct_rank.isna().all() and rows.gu_pct_rank.isna().all()
        assert rows[rows.metric == "grade"].value.isna().all()


def test_seoul_median_of_the_area_type_scores_100(decline, seoul):
    table = decline.table
    rows = table[(table.metric == "rvi") & table.value.notna()]
    area_types = seoul.drop_duplicates("area_code").set_index("area_code")["area_type"]
    for _, row in rows[rows.unit_type == "trdar"].iterrows():
        peers = seoul[(seoul.quarter == 20244) & seoul.ranked
                      & (seoul.area_type == area_types[row.unit_id])]
        assert row.seoul_value == pytest.approx(peers.rvi.median(), abs=1e-6)
        assert row.index_seoul100 == pytest.approx(100 * row.value / row.seoul_value, abs=1e-4)
    # An area exactly at the median scores 100.
    at_median = rows[np.isclose(rows.value, rows.seoul_value)]
    assert (at_median.index_seoul100.round(4) == 100).all()


def test_ranks_follow_the_values(decline):
    table = decline.table
    for metric, group in table[table.unit_type == "trdar"].groupby("metric"):
        ranked = group.dropna(subset=["gu_pct_rank"]).sort_values("value", kind="mergesort")
        assert ranked.gu_pct_rank.is_monotonic_increasing, metric
    for metric, group in table.groupby(["unit_type", "metric"]):
        if group.unit_type.iloc[0] == "gu":
            ranked = group.dropna(subset=["seoul_pct_rank"]).sort_values("value")
            assert ranked.seoul_pct_rank.is_monotonic_increasing, metric
    grades = table[table.metric == "grade"].set_index("unit_id").value
    rvi = table[table.metric == "rvi"].set_index("unit_id")
    ordered = rvi.assign(grade=grades).dropna(subset=["grade", "seoul_pct_rank"]) \
        .sort_values("seoul_pct_rank")
    assert ordered.grade.is_monotonic_decreasing


def test_same_run_twice_is_byte_identical(decline):
    again = run(unit=synthetic.planted(synthetic.DECLINE_NAME))
    assert again.table.to_csv(index=False) == decline.table.to_csv(index=False)
    assert again.charts == decline.charts
    assert again.summary_ko == decline.summary_ko


def test_previous_period_is_the_same_quarter_last_year(decline):
    last_year = run(period=(date(2023, 1, 1), date(2023, 12, 31))).table
    assert set(last_year.period_start) == {"2023-10-01"}
    a = decline.table.set_index(["unit_type", "unit_id", "metric"])
    b = last_year.set_index(["unit_type", "unit_id", "metric"])
    common = a.index.intersection(b.index)
    assert len(common) > 1000
    pd.testing.assert_series_equal(a.loc[common, "prev_period_value"], b.loc[common, "value"],
                                   check_names=False)
    numeric = a.loc[common].dropna(subset=["prev_period_delta_pct"])
    expected = 100 * (numeric.value - numeric.prev_period_value) / numeric.prev_period_value.abs()
    # Values are rounded to 6 decimals in the table: compare to 4 significant digits.
    assert np.allclose(numeric.prev_period_delta_pct, expected, rtol=1e-4, atol=1e-3)


def test_split_period_columns_give_the_same_result(decline):
    inputs = synthetic.generate()
    for role in ("sales", "stores", "change_indicator", "foot_traffic"):
        inputs[role] = synthetic.split_period_columns(inputs[role])
    again = run(inputs, unit=synthetic.planted(synthetic.DECLINE_NAME))
    assert again.table.to_csv(index=False) == decline.table.to_csv(index=False)


def test_english_store_headers_give_the_same_result(decline):
    inputs = synthetic.generate()
    inputs["stores"] = synthetic.english_store_headers(inputs["stores"])
    again = run(inputs, unit=synthetic.planted(synthetic.DECLINE_NAME))
    assert again.table.to_csv(index=False) == decline.table.to_csv(index=False)


def test_weights_decide_the_index(seoul):
    params = {**SPEC.defaults(), "weights.growth": 1.0, "weights.stability": 0.0,
              "weights.vitality": 0.0, "weights.purchasing": 0.0, "weights.diversity": 0.0}
    tables = read_inputs(synthetic.generate())
    growth_only, _ = score_seoul(tables, params, date(2024, 12, 31))
    rows = growth_only[growth_only.rvi.notna()]
    assert np.allclose(rows.rvi, rows.score_growth)
    assert not np.allclose(seoul.loc[rows.index, "rvi"], rows.rvi)


def test_charts_highlight_the_chosen_area_and_say_what_they_show(decline):
    charts = {c.id: c for c in decline.charts}
    assert set(charts) == {"rvi_by_area", "quadrant", "trend", "grade_distribution"}
    by_area = charts["rvi_by_area"]
    assert by_area.highlight == synthetic.DECLINE_NAME
    values = [v for v in by_area.series[0][1] if v is not None]
    assert values == sorted(values, reverse=True)
    assert all(c.alt_ko for c in decline.charts)
    gu_share, seoul_share = (s[1] for s in charts["grade_distribution"].series)
    assert sum(gu_share) == pytest.approx(100, abs=0.1)
    assert sum(seoul_share) == pytest.approx(100, abs=0.1)
    trend = charts["trend"]
    assert len(trend.labels) == 8 and trend.labels[-1] == "2024-Q4"
    sales = trend.series[0][1]
    assert sales[-1] < sales[3]        # the declining market sells less than a year ago


def test_vectorised_rank_equals_the_shared_percentile_rank():
    rng = np.random.default_rng(1)
    t = pd.DataFrame({"quarter": rng.choice([20231, 20232], 300),
                      "area_type": rng.choice(list("ADRU"), 300),
                      "x": rng.integers(0, 20, 300).astype(float)})
    t.loc[::7, "x"] = np.nan
    use = pd.Series(rng.random(300) > 0.1)
    ours = index.ranked_within_type(t, "x", use)
    shared = t["x"].where(use).groupby([t.quarter, t.area_type]).transform(pct_rank)
    pd.testing.assert_series_equal(ours, shared, check_names=False)


def test_a_period_without_data_is_an_error_a_person_can_act_on():
    with pytest.raises(MarketInputError, match="20231"):
        run(period=(date(2020, 1, 1), date(2020, 12, 31)))


def test_areas_without_a_gu_are_an_error_that_names_the_missing_table():
    inputs = synthetic.generate()
    del inputs["areas"]
    with pytest.raises(MarketInputError, match="영역-상권"):
        run(inputs)


def test_an_unranked_chosen_area_is_explained_in_the_summary():
    area = synthetic.planted(synthetic.SMALL_NAME)
    result = run(gu=synthetic.MEDIAN_GU, unit=area, period=(date(2024, 10, 1), date(2024, 12, 31)))
    assert any(synthetic.SMALL_NAME in line and "순위" in line for line in result.summary_ko)


def test_the_registry_offers_the_model_for_a_commercial_area_table():
    from models_std import registry
    assert registry.get("market") is SPEC
    roles = {(spec.id, role.name) for spec, role in registry.matching_roles(
        {"code", "category", "measure", "text"})}
    assert {("market", "sales"), ("market", "stores"), ("market", "change_indicator")} <= roles


def test_parameters_are_declared_with_reasons_and_weights_sum_to_one():
    weights = [p.default for p in SPEC.parameters if p.name.startswith("weights.")]
    assert sum(weights) == pytest.approx(1.0)
    assert all(p.description_ko for p in SPEC.parameters)
    assert SPEC.version == "1.0.0"
    assert [r.name for r in SPEC.inputs if not r.optional] == \
        ["sales", "stores", "change_indicator"]
