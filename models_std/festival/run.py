"""One run of the festival model: every catalogued festival of Seoul is measured the same way,
so the district's festival is ranked against them and against its own previous edition."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models_std.base import ModelResult, RunRequest
from models_std.comparison import finish_table, gu_rank, previous_period, seoul_context
from models_std.festival import report
from models_std.festival.calendar import uncovered_years
from models_std.festival.cubes import hourly_cube
from models_std.festival.demographics import uplift_profile
from models_std.festival.footprint import Festival, catalogue, previous_edition
from models_std.festival.geography import load_dong_map
from models_std.festival.inputs import card_sales_frame, events_frame, living_population_frame
from models_std.festival.measures import (
    Context, FestivalMeasure, dong_metrics, measure_festival, occupancy)
from models_std.festival.scoring import performance, size_classes
from models_std.festival.spending import Sales

UNITS = {"baseline_mean_hour": "명", "present_mean_hour": "명", "mean_hour_uplift": "명",
         "mean_hour_uplift_pct": "%", "incremental_person_hours": "인·시간",
         "incremental_person_hours_per_day": "인·시간/일", "uplift_z": "z",
         "uplift_significant": "예=1", "peak_incremental_present": "명", "peak_hour": "시",
         "est_incremental_visitors": "명(추정)", "masked_share_pct": "%", "event_days": "일",
         "spillover_mean_hour_uplift_pct": "%", "spillover_incremental_person_hours": "인·시간",
         "sales_uplift_krw": "원", "sales_uplift_pct": "%", "spillover_sales_uplift_krw": "원",
         "spillover_sales_uplift_pct": "%", "performance_score": "점",
         "performance_grade": "등급(1=A)", "is_footprint": "예=1"}


@dataclass
class Scored:
    measures: list[FestivalMeasure]
    wide: pd.DataFrame          # one row per festival: metrics, flags, size class, scores
    ctx: Context


def _context(cube, festivals, p) -> Context:
    hours = np.zeros(24, dtype=bool)
    hours[int(p["hours.first"]):int(p["hours.last"]) + 1] = True
    holidays = cube.holidays() if p["baseline.exclude_holidays"] else np.zeros(len(cube.days), bool)
    return Context(cube=cube, types=cube.day_types(p["baseline.day_types"]), holidays=holidays,
                   occupancy=occupancy(festivals, cube), window_days=7 * int(p["baseline.window_weeks"]),
                   hours=hours, min_n=int(p["baseline.min_n"]),
                   max_masked_share=float(p["quality.max_masked_share"]),
                   z_threshold=float(p["significance.z"]),
                   dwell_hours=float(p["visitors.mean_dwell_hours"]),
                   exclude_other_events=bool(p["baseline.exclude_other_events"]))


def _wide(measures: list[FestivalMeasure], sales: Sales | None, ctx: Context) -> pd.DataFrame:
    rows = []
    for m in measures:
        metrics = dict(m.metrics)
        if sales is not None:
            metrics.update(sales.metrics(m, ctx))
        rows.append({"unit_id": m.festival.id, "unit_name": m.festival.name,
                     "gu_code": m.festival.gu_code, "n_obs": m.n_obs, "quality_flag": m.flag,
                     **metrics})
    return pd.DataFrame(rows)


def score(measures: list[FestivalMeasure], sales: Sales | None, ctx: Context,
          weights: dict[str, float]) -> pd.DataFrame:
    wide = _wide(measures, sales, ctx)
    if wide.empty:
        return wide
    wide["size_class"] = size_classes(wide["baseline_mean_hour"])
    ranked = wide["quality_flag"].isna()
    return pd.concat([wide, performance(wide, ranked, weights)], axis=1)


def _long(wide: pd.DataFrame, unit_type: str, keep: list[str]) -> pd.DataFrame:
    metrics = [c for c in wide.columns if c in UNITS or c.startswith("score_")]
    long = wide.melt(id_vars=keep, value_vars=metrics, var_name="metric", value_name="value")
    long["unit_type"] = unit_type
    long["unit"] = long["metric"].map(UNITS).fillna("백분위")
    return long


def _index_where_meaningful(long: pd.DataFrame) -> pd.DataFrame:
    # 100 × value / median means nothing when the median is zero or negative, as the Seoul
    # median of an uplift can be on ordinary days: leave the index empty there.
    long["index_seoul100"] = long["index_seoul100"].where(long["seoul_value"] > 0)
    return long


def _festival_rows(wide, previous, spec_text) -> pd.DataFrame:
    keep = ["unit_id", "unit_name", "gu_code", "n_obs", "quality_flag", "size_class"]
    long = _long(wide, "festival", keep)
    ranked = long["quality_flag"].isna()
    long = _index_where_meaningful(seoul_context(long, by=["size_class"], ranked=ranked))
    long["gu_pct_rank"] = gu_rank(long.assign(value=long["value"].where(ranked)),
                                  long["gu_code"])
    prev = _long(previous, "festival", ["unit_id"]) if not previous.empty else None
    long = previous_period(long, prev, on=["unit_type", "unit_id"])
    long["baseline_spec"] = spec_text
    return long.drop(columns=["size_class"])


def _dong_rows(primary: FestivalMeasure, ctx: Context, dongs, spec_text) -> pd.DataFrame:
    values = dong_metrics(primary, ctx)
    codes = ctx.cube.codes
    frame = pd.DataFrame({"unit_id": codes, "n_obs": values.pop("n_obs"), **values})
    frame["unit_name"] = [dongs.name(c) for c in codes]
    frame["gu_code"] = [dongs.gu_of(c) or c[:5] for c in codes]
    frame["quality_flag"] = np.where(frame["n_obs"] < ctx.min_n, "insufficient_baseline", None)
    frame["is_footprint"] = frame["unit_id"].isin(primary.festival.footprint).astype(float)
    keep = ["unit_id", "unit_name", "gu_code", "n_obs", "quality_flag"]
    long = _long(frame, "dong", keep)
    ranked = long["quality_flag"].isna()
    long = _index_where_meaningful(seoul_context(long, ranked=ranked))
    long["gu_pct_rank"] = gu_rank(long.assign(value=long["value"].where(ranked)), long["gu_code"])
    shown = set(primary.festival.footprint) | set(primary.festival.ring)
    long = long[long["unit_id"].isin(shown)]
    long["baseline_spec"] = f"{spec_text}; festival={primary.festival.id}"
    return long


def _primary(wide: pd.DataFrame, request: RunRequest) -> str | None:
    if request.unit_id:
        return request.unit_id if request.unit_id in set(wide["unit_id"]) else None
    own = wide[wide["gu_code"] == request.gu_code]
    if own.empty:
        return None
    own = own.sort_values(["incremental_person_hours", "unit_id"], ascending=[False, True])
    return str(own["unit_id"].iloc[0])


def run(request: RunRequest, spec) -> ModelResult:
    p = request.parameters
    if p["baseline.method"] != "median":
        # The regression baseline (B2 of models.md §2.3) needs weather inputs this model does
        # not read yet; until it does, only the median baseline is offered.
        raise ValueError(f"기준선 방법 {p['baseline.method']!r}은(는) 아직 쓸 수 없습니다. "
                         "'median'(중앙값)을 쓰세요.")
    dongs = load_dong_map()
    events = events_frame(request.inputs["events"])
    festivals, skipped = catalogue(events, dongs, rule=p["footprint.rule"],
                                   ring_depth=int(p["footprint.ring_depth"]),
                                   max_days=int(p["events.max_days"]))
    raw_lp = request.inputs["living_population"]
    lp = living_population_frame(raw_lp, bands=False)
    cube = hourly_cube(lp)
    ctx = _context(cube, festivals, p)
    measures = [m for f in festivals if (m := measure_festival(f, ctx)) is not None]
    start, end = np.datetime64(request.period_start), np.datetime64(request.period_end)
    current = [m for m in measures if m.festival.start <= end and m.festival.end >= start]
    sales = (Sales(card_sales_frame(request.inputs["card_sales"]))
             if request.inputs.get("card_sales") is not None else None)
    weights = {k.split(".", 1)[1]: float(v) for k, v in p.items() if k.startswith("weights.")}
    wide = score(current, sales, ctx, weights)
    spec_text = (f"median±{p['baseline.window_weeks']}w {p['baseline.day_types']} "
                 f"min_n={p['baseline.min_n']} hours={p['hours.first']}-{p['hours.last']} "
                 f"footprint={p['footprint.rule']}")
    if wide.empty:
        table = finish_table(pd.DataFrame(columns=["unit_type", "unit_id", "metric"]), spec, request)
        return ModelResult(table, (), ("분석 기간에 측정할 수 있는 축제가 없습니다.",))
    previous = _previous(current, festivals, measures, sales, ctx)
    rows = [_festival_rows(wide, previous, spec_text)]
    primary_id = _primary(wide, request)
    by_id = {m.festival.id: m for m in current}
    primary = by_id.get(primary_id) if primary_id else None
    profile = None
    if primary is not None:
        rows.append(_dong_rows(primary, ctx, dongs, spec_text))
        mask = lp["dong_code"].isin(list(primary.festival.footprint)).to_numpy()
        bands = living_population_frame(raw_lp[mask])
        profile = uplift_profile(bands, primary, ctx)
    table = finish_table(pd.concat(rows, ignore_index=True), spec, request)
    mix = sales.industry_mix(primary, ctx) if (sales is not None and primary) else {}
    charts = report.charts(table, primary, profile, mix, dongs)
    notes = report.summary(table, primary, skipped, uncovered_years(cube.days))
    return ModelResult(table, charts, notes)


def _previous(current, festivals: list[Festival], measures, sales, ctx) -> pd.DataFrame:
    """The previous edition of each current festival, measured the same way, keyed by the
    current festival's id."""
    by_id = {m.festival.id: m for m in measures}
    pairs = []
    for m in current:
        before = previous_edition(m.festival, festivals)
        if before is not None and before.id in by_id:
            pairs.append((m.festival.id, by_id[before.id]))
    if not pairs:
        return pd.DataFrame()
    wide = _wide([m for _, m in pairs], sales, ctx)
    wide["unit_id"] = [current_id for current_id, _ in pairs]
    return wide
