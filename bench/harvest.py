"""Benchmark: a first harvest of the whole Seoul catalog (8,212 entries) from the recorded
responses, served over real HTTP by the replay server, into an empty catalog.

    .venv/bin/python bench/harvest.py [--database-url postgresql+psycopg://…/test] [--repeat 1]

Each measurement is a fresh, migrated catalog (SQLite in a temporary folder, or a fresh
schema of the given PostgreSQL database) and a fresh process. Timed: `harvest()` from the
first request to the finished run, with table contents (culturalEventInfo's 1,000 rows
are ingested) — every entry persisted in its own transaction with its outbox row, so
search is queued. Then a second run over the unchanged source. Target: first run ≤ 60 s.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(database_url: str | None) -> dict:
    from sqlalchemy import create_engine, func, select, text

    from connectors import get_connector
    from connectors.replay import ReplayServer
    from portal.app import Portal
    from portal.catalog.models import Dataset, OutboxEntry
    from portal.config import load_config
    from portal.db import migrate
    from portal.harvest import harvest

    workdir = Path(tempfile.mkdtemp(prefix="bench-harvest-"))
    if database_url:
        schema = "bench_harvest"
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        url = f"{database_url}{'&' if '?' in database_url else '?'}" \
              f"options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{workdir / 'catalog.sqlite3'}"
    migrate(url)
    config = load_config(workdir / "absent.toml", env={}, overrides={
        ("data", "dir"): str(workdir), ("database", "url"): url})
    portal = Portal.from_config(config)
    result = {}
    with ReplayServer(ROOT / "sample_data" / "recorded") as server:
        seoul = get_connector("seoul", base_url=f"{server.url}/seoul", min_interval=0,
                              env={"PORTAL_SEOUL_API_KEY": "bench"})
        for name in ("first", "second"):
            started = time.perf_counter()
            run = harvest(portal, "seoul", seoul)
            result[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
            result[f"{name}_counts"] = run.counts()
            result[f"{name}_status"] = run.status
    with portal.sessions() as session:
        result["datasets"] = session.scalar(select(func.count()).select_from(Dataset))
        result["outbox"] = session.scalar(select(func.count()).select_from(OutboxEntry))
    portal.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.database_url)))
        return
    engine = "PostgreSQL" if args.database_url else "SQLite"
    results = []
    for _ in range(args.repeat):
        command = [sys.executable, __file__, "--child"]
        if args.database_url:
            command += ["--database-url", args.database_url]
        output = subprocess.run(command, capture_output=True, text=True, check=True)
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1], ensure_ascii=False))
    first = [r["first_seconds"] for r in results]
    second = [r["second_seconds"] for r in results]
    print(f"{engine}: first harvest of {results[0]['datasets']:,} entries "
          f"{statistics.median(first):.1f} s (median of {len(first)}; target ≤ 60 s), "
          f"{results[0]['outbox']:,} outbox rows; unchanged second run "
          f"{statistics.median(second):.1f} s")


if __name__ == "__main__":
    main()
