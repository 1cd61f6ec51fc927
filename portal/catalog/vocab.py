"""Controlled vocabularies of the catalog, declared once with Korean and English labels.

Facets, forms, filters and the CKAN/DCAT mappings read these declarations; a stored value is
always the code (left column), never the label.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    ko: str
    en: str


def _index(*terms: Term) -> dict[str, Term]:
    return {term.code: term for term in terms}


# The 12 fields (분야) of the Seoul Open Data Plaza, plus 기타 for anything else.
THEMES = _index(
    Term("인구/가구", "인구/가구", "Population and households"),
    Term("교통", "교통", "Transport"),
    Term("보건", "보건", "Health"),
    Term("문화/관광", "문화/관광", "Culture and tourism"),
    Term("산업/경제", "산업/경제", "Industry and economy"),
    Term("환경", "환경", "Environment"),
    Term("교육", "교육", "Education"),
    Term("일반행정", "일반행정", "General administration"),
    Term("복지", "복지", "Welfare"),
    Term("도시관리", "도시관리", "Urban management"),
    Term("안전", "안전", "Safety"),
    Term("주택/건설", "주택/건설", "Housing and construction"),
    Term("기타", "기타", "Other"),
)

KINDS = _index(
    Term("file", "파일", "File"),
    Term("openapi", "OpenAPI", "Open API"),
    Term("stats", "통계", "Statistics"),
    Term("standard", "표준데이터", "Standard data"),
)

# 공공누리 (KOGL) types and the other licence values Korean portals use.
LICENCES = _index(
    Term("KOGL-1", "공공누리 제1유형 (출처표시)", "KOGL Type 1 (attribution)"),
    Term("KOGL-2", "공공누리 제2유형 (출처표시+상업적 이용금지)",
         "KOGL Type 2 (attribution, non-commercial)"),
    Term("KOGL-3", "공공누리 제3유형 (출처표시+변경금지)",
         "KOGL Type 3 (attribution, no derivatives)"),
    Term("KOGL-4", "공공누리 제4유형 (출처표시+상업적 이용금지+변경금지)",
         "KOGL Type 4 (attribution, non-commercial, no derivatives)"),
    Term("KOGL-0", "공공누리 제0유형 (자유이용)", "KOGL Type 0 (free use)"),
    Term("UNRESTRICTED", "이용허락범위 제한 없음", "No restriction"),
    Term("OTHER", "기타", "Other"),
    Term("UNKNOWN", "미확인", "Unknown"),
)

# 업데이트 주기 with the expected interval in days (None: no promise of an update).
UPDATE_CYCLES = _index(
    Term("realtime", "실시간", "Real time"),
    Term("daily", "일간", "Daily"),
    Term("weekly", "주간", "Weekly"),
    Term("monthly", "월간", "Monthly"),
    Term("quarterly", "분기", "Quarterly"),
    Term("half-yearly", "반기", "Half-yearly"),
    Term("yearly", "연간", "Yearly"),
    Term("irregular", "수시", "Irregular"),
    Term("none", "비정기 (갱신 없음)", "No updates"),
)
UPDATE_CYCLE_DAYS = {"realtime": 1, "daily": 1, "weekly": 7, "monthly": 31,
                     "quarterly": 92, "half-yearly": 183, "yearly": 366}

VISIBILITIES = _index(
    Term("public", "공개", "Public"),
    Term("internal", "내부", "Internal"),
)

ORGANISATION_KINDS = _index(
    Term("city", "광역자치단체", "Metropolitan government"),
    Term("gu", "자치구", "Autonomous district"),
    Term("office", "실·국·본부", "Office / bureau"),
    Term("division", "과", "Division"),
    Term("team", "팀", "Team"),
    Term("agency", "산하기관·사업소", "Affiliated agency"),
    Term("external", "외부 기관", "External provider"),
)

RESOURCE_KINDS = _index(
    Term("file", "파일", "File"),
    Term("api", "OpenAPI", "API endpoint"),
    Term("link", "링크", "Link"),
)


def label(vocabulary: dict[str, Term], code: str | None, lang: str = "ko") -> str:
    """The label of a code, or the code itself when the vocabulary does not know it."""
    if code is None:
        return ""
    term = vocabulary.get(code)
    return getattr(term, lang) if term else code
