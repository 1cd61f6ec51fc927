"""Sex × age profile of the uplift (not of the raw presence, which residents dominate)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.festival.baseline import baseline_stats
from models_std.festival.cubes import band_cube
from models_std.festival.inputs import BAND_COLUMNS
from models_std.festival.measures import Context, FestivalMeasure


def uplift_profile(bands: pd.DataFrame, m: FestivalMeasure, ctx: Context) -> np.ndarray:
    """Share (%) of the positive uplift in festival hours per sex×age band (28 values,
    male bands first); masked band cells are left out, never counted as zero."""
    cube = band_cube(bands, BAND_COLUMNS, m.festival.footprint, ctx.cube.days)  # (day, hour, band)
    h = ctx.hours
    series = cube[:, h, :]
    samples = np.where(m.candidates[:, :, None, None], series[None], np.nan)
    stats = baseline_stats(samples, axis=1)                  # (event day, hour, band)
    gap = series[m.event_days] - stats.median
    positive = np.nansum(np.clip(gap, 0, None), axis=(0, 1))
    total = positive.sum()
    return 100.0 * positive / total if total > 0 else np.full(len(BAND_COLUMNS), np.nan)
