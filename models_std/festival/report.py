"""Charts (ChartSpec, each with a Korean alt text) and short Korean findings of a run."""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.base import ChartSpec
from models_std.festival.inputs import AGE_LABELS_KO
from models_std.festival.measures import FestivalMeasure

MAX_RANKED = 30


def _r(values) -> tuple[float | None, ...]:
    return tuple(None if (v is None or not np.isfinite(v)) else round(float(v), 2) for v in values)


def _value(table: pd.DataFrame, unit_id: str, metric: str) -> float:
    hit = table[(table["unit_id"] == unit_id) & (table["metric"] == metric)
                & (table["unit_type"] == "festival")]
    return float(hit["value"].iloc[0]) if len(hit) and pd.notna(hit["value"].iloc[0]) else np.nan


def charts(table, primary: FestivalMeasure | None, profile, mix, dongs) -> tuple[ChartSpec, ...]:
    out = []
    if primary is not None:
        f = primary.festival
        hours = tuple(f"{h:02d}시" for h in range(24))
        out.append(ChartSpec(
            "hourly_uplift", "line", f"{f.name}: 시간대별 생활인구 (축제일 평균 대 기준선)", hours,
            (("축제일", _r(primary.hourly_event)), ("기준선(중앙값)", _r(primary.hourly_baseline))),
            alt_ko=f"{f.name} 영향권의 시간대별 생활인구를 축제일 평균과 평소 같은 요일 유형의 "
                   "중앙값으로 비교한 선 그래프입니다.", unit="명"))
        if profile is not None:
            half = len(AGE_LABELS_KO)
            out.append(ChartSpec(
                "age_sex_uplift", "bar", f"{f.name}: 증가 인구의 성·연령 구성", AGE_LABELS_KO,
                (("남자", _r(profile[:half])), ("여자", _r(profile[half:]))),
                alt_ko="축제 시간에 평소보다 늘어난 인구를 성별·연령대별 비율(%)로 나눈 막대 "
                       "그래프입니다.", unit="%"))
        dong_rows = table[(table["unit_type"] == "dong") & (table["metric"] == "mean_hour_uplift_pct")]
        dong_rows = dong_rows.sort_values("value", ascending=False, kind="mergesort")
        names = tuple(dong_rows["unit_name"])
        out.append(ChartSpec(
            "dong_spillover", "bar", f"{f.name}: 행사장 동과 인접 동의 생활인구 증가율", names,
            (("평균 시간당 증가율", _r(dong_rows["value"])),),
            alt_ko="행사장이 있는 동과 경계를 맞댄 동의 축제 시간 평균 생활인구 증가율(%) "
                   "막대 그래프입니다.", unit="%", highlight=dongs.name(f.venue_dong)))
        if mix:
            out.append(ChartSpec(
                "industry_sales_uplift", "bar", f"{f.name}: 업종별 카드매출 증가율",
                tuple(mix), (("매출 증가율", _r(mix.values())),),
                alt_ko="행사장 동과 인접 동의 업종별 카드매출 증가율(%) 막대 그래프입니다.",
                unit="%"))
    ranking = table[(table["unit_type"] == "festival") & (table["metric"] == "mean_hour_uplift_pct")
                    & table["quality_flag"].isna()]
    ranking = ranking.sort_values(["value", "unit_id"], ascending=[False, True], kind="mergesort")
    if primary is not None:
        # The district's own festival stays on the chart even below the top MAX_RANKED.
        ranking = ranking[(ranking.reset_index().index < MAX_RANKED)
                          | (ranking["unit_id"] == primary.festival.id).to_numpy()]
    else:
        ranking = ranking.head(MAX_RANKED)
    if len(ranking):
        highlight = primary.festival.name if primary is not None else None
        out.append(ChartSpec(
            "festival_ranking", "bar", "서울 축제별 평균 시간당 생활인구 증가율",
            tuple(ranking["unit_name"]), (("증가율", _r(ranking["value"])),),
            alt_ko="같은 방법으로 계산한 서울 축제들의 평균 시간당 생활인구 증가율(%)을 큰 "
                   "순서로 놓은 막대 그래프이며, 이 구의 축제를 강조했습니다.", unit="%",
            highlight=highlight))
    return tuple(out)


def summary(table, primary: FestivalMeasure | None, skipped, uncovered: list[int]) -> tuple[str, ...]:
    notes = []
    n = int(table.loc[table["unit_type"] == "festival", "unit_id"].nunique())
    notes.append(f"서울 축제 {n}개를 같은 방법(평소 같은 요일 유형의 중앙값 기준선)으로 계산했습니다.")
    if primary is None:
        notes.append("이 구에서 분석 기간에 열린(위치가 확인된) 축제가 없어 서울 축제 순위만 보여 줍니다.")
    else:
        f, fid = primary.festival, primary.festival.id
        pct = _value(table, fid, "mean_hour_uplift_pct")
        z = _value(table, fid, "uplift_z")
        if primary.flag:
            notes.append(f"{f.name}: 자료 품질({primary.flag}) 때문에 순위를 내지 않았습니다.")
        if np.isfinite(pct):
            more = "많았습니다" if pct >= 0 else "적었습니다"
            notes.append(f"축제 기간 평균 시간당 생활인구가 기준선보다 {abs(pct):.1f}% {more}.")
        if np.isfinite(z) and _value(table, fid, "uplift_significant") == 0:
            notes.append(f"다만 증가 폭이 평소 변동 안(z={z:.1f})이라 통계적으로 뚜렷하지 않습니다.")
        ph = _value(table, fid, "incremental_person_hours")
        if np.isfinite(ph):
            notes.append(f"축제 시간에 늘어난 생활인구는 모두 {ph:,.0f}인·시간입니다 "
                         "(시간대 인구의 합이며 방문객 수가 아닙니다).")
        rank = table[(table["unit_id"] == fid) & (table["metric"] == "mean_hour_uplift_pct")]
        if len(rank) and pd.notna(rank["seoul_pct_rank"].iloc[0]):
            notes.append("같은 규모의 서울 축제 가운데 증가율 백분위는 "
                         f"{rank['seoul_pct_rank'].iloc[0]:.0f}입니다 (100이 가장 높음).")
        prev = rank["prev_period_value"].iloc[0] if len(rank) else np.nan
        if pd.notna(prev):
            notes.append(f"지난 회차의 증가율은 {prev:.1f}%였습니다.")
    if len(skipped):
        notes.append(f"위치가 없거나 서울 밖이거나 너무 긴 행사 {len(skipped)}건은 제외했습니다.")
    if uncovered:
        notes.append(f"{', '.join(map(str, uncovered))}년 공휴일 표가 없어 공휴일을 평일로 보았습니다.")
    return tuple(notes)
