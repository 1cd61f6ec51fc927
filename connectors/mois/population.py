"""MOIS resident registration statistics (주민등록 인구통계, jumin.mois.go.kr) as files.

The statistics are published as CSV downloads named
`{YYYYMM}_{YYYYMM}_{통계명}_{월간|연간}.csv`: CP949, every field quoted, thousands
separators, all region levels (시도 → 시군구 → 행정동) in one file with totals as rows. The
connector does not parse them: it returns the bytes and the name, and the portal's ingest
reads them like an uploaded file.

jumin.mois.go.kr hands the files out through a search form, not a stable GET URL, so the
files are fetched from `files_base_url` (a mirror), under the download's name plus the
choice made in the form (`_시도`, `_시도_성별`, …), the way sample_data/mois/ names them.
MOIS publishes each month's figures early in the following month, so the connector looks
for last month's file first, then for older ones.
"""
from __future__ import annotations

from dataclasses import dataclass

from connectors.base import DatasetRecord, ResourceRecord

SOURCE = "mois"
STATISTICS_PAGE = "https://jumin.mois.go.kr/"


@dataclass(frozen=True)
class PopulationFile:
    source_id: str
    title_ko: str
    statistic: str      # 통계명 in the file name
    cadence: str        # 월간 | 연간
    variant: str        # the region level / breakdown chosen in the download form
    keywords: tuple[str, ...] = ()

    def filename(self, period: str) -> str:
        return f"{period}_{period}_{self.statistic}_{self.cadence}_{self.variant}.csv"


# The source IDs and titles are those `portal load-demo` gives the same files.
FILES = (
    PopulationFile("주민등록인구및세대현황/월간/시도", "주민등록 인구 및 세대현황 (시도별, 월간)",
                   "주민등록인구및세대현황", "월간", "시도", ("주민등록", "인구", "세대")),
    PopulationFile("주민등록인구및세대현황/월간/시도/성별",
                   "주민등록 인구 및 세대현황 (시도별·성별, 월간)",
                   "주민등록인구및세대현황", "월간", "시도_성별", ("주민등록", "인구", "성별")),
    PopulationFile("연령별인구현황/월간/행정동/10세", "연령별 인구현황 (행정동별, 10세 단위, 월간)",
                   "연령별인구현황", "월간", "전국_행정동_10세",
                   ("주민등록", "인구", "연령", "행정동")),
)
BY_ID = {f.source_id: f for f in FILES}


def record(spec: PopulationFile) -> DatasetRecord:
    return DatasetRecord(
        source=SOURCE, source_id=spec.source_id, title_ko=spec.title_ko,
        description_ko="행정안전부 주민등록 인구통계 다운로드 파일 (CP949 CSV, 시도·시군구·행정동 "
                       "행이 한 파일에 있으며 합계 행 포함).",
        keywords=spec.keywords, theme="인구/가구", kind="stats", formats=("CSV",),
        # 행정안전부 publishes the registry statistics without a licence restriction
        # (the demo records the same files the same way).
        licence="UNRESTRICTED",
        update_cycle="monthly" if spec.cadence == "월간" else "yearly", owner="행정안전부",
        source_url=STATISTICS_PAGE,
        resources=[ResourceRecord("주민등록 인구통계", "link", STATISTICS_PAGE)],
        extras={"statistic": spec.statistic, "variant": spec.variant})


def months_back(start: str, count: int) -> list[str]:
    """`start` (YYYYMM) and the `count - 1` months before it, newest first."""
    n = int(start[:4]) * 12 + int(start[4:]) - 1
    return [f"{m // 12}{m % 12 + 1:02d}" for m in range(n, n - count, -1)]
