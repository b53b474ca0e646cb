"""What the browser needs to recompute one unit's score while a lever moves (the simulator's live bar).

The browser (``ui/components/score_bar/engine.js``) runs the same arithmetic as ``chiso.engine``:
lever deltas through the move matrix, rate / threshold clipped to 0..1, points rounded half-up to
2 decimals per indicator, group sums, total = computed + held rounded half-up. Everything here is data
(no code crosses to the browser); ``tests/test_live_engine.py`` proves the two identical at every
lever step of the bundled units.
"""
from __future__ import annotations

import math

import numpy as np

from chiso.cohort import _key
from chiso.rulebook import LEVELS, Rulebook
from chiso.scenario import LeverRoom, count_bounds, fixed_reason_vi


def _nums(values) -> list[float | None]:
    """JSON has no NaN: an empty count travels as null."""
    return [None if math.isnan(v) else float(v) for v in np.asarray(values, dtype=float)]


def live_payload(rb: Rulebook, x_row: np.ndarray, level: str, held: float, rooms: list[LeverRoom],
                 others: np.ndarray, base_total: float) -> dict:
    """The unit's counts, the compiled rulebook for its level, its live levers and its cohort.

    ``others`` are the totals of the rest of its cohort (for the rank, which the browser recomputes
    as 1 + the number of units strictly above, in hundredths as ``chiso.cohort`` does).
    """
    c = rb.compiled
    pos = {k: n for n, k in enumerate(rb.input_keys)}
    o = _key(others)
    return {
        "x": _nums(x_row),
        "num": c.num_idx.tolist(),
        "den": c.den_idx.tolist(),
        "thr": c.threshold.tolist(),
        "max": c.max.tolist(),
        "zero": c.zero_points.tolist(),
        "fixed": _nums(c.override[LEVELS.index(level)]),
        "group": c.group_idx.tolist(),
        "n_groups": len(rb.groups),
        "held": float(held),
        "levers": [
            {"key": r.lever.key, "moves": [pos[k] for k in r.lever.moves], "current": float(r.current),
             "bounds": list(count_bounds(r)), "floor": float(r.floor), "room": float(r.room),
             "steps": [r.steps_down, r.steps_up]}  # whole steps, clamped to the exact floor/room
            for r in rooms if not fixed_reason_vi(r)
        ],
        "others": np.sort(o[~np.isnan(o)]).astype(int).tolist(),  # hundredths, ascending
        "base_total": float(base_total),
        "bands": [[float(b.min), b.name_vi] for b in rb.bands],
    }
