"""Festival and dong metrics from the presence cube (models.md §2.3 c).

Three figures are kept apart and named for what they are: the mean hour (평균 시간당 생활인구),
the peak hour (최대 시간), and person-hours (연인원·시간, the sum of hourly values). A sum of
hourly presence is not a number of visitors; `est_incremental_visitors` divides person-hours by
an assumed dwell time and is labelled an estimate.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from models_std.comparison import INSUFFICIENT_BASELINE, MASKED_SHARE
from models_std.festival.baseline import (
    MAD_TO_SD, baseline_stats, candidate_days, day_baseline)
from models_std.festival.cubes import Cube
from models_std.festival.footprint import Festival


@dataclass(frozen=True)
class Context:
    """What every festival of one run is measured against."""
    cube: Cube
    types: np.ndarray          # day type per cube day
    holidays: np.ndarray       # (day,) bool, already False when holidays are not excluded
    occupancy: np.ndarray      # (dong, day) festivals touching the dong that day
    window_days: int
    hours: np.ndarray          # (24,) bool: the festival hours
    min_n: int
    max_masked_share: float
    z_threshold: float
    dwell_hours: float
    exclude_other_events: bool


@dataclass
class FestivalMeasure:
    festival: Festival
    metrics: dict[str, float]
    n_obs: int
    flag: str | None
    event_days: np.ndarray                      # cube day indices
    candidates: np.ndarray                      # (event day, day) baseline days
    hourly_event: np.ndarray                    # (24,) mean over event days
    hourly_baseline: np.ndarray                 # (24,)
    extra: dict[str, object] = field(default_factory=dict)


def occupancy(festivals: list[Festival], cube: Cube) -> np.ndarray:
    occ = np.zeros((len(cube.codes), len(cube.days)), dtype="int16")
    for f in festivals:
        rows, days = cube.rows(f.footprint), cube.day_index(f.days)
        occ[np.ix_(rows, days)] += 1
    return occ


def _quiet_mean(values, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


def excluded_days(f: Festival, ctx: Context, rows: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Days that may not serve as the baseline of `f`: its own days, holidays, and days when
    another catalogued festival touched one of its dongs."""
    excluded = ctx.holidays.copy()
    excluded[days] = True
    if ctx.exclude_other_events and len(rows):
        own = np.zeros(len(ctx.cube.days), dtype="int16")
        own[days] = 1
        excluded |= ((ctx.occupancy[rows] - own[None, :]) > 0).any(axis=0)
    return excluded


def masked_share(cube: Cube, rows: np.ndarray, days: np.ndarray) -> float:
    """Share of masked (`*`) cells among the cells the data holds; days the data does not
    cover at all are not masked, only absent."""
    values = cube.values[rows][:, days]
    if cube.masked is None:
        return float(np.isnan(values).mean()) if values.size else 0.0
    masked = cube.masked[rows][:, days]
    held = (~np.isnan(values) | masked).sum()
    return float(masked.sum() / held) if held else 0.0


def day_spread(stats) -> np.ndarray:
    """Standard deviation of observed − baseline for one day: the day's own spread (1.4826 ·
    MAD) widened by the error of the baseline median itself (variance π σ² / 2n), so that a
    baseline of few days does not make ordinary noise look significant."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return MAD_TO_SD * stats.mad * np.sqrt(1 + np.pi / (2 * stats.n))


def combined_z(observed: np.ndarray, stats) -> float:
    """z of the summed uplift of several days, each day's spread from its own baseline."""
    spread = np.sqrt(np.nansum(day_spread(stats) ** 2))
    total = np.nansum(observed - stats.median)
    return float(total / spread) if spread > 0 else float("nan")


def series_metrics(series: np.ndarray, event_days: np.ndarray, cand: np.ndarray,
                   ctx: Context, prefix: str = "") -> tuple[dict[str, float], int, dict]:
    """Metrics of one (day, hour) presence series (a footprint or a ring aggregate)."""
    hourly = day_baseline(series, cand)                     # (event day, hour)
    observed = series[event_days]
    gap = observed - hourly.median
    h = ctx.hours
    valid = ~np.isnan(gap[:, h])
    base_mean = float(hourly.median[:, h][valid].mean()) if valid.any() else np.nan
    present_mean = float(observed[:, h][valid].mean()) if valid.any() else np.nan
    uplift_mean = present_mean - base_mean
    person_hours = float(np.nansum(np.clip(gap[:, h], 0, None)))
    daily = _quiet_mean(series[:, h], axis=1)               # festival-hours mean per day
    day_stats = baseline_stats(np.where(cand, daily[None, :], np.nan), axis=1)
    z = combined_z(daily[event_days], day_stats)
    n_obs = int(day_stats.n.min()) if len(event_days) else 0
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * uplift_mean / base_mean
    metrics = {
        f"{prefix}baseline_mean_hour": base_mean,
        f"{prefix}present_mean_hour": present_mean,
        f"{prefix}mean_hour_uplift": uplift_mean,
        f"{prefix}mean_hour_uplift_pct": pct,
        f"{prefix}incremental_person_hours": person_hours,
        f"{prefix}uplift_z": z,
    }
    return metrics, n_obs, {"gap": gap, "hourly": hourly, "observed": observed}


