"""서울특별시 and its 25 자치구 (gu) in every code system, and the lookups over them.

Code systems are named, never implied: the same 5-digit string means different gu in the
MOIS (행정안전부) and KOSTAT (통계청/SGIS) systems — 11110 is 종로구 in MOIS and 노원구 in
KOSTAT, and 11140, 11170, 11200, 11230 collide the same way. So every code lookup takes the
system, and a column of codes is assigned a system only from all of its values together.
Source of the table: reference/korean_portals.md §11.1, checked against the KOSTAT 2013 and
JUSO 2015 boundary files (tests/models_std/test_semantics.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from models_std.semantics._distinct import map_distinct, map_each_distinct

MOIS = "mois"        # 행안부/법정동 5-digit, 11110 … 11740
MOIS10 = "mois10"    # 행안부 10-digit (법정동/행정동 form), 1111000000
ORG7 = "org7"        # 행정기관코드 7-digit, 3000000 … 3240000 (개방자치단체코드 too)
KOSTAT = "kostat"    # 통계청/SGIS 5-digit, 11010 … 11250
MOIS8 = "mois8"      # 행정동 8-digit (10-digit without the trailing 00): 생활인구, 상권 files
NAME = "name"        # not a code: the column holds names
AMBIGUOUS = "ambiguous"  # valid in more than one system: we do not guess
CODE_SYSTEMS = (MOIS, MOIS10, ORG7, KOSTAT)

# Levels of a MOIS region cell, coarsest first.
LEVEL_NATION, LEVEL_SIDO, LEVEL_SIGUNGU, LEVEL_DONG = "전국", "시도", "시군구", "읍면동"
LEVEL_RANK = {LEVEL_NATION: 0, LEVEL_SIDO: 1, LEVEL_SIGUNGU: 2, LEVEL_DONG: 3}


@dataclass(frozen=True)
class District:
    """One Seoul district (or the city itself, order 0) with its codes in every system."""
    order: int       # MOIS order: 1 종로구 … 25 강동구; 0 서울특별시
    name_ko: str     # 종로구
    short_ko: str    # 종로
    name_en: str     # Jongno-gu
    mois: str
    mois10: str
    org7: str
    kostat: str

    @property
    def codes(self) -> dict[str, str]:
        return {system: getattr(self, system) for system in CODE_SYSTEMS}

    def code(self, system: str) -> str:
        if system not in CODE_SYSTEMS:
            raise ValueError(f"unknown code system {system!r}; use one of {CODE_SYSTEMS}")
        return getattr(self, system)


SEOUL = District(0, "서울특별시", "서울", "Seoul", "11000", "1100000000", "6110000", "11")

_TABLE = """
종로구 Jongno-gu 11110 11010
중구 Jung-gu 11140 11020
용산구 Yongsan-gu 11170 11030
성동구 Seongdong-gu 11200 11040
광진구 Gwangjin-gu 11215 11050
동대문구 Dongdaemun-gu 11230 11060
중랑구 Jungnang-gu 11260 11070
성북구 Seongbuk-gu 11290 11080
강북구 Gangbuk-gu 11305 11090
도봉구 Dobong-gu 11320 11100
노원구 Nowon-gu 11350 11110
은평구 Eunpyeong-gu 11380 11120
서대문구 Seodaemun-gu 11410 11130
마포구 Mapo-gu 11440 11140
양천구 Yangcheon-gu 11470 11150
강서구 Gangseo-gu 11500 11160
구로구 Guro-gu 11530 11170
금천구 Geumcheon-gu 11545 11180
영등포구 Yeongdeungpo-gu 11560 11190
동작구 Dongjak-gu 11590 11200
관악구 Gwanak-gu 11620 11210
서초구 Seocho-gu 11650 11220
강남구 Gangnam-gu 11680 11230
송파구 Songpa-gu 11710 11240
강동구 Gangdong-gu 11740 11250
"""


def _build() -> tuple[District, ...]:
    rows = [line.split() for line in _TABLE.strip().splitlines()]
    # 행정기관코드 runs 3000000, 3010000, … in steps of 10000 following the MOIS order.
    return tuple(District(i, ko, ko[:-1], en, mois, mois + "00000", str(3000000 + 10000 * (i - 1)),
                          kostat)
                 for i, (ko, en, mois, kostat) in enumerate(rows, start=1))


DISTRICTS: tuple[District, ...] = _build()
GU_NAMES: tuple[str, ...] = tuple(d.name_ko for d in DISTRICTS)  # MOIS order, for by_gu


def _name_key(text: str) -> str:
    """Spelling-insensitive key: 'Jongno-gu', 'jongno gu', 'JONGNO' and 'Jongno' all agree."""
    key = re.sub(r"[\s\-_.]", "", text).lower()
    return key[:-2] if key.endswith("gu") and key.isascii() else key


def _name_index() -> dict[str, District]:
    index: dict[str, District] = {}
    for d in DISTRICTS:
        for spelling in (d.name_ko, d.short_ko, d.name_en):
            index[_name_key(spelling)] = d
    return index


_BY_NAME = _name_index()
_NAME_OF_KEY = {key: d.name_ko for key, d in _BY_NAME.items()}
_BY_CODE = {system: {d.code(system): d for d in DISTRICTS} for system in CODE_SYSTEMS}
# Prefixes people write before a gu name: "서울특별시 종로구", "서울시 종로구", "서울 종로구".
_CITY_PREFIX = re.compile(r"^\s*(서울특별시|서울시|서울)\s+")
CITY_NAMES = frozenset({"서울특별시", "서울시", "서울", "Seoul", "Seoul City",
                        "Seoul Metropolitan City"})
_CITY_KEYS = frozenset(_name_key(n) for n in CITY_NAMES)


def known_name_keys() -> list[str]:
    return list(_BY_NAME)


def name_keys(values: pd.Series) -> pd.Series:
    """Vectorised _name_key (the city prefix removed); numbers become digit strings that
    match no name."""
    keys = (values.astype(str).str.replace(_CITY_PREFIX.pattern, "", regex=True)
            .str.replace(r"[\s\-_.]", "", regex=True).str.lower())
    return keys.str.replace(r"^([a-z]+)gu$", r"\1", regex=True)


def city_names(values: pd.Series) -> pd.Series:
    """Vectorised is_city for names: 서울특별시, 서울시, 서울, Seoul."""
    return name_keys(values).isin(_CITY_KEYS)


def normalise_code(value) -> str | None:
    """'11110', 11110, 11110.0 and ' 11110 ' are the same code; anything else is None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text if text.isdigit() else None


