"""카드매출 (card sales) uplift with the same baseline machinery at the day level (§2.3 d)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.festival.baseline import baseline_stats
from models_std.festival.cubes import daily_cube
from models_std.festival.measures import Context, FestivalMeasure


class Sales:
    """Daily sales by dong (and by industry), aligned to the presence calendar by date."""

    def __init__(self, frame: pd.DataFrame):
        self.total, _ = daily_cube(frame)
        self.by_industry, self.industries = daily_cube(frame, by="industry")

    def _uplift(self, cube, codes, m: FestivalMeasure, ctx: Context):
        rows = cube.rows(codes)
        if not len(rows):
            return None
        # Re-express the festival's days and baseline days on the sales calendar.
        days_abs = ctx.cube.days[m.event_days]
        days = cube.day_index(days_abs)
        if len(days) != len(days_abs):
            return None
        cand_abs = [ctx.cube.days[c] for c in m.candidates]
        cand = np.zeros((len(days), len(cube.days)), dtype=bool)
        for i, chosen in enumerate(cand_abs):
            cand[i, cube.day_index(chosen)] = True
        series = cube.values[rows].sum(axis=0)              # (day[, industry])
        samples = np.where(cand[(...,) + (None,) * (series.ndim - 1)], series[None], np.nan)
        stats = baseline_stats(samples, axis=1)
        observed = series[days]
        uplift = np.nansum(observed - stats.median, axis=0)
        base = np.nansum(np.where(np.isnan(observed), np.nan, stats.median), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return uplift, 100.0 * uplift / base

    def metrics(self, m: FestivalMeasure, ctx: Context) -> dict[str, float]:
        out: dict[str, float] = {}
        for prefix, codes in (("", m.festival.footprint), ("spillover_", m.festival.ring)):
            result = self._uplift(self.total, codes, m, ctx)
            if result is not None:
                out[f"{prefix}sales_uplift_krw"] = float(result[0])
                out[f"{prefix}sales_uplift_pct"] = float(result[1])
        return out

    def industry_mix(self, m: FestivalMeasure, ctx: Context) -> dict[str, float]:
        """Sales uplift % by industry in the footprint and ring together."""
        codes = m.festival.footprint + m.festival.ring
        result = self._uplift(self.by_industry, codes, m, ctx)
        if result is None:
            return {}
        return {str(name): float(pct) for name, pct in zip(self.industries, result[1])}

