"""The gu, the period and the parameters of a run as a person types them (form or command
line), checked with errors in Korean that say what to write instead."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from models_std import semantics
from models_std.base import ModelSpec
from models_std.parameters import ParameterError, resolve


class RequestError(ValueError):
    """A field a person can fix; `field` names the form field."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def gu_choices() -> list[tuple[str, str]]:
    """(MOIS code, name) of the 25 gu in MOIS order (종로구 … 강동구)."""
    return [(d.mois, d.name_ko) for d in sorted(semantics.DISTRICTS, key=lambda d: d.order)
            if d.order > 0]


def gu_name(code: str) -> str:
    district = semantics.district_by_code(code, semantics.MOIS)
    return district.name_ko if district else code


def parse_gu(text: str) -> str:
    """강동구, 강동, Gangdong-gu or the MOIS code 11740 → '11740'."""
    text = (text or "").strip()
    if not text:
        raise RequestError("자치구를 선택해 주세요.", "gu")
    district = (semantics.district_by_code(text, semantics.MOIS) if text.isdigit()
                else semantics.district_by_name(text))
    if district is None or district.order == 0:
        raise RequestError(f"'{text}'은(는) 서울의 자치구가 아닙니다. 구 이름(예: 강동구)이나 "
                           "행정안전부 5자리 코드(예: 11740)를 적어 주세요.", "gu")
    return district.mois


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise RequestError(f"'{text}': 날짜는 YYYY-MM-DD 형식으로 적어 주세요 "
                           "(예: 2024-01-01).", field) from None


def parse_period(start: str, end: str) -> Period:
    period = Period(parse_date(start, "period_start"), parse_date(end, "period_end"))
    if period.end < period.start:
        raise RequestError("기간의 끝이 시작보다 빠릅니다.", "period_end")
    return period


def parse_period_text(text: str) -> Period:
    """`2024-01-01:2024-03-31` (the command line's form)."""
    start, sep, end = (text or "").partition(":")
    if not sep:
        raise RequestError(f"'{text}': 기간은 시작:끝 형식으로 적어 주세요 "
                           "(예: 2024-01-01:2024-03-31).", "period")
    return parse_period(start, end)


def parse_parameters(spec: ModelSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared parameter with the given values over the Seoul defaults; values typed
    as text are read as numbers where the default is a number."""
    declared = {p.name: p for p in spec.parameters}
    values = {}
    for name, value in given.items():
        parameter = declared.get(name)
        if parameter is None:
            raise RequestError(f"모델 '{spec.name_ko}'에는 '{name}' 매개변수가 없습니다.",
                               f"param.{name}")
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue  # an emptied field means the default
            if isinstance(parameter.default, bool):
                value = value.lower() in {"1", "true", "yes", "on", "예"}
        values[name] = value
    try:
        return resolve(spec, values)
    except ParameterError as exc:
        name = str(exc).split(":", 1)[0]
        label = declared[name].label_ko if name in declared else name
        raise RequestError(_korean_parameter_error(label, exc, declared.get(name)),
                           f"param.{name}") from None


def _korean_parameter_error(label: str, exc: ParameterError, parameter) -> str:
    text = str(exc)
    if parameter is not None and "minimum" in text:
        return f"'{label}' 값이 최솟값 {parameter.minimum:g}보다 작습니다."
    if parameter is not None and "maximum" in text:
        return f"'{label}' 값이 최댓값 {parameter.maximum:g}보다 큽니다."
    return f"'{label}' 값은 숫자여야 합니다."