def district_by_name(text) -> District | None:
    """A gu by Korean name, short name or English name (any case, with or without '-gu')."""
    if not isinstance(text, str):
        return None
    return _BY_NAME.get(_name_key(_CITY_PREFIX.sub("", text)))


def district_by_code(code, system: str) -> District | None:
    """A gu by its code in the given system; the system is required because codes collide."""
    if system not in _BY_CODE:
        raise ValueError(f"unknown code system {system!r}; use one of {CODE_SYSTEMS}")
    return _BY_CODE[system].get(normalise_code(code) or "")


def is_city(value, system: str = NAME) -> bool:
    """True for 서울특별시 itself (a city-total label in a gu table)."""
    if system == NAME:
        return isinstance(value, str) and _name_key(value) in _CITY_KEYS
    return system in CODE_SYSTEMS and normalise_code(value) == SEOUL.code(system)


def find_district(value, system: str = NAME) -> District | None:
    """A gu from a cell: by name when system is NAME, else by code in that system."""
    return district_by_name(value) if system == NAME else district_by_code(value, system)


@dataclass(frozen=True)
class CodeDetection:
    """What a column of codes is: `system` is None when undecided; `candidates` says why."""
    system: str | None
    share: float                   # share of distinct values valid in `system` (or the best)
    candidates: tuple[str, ...]    # every system that fits as well as the best

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def detect_code_system(values: Iterable, *, threshold: float = 0.8) -> CodeDetection:
    """Decide the code system of a whole column of gu codes.

    Works on distinct values, so a long table repeating five colliding codes is still
    ambiguous. City codes are neutral (a city row says nothing about the system). A system
    fits when at least `threshold` of the values are valid in it; among those, the one with
    the highest share wins; a tie (e.g. every value is one of the five colliding codes) is
    reported as ambiguous.
    """
    codes = {c for c in (normalise_code(v) for v in values) if c}
    codes -= {SEOUL.code(s) for s in CODE_SYSTEMS}
    if not codes:
        return CodeDetection(None, 0.0, ())
    shares = {s: sum(c in _BY_CODE[s] for c in codes) / len(codes) for s in CODE_SYSTEMS}
    best = max(shares.values())
    if best < threshold:
        return CodeDetection(None, best, ())
    candidates = tuple(s for s in CODE_SYSTEMS if shares[s] == best)
    system = candidates[0] if len(candidates) == 1 else AMBIGUOUS
    return CodeDetection(system, best, candidates)


