"""Benchmark: ``backup`` and ``restore`` (chiso.workspace.backup) of a workspace holding the bundled samples.

    .venv/bin/python bench/bench_backup.py [--repeat 3] [--url URL] [--national]

The workspace gets the Phú Thọ portal quarter and the Phú Thọ Q2 synthetic set (as ``python -m chiso
import`` stores them); with ``--national`` also the synthetic national set (3.857 units, ~150.000
cells). Timed in-process (no interpreter start-up): a backup to a fresh file, and a restore of it over
the same workspace (every row deleted and inserted again in one transaction).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso import load_rulebook  # noqa: E402
from chiso.samples import load_sample, sample  # noqa: E402
from chiso.workspace import open_workspace  # noqa: E402
from chiso.workspace.backup import backup, restore  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--url", default="")
    ap.add_argument("--national", action="store_true")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    ws = open_workspace(args.url or f"sqlite:///{folder}/bench.sqlite3")
    rb = load_rulebook("portal-2026")
    for key in ("phu-tho", "phu-tho-q2-gia-lap") + (("gia-lap",) if args.national else ()):
        table = load_sample(sample(key), rb)
        ws.import_table(table.for_period(table.periods[0]) if table.periods else table, key, "bench", rb.id)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {ws.url}")
    t_back, t_rest = [], []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        m = backup(ws.engine, folder / f"b{i}.jsonl.gz")
        t_back.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        restore(ws.engine, folder / f"b{i}.jsonl.gz")
        t_rest.append(time.perf_counter() - t0)
    size = (folder / "b0.jsonl.gz").stat().st_size
    print(f"{m.total:,} rows, file {size / 1024:,.0f} KiB: backup {statistics.median(t_back):.2f} s, "
          f"restore {statistics.median(t_rest):.2f} s (median of {args.repeat})")
    ws.close()


if __name__ == "__main__":
    main()
