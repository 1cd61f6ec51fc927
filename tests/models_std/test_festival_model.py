"""The festival model end to end on generated living population with planted effects."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from models_std import registry
from models_std.festival import SPEC
from models_std.festival import synthetic as s
from models_std.parameters import ParameterError, resolve
from tests.models_std import festival_fixtures as fx


@pytest.fixture(scope="module")
def planted():
    lp = fx.living_population()
    return lp, SPEC.run(fx.request(lp))


@pytest.fixture(scope="module")
def no_effect():
    return SPEC.run(fx.request(fx.living_population(scale=0.0)))


def test_the_model_is_registered_with_documented_parameters():
    assert registry.get("festival") is SPEC
    assert SPEC.version == "1.0.0"
    assert all(p.description_ko and p.label_ko != p.name for p in SPEC.parameters)
    weights = [p for p in SPEC.parameters if p.group == "weights"]
    assert sum(p.default for p in weights) == pytest.approx(1.0)
    assert all("[제안]" in p.description_ko for p in weights)
    with pytest.raises(ParameterError):
        resolve(SPEC, {"baseline.window_weeks": 20})


def test_a_planted_40_percent_festival_is_found_within_2_points(planted):
    _, result = planted
    estimate = fx.value(result.table, "관악강감찬축제", "mean_hour_uplift_pct")
    assert estimate == pytest.approx(40.0, abs=2.0)
    flags = result.table[(result.table["unit_type"] == "festival")
                         & (result.table["metric"] == "uplift_significant")]
    assert flags["value"].eq(1.0).all()               # every planted effect (≥ 10 %) stands out
    assert 10 <= fx.value(result.table, "관악강감찬축제", "peak_hour") <= 21


def test_every_planted_festival_is_recovered(planted):
    _, result = planted
    for f in fx.festival_plan()[2:]:
        estimate = fx.value(result.table, f["name"], "mean_hour_uplift_pct")
        assert estimate == pytest.approx(100 * f["uplift"], abs=3.0), f["name"]


def test_without_a_planted_effect_the_uplift_is_not_significant(no_effect):
    table = no_effect.table
    assert abs(fx.value(table, "관악강감찬축제", "mean_hour_uplift_pct")) < 2.0
    assert abs(fx.value(table, "관악강감찬축제", "uplift_z")) < 2.0
    flags = table[(table["unit_type"] == "festival") & (table["metric"] == "uplift_significant")]
    assert flags["value"].mean() <= 0.3           # noise alone: an occasional |z| ≥ 2
    assert any("뚜렷하지 않습니다" in line for line in no_effect.summary_ko)


def test_person_hours_and_mean_hour_are_kept_apart_and_never_called_visitors(planted):
    _, result = planted
    table = result.table
    mean_uplift = fx.value(table, "관악강감찬축제", "mean_hour_uplift")
    person_hours = fx.value(table, "관악강감찬축제", "incremental_person_hours")
    # Three days × 12 festival hours of roughly the mean uplift each.
    assert person_hours == pytest.approx(36 * mean_uplift, rel=0.1)
    assert fx.value(table, "관악강감찬축제", "incremental_person_hours", "unit") == "인·시간"
    assert fx.value(table, "관악강감찬축제", "est_incremental_visitors", "unit") == "명(추정)"
    assert any("방문객 수가 아닙니다" in line for line in result.summary_ko)


def test_korean_and_english_headers_give_the_same_result(planted):
    lp, result = planted
    english = SPEC.run(fx.request(fx.living_population(english=True)))
    assert list(fx.living_population(english=True).columns[:4]) == [
        "STDR_DE_ID", "TMZON_PD_SE", "ADSTRD_CODE_SE", "TOT_LVPOP_CO"]
    pd.testing.assert_frame_equal(result.table, english.table)


def test_the_same_run_twice_gives_byte_identical_tables(planted):
    lp, result = planted
    again = SPEC.run(fx.request(lp))
    assert result.table.to_csv(index=False).encode() == again.table.to_csv(index=False).encode()
    first, second = io.BytesIO(), io.BytesIO()
    result.table.to_parquet(first, index=False)
    again.table.to_parquet(second, index=False)
    assert first.getvalue() == second.getvalue()
    assert result.charts == again.charts and result.summary_ko == again.summary_ko


def test_seoul_median_scores_100_and_ranks_follow_values(planted):
    _, result = planted
    rows = result.table[(result.table["unit_type"] == "festival")
                        & result.table["seoul_pct_rank"].notna()]
    for metric in ("mean_hour_uplift_pct", "incremental_person_hours"):
        group = rows[rows["metric"] == metric]
        for _, g in group.groupby("seoul_value"):
            assert g["index_seoul100"].median() == pytest.approx(100.0)
            ordered = g.sort_values("value")
            assert ordered["seoul_pct_rank"].is_monotonic_increasing
            assert ordered["seoul_pct_rank"].iloc[0] == 0 and ordered["seoul_pct_rank"].iloc[-1] == 100


def test_the_previous_edition_is_compared(planted):
    _, result = planted
    prev = fx.value(result.table, "관악강감찬축제", "mean_hour_uplift_pct", "prev_period_value")
    delta = fx.value(result.table, "관악강감찬축제", "mean_hour_uplift_pct", "prev_period_delta_pct")
    now = fx.value(result.table, "관악강감찬축제", "mean_hour_uplift_pct")
    assert prev == pytest.approx(30.0, abs=2.0)
    assert delta == pytest.approx(100 * (now - prev) / prev, abs=1e-4)
    # The 2024 edition is outside the period: it is a comparison, not a ranked row.
    ids = set(result.table.loc[result.table["unit_type"] == "festival", "unit_id"])
    assert not any(i.startswith("2024") for i in ids)


def test_spillover_dongs_are_ranked_against_every_dong_of_the_data(planted):
    _, result = planted
    dongs = result.table[(result.table["unit_type"] == "dong")
                         & (result.table["metric"] == "mean_hour_uplift_pct")]
    venue = dongs[dongs["unit_name"] == "낙성대동"]
    assert venue["value"].iloc[0] == pytest.approx(40, abs=2.0)
    assert venue["seoul_pct_rank"].iloc[0] == 100
    ring = dongs[dongs["unit_name"] != "낙성대동"]
    assert len(ring) >= 3 and (ring["value"].abs() < 5).all()


def test_charts_have_alt_text_and_highlight_the_district_festival(planted):
    _, result = planted
    charts = {c.id: c for c in result.charts}
    assert {"hourly_uplift", "age_sex_uplift", "dong_spillover", "festival_ranking"} <= set(charts)
    assert all(c.alt_ko for c in result.charts)
    ranking = charts["festival_ranking"]
    assert ranking.highlight in ranking.labels
    hourly = dict(charts["hourly_uplift"].series)
    event, base = np.array(hourly["축제일"]), np.array(hourly["기준선(중앙값)"])
    assert (event[10:22] > 1.3 * base[10:22]).all() and (abs(event[:6] / base[:6] - 1) < 0.05).all()
    shares = dict(charts["age_sex_uplift"].series)
    assert sum(shares["남자"]) + sum(shares["여자"]) == pytest.approx(100, abs=0.1)
    estimate = fx.value(result.table, "관악강감찬축제", "mean_hour_uplift_pct")
    assert f"기준선보다 {estimate:.1f}% 많았습니다" in " ".join(result.summary_ko)


def test_card_sales_give_a_spending_uplift_and_an_economy_component():
    plan = fx.festival_plan()
    effects = tuple(s.PlantedEffect((f["code"],), f["start"], f["start"], sales_uplift=0.25)
                    for f in plan if f["name"] == "2025 관악강감찬축제")
    card = pd.concat([s.card_sales(start, days, effects=effects, dong_codes=fx.dongs_of())
                      for start, days in fx.WINDOWS], ignore_index=True)
    result = SPEC.run(fx.request(fx.living_population(), card=card))
    # One of the three festival days carries +25 %: about +8 % over the festival.
    assert fx.value(result.table, "관악강감찬축제", "sales_uplift_pct") == pytest.approx(25 / 3, abs=2)
    metrics = set(result.table["metric"])
    assert {"score_attendance", "score_local_economy", "performance_score"} <= metrics
    assert "industry_sales_uplift" in {c.id for c in result.charts}


def test_the_uplift_profile_shows_the_younger_festival_crowd(planted):
    _, result = planted
    shares = dict({c.id: c for c in result.charts}["age_sex_uplift"].series)
    young = sum(shares["남자"][3:7]) + sum(shares["여자"][3:7])        # 20–39
    # The planted visitors are younger than residents (about 40 % aged 20–39 against 30 %).
    assert young == pytest.approx(100 * s._festival_age_profile()[[3, 4, 5, 6, 17, 18, 19, 20]].sum(),
                                  abs=3)
    assert young > 100 * s._seoul_age_profile()[[3, 4, 5, 6, 17, 18, 19, 20]].sum() + 5


def test_a_district_without_a_festival_gets_the_seoul_league_table_only(planted):
    lp, _ = planted
    result = SPEC.run(fx.request(lp, gu_code="11110"))          # 종로구: none in the data
    assert set(result.table["unit_type"]) == {"festival"}
    assert [c.id for c in result.charts] == ["festival_ranking"]
    assert any("축제가 없어" in line for line in result.summary_ko)