@dataclass(frozen=True)
class Region:
    """A MOIS region cell such as "서울특별시 종로구 청운효자동(1111051500)"."""
    name: str              # whitespace collapsed: "서울특별시 종로구 청운효자동"
    code: str              # 10 digits
    level: str             # 전국 | 시도 | 시군구 | 읍면동
    district: District | None  # the Seoul gu it lies in (None for the city, other 시도)


# The name, then the 10-digit code in the final parentheses. MOIS puts two spaces before "("
# at 시도 level, one at 시군구 level and none at 동 level; the level comes from the code instead.
_REGION = re.compile(r"^\s*(.*?)\s*\((\d{10})\)\s*$")


def region_level(code: str) -> str:
    # 전국 is 1000000000 in some files and 0000000000 in others.
    if code in ("1000000000", "0000000000"):
        return LEVEL_NATION
    if code[2:] == "00000000":
        return LEVEL_SIDO
    return LEVEL_SIGUNGU if code[5:] == "00000" else LEVEL_DONG


def parse_region(text) -> Region | None:
    if not isinstance(text, str):
        return None
    match = _REGION.match(text)
    if not match:
        return None
    name, code = " ".join(match.group(1).split()), match.group(2)
    level = region_level(code)
    district = _BY_CODE[MOIS].get(code[:5]) if level in (LEVEL_SIGUNGU, LEVEL_DONG) else None
    return Region(name, code, level, district)


def gu_names(series: pd.Series, system: str = NAME) -> pd.Series:
    """Per row, the Korean gu name the cell stands for, or None (city, other place, blank)."""
    if system in (MOIS10, MOIS8):
        # Region cells ("서울특별시 종로구 (1111000000)") or bare 10/8-digit codes; a 동 row
        # belongs to the gu of its first five digits.
        pad = "00" if system == MOIS8 else ""
        return map_each_distinct(
            series, lambda v: _name_of(_district_of_region(_padded(v, pad))))
    if system == NAME:
        return map_distinct(series, lambda names: name_keys(names).map(_NAME_OF_KEY))
    if system not in CODE_SYSTEMS:
        return pd.Series(None, index=series.index, dtype=object)
    return map_each_distinct(series, lambda v: _name_of(find_district(v, system)))


def _padded(value, pad: str):
    code = normalise_code(value)
    return code + pad if code and pad else value


def _district_of_region(value) -> District | None:
    region = parse_region(value)
    if region is not None:
        return region.district
    code = normalise_code(value)
    if code and len(code) == 10 and region_level(code) in (LEVEL_SIGUNGU, LEVEL_DONG):
        return _BY_CODE[MOIS].get(code[:5])
    return None


def _name_of(district: District | None) -> str | None:
    return district.name_ko if district else None
