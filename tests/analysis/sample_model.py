"""A tiny model on the models_std contract, so the portal's tests need no real model:
per-gu sums of one measure, with the Seoul context and one bar chart."""
from __future__ import annotations

import pandas as pd
import pytest

from models_std import registry, semantics
from models_std.base import ChartSpec, InputRole, ModelResult, ModelSpec, Parameter, RunRequest
from models_std.comparison import finish_table, seoul_context

MODEL_ID = "gu-sums"


def _run(request: RunRequest) -> ModelResult:
    frame = request.inputs["counts"]
    if frame["값"].dropna().empty:
        raise ValueError("값 열에 숫자가 없습니다.")
    scale = request.parameters["weights.scale"]
    sums = frame.groupby("자치구", sort=True)["값"].sum() * scale
    rows = []
    for name, value in sums.items():
        district = semantics.district_by_name(name)
        rows.append({"unit_type": "gu", "unit_id": district.mois, "unit_name": name,
                     "metric": "합계", "value": float(value), "unit": "명",
                     "n_obs": int((frame["자치구"] == name).sum())})
    table = finish_table(seoul_context(pd.DataFrame(rows)), SPEC, request)
    own = table[table["unit_id"] == request.gu_code]
    own_value = float(own["value"].iloc[0]) if len(own) else None
    gu = semantics.district_by_code(request.gu_code, semantics.MOIS).name_ko
    chart = ChartSpec(id="sums", kind="bar", title_ko="자치구별 합계",
                      labels=tuple(sums.index), series=(("합계", tuple(float(v) for v in sums)),),
                      alt_ko=f"자치구별 합계 막대 차트. {gu}을(를) 강조합니다.", unit="명",
                      highlight=gu)
    summary = (f"{gu}의 합계는 {own_value:,.0f}명입니다." if own_value is not None
               else f"{gu}의 자료가 없습니다.",)
    return ModelResult(table, (chart,), summary)


SPEC = ModelSpec(
    id=MODEL_ID, name_ko="자치구 합계 모델", name_en="Sums by gu", version="1.0",
    description_ko="자치구별 수치의 합계를 서울 전체와 비교합니다.",
    questions_ko=("우리 구의 합계는 서울에서 몇 번째인가?",),
    inputs=(InputRole("counts", "자치구별 수치", "Figures by gu", frozenset({"gu", "measure"}),
                      description_ko="자치구와 수치 열이 있는 표",
                      columns=("자치구", "값"), aliases={"인구": "값", "건수": "값"}),),
    parameters=(Parameter("weights.scale", "배율", 1.0, "합계에 곱하는 값 (검증용)",
                          group="weights", minimum=0.0, maximum=10.0),),
    outputs=("합계",), run=_run)


@pytest.fixture
def sample_model(monkeypatch):
    monkeypatch.setitem(registry._MODELS, MODEL_ID, SPEC)
    return SPEC


def gu_frame(values: dict[str, float], column: str = "인구") -> pd.DataFrame:
    return pd.DataFrame({"자치구": list(values), column: list(values.values())})


SEOUL_FIGURES = {d.name_ko: 1000.0 * d.order for d in semantics.DISTRICTS if d.order > 0}


def generated_figures() -> pd.DataFrame:
    """A deterministic generator for demo manifests (`generator = "module:function"`)."""
    return gu_frame(SEOUL_FIGURES, column="건수")
