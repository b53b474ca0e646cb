"""The simulator's live bar: what ``chiso.live.live_payload`` costs the server and the browser, per sample.

    .venv/bin/python bench/bench_live_bar.py [--repeat 5] [--every 0]

For the unit with the most slider positions of each bundled sample (a province: ~460.000 positions on
some sliders): the positions, the payload's size as the bar sends it (compact JSON), the bar's whole page
(ui/score_bar.bar_html: engine.js, styles, payload), and the time to build the payload the first time
(the lever curves found with the engine) and again (curves kept for the last units). With ``--every N``
also the median and largest payload over every N-th unit.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chiso import live  # noqa: E402
from chiso.calibration import baseline  # noqa: E402
from chiso.engine import input_matrix, level_index  # noqa: E402
from chiso.memory import keep_freed_memory  # noqa: E402
from chiso.rulebook import LEVELS, load_rulebook  # noqa: E402
from chiso.samples import available_samples, load_sample  # noqa: E402
from chiso.scenario import count_bounds, fixed_reason_vi, lever_rooms  # noqa: E402
from ui.score_bar import bar_html  # noqa: E402

from bench_engine import median_ms  # noqa: E402  (bench/ is the script's own folder)


def payload_of(rb, x, lvl, base, i: int) -> dict:
    level = LEVELS[lvl[i]]
    others = np.delete(base.total, i)[np.delete(lvl, i) == lvl[i]]
    return live.live_payload(rb, x[i], level, float(base.held[i]), lever_rooms(x[i], level, rb), others,
                             float(base.total[i]), np.zeros(len(rb.levers)))


def positions(rb, x, lvl, i: int) -> int:
    rooms = lever_rooms(x[i], LEVELS[lvl[i]], rb)
    return sum(hi - lo + 1 for r in rooms if not fixed_reason_vi(r) for lo, hi in [count_bounds(r)])


def size(p: dict) -> int:
    return len(json.dumps(p, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def timed_ms(fn, repeat: int, cold: bool) -> float:
    """Median ms of ``fn``; ``cold``: the kept lever curves are dropped before each call (a unit opened anew)."""
    return median_ms((lambda: (live._CACHE.clear(), fn())) if cold else fn, repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--every", type=int, default=0, help="also every N-th unit's payload size (0: no)")
    args = ap.parse_args()
    keep_freed_memory()
    for s in available_samples():
        rb = load_rulebook(s.rulebook)
        table = load_sample(s, rb)
        base = baseline(table, rb)
        x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
        i = max(range(len(table)), key=lambda k: positions(rb, x, lvl, k))
        p = payload_of(rb, x, lvl, base, i)
        cold = timed_ms(lambda: payload_of(rb, x, lvl, base, i), args.repeat, cold=True)
        warm = timed_ms(lambda: payload_of(rb, x, lvl, base, i), args.repeat, cold=False)
        print(f"{s.key}: unit {table.frame['unit_code'][i]} ({LEVELS[lvl[i]]}), {positions(rb, x, lvl, i):,} slider "
              f"positions, {sum(len(lv.get('gaps', ())) for lv in p['levers']):,} steps: payload {size(p):,} B, "
              f"bar page {len(bar_html(p).encode('utf-8')):,} B; built in {cold:.0f} ms, again {warm:.1f} ms")
        if args.every:
            sizes = [size(payload_of(rb, x, lvl, base, k)) for k in range(0, len(table), args.every)]
            print(f"  every {args.every}th unit ({len(sizes)}): payload median {statistics.median(sizes):,.0f} B, "
                  f"largest {max(sizes):,} B")


if __name__ == "__main__":
    main()
