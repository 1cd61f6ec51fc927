"""What a standard analysis model (표준분석모델) declares and what a run returns.

A model is a declaration (`ModelSpec`) plus a pure function from a `RunRequest` to a
`ModelResult`. The portal stores runs and draws the charts; nothing here touches a database.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

# The long-format result table every model writes (reference models.md §1.4), in this order.
RESULT_COLUMNS = (
    "model_id", "model_version", "gu_code", "unit_type", "unit_id", "unit_name",
    "period_start", "period_end", "baseline_spec", "metric", "value", "unit",
    "seoul_value", "seoul_pct_rank", "gu_pct_rank", "index_seoul100",
    "prev_period_value", "prev_period_delta_pct", "n_obs", "quality_flag",
)
UNIT_TYPES = ("gu", "dong", "oa", "grid", "trdar", "festival", "site")


@dataclass(frozen=True)
class InputRole:
    """One input a model reads (e.g. the event list). A dataset satisfies the role when its
    profile's column tags include every tag of `required_tags` (semantic tags from
    `models_std.semantics.vocabulary`); `columns` lists canonical column names the run needs
    and `aliases` the real header variants mapped onto them."""
    name: str
    label_ko: str
    label_en: str
    required_tags: frozenset[str]
    description_ko: str = ""
    optional: bool = False
    columns: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    """A tunable input of a model, with the Seoul default and why it is what it is."""
    name: str
    label_ko: str
    default: Any
    description_ko: str = ""
    group: str = "parameters"   # "weights" for score weights
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A chart the portal draws with Chart.js, and the same data as a table (KWCAG)."""
    id: str
    kind: str                   # "line" | "bar" | "scatter" | "radar" | "map"
    title_ko: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]   # (label, values per label)
    alt_ko: str                 # one sentence saying what the chart shows
    unit: str | None = None
    highlight: str | None = None   # a label to emphasise (the viewer's gu or unit)


@dataclass(frozen=True)
class RunRequest:
    inputs: Mapping[str, pd.DataFrame]   # role name → table
    parameters: Mapping[str, Any]        # every declared parameter, defaults filled in
    gu_code: str                         # MOIS 5-digit code of the district running it
    period_start: date
    period_end: date
    unit_id: str | None = None           # one festival or one 상권 when the model is per unit


@dataclass(frozen=True)
class ModelResult:
    table: pd.DataFrame                  # RESULT_COLUMNS, sorted deterministically
    charts: tuple[ChartSpec, ...]
    summary_ko: tuple[str, ...]          # short findings in Korean, one sentence each


@dataclass(frozen=True)
class ModelSpec:
    id: str
    name_ko: str
    name_en: str
    version: str
    description_ko: str
    questions_ko: tuple[str, ...]
    inputs: tuple[InputRole, ...]
    parameters: tuple[Parameter, ...]
    outputs: tuple[str, ...]             # metric names of the result table
    run: Callable[[RunRequest], ModelResult]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    def role(self, name: str) -> InputRole:
        return next(r for r in self.inputs if r.name == name)
