"""Indicators per 상권 (commercial area) and quarter, on the published columns (§3.3 a).

One row per (area_code, quarter) over every area of Seoul in the inputs. Growth compares a
quarter with the same quarter a year earlier (quarter index − 4), never with the previous
quarter, so seasons cancel. Store counts use `유사_업종_점포_수` as the denominator: `점포_수`
leaves franchises out, and closure rates over it come out too high.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.market import change_type
from models_std.market.schema import numbers, quarter_index

# 서비스_업종 codes of cafes (커피-음료) and western food (양식음식점): gentrification signal.
CAFE_INDUSTRIES = ("CS100004", "CS100010")
CAFE_WORDS = ("커피", "양식")
SALES_SUMS = ("sales_amount", "sales_count", "weekend_amount", "time_17_21_amount",
              "time_21_24_amount", "age_20_amount", "age_30_amount", "age_10_amount",
              "age_40_amount", "age_50_amount", "age_60_amount")
STORE_SUMS = ("stores", "similar_stores", "openings", "closures", "franchise_stores")
KEYS = ["area_code", "quarter"]


def area_quarters(sales: pd.DataFrame, stores: pd.DataFrame, change: pd.DataFrame,
                  traffic: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicator table: levels, rates, shares and year-on-year growth per area-quarter."""
    table = _sales_totals(sales).merge(_store_totals(stores), on=KEYS, how="outer")
    table = table.merge(_change(change), on=KEYS, how="left")
    if traffic is not None:
        foot = numbers(traffic, ["foot_traffic"]).join(traffic[KEYS])
        table = table.merge(foot.groupby(KEYS, sort=False).sum(min_count=1).reset_index(),
                            on=KEYS, how="left")
    table = table.sort_values(KEYS, kind="mergesort", ignore_index=True)
    table["qidx"] = quarter_index(table["quarter"])
    _rates(table)
    return _year_on_year(table)


def _sales_totals(sales: pd.DataFrame) -> pd.DataFrame:
    values = numbers(sales, SALES_SUMS)
    for column in SALES_SUMS:
        if column not in values:
            values[column] = np.nan
    values["masked_cells"] = values["sales_amount"].isna().astype("float64")
    values["sales_rows"] = 1.0
    values["cafe_amount"] = values["sales_amount"].where(_is_cafe(sales), 0.0)
    values[KEYS] = sales[KEYS]
    grouped = values.groupby(KEYS, sort=False)
    out = grouped.sum(min_count=1)
    out["masked_cells"] = grouped["masked_cells"].sum()
    return out.reset_index()


def _is_cafe(sales: pd.DataFrame) -> pd.Series:
    cafe = pd.Series(False, index=sales.index)
    if "industry_code" in sales:
        cafe |= sales["industry_code"].astype("string").isin(CAFE_INDUSTRIES).fillna(False)
    if "industry_name" in sales:
        names = sales["industry_name"].astype("string")
        cafe |= names.str.contains("|".join(CAFE_WORDS), regex=True).fillna(False)
    return cafe


def _store_totals(stores: pd.DataFrame) -> pd.DataFrame:
    values = numbers(stores, STORE_SUMS)
    values[KEYS] = stores[KEYS]
    out = values.groupby(KEYS, sort=False).sum(min_count=1)
    # Diversity: 1 − Herfindahl index of the industries' shares of stores.
    share = values["similar_stores"] / values.groupby(KEYS, sort=False)["similar_stores"] \
        .transform("sum")
    out["diversity"] = 1.0 - (share ** 2).groupby([values[k] for k in KEYS], sort=False).sum()
    return out.reset_index()


def _change(change: pd.DataFrame) -> pd.DataFrame:
    months = numbers(change, ["operating_months", "closed_months", "seoul_operating_months",
                              "seoul_closed_months"])
    out = months.join(change[KEYS])
    # The rule decides; the published code fills in only where the months are missing.
    ruled = change_type.classify(months.operating_months, months.closed_months,
                                 months.seoul_operating_months, months.seoul_closed_months)
    if "change_type" in change:
        ruled = ruled.fillna(change["change_type"].astype("string").str.strip()
                             .astype(object).where(lambda s: s.isin(change_type.CHANGE_TYPES)))
    out["change_type"] = ruled
    return out.drop_duplicates(KEYS, keep="last")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        value = numerator / denominator.where(denominator > 0)
    return value.where(np.isfinite(value))


def _rates(t: pd.DataFrame) -> None:
    n = t["similar_stores"]
    t["closure_rate"] = _ratio(t["closures"], n)
    t["opening_rate"] = _ratio(t["openings"], n)
    t["net_opening_rate"] = _ratio(t["openings"] - t["closures"], n)
    t["franchise_share"] = _ratio(t["franchise_stores"], n)
    t["survival_proxy"] = 1.0 - t["closure_rate"]
    t["sales_per_store"] = _ratio(t["sales_amount"], n)
    t["customers_per_store"] = _ratio(t["sales_count"], n)
    t["ticket_size"] = _ratio(t["sales_amount"], t["sales_count"])
    t["evening_share"] = _ratio(t["time_17_21_amount"] + t["time_21_24_amount"],
                                t["sales_amount"])
    t["weekend_share"] = _ratio(t["weekend_amount"], t["sales_amount"])
    ages = t[[f"age_{a}_amount" for a in (10, 20, 30, 40, 50, 60)]].sum(axis=1, min_count=1)
    t["young_share"] = _ratio(t["age_20_amount"] + t["age_30_amount"], ages)
    t["cafe_share"] = _ratio(t["cafe_amount"], t["sales_amount"])
    t["masked_share"] = _ratio(t["masked_cells"], t["sales_rows"]).fillna(0.0)
    t["maturity"] = _ratio(t.get("operating_months"), t.get("seoul_operating_months"))


GROWTH = {"sales_amount": "sales_yoy", "similar_stores": "stores_yoy",
          "foot_traffic": "traffic_yoy"}
SHARE_CHANGES = ("franchise_share", "cafe_share", "young_share")


def _year_on_year(t: pd.DataFrame) -> pd.DataFrame:
    """Growth S(q)/S(q−4) − 1 and the change in shares against the same quarter last year."""
    columns = [c for c in (*GROWTH, *SHARE_CHANGES, "change_type") if c in t]
    previous = t[["area_code", "qidx", *columns]].copy()
    previous["qidx"] += 4
    previous = previous.rename(columns={c: f"prev_{c}" for c in columns})
    t = t.merge(previous, on=["area_code", "qidx"], how="left")
    for level, growth in GROWTH.items():
        if level in t:
            t[growth] = _ratio(t[level], t[f"prev_{level}"]) - 1.0
    for share in SHARE_CHANGES:
        t[f"{share}_change"] = t[share] - t[f"prev_{share}"]
    return t
