"""Benchmark: a 1,000,000-row dataset's page, rows API and downloads.

    .venv/bin/python bench/pages.py [--rows 1000000] [--requests 50] [--xlsx]

Ingests the generated sales table of bench/ingest.py (자치구, 년도, 월, 업종, 매출액, 건수), then
measures through the Flask test client (server time, no network):
- the dataset page (median of 50; it reads the profile and the first rows only),
- the rows API with filters and sorts (median of 50 each; target ≤ 150 ms with a filter),
- a full CSV download (UTF-8, and CP949) and a JSON download: MB/s and peak memory, each in
  a fresh process so its peak RSS is the download's own; Arrow's own peak allocation too.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import _portal, make_csv  # noqa: E402  (bench/ingest.py, the shared set-up)

SLUG = "bench-sales"
QUERIES = {
    "filter 자치구=강남구": {"자치구": "강남구"},
    "filter 자치구 + 매출액 range": {"자치구": "강남구", "매출액__gte": "10000000",
                                 "매출액__lte": "50000000"},
    "filter 업종 contains, page 100": {"업종__contains": "음식", "_page": "100"},
    "no filter, page 10000": {"_page": "10000"},
    "sort 매출액 desc (whole table)": {"_sort_desc": "매출액"},
    "filter 자치구 + sort 매출액 desc": {"자치구": "강남구", "_sort_desc": "매출액"},
    "sort 업종 (text), page 3": {"_sort": "업종", "_page": "3"},
}


def setup(workdir: Path, rows: int) -> None:
    from portal.catalog import datasets
    from portal.catalog.ingest import ingest_file
    portal = _portal(workdir)
    with portal.sessions.begin() as session:
        dataset = datasets.get_by_slug(session, SLUG) or datasets.create_dataset(
            session, SLUG, title_ko="자치구 업종별 매출 (벤치마크)")
        ingest_file(session, portal.store, dataset, make_csv(rows))
    portal.close()


def timed(client, url: str, params: dict | None, requests: int) -> float:
    client.get(url, query_string=params)  # warm-up: templates compiled, footers cached
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url, query_string=params)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return statistics.median(times)


def page_and_api(workdir: Path, requests: int) -> None:
    from portal.app import create_app
    portal = _portal(workdir)
    client = create_app(portal=portal).test_client()
    print(f"dataset page                         : median {timed(client, f'/datasets/{SLUG}', None, requests):7.1f} ms")
    for label, params in QUERIES.items():
        median = timed(client, f"/api/v1/datasets/{SLUG}/rows", params, requests)
        total = client.get(f"/api/v1/datasets/{SLUG}/rows", query_string=params).get_json()["total"]
        print(f"rows API, {label:<33}: median {median:7.1f} ms  ({total:,} rows match)")
    portal.close()


def download_child(workdir: Path, name: str) -> None:
    import pyarrow as pa
    from portal.app import create_app
    portal = _portal(workdir)
    client = create_app(portal=portal).test_client()
    client.get(f"/datasets/{SLUG}/download/{name}?version=999")  # imports and app warm-up
    baseline = _peak_rss_mb(reset=True)
    start = time.perf_counter()
    response = client.get(f"/datasets/{SLUG}/download/{name}", buffered=False)
    size, peaks = 0, []
    for chunk in response.response:
        size += len(chunk)
        peaks.append(_peak_rss_mb())  # cheap: one small /proc read per record batch
    elapsed = time.perf_counter() - start
    # Flat memory: the peak after the first quarter of the batches is the peak at the end.
    print(json.dumps({"bytes": size, "seconds": elapsed, "baseline_mb": baseline,
                      "quarter_mb": peaks[len(peaks) // 4], "peak_mb": peaks[-1],
                      "arrow_peak_mb": pa.default_memory_pool().max_memory() / 2**20}))


def _peak_rss_mb(reset: bool = False) -> float:
    """The process's peak RSS (VmHWM). getrusage's ru_maxrss would carry the parent's peak
    over fork and exec; writing 5 to clear_refs starts the peak afresh (Linux)."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def table_in_memory_mb(workdir: Path) -> float:
    import pyarrow.parquet as pq
    portal = _portal(workdir)
    path = next(portal.store.root.glob("parquet/*/*.parquet"))
    return pq.read_table(path).nbytes / 2**20


def downloads(workdir: Path, names: list[str]) -> None:
    print(f"the whole table in memory (Arrow)    : {table_in_memory_mb(workdir):7.0f} MB")
    for name in names:
        output = subprocess.run([sys.executable, __file__, "--child", name, str(workdir)],
                                capture_output=True, text=True, check=True)
        figures = json.loads(output.stdout.strip().splitlines()[-1])
        mb = figures["bytes"] / 1e6
        print(f"download {name:<10}: {mb:7.1f} MB in {figures['seconds']:5.2f} s = "
              f"{mb / figures['seconds']:6.1f} MB/s; peak RSS {figures['peak_mb']:5.0f} MB "
              f"(idle app {figures['baseline_mb']:.0f} MB, after a quarter "
              f"{figures['quarter_mb']:.0f} MB), "
              f"Arrow peak {figures['arrow_peak_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--xlsx", action="store_true", help="also time the XLSX (slow)")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        download_child(Path(args.child[1]), args.child[0])
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        setup(workdir, args.rows)
        print(f"{args.rows:,}-row table; server time through the test client")
        page_and_api(workdir, args.requests)
        downloads(workdir, ["csv", "csv-cp949", "json"] + (["xlsx"] if args.xlsx else []))


if __name__ == "__main__":
    main()
