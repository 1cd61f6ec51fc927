"""Search documents from the real Seoul catalog (8,212 dataset titles), plus synthetic variants.

Used by the indexer tests and by bench/search_whoosh.py. The catalog file has titles and a few
codes only; descriptions, keywords, dates and views are made up here, deterministically (a hash
of the id), so every run and every backend sees the same documents.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from indexer.documents import SearchDocument

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "sample_data" / "seoul_opendata" / "seoul-api-catalog_SearchCatalogService.json"

GU_EN = {
    "강남구": "Gangnam-gu", "강동구": "Gangdong-gu", "강북구": "Gangbuk-gu", "강서구": "Gangseo-gu",
    "관악구": "Gwanak-gu", "광진구": "Gwangjin-gu", "구로구": "Guro-gu", "금천구": "Geumcheon-gu",
    "노원구": "Nowon-gu", "도봉구": "Dobong-gu", "동대문구": "Dongdaemun-gu", "동작구": "Dongjak-gu",
    "마포구": "Mapo-gu", "서대문구": "Seodaemun-gu", "서초구": "Seocho-gu", "성동구": "Seongdong-gu",
    "성북구": "Seongbuk-gu", "송파구": "Songpa-gu", "양천구": "Yangcheon-gu",
    "영등포구": "Yeongdeungpo-gu", "용산구": "Yongsan-gu", "은평구": "Eunpyeong-gu",
    "종로구": "Jongno-gu", "중구": "Jung-gu", "중랑구": "Jungnang-gu",
}
GU = list(GU_EN)
_GU_RE = re.compile(r"(?<![가-힣])(" + "|".join(sorted(GU, key=len, reverse=True)) + r")")
DISTRICT_ORGS = {
    "서울시(본청)": ("seoul-city", "서울특별시"),
    "서울시(산하기관)": ("seoul-agencies", "서울시 산하기관"),
    "서울시(사업소)": ("seoul-offices", "서울시 사업소"),
    "공공기관(외부)": ("public-bodies", "공공기관"),
    "민간(기업)": ("private", "민간기업"),
}
FORMATS = {"Sheet": ["CSV"], "File": ["XLSX"], "Api": ["JSON", "XML"], "MAP": ["SHP"],
           "Link": ["LINK"]}
EPOCH = datetime(2016, 1, 1, tzinfo=timezone.utc)
DIVISIONS = ["스마트도시과", "교통행정과", "복지정책과", "환경과", "문화체육과", "보건소", "기획예산과",
             "도시계획과", "세무과", "주차관리과", "일자리정책과", "민원여권과"]
SENTENCES = [
    "{org}에서 관리하는 {title} 자료입니다.",
    "이 데이터는 {theme} 분야의 공공데이터로 누구나 자유롭게 이용할 수 있습니다.",
    "자료는 {cycle} 갱신되며 최신 자료는 열린데이터광장에서 내려받을 수 있습니다.",
    "항목에는 자치구, 행정동, 기준일자, 명칭, 주소, 위도와 경도 좌표가 포함되어 있습니다.",
    "문의는 담당 부서로 연락 주시기 바랍니다.",
    "시민 생활 편의와 정책 수립에 활용할 수 있도록 정기적으로 정비하고 있습니다.",
    "좌표계는 WGS84이며 주소는 도로명주소 기준입니다.",
    "개인정보는 비식별 처리되어 제공됩니다.",
    "과거 자료는 연도별로 분리하여 제공합니다.",
    "OpenAPI로도 제공되며 인증키를 발급받아 호출할 수 있습니다.",
    "{title} 데이터는 {org}의 업무 시스템에서 추출한 원자료를 가공하여 공개하는 것으로, 일부 항목은 "
    "개인정보 보호를 위해 제외되었습니다.",
    "자치구별, 연도별 추이를 비교할 수 있도록 동일한 양식으로 정리하였으며 단위는 각 항목의 설명을 "
    "참고하시기 바랍니다.",
    "데이터 오류나 누락을 발견하시면 열린데이터광장 문의 게시판 또는 {org} 담당자에게 알려 주십시오.",
]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def gu_in(title: str) -> list[str]:
    return sorted(set(_GU_RE.findall(title)))


def document(row: dict, labels: list[str] | None = None) -> SearchDocument:
    title, h = row["name"], _hash(row["id"])
    gu = gu_in(title)
    if gu and row["district"] == "자치구 및 자치구산하":
        org, org_name = f"{GU_EN[gu[0]].lower()}", f"{gu[0]}청"
        path = ["서울특별시", gu[0], DIVISIONS[h % len(DIVISIONS)]]
    else:
        org, org_name = DISTRICT_ORGS.get(row["district"], ("seoul-city", "서울특별시"))
        path = ["서울특별시"] if org == "seoul-city" else ["서울특별시", org_name]
    kinds = row["serviceType"].split(",")
    if row["category"] == "통계":
        kind = "stats"
    elif "표준 데이터" in title or "표준데이터" in title:
        kind = "standard"
    elif "Api" in kinds:
        kind = "openapi"
    else:
        kind = "file"
    formats = sorted({fmt for k in kinds for fmt in FORMATS.get(k, [])})
    theme = row["mapCategory"] or "기타"
    cycle = "연간" if kind == "stats" else ["수시", "월간", "일간", "분기", "실시간"][h % 5]
    description = " ".join(
        SENTENCES[(h >> (5 * i)) % len(SENTENCES)] for i in range(3 + h % 5)
    ).format(org=org_name, title=title, theme=theme, cycle=cycle)
    words = [w for w in re.split(r"[\s()]+", title) if w and w not in ("서울시", "정보", "현황")]
    return SearchDocument(
        id=row["id"], slug=row["id"].lower(), title=title, description=description,
        keywords=words[:3], organisation=org, organisation_name=org_name,
        organisation_path=path, gu=gu, theme=theme, kind=kind, source="seoul",
        source_id=row["id"], formats=formats,
        licence=["제1유형", "제1유형", "제1유형", "제2유형", "제4유형"][(h >> 8) % 5],
        update_cycle=cycle, overdue=(h >> 12) % 10 == 0,
        modified=EPOCH + timedelta(minutes=(h >> 16) % 5_000_000),
        views=(h >> 20) % 20_000, permission_labels=labels or ["public"],
        rendered={"title": title, "organisation": org_name},
    )


def catalog_rows() -> list[dict]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def catalog_documents() -> list[SearchDocument]:
    return [document(row) for row in catalog_rows()]


VARIANT_SUFFIXES = ["(월별)", "(연도별)", "(동별)", "통계", "현황", "목록", "(2019년)", "(2023년 기준)",
                    "위치 정보", "이용 현황", "(영문)", "세부내역"]


def synthetic_documents(total: int, seed: int = 42, internal_share: float = 0.05):
    """The real catalog followed by variants of its titles (another gu, a suffix) up to ``total``.

    About ``internal_share`` of the variants are internal (label org:<organisation>)."""
    rows = catalog_rows()
    for row in rows[:total]:
        yield document(row)
    rng = random.Random(seed)
    for n in range(max(0, total - len(rows))):
        base = dict(rng.choice(rows))
        title = base["name"]
        found = gu_in(title)
        if found:
            title = title.replace(found[0], rng.choice(GU), 1)
        elif rng.random() < 0.5:
            title = title.replace("서울시", f"서울시 {rng.choice(GU)}", 1)
        base["name"] = f"{title} {rng.choice(VARIANT_SUFFIXES)}"
        base["id"] = f"SYN-{n:06d}"
        internal = rng.random() < internal_share
        doc = document(base)
        if internal:
            doc.permission_labels = [f"org:{doc.organisation}"]
        yield doc
