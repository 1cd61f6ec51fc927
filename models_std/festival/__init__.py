"""축제·행사 성과분석 (festival/event performance analysis), Seoul standard model 1.

How many more people were present in the festival's dongs than on comparable ordinary days,
when, who, how much was spent, whether it spilled over to neighbouring dongs, and how it ranks
against every other catalogued Seoul festival and the previous edition (reference models.md §2).
"""
from __future__ import annotations

from models_std.base import InputRole, ModelSpec, RunRequest
from models_std.festival.inputs import (
    BAND_COLUMNS, CARD_SALES_ALIASES, EVENT_ALIASES, LIVING_POPULATION_ALIASES)
from models_std.festival.settings import load_parameters
from models_std.registry import register

VERSION, PARAMETERS = load_parameters()

INPUTS = (
    InputRole(
        "events", "축제·행사 목록", "Festival and event list", frozenset({"date", "lat", "lon"}),
        description_ko="축제명, 개최장소, 시작·종료일, 위도·경도가 있는 목록 (전국문화축제"
                       "표준데이터, 서울시 문화행사 정보). 문화행사 정보는 CODENAME이 '축제'로 "
                       "시작하는 행만 씁니다.",
        columns=("name", "venue", "start_date", "end_date", "lat", "lon"),
        aliases=EVENT_ALIASES),
    InputRole(
        "living_population", "생활인구 (행정동·시간대)", "Living population by dong and hour",
        frozenset({"date", "dong", "measure"}),
        description_ko="서울 생활인구 행정동 단위 시간대별 자료(기준일ID, 시간대구분, 행정동코드, "
                       "총생활인구수, 성·연령별 28개 열). 비공개(*) 칸은 0이 아니라 빈 값으로 봅니다.",
        columns=("date", "hour", "dong_code", "total", *BAND_COLUMNS),
        aliases=LIVING_POPULATION_ALIASES),
    InputRole(
        "card_sales", "카드매출 (행정동·일·업종)", "Card sales by dong, day and industry",
        frozenset({"dong", "date", "measure"}), optional=True,
        description_ko="행정동·일·업종별 카드 매출액. 있으면 지역경제 효과(매출 증가율)를 계산합니다.",
        columns=("date", "dong_code", "industry", "amount"), aliases=CARD_SALES_ALIASES),
)

OUTPUTS = (
    "baseline_mean_hour", "present_mean_hour", "mean_hour_uplift", "mean_hour_uplift_pct",
    "peak_incremental_present", "peak_hour", "incremental_person_hours",
    "incremental_person_hours_per_day", "est_incremental_visitors", "uplift_z",
    "uplift_significant", "masked_share_pct", "event_days", "spillover_mean_hour_uplift_pct",
    "spillover_incremental_person_hours", "sales_uplift_krw", "sales_uplift_pct",
    "spillover_sales_uplift_krw", "spillover_sales_uplift_pct", "score_attendance",
    "score_local_economy", "performance_score", "performance_grade", "is_footprint",
)


def _run(request: RunRequest):
    from models_std.festival.run import run
    return run(request, SPEC)


SPEC = register(ModelSpec(
    id="festival",
    name_ko="축제·행사 성과분석",
    name_en="Festival and event performance",
    version=VERSION,
    description_ko="축제 기간 행사장 주변 행정동의 생활인구를 평소 같은 요일 유형의 중앙값과 "
                   "비교해 추가로 모인 인구(시간대별, 성·연령별), 인접 동 파급, 카드매출 증가를 "
                   "계산하고, 서울의 모든 축제와 지난 회차와 비교합니다.",
    questions_ko=(
        "축제로 평소보다 몇 명이 더 모였나요? (시간대별, 성·연령별)",
        "추가 소비는 얼마였고, 어느 업종에서 늘었나요?",
        "인접한 동으로 효과가 퍼졌나요?",
        "지난해 같은 축제, 다른 구의 축제와 비교하면 어떤가요?",
    ),
    inputs=INPUTS,
    parameters=PARAMETERS,
    outputs=OUTPUTS,
    run=_run,
))
