"""전통시장·골목상권 활성화 (traditional market and alley commercial-area revitalization).

The unit is the 상권 (commercial area) of the Seoul 상권분석서비스: about 1,650 areas of
four types, A 골목상권, D 발달상권, R 전통시장, U 관광특구. Every area of Seoul is scored
each quarter, so one gu's areas are always read against all comparable areas.
"""
from __future__ import annotations

from pathlib import Path

from models_std.base import ModelSpec, Parameter
from models_std.market.declaration import INPUTS, PARAMETER_TEXT
from models_std.market.report import CODEBOOKS, OUTPUTS
from models_std.market.run import run
from models_std.parameters import load_defaults
from models_std.registry import register

DEFAULTS_FILE = Path(__file__).with_name("defaults.toml")
VERSION, DEFAULTS = load_defaults(DEFAULTS_FILE)


def _parameters() -> tuple[Parameter, ...]:
    params = []
    for name, default in DEFAULTS.items():
        label, why, low, high = PARAMETER_TEXT[name]
        group = "weights" if name.startswith(("weights.", "change_type_score.")) else \
            name.split(".")[0]
        params.append(Parameter(name=name, label_ko=label, default=default,
                                description_ko=why, group=group, minimum=low, maximum=high))
    return tuple(params)


SPEC: ModelSpec = register(ModelSpec(
    id="market",
    name_ko="전통시장·골목상권 활성화",
    name_en="Traditional market and alley commercial-area revitalization",
    version=VERSION,
    description_ko=(
        "서울시 상권분석서비스의 상권(약 1,650곳)마다 분기별 매출·점포·개폐업·상권변화지표로 "
        "성장성·안정성·활력·구매력·다양성을 재고, 서울 같은 유형(골목상권·발달상권·전통시장·"
        "관광특구) 상권 안에서의 순위로 활성화지수와 5등급, 4분면 유형, 젠트리피케이션 "
        "주의 신호를 냅니다. 가중치는 공개된 서울시 기준이 없어 제안값입니다."),
    questions_ko=(
        "우리 구 상권의 업종별 매출과 개업·폐업은 어떻게 변하고 있나?",
        "어느 상권이 쇠퇴·정체·성장·과열(젠트리피케이션) 중인가?",
        "상권변화지표(다이나믹·상권확장·상권축소·정체)로 본 상권의 성격은?",
        "다른 구의 같은 유형 상권, 그리고 작년 같은 분기와 비교하면 어떤가?",
    ),
    inputs=INPUTS,
    parameters=_parameters(),
    outputs=OUTPUTS,
    run=run,
))

__all__ = ["SPEC", "CODEBOOKS", "DEFAULTS", "VERSION"]
