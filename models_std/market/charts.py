"""Charts and Korean summary sentences of a market run (reference models.md §3.4)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from models_std.base import ChartSpec
from models_std.market.change_type import name_of
from models_std.market.index import FLAGS, QUADRANTS
from models_std.market.schema import quarter_label


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def _labels(frame: pd.DataFrame) -> list[str]:
    """Area names, with the code where a name repeats (two 'OO길' in one gu)."""
    names = frame["area_name"].fillna(frame["area_code"]).astype(str)
    repeated = names.duplicated(keep=False)
    return [f"{n} ({c})" if r else n
            for n, c, r in zip(names, frame["area_code"], repeated)]


def charts(t: pd.DataFrame, gu_code: str, gu_name: str, quarter: int,
           focus: str | None) -> tuple[ChartSpec, ...]:
    now = t[(t["quarter"] == quarter) & t["ranked"]]
    mine = now[now["gu_code"] == gu_code].sort_values(["rvi", "area_code"],
                                                      ascending=[False, True])
    labels = _labels(mine)
    label_of = dict(zip(mine["area_code"], labels))
    highlight = label_of.get(focus)
    period = quarter_label(quarter)
    by_area = ChartSpec(
        id="rvi_by_area", kind="bar", title_ko=f"{gu_name} 상권별 활성화지수 ({period})",
        labels=tuple(labels), series=(("활성화지수", tuple(_number(v) for v in mine["rvi"])),),
        alt_ko=f"{gu_name} 상권 {len(mine)}곳의 {period} 활성화지수를 높은 순으로 보여 줍니다"
               + (f"; {highlight}을(를) 강조했습니다." if highlight else "."),
        unit="점", highlight=highlight)
    scatter = ChartSpec(
        id="quadrant", kind="scatter", title_ko=f"{gu_name} 상권 4분면 ({period})",
        labels=tuple(labels),
        series=(("매출 전년 동분기 대비 증감률", tuple(_number(100 * v) for v in mine["sales_yoy"])),
                ("유지율(1−폐업률)", tuple(_number(100 * v) for v in mine["survival_proxy"]))),
        alt_ko="가로축은 매출 증감률, 세로축은 점포 유지율이며, 서울 같은 유형의 중앙값을 "
               "기준으로 성장관리·생존율관리·점포수관리·상권쇠퇴관리로 나뉩니다.",
        unit="%", highlight=highlight)
    return (by_area, scatter, _trend(t, gu_code, gu_name, quarter, focus, label_of),
            _grades(now, gu_code, gu_name, period))


def _trend(t, gu_code, gu_name, quarter, focus, label_of) -> ChartSpec:
    """Sales and closures over the quarters up to the chosen one: the area or the gu."""
    history = t[(t["quarter"] <= quarter) & (t["gu_code"] == gu_code)]
    if focus is not None and focus in set(history["area_code"]):
        history = history[history["area_code"] == focus]
        who = label_of.get(focus, focus)
    else:
        who = gu_name
    series = history.groupby("quarter", sort=True)[["sales_amount", "closures"]] \
        .sum(min_count=1).tail(8)
    return ChartSpec(
        id="trend", kind="line", title_ko=f"{who} 분기별 매출과 폐업 점포",
        labels=tuple(quarter_label(q) for q in series.index),
        series=(("매출(억원)", tuple(_number(v / 1e8) for v in series["sales_amount"])),
                ("폐업 점포 수(개)", tuple(_number(v) for v in series["closures"]))),
        alt_ko=f"{who}의 최근 {len(series)}개 분기 추정매출(억원)과 폐업 점포 수 추이입니다.",
        highlight=quarter_label(quarter))


def _grades(now: pd.DataFrame, gu_code: str, gu_name: str, period: str) -> ChartSpec:
    def shares(frame: pd.DataFrame) -> tuple[float | None, ...]:
        counts = frame["grade"].value_counts().reindex([1.0, 2.0, 3.0, 4.0, 5.0], fill_value=0)
        total = counts.sum()
        return tuple(_number(100 * c / total) if total else None for c in counts)
    mine = now[now["gu_code"] == gu_code]
    return ChartSpec(
        id="grade_distribution", kind="bar", title_ko=f"활성화 등급 분포: {gu_name}와 서울 ({period})",
        labels=tuple(f"{g}등급" for g in range(1, 6)),
        series=((gu_name, shares(mine)), ("서울", shares(now))),
        alt_ko=f"{gu_name} 상권과 서울 전체 상권이 1~5등급에 나뉜 비율(%)을 나란히 보여 줍니다.",
        unit="%", highlight=gu_name)


def summary(t: pd.DataFrame, gu_code: str, gu_name: str, quarter: int,
            focus: str | None, unmatched_markets: int | None,
            has_licences: bool) -> tuple[str, ...]:
    period = quarter_label(quarter)
    now = t[(t["quarter"] == quarter) & t["ranked"]]
    mine = now[now["gu_code"] == gu_code]
    lines = []
    if mine.empty:
        return (f"{gu_name}에는 {period}에 비교할 수 있는 상권이 없습니다.",)
    median = float(np.nanmedian(mine["rvi"])) if mine["rvi"].notna().any() else float("nan")
    lines.append(f"{gu_name} 상권 {len(mine)}곳의 {period} 활성화지수 중앙값은 {median:.1f}점"
                 f"(서울 같은 유형 상권의 순위 평균 50점 기준)입니다.")
    for code, name in ((4, "상권쇠퇴관리"), (1, "성장관리")):
        count = int((mine["quadrant"] == code).sum())
        lines.append(f"{name} 유형으로 분류된 상권은 {count}곳입니다.")
    watch = int((mine["gentrification_flag"] >= 1).sum())
    lines.append(f"젠트리피케이션 주의 이상 신호가 있는 상권은 {watch}곳입니다"
                 + ("." if has_licences else " (LOCALDATA 인허가가 없어 '경계'는 판정하지 않았습니다)."))
    row = mine[mine["area_code"] == focus]
    unranked = t[(t["quarter"] == quarter) & (t["area_code"] == focus) & ~t["ranked"]]
    if not unranked.empty:
        lines.append(f"{unranked.iloc[0]['area_name']}은(는) 점포가 적거나 매출 셀이 많이 비어 "
                     "순위와 등급을 매기지 않았습니다.")
    if not row.empty:
        r = row.iloc[0]
        grade = "-" if pd.isna(r["grade"]) else f"{int(r['grade'])}등급"
        quadrant = QUADRANTS.get(r["quadrant"], "판정 불가")
        change = f"{r['change_type']} {name_of(r['change_type'])}" \
            if isinstance(r["change_type"], str) else "없음"
        yoy = "" if pd.isna(r["sales_yoy"]) else f", 매출 전년 동분기 대비 {100 * r['sales_yoy']:+.1f}%"
        lines.append(f"{r['area_name']}: 활성화지수 {r['rvi']:.1f}점, {grade}, {quadrant}, "
                     f"상권변화지표 {change}, 젠트리피케이션 "
                     f"{FLAGS.get(r['gentrification_flag'], '-')}{yoy}.")
    if unmatched_markets:
        lines.append(f"전통시장 {unmatched_markets}곳은 전통시장 상권과 이름·위치로 연결되지 않았습니다.")
    lines.append("지표 가중치와 등급 기준은 서울 기본값(제안값)이며 바꿀 수 있습니다.")
    return tuple(lines)
