"""Template filters: Korean number and date formatting, vocabulary labels."""
from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

import pandas as pd

from models_std import semantics
from portal.catalog import vocab

SEOUL = ZoneInfo("Asia/Seoul")


def korean_number(value, digits: int = 2) -> str:
    """9594329 → '9,594,329'; 2.0699 → '2.07'; None/NaN → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def korean_large(value) -> str:
    """Large sums also as 억/만: 1234567890 → '12억 3,457만'."""
    if value is None or abs(value) < 10_000:
        return korean_number(value)
    sign, value = ("-" if value < 0 else ""), abs(value)
    # Round to whole 만 first, so 199,999,999 reads '2억', not '1억 10,000만'.
    eok, man = divmod(round(value / 10_000), 10_000)
    parts = [f"{eok:,}억"] if eok else []
    if man:
        parts.append(f"{man:,}만")
    return sign + " ".join(parts)


def with_unit(value, unit: str | None = None, digits: int = 2) -> str:
    """A figure with its unit as Korean pages write it: 9594329, '명' → '9,594,329명'."""
    text = korean_number(value, digits)
    return text if text == "–" or not unit else f"{text}{unit}"


def large_with_unit(value, unit: str | None = None) -> str:
    """The 억/만 reading of a big figure: 1234567890, '원' → '12억 3,457만 원'."""
    text = korean_large(value)
    return text if text == "–" or not unit else f"{text} {unit}"


def signed_number(value, digits: int = 2) -> str:
    """A change with its sign: 4517 → '+4,517', -12 → '−12' (a real minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + korean_number(abs(value), digits)


def signed_percent(value, digits: int = 1) -> str:
    """A relative change: 88.05 → '+88.1%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return signed_number(round(value, digits), digits) + "%"


def korean_date(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.astimezone(SEOUL).strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def init_app(app: Flask) -> None:
    app.add_template_filter(korean_number, "num")
    app.add_template_filter(korean_large, "large")
    app.add_template_filter(with_unit, "unit")
    app.add_template_filter(large_with_unit, "large_unit")
    app.add_template_filter(signed_number, "signed")
    app.add_template_filter(signed_percent, "signed_pct")
    app.add_template_filter(ranked, "ranked")
    app.add_template_filter(korean_date, "kdate")
    app.add_template_filter(preview_cell, "cell")
    app.add_template_filter(dict_without, "dict_without")
    app.jinja_env.globals.update(
        vocab=vocab, label=vocab.label, coverage_names=coverage_names,
        tag_label=lambda tag: TAG_LABELS.get(tag, tag or ""),
        theme_label=lambda code: vocab.label(vocab.THEMES, code),
        kind_label=lambda code: vocab.label(vocab.KINDS, code),
        licence_label=lambda code: vocab.label(vocab.LICENCES, code),
        cycle_label=lambda code: vocab.label(vocab.UPDATE_CYCLES, code) or "–",
    )


def preview_cell(value) -> str:
    """A table cell as a person reads it: blanks for missing, dates without midnight."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else korean_number(value, digits=6)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() \
            else value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return "" if text in {"nan", "NaT", "<NA>", "None"} else text


def coverage_names(codes) -> str:
    """MOIS gu codes of a dataset's spatial coverage as names; 11000 is all of Seoul."""
    names = []
    for code in codes or []:
        district = semantics.district_by_code(code, semantics.MOIS)
        names.append(district.name_ko if district else
                      semantics.SEOUL.name_ko if code == semantics.SEOUL.mois else code)
    return ", ".join(names)


# Semantic column tags as a person reads them (models_std.semantics owns the tags).
TAG_LABELS = {"gu": "자치구", "dong": "행정동", "year": "연도", "month": "월", "date": "날짜",
              "measure": "수치", "category": "범주", "lat": "위도", "lon": "경도",
              "x": "X 좌표", "y": "Y 좌표", "code": "코드", "text": "텍스트", "id": "식별자"}


def dict_without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def ranked(values: list, labels: list[str]) -> list[tuple[str, float]]:
    """(label, value) pairs, largest first, missing values left out: a chart's data table."""
    pairs = [(label, value) for label, value in zip(labels, values) if value is not None]
    return sorted(pairs, key=lambda pair: -pair[1])
