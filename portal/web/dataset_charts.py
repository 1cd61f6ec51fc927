"""What a dataset page shows as cards, charts and a map, built from the stored profile only
(docs/profiles.md); pages never read the table for this.

`summary_cards` picks the main measures and their latest figures; `chart_data` is the JSON the
page embeds for `static/js/dataset_charts.js` and `static/js/map_choropleth.js`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from portal.web.filters import korean_number

ROWS = "@rows"  # the profile's reserved series of row counts
MAX_CARDS = 4
MAX_CHART_MEASURES = 12
MAX_GU_SERIES = 5

# Period labels that can be compared with the one before them. Open buckets such as
# "2013년 이전" cover many years, so "change from the previous year" is not defined there.
PERIOD_KINDS = (
    (re.compile(r"^\d{4}$"), "전년 대비"),
    (re.compile(r"^\d{4}-\d{2}$"), "전월 대비"),
    (re.compile(r"^\d{4}-Q[1-4]$"), "전분기 대비"),
)
# Header words that mark a grand total (인구_합계_계, 총인구수, CCTV's 소계).
TOTAL_WORDS = {"계", "합계", "총계", "소계", "전체"}


@dataclass(frozen=True)
class SummaryCard:
    """One main measure: its latest figure, the change since the period before, the total."""
    name: str
    label: str
    unit: str | None
    aggregate: str
    latest_period: str | None
    latest_value: float | None
    previous_period: str | None
    change: float | None
    change_percent: float | None
    change_label: str | None
    total: float | None          # over data rows; None for ratios
    total_label: str
    source_total: float | None   # what the source's own 합계/소계 row states
    total_of: str | None         # CCTV's 소계 totals the year columns (`값`)
    total_of_value: float | None


def series_label(name: str) -> str:
    return "건수" if name == ROWS else name


def has_gu(profile: dict) -> bool:
    return bool((profile.get("dimensions") or {}).get("gu")) and bool(profile.get("by_gu"))


def period_labels(profile: dict) -> list[str]:
    year = (profile.get("dimensions") or {}).get("year") or {}
    return list(year.get("labels") or [])


def _total_score(measure: dict) -> int:
    """2 for a grand total (인구_합계_계, 총인구수, 소계), 1 for a part of one, else 0."""
    if measure.get("total_of"):
        return 2
    parts = re.split(r"[_\s]+", measure["name"])
    last = parts[-1]
    if last in TOTAL_WORDS or last.startswith("총"):
        return 2
    return 1 if any(part in TOTAL_WORDS for part in parts[:-1]) else 0


def ranked_measures(profile: dict) -> list[dict]:
    """Measures in the order a reader wants them: additive grand totals first, then other
    additive measures (the breakdowns of a total last), then ratios; table order within."""
    measures = list(profile.get("measures") or [])
    order = {m["name"]: i for i, m in enumerate(measures)}

    totals = profile.get("totals") or {}

    def rank(measure: dict):
        additive = measure.get("aggregate") != "mean"
        empty = additive and not totals.get(measure["name"])  # all zero or missing
        score = _total_score(measure)
        return (not additive, empty, {2: 0, 0: 1, 1: 2}[score], order[measure["name"]])
    return sorted(measures, key=rank)


def rows_are_events(profile: dict) -> bool:
    """Row counts tell something when a gu (in a period, where there are periods) holds
    more than one row: events, licences; not a table of one row per gu and year."""
    per_gu_and_year = ((profile.get("yearly_series") or {}).get(ROWS) or {}).get("by_gu")
    if per_gu_and_year:
        counts = [c for series in per_gu_and_year.values() for c in series.values()]
    else:
        counts = [*((profile.get("by_gu") or {}).get(ROWS) or {}).values(),
                  *((profile.get("by_year") or {}).get(ROWS) or {}).values()]
    return bool(counts) and max(c or 0 for c in counts) > 1


def _period_index(label: str) -> int | None:
    """A period as a count of its own unit (years, months or quarters since year 0)."""
    if re.fullmatch(r"\d{4}", label):
        return int(label)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        return int(m[1]) * 12 + int(m[2])
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        return int(m[1]) * 4 + int(m[2])
    return None


def _comparable(label: str, previous: str) -> str | None:
    """The change's name when `previous` is the very period before `label` (2015 → 2016),
    else None: 2019 → 2021 is not "전년 대비"."""
    for pattern, change_label in PERIOD_KINDS:
        if pattern.match(label) and pattern.match(previous):
            return change_label if _period_index(label) - _period_index(previous) == 1 else None
    return None


def _latest(series: dict, labels: list[str]):
    """(latest period, value, previous period, previous value) of a period series."""
    present = [label for label in labels if series.get(label) is not None] or \
        [label for label, value in series.items() if value is not None]
    if not present:
        return None, None, None, None
    latest = present[-1]
    previous = present[-2] if len(present) > 1 else None
    return latest, series[latest], previous, series.get(previous) if previous else None


def _card(profile: dict, name: str, unit: str | None, aggregate: str,
          total_of: str | None = None) -> SummaryCard:
    labels = period_labels(profile)
    series = (profile.get("by_year") or {}).get(name) or {}
    latest, value, previous, before = _latest(series, labels)
    if name == ROWS:
        total = profile.get("row_count", 0) - profile.get("total_row_count", 0)
    else:
        total = (profile.get("totals") or {}).get(name)
    source_total = (profile.get("source_totals") or {}).get(name)
    change = change_percent = change_label = None
    if latest and previous and value is not None and before is not None:
        change_label = _comparable(latest, previous)
        if change_label:
            change = value - before
            change_percent = (change / before * 100) if before else None
    if latest is None:  # no period: the headline is the total (or the source's stated ratio)
        value = total if total is not None else source_total
    where = "서울" if has_gu(profile) else "전체"
    total_label = f"{where} 합계" + (" (전 기간)" if len(series) > 1 else "")
    if aggregate == "mean":
        total_label = "자치구 평균" if has_gu(profile) else "평균"
    return SummaryCard(
        name=name, label=series_label(name), unit="건" if name == ROWS else unit,
        aggregate=aggregate, latest_period=latest, latest_value=value,
        previous_period=previous if change_label else None, change=change,
        change_percent=change_percent, change_label=change_label, total=total,
        total_label=total_label, source_total=source_total, total_of=total_of,
        total_of_value=(profile.get("totals") or {}).get(total_of) if total_of else None)


def summary_cards(profile: dict | None, limit: int = MAX_CARDS) -> list[SummaryCard]:
    if not profile or profile.get("version") != 1:
        return []
    cards = []
    if rows_are_events(profile) or not profile.get("measures"):
        cards.append(_card(profile, ROWS, None, "sum"))
    for measure in ranked_measures(profile):
        if len(cards) >= limit:
            break
        cards.append(_card(profile, measure["name"], measure.get("unit"),
                           measure.get("aggregate", "sum"), measure.get("total_of")))
    return cards


def _chart_measures(profile: dict, available: dict) -> list[dict]:
    """Measures that have figures in `available` (by_gu or yearly series), ranked, with
    row counts first when rows are events."""
    measures = [{"name": m["name"], "label": m["name"], "unit": m.get("unit"),
                 "aggregate": m.get("aggregate", "sum")}
                for m in ranked_measures(profile) if m["name"] in available]
    if ROWS in available and (rows_are_events(profile) or not measures):
        measures.insert(0, {"name": ROWS, "label": "건수", "unit": "건", "aggregate": "sum"})
    return measures[:MAX_CHART_MEASURES]


def default_gu_series(by_gu: dict[str, dict], limit: int = MAX_GU_SERIES) -> list[str]:
    """The gu drawn by default: the largest over all periods (ties in MOIS order)."""
    sizes = {gu: sum(abs(v) for v in series.values() if v is not None)
             for gu, series in by_gu.items()}
    return sorted(sizes, key=lambda gu: -sizes[gu])[:limit]


def trend_data(profile: dict) -> dict | None:
    """Yearly lines: the whole (서울 전체) per measure, and per gu where the profile has them.
    None unless some measure has two or more periods."""
    labels = period_labels(profile)
    yearly = profile.get("yearly_series") or {}
    by_year = profile.get("by_year") or {}
    sources = {name: entry.get("seoul") or {} for name, entry in yearly.items()} or by_year
    sources = {name: series for name, series in sources.items()
               if sum(v is not None for v in series.values()) >= 2}
    if not sources:
        return None
    periods = [label for label in labels
               if any(label in series for series in sources.values())]
    measures, series = _chart_measures(profile, sources), {}
    for measure in measures:
        name = measure["name"]
        gu_series = (yearly.get(name) or {}).get("by_gu") or {}
        series[name] = {
            "total": [sources[name].get(p) for p in periods],
            "by_gu": {gu: [values.get(p) for p in periods] for gu, values in gu_series.items()},
            "default_gu": default_gu_series(gu_series),
        }
    total_label = "서울 전체" if has_gu(profile) else "전체"
    first = measures[0]
    return {"periods": periods, "measures": measures, "series": series,
            "total_label": total_label,
            "summary": trend_summary(first, periods, series[first["name"]]["total"],
                                     total_label)}


def district_data(profile: dict) -> dict | None:
    """Figures per gu for the bar chart and the map; None without a usable gu dimension."""
    if not has_gu(profile):
        return None
    by_gu = profile["by_gu"]
    gu_labels = profile["dimensions"]["gu"].get("labels") or []
    measures = _chart_measures(profile, by_gu)
    if not measures or not gu_labels:
        return None
    values = {m["name"]: [by_gu[m["name"]].get(gu) for gu in gu_labels] for m in measures}
    # Point data: rows were put in a gu by their coordinates (docs/profiles.md).
    located = profile["dimensions"]["gu"].get("via") == "point"
    return {"gu": gu_labels, "measures": measures, "values": values, "located": located,
            "summary": district_summary(measures[0], gu_labels, values[measures[0]["name"]])}


def chart_data(profile: dict | None) -> dict | None:
    """Everything the page's charts and map draw; None when there is nothing to draw."""
    if not profile or profile.get("version") != 1:
        return None
    trend, districts = trend_data(profile), district_data(profile)
    if trend is None and districts is None:
        return None
    return {"trend": trend, "districts": districts}


