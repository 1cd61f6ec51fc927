"""Benchmark: the market model's revitalization index for all of Seoul.

    .venv/bin/python bench/models_market.py [--repeat 5]

Generated inputs (models_std.market.synthetic: 1,650 areas × 8 quarters, 92,400 sales and
store rows) are built once; then, each repeat in a fresh process so peak memory is that step's
own:
- the index: indicators, ranks within type, dimension scores, index, grades, quadrants, trend
  and gentrification flags for every area and quarter (target ≤ 5 s),
- a whole run for one gu (the index plus the Seoul-wide comparison, the result table, charts).
Reports the median wall time, the process's peak RSS (building the inputs included) and, from
one more run under tracemalloc, the step's own peak allocation.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEP = r"""
import json, resource, sys, time, tracemalloc
from datetime import date
sys.path.insert(0, {root!r})
from models_std.base import RunRequest
from models_std.market import SPEC, synthetic
from models_std.market.run import read_inputs, score_seoul
inputs = synthetic.generate()
if {trace!r}:
    tracemalloc.start()
start = time.perf_counter()
if {step!r} == "index":
    scored, _ = score_seoul(read_inputs(inputs), SPEC.defaults(), date(2024, 12, 31))
    rows = int(scored["rvi"].notna().sum())
else:
    result = SPEC.run(RunRequest(inputs=inputs, parameters=SPEC.defaults(), gu_code="11230",
                                 period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)))
    rows = len(result.table)
seconds = time.perf_counter() - start
traced = tracemalloc.get_traced_memory()[1] if {trace!r} else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_mb": peak / 1024, "traced_mb": traced / 2**20,
                  "rows": rows}}))
"""


def measure(step: str, trace: bool = False) -> dict:
    code = STEP.format(root=str(ROOT), step=step, trace=trace)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for step, label in (("index", "index, all areas × 8 quarters"),
                        ("run", "whole run for one gu, 2024")):
        runs = [measure(step) for _ in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        traced = measure(step, trace=True)["traced_mb"]
        print(f"{label}: median {seconds:.2f} s (min {min(r['seconds'] for r in runs):.2f}, "
              f"max {max(r['seconds'] for r in runs):.2f}), peak RSS {peak:.0f} MB "
              f"(process, inputs included), step's own peak allocation {traced:.0f} MB, "
              f"{runs[0]['rows']} rows")


if __name__ == "__main__":
    main()