def measure_festival(f: Festival, ctx: Context) -> FestivalMeasure | None:
    """The festival's metrics, or None when the data covers none of its days."""
    cube = ctx.cube
    days = cube.day_index(f.days)
    rows = cube.rows(f.footprint)
    if not len(days) or not len(rows):
        return None
    excluded = excluded_days(f, ctx, rows, days)
    cand = candidate_days(days, cube.days, ctx.types, excluded, ctx.window_days)
    # A footprint hour is known only when every dong of it is: a masked cell is not zero.
    footprint = cube.values[rows].sum(axis=0)
    metrics, n_obs, parts = series_metrics(footprint, days, cand, ctx)
    gap = parts["gap"]
    if np.isnan(gap).all():
        peak, peak_hour = np.nan, np.nan
    else:
        flat = int(np.nanargmax(gap))
        peak, peak_hour = float(gap.ravel()[flat]), float(flat % 24)
    used = cand.any(axis=0)
    used[days] = True
    share = masked_share(cube, rows, used)
    n_days = len(days)
    metrics.update({
        "event_days": float(n_days),
        "peak_incremental_present": peak,
        "peak_hour": peak_hour,
        "incremental_person_hours_per_day": metrics["incremental_person_hours"] / n_days,
        "est_incremental_visitors": metrics["incremental_person_hours"] / ctx.dwell_hours,
        "uplift_significant": float(abs(metrics["uplift_z"]) >= ctx.z_threshold)
        if np.isfinite(metrics["uplift_z"]) else np.nan,
        "masked_share_pct": 100.0 * share,
    })
    ring_rows = cube.rows(f.ring)
    if len(ring_rows):
        ring_metrics, _, _ = series_metrics(cube.values[ring_rows].sum(axis=0), days, cand, ctx,
                                            prefix="spillover_")
        metrics["spillover_mean_hour_uplift_pct"] = ring_metrics["spillover_mean_hour_uplift_pct"]
        metrics["spillover_incremental_person_hours"] = (
            ring_metrics["spillover_incremental_person_hours"])
    flag = (INSUFFICIENT_BASELINE if n_obs < ctx.min_n
            else MASKED_SHARE if share > ctx.max_masked_share else None)
    return FestivalMeasure(
        f, metrics, n_obs, flag, days, cand,
        hourly_event=_quiet_mean(parts["observed"], axis=0),
        hourly_baseline=_quiet_mean(parts["hourly"].median, axis=0))


def dong_metrics(m: FestivalMeasure, ctx: Context) -> dict[str, np.ndarray]:
    """Uplift of every dong of Seoul on the festival's days (the Seoul-wide context of the
    footprint and ring dongs): arrays over `ctx.cube.codes`."""
    cube, h = ctx.cube, ctx.hours
    excluded = ctx.holidays | (ctx.occupancy > 0) if ctx.exclude_other_events else \
        np.broadcast_to(ctx.holidays, ctx.occupancy.shape).copy()
    excluded = excluded.copy()
    excluded[:, m.event_days] = True
    cand = candidate_days(m.event_days, cube.days, ctx.types, excluded, ctx.window_days)
    window = np.flatnonzero(cand.any(axis=(0, 1)))          # only the days that matter
    values = cube.values[:, window][:, :, h]                # (dong, day, festival hour)
    cand_w = cand[:, :, window]
    samples = np.where(cand_w[..., None], values[None], np.nan)
    stats = baseline_stats(samples, axis=2)                  # (event day, dong, hour)
    observed = cube.values[:, m.event_days][:, :, h].transpose(1, 0, 2)
    gap = observed - stats.median
    valid = ~np.isnan(gap)
    base = np.where(valid, stats.median, 0).sum(axis=(0, 2))
    present = np.where(valid, observed, 0).sum(axis=(0, 2))
    count = valid.sum(axis=(0, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        uplift_mean = (present - base) / count
        pct = 100.0 * (present - base) / base
    daily = _quiet_mean(values, axis=2)                      # (dong, day)
    day_samples = np.where(cand_w, daily[None], np.nan)
    day_stats = baseline_stats(day_samples, axis=2)          # (event day, dong)
    observed_daily = _quiet_mean(observed, axis=2)           # (event day, dong)
    spread = np.sqrt(np.nansum(day_spread(day_stats) ** 2, axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.nansum(observed_daily - day_stats.median, axis=0) / spread
    return {"mean_hour_uplift_pct": pct, "mean_hour_uplift": uplift_mean,
            "incremental_person_hours": np.nansum(np.clip(gap, 0, None), axis=(0, 2)),
            "uplift_z": z, "n_obs": day_stats.n.min(axis=0)}
