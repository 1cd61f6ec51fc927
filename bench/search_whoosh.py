"""Benchmark: the Whoosh search backend on the real Seoul catalog plus synthetic variants.

    .venv/bin/python bench/search_whoosh.py [--docs 10000] [--repeat 3] [--compare-writers]

Corpus: the 8,212 real catalog titles, then variants of them (another gu, a suffix) up to
--docs; ~5 % of the variants are internal. Measures, in this one process:
- full rebuild (analysis + writing + swap), index size on disk;
- opening the index in a fresh backend and answering the first query;
- QUERIES: top-20 with highlights and three facet counts (source, organisation, theme) as an
  anonymous viewer. Each query runs --repeat times: p50/p95 over the per-query medians
  ("warm") and over the first runs ("cold": no posting list of that query decoded before);
- suggest() for SUGGEST_PREFIXES (p50/p95 of per-prefix medians);
- a one-document update until a search sees it (median of 5);
and prints one JSON line. ``--compare-writers`` instead times Whoosh's stock writers (limitmb,
procs/multisegment) against ours on the same documents.
Targets: 10k p95 ≤ 20 ms, build ≤ 30 s; 100k p95 ≤ 100 ms, build ≤ 5 min, update visible ≤ 1 s.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import SearchQuery, make_backend  # noqa: E402
from tests.indexer.catalog import synthetic_documents  # noqa: E402

QUERIES = [
    "인구", "강동구 인구", "cctv", "와이파이", "축제 방문객", "시장", "전통시장", "주차장", "어린이집",
    "미세먼지", "버스정류장", "카드매출", "생활인구", "주민등록 인구", "서초구 주차장", "마포구 cctv",
    "강남구 어린이집", "송파구 공원", "종로구 관광", "공공와이파이 위치", "대기오염 측정", "2023 인구",
    "교통사고", "따릉이", "도서관", "전기차 충전소", "아파트 실거래가", "반려동물 등록", "무더위쉼터",
    "지진옥외대피소", "경로당", "약국", "소음", "쓰레기", "예산", "일자리", "1인가구", "외국인 관광객",
    "청년", "강동구 주민등록 인구 통계", "서울시 자치구별 CCTV 설치 현황", "노원구 학원", "IoT",
    "wifi", "상권분석", "병원", "재건축", "한강공원", "ㄱㄷㄱ", "ㅈㅊㅈ", "Gangdong", "wifl", "숲",
    "인허가 정보", "통계",
]
SUGGEST_PREFIXES = ["강동", "주차", "ㄱㄷㄱ", "ㅈㅊㅈ", "서울시 인", "cc", "와이", "어린", "공공", "한",
                    "ㅇㄹㅇ", "gang", "도서", "미세", "ㅁㅅ"]
FACETS = ("source", "organisation", "theme")
PUBLIC = frozenset({"public"})


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def run(total: int, repeat: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="bench-whoosh-"))
    documents = list(synthetic_documents(total))
    backend = make_backend("whoosh", path=workdir)
    build_ms, _ = timed(backend.rebuild, documents)
    backend.close()

    fresh = make_backend("whoosh", path=workdir)
    open_ms, _ = timed(lambda: fresh.search(SearchQuery("인구", PUBLIC, facets=FACETS)))

    backend = make_backend("whoosh", path=workdir)
    per_query, cold, totals = {}, [], {}
    for text in QUERIES:
        query = SearchQuery(text, PUBLIC, facets=FACETS, per_page=20, highlight=True)
        runs = []
        for _ in range(repeat):
            ms, result = timed(backend.search, query)
            runs.append(ms)
        cold.append(runs[0])
        per_query[text] = round(statistics.median(runs), 2)
        totals[text] = result.total

    suggest_ms = []
    for prefix in SUGGEST_PREFIXES:
        runs = [timed(backend.suggest, prefix, PUBLIC)[0] for _ in range(repeat)]
        suggest_ms.append(statistics.median(runs))

    updates = []
    for n in range(5):
        doc = replace(documents[n], title=f"벤치마크 갱신 {n} 확인용", views=1)
        started = time.perf_counter()
        backend.index([doc])
        hits = backend.search(SearchQuery(doc.title, PUBLIC)).hits
        updates.append((time.perf_counter() - started) * 1000)
        assert hits and hits[0].id == doc.id, "update not visible"

    warm = list(per_query.values())
    return {
        "docs": total, "build_s": round(build_ms / 1000, 1),
        "index_mb": round(directory_mb(workdir), 1),
        "open_first_query_ms": round(open_ms, 1),
        "p50_ms": round(percentile(warm, 50), 1), "p95_ms": round(percentile(warm, 95), 1),
        "max_ms": round(max(warm), 1),
        "cold_p50_ms": round(percentile(cold, 50), 1),
        "cold_p95_ms": round(percentile(cold, 95), 1),
        "update_visible_ms": round(statistics.median(updates), 1),
        "suggest_p50_ms": round(percentile(suggest_ms, 50), 1),
        "suggest_p95_ms": round(percentile(suggest_ms, 95), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "per_query_ms": per_query, "hits": totals, "workdir": str(workdir),
    }


def compare_writers(total: int) -> dict:
    """Build time of the same documents with Whoosh's stock writers and with ours."""
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec
    from indexer.backends import whoosh_fields as wf
    from indexer.backends.whoosh_writer import BulkWriter

    fields = [wf.whoosh_fields(doc) for doc in synthetic_documents(total)]
    writers = {
        "stock limitmb=256": lambda ix: ix.writer(limitmb=256),
        "stock procs=2 multisegment limitmb=256":
            lambda ix: ix.writer(procs=2, multisegment=True, limitmb=256),
        "BulkWriter blocklimit=128": lambda ix: BulkWriter(ix),
        "BulkWriter blocklimit=512": lambda ix: BulkWriter(ix, codec=W3Codec(blocklimit=512)),
    }
    out = {}
    for name, make in writers.items():
        path = Path(tempfile.mkdtemp(prefix="bench-writer-"))
        ix = whoosh_index.create_in(str(path), wf.make_schema())
        started = time.perf_counter()
        writer = make(ix)
        for values in fields:
            writer.add_document(**values)
        writer.commit()
        out[name] = {"seconds": round(time.perf_counter() - started, 1),
                     "mb": round(directory_mb(path), 1)}
    return {"docs": total, "writers (analysis excluded)": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare-writers", action="store_true",
                        help="only time Whoosh's stock writers against BulkWriter")
    args = parser.parse_args()
    if args.compare_writers:
        print(json.dumps(compare_writers(args.docs), ensure_ascii=False))
        return
    print(json.dumps(run(args.docs, args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
