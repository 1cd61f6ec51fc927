"""The market model's inputs and the words of its parameters, declared as data.

Required tags are what the profiler gives the real files (checked on files in the real
schemas): a 상권 file has codes (상권_코드, 서비스_업종_코드, the period), categories
(상권_구분_코드) and measures; the 영역 file adds the gu (자치구_코드) and 행정동 codes.
"""
from __future__ import annotations

from models_std.base import InputRole
from models_std.market.schema import ROLE_ALIASES, ROLE_COLUMNS
from models_std.semantics import CATEGORY, CODE, DATE, GU, LAT, LON, MEASURE, X, Y


def _role(name: str, label_ko: str, label_en: str, tags: set[str], description_ko: str,
          optional: bool = False) -> InputRole:
    aliases = dict(ROLE_ALIASES[name])
    # The OpenAPI spells the English names in capitals (STDR_YYQU_CD, TRDAR_CD).
    aliases.update({k.upper(): v for k, v in ROLE_ALIASES[name].items() if k.isascii()})
    return InputRole(name=name, label_ko=label_ko, label_en=label_en,
                     required_tags=frozenset(tags), description_ko=description_ko,
                     optional=optional, columns=ROLE_COLUMNS[name], aliases=aliases)


INPUTS = (
    _role("sales", "상권 추정매출", "Estimated sales by area", {CODE, CATEGORY, MEASURE},
          "서울시 상권분석서비스(추정매출-상권): 기준_년분기_코드(또는 기준_년_코드·기준_분기_코드), "
          "상권_구분_코드, 상권_코드, 서비스_업종_코드, 당월_매출_금액, 당월_매출_건수와 요일·시간대·"
          "성별·연령대 매출."),
    _role("stores", "상권 점포", "Stores by area", {CODE, CATEGORY, MEASURE},
          "서울시 상권분석서비스(점포-상권): 점포_수, 유사_업종_점포_수, 개업_점포_수, 폐업_점포_수, "
          "프랜차이즈_점포_수. 2025년 영문 헤더(stor_co, similr_induty_stor_co …)도 읽습니다."),
    _role("change_indicator", "상권변화지표", "Commercial change indicator",
          {CODE, CATEGORY, MEASURE},
          "서울시 상권분석서비스(상권변화지표-상권): 운영·폐업 영업 개월 평균과 서울 평균, "
          "상권_변화_지표(LL·LH·HL·HH)."),
    _role("foot_traffic", "길단위인구", "Street-level foot traffic", {CODE, CATEGORY, MEASURE},
          "서울시 상권분석서비스(길단위인구-상권): 총_유동인구_수. 없으면 성장성은 매출과 점포로만 "
          "잽니다.", optional=True),
    _role("areas", "영역-상권", "Commercial area boundaries", {GU, CODE, X, Y},
          "서울시 상권분석서비스(영역-상권): 상권_코드, 자치구_코드, 행정동_코드, 좌표(EPSG:5181). "
          "상권이 어느 구에 있는지 알려 줍니다; 매출 파일에 자치구·행정동 코드가 있으면 없어도 "
          "됩니다.", optional=True),
    _role("licences", "인허가(LOCALDATA)", "Business licences (LOCALDATA)", {GU, DATE, X, Y},
          "지방행정 인허가 데이터: 개방자치단체코드, 인허가일자, 영업상태코드, 폐업일자. 구별 "
          "영업 기간과 3년 생존율, 오래된 점포의 폐업 비율을 냅니다.", optional=True),
    _role("markets", "전국전통시장표준데이터", "Traditional markets (standard data)",
          {LAT, LON, MEASURE},
          "시장명, 주소, 위도·경도, 점포수, 개설연도. 전통시장 상권(R)과 이름·위치(300 m)로 "
          "연결합니다.", optional=True),
)

