"""`portal load-demo`: the bundled demo catalog, from the real files in sample_data/.

Loads the 8,212 Seoul Open Data Plaza catalog entries as datasets (metadata only) and the
real tables as datasets with table versions and profiles. Every step is idempotent: entries
that exist are skipped, and a table whose content is unchanged adds no version, so a second
run loads nothing twice.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.catalog import datasets as catalog
from portal.catalog.ingest import ingest_file
from portal.catalog.models import Dataset, Organisation, Resource
from portal.catalog.organisations import seed_organisations
from portal.catalog.seoul_catalog import SEOUL_CITY_CODE, catalog_owner, clean_title
from portal.progress import no_progress

SEOUL_CATALOG = "seoul_opendata/seoul-api-catalog_SearchCatalogService.json"
SEOUL_DATASET_URL = "https://data.seoul.go.kr/dataList/{id}/S/1/datasetView.do"

SERVICE_FORMATS = {"Sheet": "SHEET", "Api": "API", "File": "FILE", "Chart": "CHART",
                   "Link": "LINK"}


@dataclass(frozen=True)
class DemoTable:
    """A real file of sample_data/ and the metadata it is published under."""
    path: str
    slug: str
    source: str
    source_id: str
    title_ko: str
    theme: str
    kind: str
    owner: str
    update_cycle: str
    licence: str = "KOGL-1"
    title_en: str | None = None
    description_ko: str | None = None
    keywords: tuple[str, ...] = ()
    visibility: str = "public"
    sheet: str | None = None


DEMO_TABLES = (
    DemoTable("seoul_opendata/CCTV_in_Seoul.csv", "seoul-oa-2734", "seoul", "OA-2734",
              "서울시 자치구 (연도별) CCTV 설치현황", "안전", "file", "seoul", "yearly",
              title_en="CCTV installations by district and year, Seoul",
              description_ko="25개 자치구의 연도별 방범용 CCTV 설치 대수(2013년도 이전~2016년).",
              keywords=("CCTV", "폐쇄회로", "방범", "안전")),
    DemoTable("seoul_opendata/population_in_Seoul_2017Q1.xls",
              "seoul-resident-population-by-gu", "seoul", "stat:주민등록인구(구별)",
              "서울시 주민등록인구 (구별) 통계", "인구/가구", "stats", "seoul", "quarterly",
              title_en="Registered population by district, Seoul",
              description_ko="자치구별 세대, 인구(한국인·등록외국인, 남녀), 세대당인구, "
                             "65세이상 고령자. 2017년 1/4분기.",
              keywords=("인구", "주민등록", "세대", "고령자")),
    DemoTable("seoul_openapi/culturalEventInfo_1_1000.json", "seoul-oa-15486", "seoul",
              "OA-15486", "서울시 문화행사 정보", "문화/관광", "openapi", "seoul", "daily",
              title_en="Cultural events in Seoul",
              description_ko="서울문화포털에 등록된 공연·전시·축제·교육 행사 (OpenAPI "
                             "culturalEventInfo, 1~1,000번째 행).",
              keywords=("문화행사", "축제", "공연", "전시")),
    DemoTable("localdata/서울시 영화상영관 인허가 정보.csv", "seoul-oa-16053", "seoul",
              "OA-16053", "서울시 영화상영관 인허가 정보", "문화/관광", "file", "seoul",
              "daily", title_en="Cinema licences, Seoul (LOCALDATA)",
              description_ko="지방행정 인허가(LOCALDATA) 영화상영관 업종: 인허가일자, 영업상태, "
                             "폐업일자, 좌표(EPSG:5174).",
              keywords=("인허가", "영화관", "LOCALDATA")),
    DemoTable("mois/202505_202505_주민등록인구및세대현황_월간_시도.csv",
              "mois-population-households-by-sido", "mois",
              "주민등록인구및세대현황/월간/시도", "주민등록 인구 및 세대현황 (시도별, 월간)",
              "인구/가구", "stats", "mois", "monthly", licence="UNRESTRICTED",
              title_en="Resident registration population and households by province",
              keywords=("주민등록", "인구", "세대")),
    DemoTable("mois/202505_202505_주민등록인구및세대현황_월간_시도_성별.csv",
              "mois-population-by-sido-and-sex", "mois",
              "주민등록인구및세대현황/월간/시도/성별", "주민등록 인구 및 세대현황 (시도별·성별, 월간)",
              "인구/가구", "stats", "mois", "monthly", licence="UNRESTRICTED",
              keywords=("주민등록", "인구", "성별")),
    DemoTable("mois/202406_202406_연령별인구현황_월간_전국_행정동_10세.csv",
              "mois-population-by-age-and-dong", "mois", "연령별인구현황/월간/행정동/10세",
              "연령별 인구현황 (행정동별, 10세 단위, 월간)", "인구/가구", "stats", "mois",
              "monthly", licence="UNRESTRICTED",
              keywords=("주민등록", "인구", "연령", "행정동")),
    DemoTable("kosis/DT_1B04005N_population_raw_data.xlsx", "kosis-101-dt-1b04005n",
              "kosis", "101/DT_1B04005N",
              "행정구역(읍면동)별/5세별 주민등록인구(2011년~)", "인구/가구", "stats", "kostat",
              "monthly", licence="UNRESTRICTED", sheet="데이터",
              keywords=("주민등록인구", "연령", "읍면동")),
    DemoTable("datagokr/전국문화축제표준데이터.csv", "standard-culture-festivals",
              "datagokr", "standard:전국문화축제표준데이터", "전국문화축제표준데이터",
              "문화/관광", "standard", "mois", "yearly", licence="UNRESTRICTED",
              keywords=("축제", "문화축제", "표준데이터")),
    DemoTable("datagokr/전국전통시장표준데이터.csv", "standard-traditional-markets",
              "datagokr", "standard:전국전통시장표준데이터", "전국전통시장표준데이터",
              "산업/경제", "standard", "semas", "yearly", licence="UNRESTRICTED",
              keywords=("전통시장", "시장", "표준데이터")),
    # An internal working table of a division: never shown to the public.
    DemoTable("mois/code_hdong_행정기관코드.json", "internal-admin-dong-codes", "upload",
              "seoul-bigdata/행정기관코드", "행정기관코드 대조표 (내부 작업용)", "일반행정",
              "file", "seoul-bigdata-policy-team", "irregular", licence="OTHER",
              visibility="internal",
              description_ko="행정동 코드의 생성·말소일자 대조표. 부서 내부 작업용.",
              keywords=("행정동", "코드", "내부")),
)


@dataclass
class DemoReport:
    catalog_added: int = 0
    catalog_existing: int = 0
    tables: Counter = field(default_factory=Counter)
    model_inputs: Counter = field(default_factory=Counter)  # generated model demo inputs

    def summary(self) -> str:
        models = (f"; model demo inputs: {self.model_inputs['new']} new versions, "
                  f"{self.model_inputs['unchanged']} unchanged" if self.model_inputs else "")
        return (f"Seoul catalog: {self.catalog_added:,} datasets added, "
                f"{self.catalog_existing:,} already present; tables: "
                f"{self.tables['new']} new versions, {self.tables['unchanged']} unchanged"
                + models)


def load_demo(portal, progress=None, with_models: bool = True) -> DemoReport:
    """Organisations, the Seoul catalog, the real demo tables and, unless `with_models` is
    false, the standard models' generated inputs (most of the first load's time)."""
    progress = progress or no_progress
    demo_dir = portal.config.demo_dir
    report = DemoReport()
    with portal.sessions.begin() as session:
        seed_organisations(session)
    entries = json.loads((demo_dir / SEOUL_CATALOG).read_text(encoding="utf-8"))
    with portal.sessions.begin() as session:
        report.catalog_added, report.catalog_existing = load_seoul_catalog(
            session, entries, progress)
    with progress(DEMO_TABLES, "demo tables") as tables:
        for table in tables:
            with portal.sessions.begin() as session:
                created = load_table(session, portal.store, demo_dir, table)
            report.tables["new" if created else "unchanged"] += 1
    if not with_models:
        return report
    from portal.analysis.demo_inputs import load_model_inputs
    report.model_inputs = load_model_inputs(portal, progress)
    return report


def load_seoul_catalog(session: Session, entries: list[dict], progress) -> tuple[int, int]:
    """Insert the catalog entries that are not there yet; returns (added, existing)."""
    existing = set(session.scalars(select(Dataset.source_id).where(Dataset.source == "seoul")))
    orgs = _organisation_ids(session)
    added = 0
    with progress(entries, "Seoul catalog") as bar:
        for entry in bar:
            if entry["id"] in existing:
                continue
            session.add(_catalog_dataset(entry, orgs))
            existing.add(entry["id"])
            added += 1
    session.flush()
    return added, len(entries) - added


def _catalog_dataset(entry: dict, orgs: dict[str, int]) -> Dataset:
    services = [s.strip() for s in entry["serviceType"].split(",") if s.strip()]
    owner, gu_code = catalog_owner(entry["name"], entry["district"])
    url = SEOUL_DATASET_URL.format(id=entry["id"])
    dataset = Dataset(
        slug=f"seoul-{entry['id'].lower()}", source="seoul", source_id=entry["id"],
        source_url=url, title_ko=clean_title(entry["name"]),
        theme=entry["mapCategory"] or "기타",
        kind="stats" if entry["category"] == "통계" else
             "openapi" if "Api" in services else "file",
        formats=[SERVICE_FORMATS.get(s, s.upper()) for s in services],
        licence="KOGL-1", owner_org_id=orgs[owner],
        spatial_coverage=[gu_code or SEOUL_CITY_CODE])
    dataset.resources = [Resource(name="서울 열린데이터광장 데이터셋 페이지", kind="link", url=url)]
    return dataset


def load_table(session: Session, store, demo_dir: Path, table: DemoTable) -> bool:
    """Create or update the dataset and ingest its file; True when a version was added."""
    fields = dict(source=table.source, source_id=table.source_id, title_ko=table.title_ko,
                  title_en=table.title_en, description_ko=table.description_ko,
                  keywords=list(table.keywords), theme=table.theme, kind=table.kind,
                  licence=table.licence, update_cycle=table.update_cycle,
                  visibility=table.visibility,
                  owner_org_id=catalog.organisation_by_slug(session, table.owner).id)
    fields = {k: v for k, v in fields.items() if v is not None}
    dataset = session.scalar(select(Dataset).where(Dataset.source == table.source,
                                                   Dataset.source_id == table.source_id))
    if dataset is None:
        dataset = catalog.create_dataset(session, table.slug, **fields)
    else:
        catalog.update_dataset(session, dataset, **fields)
    outcome = ingest_file(session, store, dataset, demo_dir / table.path, sheet=table.sheet)
    return outcome.created


def _organisation_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Organisation.slug, Organisation.id)).all())
