"""Benchmark: store and read back datasets in the workspace (SQLite file, or any CHISO_DATABASE_URL).

    .venv/bin/python bench/bench_workspace.py [--repeat 3] [--url sqlite:////tmp/x.sqlite3]

Timed: ``Workspace.import_table`` (one transaction: dataset, units, every count with provenance) and
``Workspace.load_dataset`` (exact UnitTable back) for the Phú Thọ portal quarter (164 units) and the
synthetic national set (3.857 units, ~150.000 stored cells), each repeat a real write under its own source
name; and ``history`` for one unit over the stored periods. The machine's load average is printed because
the medians move with it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso import load_rulebook  # noqa: E402
from chiso.cli.history import stored_history  # noqa: E402
from chiso.samples import load_sample, sample  # noqa: E402
from chiso.workspace import open_workspace  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--url", default="")
    args = ap.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    rb = load_rulebook("portal-2026")
    ws = open_workspace(url)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {ws.url}")
    for key in ("phu-tho", "gia-lap"):
        table = load_sample(sample(key), rb)
        table = replace(table, frame=table.frame.assign(period="2026-Q3"))
        # each repeat stores under its own source name: the same content again would be a no-op (nothing to write)
        runs = iter(range(args.repeat))
        t_imp, ids = timed(lambda: ws.import_table(table, f"{key}-{next(runs)}", "bench", rb.id), args.repeat)
        t_load, _ = timed(lambda: ws.load_dataset(ids[0]), args.repeat)
        print(f"{key}: {len(table):,} units  import {t_imp:.2f} s  load {t_load:.2f} s (median of {args.repeat})")
    q2 = load_sample(sample("phu-tho-q2-gia-lap"), rb)
    ws.import_table(q2, "phu-tho-q2", "bench", rb.id)
    t_hist, rows = timed(lambda: stored_history(ws, "H44.100"), args.repeat)
    print(f"history of H44.100 over {len(rows)} stored periods: {t_hist:.2f} s")
    ws.close()


if __name__ == "__main__":
    main()
