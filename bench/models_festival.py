"""Benchmark: one festival-model run, one district-month with Seoul-wide context.

    .venv/bin/python bench/models_festival.py [--days 90] [--repeat 3]

The input is generated living population for all 425 행정동 × 24 hours × 90 days (Korean
headers, 28 sex×age columns, about 0.9 million rows) with the real demo event list; the run
is 관악구, October 2025, every Seoul festival of the period scored for context. Each repeat runs
in a fresh process that reads the table from Parquet first, so the peak memory is the run's
own plus the table. Target: ≤ 5 s wall time for the run.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
START = date(2025, 8, 25)


def make_table(days: int) -> Path:
    path = OUT / f"festival_living_population_{days}d.parquet"
    if not path.exists():
        sys.path.insert(0, str(ROOT))
        from models_std.festival import synthetic
        OUT.mkdir(parents=True, exist_ok=True)
        frame = synthetic.living_population(START, days, effects=synthetic.demo_effects())
        frame.to_parquet(path, index=False)
    return path


def one_run(path: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    import pandas as pd
    from models_std.base import RunRequest
    from models_std.festival import SPEC, synthetic
    from models_std.parameters import resolve
    lp = pd.read_parquet(path)
    events = pd.read_csv(synthetic.DEMO_EVENTS, dtype=str)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    request = RunRequest({"events": events, "living_population": lp}, resolve(SPEC, {}),
                         "11620", date(2025, 10, 1), date(2025, 10, 31))
    started = time.perf_counter()
    result = SPEC.run(request)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The run's own allocations (numpy and pandas report to tracemalloc), in an untimed rerun.
    tracemalloc.start()
    SPEC.run(request)
    run_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"run_allocated_peak_mb": run_peak / 2**20, "seconds": seconds, "rows": len(lp), "result_rows": len(result.table),
            "festivals": int(result.table.loc[result.table["unit_type"] == "festival",
                                              "unit_id"].nunique()),
            "rss_before_run_mb": before / 1024, "peak_rss_mb": peak / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(Path(args.child))))
        return
    path = make_table(args.days)
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, __file__, "--child", str(path)], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    summary = {"rows": runs[0]["rows"], "festivals": runs[0]["festivals"],
               "median_seconds": round(statistics.median(r["seconds"] for r in runs), 2),
               "max_seconds": round(max(r["seconds"] for r in runs), 2),
               "rss_before_run_mb": round(statistics.median(r["rss_before_run_mb"] for r in runs)),
               "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs)),
               "run_allocated_peak_mb": round(max(r["run_allocated_peak_mb"] for r in runs)),
               "target_seconds": 5.0}
    (OUT / "models_festival.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
