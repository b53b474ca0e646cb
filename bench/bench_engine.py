"""Benchmark: recompute every indicator of 10,000 and 100,000 units (median of repeated runs).

    .venv/bin/python bench/bench_engine.py [--repeat 30]

Two paths are timed: `score(frame, rb)` from a pandas unit table (what the app and CLI call) and
`score_matrix(x, level, rb)` on a prepared count matrix (what live levers and the planner call).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso import load_rulebook, score  # noqa: E402
from chiso.engine import input_matrix, level_index, score_matrix  # noqa: E402
from chiso.memory import keep_freed_memory  # noqa: E402


def random_units(n: int, rb, seed: int = 1) -> pd.DataFrame:
    """Units with every count filled, numerators within denominators."""
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {
        "unit_code": [f"U{i:06d}" for i in range(n)],
        "level": rng.choice(["department", "commune"], n, p=[0.15, 0.85]),
    }
    dens = {ind.denominator for ind in rb.indicators}
    for key in rb.input_keys:
        if key in dens:
            data[key] = rng.integers(0, 5000, n).astype(float)
    for ind in rb.indicators:
        data[ind.numerator] = np.floor(np.asarray(data[ind.denominator]) * rng.random(n))
    return pd.DataFrame(data)


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--default-malloc", action="store_true", help="keep glibc's default trim/mmap thresholds")
    args = ap.parse_args()
    if not args.default_malloc:
        keep_freed_memory()  # as the app and the CLI do (chiso/memory.py)
    print("malloc:", "glibc defaults" if args.default_malloc else "freed memory kept (chiso.memory)")
    rb = load_rulebook("portal-2026")
    print(f"rulebook {rb.id}: {len(rb.indicators)} indicators, {len(rb.inputs)} raw counts")
    for n in (10_000, 100_000):
        frame = random_units(n, rb)
        x = input_matrix(frame, rb)
        lv = level_index(frame["level"])
        from_frame = median_ms(lambda: score(frame, rb), args.repeat)
        from_matrix = median_ms(lambda: score_matrix(x, lv, rb), args.repeat)
        print(f"{n:>7,} units: score(frame) median {from_frame:7.2f} ms | score_matrix median {from_matrix:7.2f} ms")


if __name__ == "__main__":
    main()
