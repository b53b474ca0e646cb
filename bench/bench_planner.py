"""Benchmark: the target planner, one unit at a time and every commune of the synthetic national set.

    .venv/bin/python bench/bench_planner.py [--repeat 3] [--batch-target 80] [--skip-batch]

1. One unit (targets: median < 50 ms, p99 < 200 ms): ``plan_unit`` as the "Lập kế hoạch" page calls
   it — fewest levers then least effort, plus the least-effort alternative, ranks, engine re-checks —
   for every unit of the Phú Thọ portal sample and 300 synthetic communes, each toward its next
   rating band and toward +2, +5 and +10 points; ``--repeat`` passes.
2. Many units (target < 60 s): ``plan_table`` for all ~3,300 synthetic communes toward one target
   ("everyone to at least X", no alternative), with a progress bar on stderr; then each commune toward
   its own next band.

The synthetic set is ``sample_data/gia-lap`` (dữ liệu giả lập). The machine's load average is printed
because the times move with it (2 shared cores).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import chiso.plan.model as plan_model  # noqa: E402
from chiso.calibration import baseline  # noqa: E402
from chiso.io.load import load_paths  # noqa: E402
from chiso.plan.solver import plan_table, plan_unit, quiet_stdout_fd, summary_frame  # noqa: E402
from chiso.rulebook import LEVELS, load_rulebook  # noqa: E402
from chiso.plan.targets import next_band_target  # noqa: E402

PORTAL = ROOT / "sample_data" / "portal" / "phu-tho-2026-q3"
SYNTHETIC = ROOT / "sample_data" / "gia-lap" / "gia-lap-toan-quoc-2026-q3.csv"


MILP_CALLS = [0]
_milp = plan_model._milp


def _counted_milp(*args, **kw):
    """Count HiGHS solves: a set of levers whose relaxation proves its own plan needs none."""
    MILP_CALLS[0] += 1
    return _milp(*args, **kw)


plan_model._milp = _counted_milp


def load(path: Path, rb):
    table = load_paths([path], rb)
    return table, baseline(table, rb)


def single_cases(base, codes) -> list[tuple[str, float]]:
    cases = []
    for code in codes:
        score = float(base.total[base.position(code)])
        band = next_band_target(score, base.rulebook)
        targets = ([band.value] if band else []) + [min(100.0, round(score + d, 2)) for d in (2, 5, 10)]
        cases += [(code, t) for t in targets]
    return cases


def time_single(table, base, cases, repeat: int) -> list[float]:
    times, MILP_CALLS[0] = [], 0
    for _ in range(repeat):
        for code, target in cases:
            t0 = time.perf_counter()
            with quiet_stdout_fd():
                plan_unit(table, base, code, target)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def progress_bar(label: str):
    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            bar = "#" * int(30 * done / total)
            sys.stderr.write(f"\r{label} [{bar:<30}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

    return show


def time_batch(table, base, codes, targets, label: str):
    MILP_CALLS[0] = 0
    t0 = time.perf_counter()
    with quiet_stdout_fd():
        plans = plan_table(table, base, targets, codes=codes, progress=progress_bar(label))
    return time.perf_counter() - t0, plans


def describe(times: list[float]) -> str:
    t = np.array(times)
    return (
        f"n={len(t)}  median {statistics.median(t):.1f} ms  p90 {np.percentile(t, 90):.1f} ms  "
        f"p99 {np.percentile(t, 99):.1f} ms  max {t.max():.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-target", type=float, default=80.0)
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args()
    rb = load_rulebook("portal-2026")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")

    pt_table, pt_base = load(PORTAL, rb)
    sy_table, sy_base = load(SYNTHETIC, rb)
    communes = sy_base.codes[sy_base.level == LEVELS.index("commune")]
    rng = np.random.default_rng(766)
    some = rng.choice(communes, size=min(300, len(communes)), replace=False)

    plan_unit(pt_table, pt_base, "H44.100", 70)  # warm-up (imports, HiGHS)
    t_pt = time_single(pt_table, pt_base, single_cases(pt_base, pt_base.codes), args.repeat)
    milp_pt = MILP_CALLS[0]
    t_sy = time_single(sy_table, sy_base, single_cases(sy_base, some), args.repeat)
    milp_sy = MILP_CALLS[0]
    ward = time_single(pt_table, pt_base, [("H44.100", 70.0)], 30)
    print("one unit, plan_unit with alternative (fewest levers + least effort), engine re-checked:")
    print(f"  Phú Thọ portal sample, 164 units × 4 targets: {describe(t_pt)}")
    print(f"  synthetic communes, 300 × 4 targets:           {describe(t_sy)}")
    print(f"  all of the above:                              {describe(t_pt + t_sy)}")
    print(f"  milp solves per plan (main + alternative): {(milp_pt + milp_sy) / len(t_pt + t_sy):.2f}")
    print(f"  H44.100 (UBND Phường Việt Trì) 53,27 → 70, 30 runs: {describe(ward)}")

    if args.skip_batch:
        return
    secs, plans = time_batch(sy_table, sy_base, communes, args.batch_target, "mọi xã ≥ target")
    df = summary_frame(plans)
    moved = df[df["levers_changed"] > 0]
    print(
        f"all {len(communes)} synthetic communes to at least {args.batch_target:g}: {secs:.1f} s "
        f"({1000 * secs / len(communes):.1f} ms/unit); feasible {int(df['feasible'].sum())}, "
        f"already there {int((df['levers_changed'] == 0).sum())}, "
        f"median levers of the others {moved['levers_changed'].median():.0f}, milp solves {MILP_CALLS[0]}"
    )
    rows = [sy_base.position(c) for c in communes]
    bands = [next_band_target(float(sy_base.total[i]), rb) for i in rows]
    own = np.array([b.value if b else float(sy_base.total[i]) for b, i in zip(bands, rows)])
    secs2, plans2 = time_batch(sy_table, sy_base, communes, own, "mỗi xã lên xếp loại kế tiếp")
    df2 = summary_frame(plans2)
    print(
        f"all {len(communes)} synthetic communes each to its next band: {secs2:.1f} s "
        f"({1000 * secs2 / len(communes):.1f} ms/unit); feasible {int(df2['feasible'].sum())}, "
        f"milp solves {MILP_CALLS[0]}"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
