"""Benchmark: ingest of a 1,000,000-row CP949 CSV, and the dataset page's server time.

    .venv/bin/python bench/ingest.py [--rows 1000000] [--repeat 3]

Measures, each in a fresh process so peak memory is that step's own:
- bare `pandas.read_csv(path, encoding="cp949")` of the file (the yardstick),
- the whole ingest (read, clean, hash, Parquet, original copy, profile, catalog rows and
  their commit) into a dataset created beforehand,
and reports wall time, peak RSS and the ratio ingest / read_csv (target ≤ 2.0, ≤ 1.5 GB).
Then the median server time of 50 requests of that dataset's page against a 25-row dataset's
page (target ≤ 30 ms, independent of the table's size).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GU = ["종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구",
      "도봉구", "노원구", "은평구", "서대문구", "마포구", "양천구", "강서구", "구로구", "금천구",
      "영등포구", "동작구", "관악구", "서초구", "강남구", "송파구", "강동구"]
INDUSTRY = ["한식음식점", "중식음식점", "일식음식점", "양식음식점", "제과점", "패스트푸드점",
            "치킨전문점", "분식전문점", "호프-간이주점", "커피-음료", "편의점", "슈퍼마켓",
            "미용실", "네일숍", "세탁소", "학원-입시", "일반의원", "치과의원", "약국", "안경"]


def make_csv(rows: int) -> Path:
    """A sales table as Seoul publishes it: CP949, quoted amounts with thousands separators."""
    path = OUT / f"sales_{rows}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261122)
    amounts = rng.lognormal(mean=16, sigma=1.2, size=rows).round().astype(np.int64)
    frame = pd.DataFrame({
        "자치구": rng.choice(GU, rows), "년도": rng.integers(2015, 2025, rows),
        "월": rng.integers(1, 13, rows), "업종": rng.choice(INDUSTRY, rows),
        "매출액": pd.Series(amounts).map("{:,}".format), "건수": rng.integers(1, 5000, rows)})
    frame.to_csv(path, index=False, encoding="cp949")
    return path


def run_child(step: str, path: Path, workdir: Path) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", step, str(path),
                             str(workdir)], capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def child(step: str, path: Path, workdir: Path) -> None:
    if step == "read_csv":
        start = time.perf_counter()
        pd.read_csv(path, encoding="cp949")
        elapsed = time.perf_counter() - start
    else:
        portal = _portal(workdir)
        from portal.catalog import datasets
        from portal.catalog.ingest import ingest_file
        # The empty dataset is created before the clock starts: that is the process's first
        # ORM use (mapper set-up, statement compilation: about 0.1 s once per process), a
        # cost of starting a process, not of an ingest.
        with portal.sessions.begin() as session:
            datasets.get_by_slug(session, "bench-sales") or datasets.create_dataset(
                session, "bench-sales", title_ko="자치구 업종별 매출 (벤치마크)")
        start = time.perf_counter()
        with portal.sessions.begin() as session:
            dataset = datasets.get_by_slug(session, "bench-sales")
            outcome = ingest_file(session, portal.store, dataset, path)
        elapsed = time.perf_counter() - start
        assert outcome.version.row_count > 0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))


def _portal(workdir: Path):
    from portal.app import Portal
    from portal.config import load_config
    from portal.db import migrate
    config = load_config(workdir / "none.toml", env={},
                         overrides={("data", "dir"): str(workdir / "data")})
    migrate(config.database_url)
    return Portal.from_config(config)


def page_times(workdir: Path, requests: int = 50) -> dict[str, float]:
    from portal.app import create_app
    from portal.catalog import datasets
    from portal.catalog.ingest import ingest_file
    portal = _portal(workdir)
    with portal.sessions.begin() as session:
        small = datasets.get_by_slug(session, "bench-cctv") or datasets.create_dataset(
            session, "bench-cctv", title_ko="CCTV (25행)")
        ingest_file(session, portal.store, small, ROOT / "sample_data/seoul_opendata/CCTV_in_Seoul.csv")
    client = create_app(portal.config).test_client()
    result = {}
    for slug in ("bench-sales", "bench-cctv"):
        client.get(f"/datasets/{slug}")  # warm-up: templates compiled, assets built
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(f"/datasets/{slug}")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        result[slug] = statistics.median(times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        step, path, workdir = args.child
        child(step, Path(path), Path(workdir))
        return
    path = make_csv(args.rows)
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {args.rows:,} rows")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        reads, ingests = [], []
        for i in range(args.repeat):
            reads.append(run_child("read_csv", path, workdir))
            # a fresh data folder each time, so every run really ingests
            ingests.append(run_child("ingest", path, workdir / f"run{i}"))
        read_s = statistics.median(r["seconds"] for r in reads)
        ingest_s = statistics.median(r["seconds"] for r in ingests)
        print(f"pandas.read_csv alone : {read_s:6.2f} s, peak {max(r['peak_mb'] for r in reads):6.0f} MB")
        print(f"portal ingest          : {ingest_s:6.2f} s, peak {max(r['peak_mb'] for r in ingests):6.0f} MB")
        print(f"ratio ingest/read_csv  : {ingest_s / read_s:6.2f}  (target <= 2.0)")
        pages = page_times(workdir / "run0")
        print(f"dataset page, {args.rows:,}-row table: median {pages['bench-sales']:.1f} ms "
              f"(50 requests)")
        print(f"dataset page, 25-row table       : median {pages['bench-cctv']:.1f} ms")


if __name__ == "__main__":
    main()
