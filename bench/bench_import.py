"""Benchmark: import a 5,000-unit XLSX (and the same as CSV), median of repeated runs. Target < 2 s.

    .venv/bin/python bench/bench_import.py [--units 5000] [--repeat 7]

The workbook is generated in memory from the synthetic set (canonical format, every portal-2026 count
filled, one sheet; the cost is per cell, so a report layout with fewer columns is cheaper). Timed:
``load_tabular(name, bytes, rb)`` — sniffing, parsing the xlsx, header matching, row checks and the
UnitTable — and, for reference, the xlsx cell reader alone and the same data as CSV. The machine's
load average is printed because the medians move with it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso import load_rulebook  # noqa: E402
from chiso.io.canonical import canonical_frame, to_csv_bytes, to_xlsx_bytes  # noqa: E402
from chiso.io.tabular import load_tabular  # noqa: E402
from chiso.io.xlsx import read_xlsx  # noqa: E402
from chiso.synthetic import PROVINCES, synthetic_table  # noqa: E402


def units_table(n: int, rb):
    communes = sum(c for _, c in PROVINCES)
    table = synthetic_table(rb, scale=max(0.01, (n - 540) / communes + 0.01))
    table.frame = table.frame.head(n).reset_index(drop=True)
    return table


def median_time(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    rb = load_rulebook("portal-2026")
    frame = canonical_frame(units_table(args.units, rb), rb)
    xlsx = to_xlsx_bytes(frame)
    csv = to_csv_bytes(frame)
    print(f"{len(frame)} units × {frame.shape[1]} columns; xlsx {len(xlsx) / 1e6:.2f} MB, csv {len(csv) / 1e6:.2f} MB")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    table = load_tabular("bench.xlsx", xlsx, rb)
    assert len(table.frame) == len(frame) and not table.rejected, "benchmark data must load cleanly"
    cases = [
        ("load_tabular(xlsx)", lambda: load_tabular("bench.xlsx", xlsx, rb)),
        ("  of which read_xlsx", lambda: read_xlsx(xlsx, "bench.xlsx")),
        ("load_tabular(csv)", lambda: load_tabular("bench.csv", csv, rb)),
    ]
    for label, fn in cases:
        med, best = median_time(fn, args.repeat)
        print(f"{label:24s} median {med:6.3f} s   best {best:6.3f} s   ({args.repeat} runs)")


if __name__ == "__main__":
    main()
