"""Benchmark: what watching the SQLite workspace file (chiso.workspace.watch) costs per transaction.

    .venv/bin/python bench/bench_file_watch.py [--calls 3000] [--rounds 5]

The same file is opened twice: as ``sqlite:///PATH`` (watched: one ``os.stat`` before every use of a
connection) and as ``sqlite:///file:PATH?uri=true`` (SQLite's URI form, not watched), and the smallest
transaction the app makes (``revision_count``, a one-row read) and a one-row save (``add_revision``) are
timed on each, interleaved round by round. A bare ``os.stat`` of the file is timed too.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso.edits import Revision  # noqa: E402
from chiso.workspace import open_workspace  # noqa: E402

KEY, RB = "sample:phu-tho", "portal-2026"
REV = Revision("H44", "dossiers_received", 1.0, 2.0, datetime(2026, 12, 1, tzinfo=timezone.utc))


def per_call(fn, calls: int) -> float:
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    path = Path(tempfile.mkdtemp()) / "watch.sqlite3"
    watched = open_workspace(f"sqlite:///{path}")
    plain = open_workspace(f"sqlite:///file:{path}?uri=true")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {path}")
    print(f"os.stat alone: {per_call(lambda: os.stat(path), args.calls * 10):.2f} µs")
    for what, call in (("read (revision_count)", lambda ws: ws.revision_count(KEY, RB)),
                       ("save (add_revision)", lambda ws: ws.add_revision(KEY, RB, REV))):
        times: dict[str, list[float]] = {"watched": [], "not watched": []}
        for _ in range(args.rounds):  # interleaved: both see the same machine load
            times["watched"].append(per_call(lambda: call(watched), args.calls // 3))
            times["not watched"].append(per_call(lambda: call(plain), args.calls // 3))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"{what}: watched {med['watched']:.1f} µs, not watched {med['not watched']:.1f} µs, "
              f"difference {med['watched'] - med['not watched']:+.1f} µs (median of {args.rounds} rounds)")
    watched.close()
    plain.close()


if __name__ == "__main__":
    main()
