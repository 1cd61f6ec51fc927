"""The counterfactual (기준선, baseline) and the uplift against it (models.md §2.3 b).

B = median of the same hour on days of the same day type within ±window of the event day,
leaving out event days, public holidays and days when another catalogued event touched the
same dongs; MAD = the median absolute deviation of the same set; the robust z is
uplift / (1.4826 · MAD). Everything works on arrays `(..., day, hour)` with NaN for missing or
masked cells, so one call covers every dong of Seoul at once.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

MAD_TO_SD = 1.4826   # MAD × 1.4826 estimates the standard deviation of a normal sample


@dataclass(frozen=True)
class BaselineStats:
    median: np.ndarray
    mad: np.ndarray
    n: np.ndarray           # baseline observations behind each median


def baseline_stats(samples: np.ndarray, axis: int = 0) -> BaselineStats:
    """Median, MAD and count of the non-missing samples along `axis`.

    >>> s = baseline_stats(np.array([100.0, 110.0, 90.0, 105.0]))
    >>> float(s.median), float(s.mad), int(s.n)
    (102.5, 5.0, 4)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-missing slices give NaN
        median = np.nanmedian(samples, axis=axis)
        mad = np.nanmedian(np.abs(samples - np.expand_dims(median, axis)), axis=axis)
    return BaselineStats(median, mad, np.sum(~np.isnan(samples), axis=axis))


def uplift(observed, base: BaselineStats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(absolute uplift, uplift in %, robust z) of observed values over the baseline."""
    observed = np.asarray(observed, dtype="float64")
    absolute = observed - base.median
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * absolute / base.median
        z = absolute / (MAD_TO_SD * base.mad)
    return absolute, pct, z


def candidate_days(event_days: np.ndarray, days: np.ndarray, types: np.ndarray,
                   excluded: np.ndarray, window_days: int) -> np.ndarray:
    """Boolean (event day, day): the baseline days of each event day.

    `event_days` are indices into `days`; `excluded` is a (day,) or (unit, day) mask of days
    that must not serve as baseline (event days, holidays, other events); with a unit axis
    the result is (event day, unit, day)."""
    distance = np.abs(np.arange(len(days))[None, :] - event_days[:, None])
    allowed = (distance <= window_days) & (distance > 0) & (types[None, :] == types[event_days][:, None])
    if excluded.ndim == 1:
        return allowed & ~excluded[None, :]
    return allowed[:, None, :] & ~excluded[None, :, :]


def day_baseline(series: np.ndarray, candidates: np.ndarray) -> BaselineStats:
    """Baseline of a (day, hour) series for each event day: candidates (event day, day) →
    stats of shape (event day, hour)."""
    samples = np.where(candidates[:, :, None], series[None, :, :], np.nan)
    return baseline_stats(samples, axis=1)


def unit_baseline(cube: np.ndarray, candidates: np.ndarray) -> BaselineStats:
    """Baseline of a (unit, day, hour) cube for each event day: candidates (event day, unit,
    day) → stats of shape (event day, unit, hour)."""
    samples = np.where(candidates[..., None], cube[None, ...], np.nan)
    return baseline_stats(samples, axis=2)