def extremes(gu_labels: list[str], values: list) -> tuple | None:
    """(largest gu, its value, smallest gu, its value) for a chart's text alternative."""
    pairs = [(gu, v) for gu, v in zip(gu_labels, values) if v is not None]
    if not pairs:
        return None
    high = max(pairs, key=lambda pair: pair[1])
    low = min(pairs, key=lambda pair: pair[1])
    return high[0], high[1], low[0], low[1]


# Text alternatives of the charts (static/js/dataset_charts.js writes the same sentences when
# a reader picks another measure).
def _figure(value, unit: str | None) -> str:
    return korean_number(value) + (unit or "")


def trend_summary(measure: dict, periods: list[str], values: list, total_label: str) -> str:
    points = [(p, v) for p, v in zip(periods, values) if v is not None]
    if not points:
        return f"{measure['label']}: 값이 없습니다."
    (first, a), (last, b) = points[0], points[-1]
    peak = max(points, key=lambda point: point[1])
    who = "자치구 평균" if measure.get("aggregate") == "mean" else total_label
    unit = measure.get("unit")
    return (f"{who} {measure['label']}: {first} {_figure(a, unit)} → {last} {_figure(b, unit)}, "
            f"최댓값 {peak[0]} {_figure(peak[1], unit)}")


def district_summary(measure: dict, gu_labels: list[str], values: list) -> str:
    found = extremes(gu_labels, values)
    if found is None:
        return f"{measure['label']}: 값이 없습니다."
    high, high_value, low, low_value = found
    unit = measure.get("unit")
    count = sum(v is not None for v in values)
    return (f"{measure['label']} ({count}개 자치구): 가장 많은 곳 {high} {_figure(high_value, unit)}, "
            f"가장 적은 곳 {low} {_figure(low_value, unit)}")