# name → (label, why this default, minimum, maximum)
PARAMETER_TEXT: dict[str, tuple[str, str, float | None, float | None]] = {
    "weights.growth": ("가중치: 성장성", "매출·점포·유동인구의 전년 동분기 대비 변화. 쇠퇴를 가장 "
                       "먼저 보여 주는 차원이라 가장 큰 비중(제안값)", 0.0, 1.0),
    "weights.stability": ("가중치: 안정성", "폐업률·순개업률·영업 기간·3년 생존율·상권변화지표. "
                          "상권신호등의 폐업 위험 관점(제안값)", 0.0, 1.0),
    "weights.vitality": ("가중치: 활력", "점포당 매출과 점포당 결제 건수. 서울연구원 전통시장 "
                         "연구의 활성화 지표(제안값)", 0.0, 1.0),
    "weights.purchasing": ("가중치: 구매력", "객단가(매출/건수). BC카드 상권지수의 구매력 "
                           "요소를 따름(제안값)", 0.0, 1.0),
    "weights.diversity": ("가중치: 다양성", "업종 다양성(1−HHI)과 60% 초과 프랜차이즈 비중 감점. "
                          "보조 지표라 가장 작은 비중(제안값)", 0.0, 1.0),
    "change_type_score.LH": ("상권변화지표 점수: 상권확장", "신규 진입자가 버티는 확장형이 가장 "
                             "안정적이라 봄(제안값)", 0.0, 1.0),
    "change_type_score.LL": ("상권변화지표 점수: 다이나믹", "진입·퇴출이 모두 잦은 불안정 상태(제안값)",
                             0.0, 1.0),
    "change_type_score.HL": ("상권변화지표 점수: 상권축소", "기존 점포만 버티는 축소형(제안값)",
                             0.0, 1.0),
    "change_type_score.HH": ("상권변화지표 점수: 정체", "오래 버티다 오래된 점포가 폐업하는 "
                             "정체형을 가장 낮게(제안값)", 0.0, 1.0),
    "diversity.franchise_penalty_above": ("프랜차이즈 감점 기준 비중", "프랜차이즈 비중이 이 값을 "
                                          "넘을 때만 다양성 점수를 깎음(제안값)", 0.0, 0.99),
    "grades.grade1_min_rank": ("1등급 하한 백분위", "서울 같은 유형 상권 중 상위 20%(5분위)", 0.0,
                               100.0),
    "grades.grade2_min_rank": ("2등급 하한 백분위", "5분위 등급(BC카드 상권지수처럼 5등급)", 0.0,
                               100.0),
    "grades.grade3_min_rank": ("3등급 하한 백분위", "5분위 등급의 가운데", 0.0, 100.0),
    "grades.grade4_min_rank": ("4등급 하한 백분위", "이 값 미만은 5등급", 0.0, 100.0),
    "gentrification.sales_growth_rank": ("과열 매출 증가 백분위", "매출 증가율이 서울 같은 유형의 "
                                         "상위 20%(P80)를 넘으면 신호(국토연 지표군, 임시값)",
                                         0.0, 100.0),
    "gentrification.consecutive_quarters": ("과열 연속 분기 수", "한 분기의 급등은 우연일 수 있어 "
                                            "연속 분기를 요구(임시값)", 1, 8),
    "gentrification.franchise_share_pp": ("프랜차이즈 비중 증가(%p)", "프랜차이즈 신규 진입 변화는 "
                                          "서울 젠트리피케이션의 유의한 예측변수(임시값)", 0.0,
                                          100.0),
    "gentrification.cafe_share_pp": ("카페·양식 비중 증가(%p)", "카페·양식 비중 증가와 근린 업종 "
                                     "감소(류·박 2019)(임시값)", 0.0, 100.0),
    "gentrification.young_share_pp": ("20~39세 매출 비중 증가(%p)", "40세 미만 매출 비중은 "
                                      "유의한 예측변수(임시값)", 0.0, 100.0),
    "gentrification.caution_min_signals": ("주의 신호 수", "신호 2개 이상이면 주의(임시값)", 1, 5),
    "gentrification.alert_min_signals": ("경계 신호 수", "신호 3개 이상 + 상권변화지표 HL/HH 이동 "
                                         "+ 장기 영업 점포 폐업이면 경계(임시값)", 1, 5),
    "gentrification.long_closure_months": ("장기 영업 기준(개월)", "10년 넘게 영업한 점포의 폐업은 "
                                           "둥지 내몰림의 신호(임시값)", 12, 600),
    "gentrification.long_closure_rank": ("장기 영업 폐업 백분위", "구의 장기 영업 점포 폐업 비율이 "
                                         "서울 P80을 넘을 때(임시값)", 0.0, 100.0),
    "quality.min_stores": ("최소 점포 수", "점포가 이보다 적으면 비율이 한두 곳에 좌우되어 순위를 "
                           "매기지 않음", 1, 100),
    "quality.max_masked_share": ("결측 셀 허용 비율", "매출 셀이 20% 넘게 비면 순위를 매기지 "
                                 "않음(§1.4 소표본 기준)", 0.0, 1.0),
}
