"""Hand-checkable fixtures of the festival baseline (reference models.md §10: F6, F7, F10)."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from models_std.comparison import INSUFFICIENT_BASELINE, MASKED_SHARE
from models_std.festival import SPEC
from models_std.festival import synthetic as s
from models_std.festival.baseline import baseline_stats, candidate_days, uplift
from models_std.festival.calendar import SATURDAY, SUNDAY_HOLIDAY, WEEKDAY, day_types
from models_std.festival.cubes import hourly_cube
from models_std.festival.inputs import living_population_frame
from tests.models_std import festival_fixtures as fx


def test_f6_median_mad_uplift_and_robust_z():
    stats = baseline_stats(np.array([100.0, 110.0, 90.0, 105.0]))
    absolute, pct, z = uplift(200.0, stats)
    assert float(stats.median) == 102.5
    assert float(stats.mad) == 5.0
    assert int(stats.n) == 4
    assert float(absolute) == 97.5
    assert float(pct) == pytest.approx(95.12, abs=0.01)
    assert float(z) == pytest.approx(13.15, abs=0.01)


def test_baseline_days_share_the_day_type_and_skip_excluded_days():
    days = np.arange(np.datetime64("2025-09-01"), np.datetime64("2025-11-30"), dtype="datetime64[D]")
    types = day_types(days)
    event = np.array([int(np.flatnonzero(days == np.datetime64("2025-10-18"))[0])])  # a Saturday
    excluded = np.zeros(len(days), bool)
    excluded[event[0] + 7] = True                       # another festival the next Saturday
    chosen = days[candidate_days(event, days, types, excluded, 28)[0]]
    assert set(day_types(chosen)) == {SATURDAY}
    assert np.datetime64("2025-10-25") not in chosen
    assert np.datetime64("2025-10-18") not in chosen
    assert len(chosen) == 7


def test_public_holidays_count_as_sundays():
    days = np.array(["2025-10-06", "2025-10-09", "2025-10-10", "2025-10-11"], dtype="datetime64[D]")
    assert day_types(days).tolist() == [SUNDAY_HOLIDAY, SUNDAY_HOLIDAY, WEEKDAY, SATURDAY]


def _one_dong_run(lp: pd.DataFrame, festival_start: date, days: int = 1, **params):
    code = "11620585"                                   # 낙성대동
    lat, lon = fx.point_in(code)
    ev = pd.DataFrame([{"축제명": "시험축제", "개최장소": "광장", "축제시작일자": festival_start.isoformat(),
                        "축제종료일자": (festival_start + timedelta(days=days - 1)).isoformat(),
                        "위도": str(lat), "경도": str(lon)}])
    return SPEC.run(fx.request(lp, ev, period=(festival_start, festival_start), **params))


def test_f7_three_baseline_days_flag_insufficient_baseline_and_give_no_rank():
    saturday = date(2025, 10, 18)
    # Data from two Saturdays before to one after: only three same-type baseline days.
    lp = s.living_population(saturday - timedelta(days=14), 22, dong_codes=("11620585",),
                             effects=(s.PlantedEffect(("11620585",), saturday, saturday),))
    table = _one_dong_run(lp, saturday).table
    rows = table[table["unit_type"] == "festival"]
    assert set(rows["quality_flag"]) == {INSUFFICIENT_BASELINE}
    assert set(rows["n_obs"]) == {3}
    assert rows["seoul_pct_rank"].isna().all()
    assert rows["index_seoul100"].isna().all()
    assert "performance_score" not in set(rows["metric"].dropna()) or \
        rows.loc[rows["metric"] == "performance_score", "value"].isna().all()


def test_f10_masked_cells_are_null_and_flagged_never_zero():
    raw = pd.DataFrame({"기준일ID": ["20251018"] * 3, "시간대구분": ["0", "1", "2"],
                        "행정동코드": ["11620585"] * 3, "총생활인구수": ["100.5", "*", "98.0"]})
    lp = living_population_frame(raw, bands=False)
    assert lp["masked"].tolist() == [False, True, False]
    assert np.isnan(lp["total"].iloc[1])
    cube = hourly_cube(lp)
    assert np.isnan(cube.values[0, 0, 1]) and cube.masked[0, 0, 1]


def test_f10_masked_share_is_reported_and_high_share_suppresses_the_rank(tmp_path):
    saturday = date(2025, 10, 18)
    lp = s.living_population(saturday - timedelta(days=35), 63, dong_codes=("11620585",),
                             bands=False)
    total = "총생활인구수"
    rng = np.random.default_rng(3)
    lp.loc[rng.random(len(lp)) < 0.3, total] = np.nan
    path = tmp_path / "lp.csv"
    s.write_csv(lp, path)                                # masked cells written as `*`
    assert "*" in path.read_text(encoding="cp949")
    back = pd.read_csv(path, dtype=str, encoding="cp949")
    table = _one_dong_run(back, saturday).table
    share = table[(table["unit_type"] == "festival") & (table["metric"] == "masked_share_pct")]
    assert share["value"].iloc[0] == pytest.approx(30, abs=3)
    rows = table[table["unit_type"] == "festival"]
    assert set(rows["quality_flag"]) == {MASKED_SHARE}
    assert rows["seoul_pct_rank"].isna().all()
    # A masked hour is unknown, not zero: the footprint mean stays at the ordinary level.
    present = table[(table["unit_type"] == "festival") & (table["metric"] == "present_mean_hour")]
    baseline = table[(table["unit_type"] == "festival") & (table["metric"] == "baseline_mean_hour")]
    assert present["value"].iloc[0] == pytest.approx(baseline["value"].iloc[0], rel=0.1)
