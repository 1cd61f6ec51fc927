"""The catalog's controlled codes as connectors must produce them, and the source labels
that map onto them.

The codes are the portal's (`portal.catalog.vocab`), repeated here because connectors never
import `portal`; `tests/connectors/test_records.py` fails if the two lists drift apart.
"""
from __future__ import annotations

import re

# The 12 fields (분야) of the Seoul Open Data Plaza, plus 기타 for anything else.
THEMES = ("인구/가구", "교통", "보건", "문화/관광", "산업/경제", "환경", "교육", "일반행정",
          "복지", "도시관리", "안전", "주택/건설", "기타")
OTHER_THEME = "기타"
KINDS = ("file", "openapi", "stats", "standard")
LICENCES = ("KOGL-1", "KOGL-2", "KOGL-3", "KOGL-4", "KOGL-0", "UNRESTRICTED", "OTHER", "UNKNOWN")
UPDATE_CYCLES = ("realtime", "daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly",
                 "irregular", "none")
RESOURCE_KINDS = ("file", "api", "link")

# Region code systems, named as models_std.semantics names them (mois: 5-digit 구 codes,
# mois10: 10-digit 행정기관코드, kostat: KOSTAT/SGIS codes, org7: LOCALDATA 7-digit
# local-government codes). Recording the system matters: 11230 is 강남구 in KOSTAT and
# 동대문구 in MOIS.
CODE_SYSTEMS = ("mois", "mois10", "mois8", "kostat", "org7", "name")


def _key(label: str) -> str:
    return re.sub(r"[\s/·ㆍ.,_-]", "", label or "")


_THEME_KEYS = {_key(theme): theme for theme in THEMES}
# Other catalogs' fields: the 16 분류 of data.go.kr, mapped to the nearest Seoul field
# (those with no near one, such as 법률, 과학기술 or 통일외교안보, stay 기타).
_THEME_ALIASES = {"사회복지": "복지", "보건의료": "보건", "문화관광": "문화/관광",
                  "산업경제": "산업/경제", "주택건설": "주택/건설", "인구가구": "인구/가구",
                  "공공행정": "일반행정", "교통물류": "교통", "국토관리": "도시관리",
                  "재난안전": "안전", "환경기상": "환경", "산업고용": "산업/경제",
                  "재정금융": "산업/경제", "농축수산": "산업/경제", "식품건강": "보건"}


def theme_from_label(label: str | None) -> str:
    """One of THEMES for a source's field label; 기타 when it names none of them."""
    key = _key(label or "")
    return _THEME_KEYS.get(key) or _THEME_ALIASES.get(key) or OTHER_THEME


# 갱신주기 labels of the Seoul catalog (CHNG_LOAD_NM), KOSIS period labels (수록주기) and
# data.go.kr. Matched after removing spaces.
_CYCLE_LABELS = {
    "실시간": "realtime", "수시(실시간)": "realtime",
    "일": "daily", "일간": "daily", "매일": "daily", "일1회": "daily",
    "주": "weekly", "주간": "weekly", "매주": "weekly",
    "월": "monthly", "월간": "monthly", "매월": "monthly",
    "분기": "quarterly", "분기별": "quarterly",
    "반기": "half-yearly", "반기별": "half-yearly",
    "년": "yearly", "연": "yearly", "연간": "yearly", "년간": "yearly", "매년": "yearly",
    # Multi-year cycles (KOSIS "5년" for the census) have no code of their own; "irregular"
    # at least never marks them overdue a year after publication.
    "2년": "irregular", "3년": "irregular", "5년": "irregular", "부정기": "irregular",
    "수시": "irregular", "비정기": "irregular",
    "주기없음": "none", "없음": "none", "갱신없음": "none", "일회성": "none",
}


def update_cycle_from_label(label: str | None) -> str | None:
    """One of UPDATE_CYCLES for a Korean update-cycle label; None when unknown or empty."""
    return _CYCLE_LABELS.get(re.sub(r"\s", "", label or ""))


def licence_from_label(label: str | None, default: str = "UNKNOWN") -> str:
    """A licence code for 공공누리 / 이용허락범위 text ("공공누리 제1유형", "제 4유형", "이용허락범위
    제한 없음"); `default` when the text says nothing recognisable."""
    text = re.sub(r"\s", "", label or "")
    if not text:
        return default
    match = re.search(r"(?:공공누리|KOGL)?(?:제)?([0-4])유형|KOGL-?([0-4])", text, re.IGNORECASE)
    if match:
        return f"KOGL-{match.group(1) or match.group(2)}"
    if "제한없음" in text or "자유이용" in text:
        return "UNRESTRICTED"
    return "OTHER"
