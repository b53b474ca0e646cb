"""Engine-backed calculations for the training guide: curves, what-ifs on one unit, smallest steps.

Nothing here re-implements a formula: every number comes from ``chiso.engine.score_matrix`` (directly or
through ``chiso.scenario.simulate``), fed with a unit's counts changed the way the lesson says.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from chiso.engine import BELOW_THRESHOLD, CAPPED, LINEAR, Scores, score_matrix
from chiso.rulebook import LEVELS, Rulebook
from chiso.scenario import lever_rooms, simulate

COUNTS_DECIDE = (LINEAR, BELOW_THRESHOLD, CAPPED)  # statuses where the unit's own counts set the points
RATE_GRID_DEN = 100_000.0  # denominator used to draw "points as a function of the rate"


@dataclass(frozen=True)
class Units:
    """The loaded units as the guide needs them: baseline scores, counts and names."""

    base: Scores
    x: np.ndarray  # (N, inputs), fallbacks applied
    names: tuple[str, ...]

    @property
    def rb(self) -> Rulebook:
        return self.base.rulebook

    @cached_property
    def status(self) -> np.ndarray:
        """(N, K) engine status codes, computed once (the engine computes them on each access)."""
        return self.base.status

    def decided(self, k: int) -> np.ndarray:
        """(N,) bool: each unit's own counts set indicator ``k``'s points (not a policy, not missing data)."""
        return np.isin(self.status[:, k], COUNTS_DECIDE)

    def level(self, i: int) -> str:
        return LEVELS[int(self.base.level[i])]

    def name(self, i: int) -> str:
        return self.names[i]

    def col(self, key: str) -> int:
        return self.rb.input_keys.index(key)


def rescore(units: Units, i: int, rows: np.ndarray) -> Scores:
    """Score modified copies of unit ``i``'s counts (one per row), holding its held points."""
    n = rows.shape[0]
    level = np.full(n, units.base.level[i])
    return score_matrix(rows, level, units.rb, held=np.full(n, units.base.held[i]))


def lever_totals(units: Units, i: int, lever_key: str, steps: np.ndarray) -> np.ndarray:
    """Total score of unit ``i`` after each number of ``steps`` of one lever."""
    rb = units.rb
    steps = np.asarray(steps, dtype=float)
    n = len(steps)
    deltas = np.zeros((n, len(rb.levers)))
    deltas[:, [lv.key for lv in rb.levers].index(lever_key)] = steps
    xs = np.repeat(units.x[i][None, :], n, axis=0)
    s = simulate(xs, np.full(n, units.base.level[i]), rb, deltas, np.full(n, units.base.held[i]))
    return s.total


def lever_gain(units: Units, i: int, lever_key: str, steps: float) -> float:
    """Change of the total score after ``steps`` of a lever (negative steps undo work)."""
    t = lever_totals(units, i, lever_key, np.array([0.0, steps]))
    return round(float(t[1] - t[0]), 2)


def smallest_steps(gain: Callable[[int], float], target: float, hi: int) -> int | None:
    """Smallest k in [0, hi] with gain(k) ≥ target, for a gain that never falls as k grows (bisection)."""
    if hi < 0 or gain(hi) < target - 1e-9:
        return None
    lo = 0
    while lo < hi:
        mid = (lo + hi) // 2
        if gain(mid) >= target - 1e-9:
            hi = mid
        else:
            lo = mid + 1
    return lo


def lever_room(units: Units, i: int, lever_key: str) -> float:
    """How many steps of the lever unit ``i`` can still take (NaN when unknown, 0 when not movable)."""
    for r in lever_rooms(units.x[i], units.level(i), units.rb):
        if r.lever.key == lever_key:
            return r.room if r.movable else 0.0
    raise KeyError(lever_key)


def steps_for_gain(units: Units, i: int, lever_key: str, target: float) -> int | None:
    """Fewest steps of a lever that raise unit ``i``'s total by at least ``target`` points."""
    room = lever_room(units, i, lever_key)
    if np.isnan(room) or room <= 0:
        return None
    hi = int(np.ceil(room - 1e-9))  # counts derived from a rate can leave a fractional room
    return smallest_steps(lambda k: lever_gain(units, i, lever_key, k), target, hi)


# ---------------------------------------------------------------- curves of one indicator


def indicator_points(units: Units | None, rb: Rulebook, code: str, numerators: np.ndarray,
                     denominator: float, level: str = "commune", i: int | None = None) -> np.ndarray:
    """Points of one indicator for each numerator value, at one denominator, scored by the engine.

    With a unit (``units`` and ``i``), its other counts and level are kept; otherwise a bare row is used.
    """
    k = rb.indicator_codes.index(code)
    ind = rb.indicators[k]
    numerators = np.asarray(numerators, dtype=float)
    if units is not None and i is not None:
        rows = np.repeat(units.x[i][None, :], len(numerators), axis=0)
        lvl = np.full(len(numerators), units.base.level[i])
    else:
        rows = np.full((len(numerators), len(rb.inputs)), np.nan)
        lvl = np.full(len(numerators), LEVELS.index(level))
    rows[:, rb.input_keys.index(ind.denominator)] = denominator
    rows[:, rb.input_keys.index(ind.numerator)] = numerators
    return score_matrix(rows, lvl, rb).points[:, k]


def rate_curve(rb: Rulebook, code: str, rates: np.ndarray, level: str = "commune") -> np.ndarray:
    """Points of one indicator as a function of its rate (0..1) at a level."""
    rates = np.asarray(rates, dtype=float)
    return indicator_points(None, rb, code, rates * RATE_GRID_DEN, RATE_GRID_DEN, level)


def count_grid(current: float, denominator: float, size: int = 400) -> np.ndarray:
    """Whole numerator values from 0 to the denominator (at most ``size`` of them, always the current one)."""
    den = max(0, int(denominator))
    grid = np.unique(np.round(np.linspace(0, den, min(size, den + 1))))
    if not np.isnan(current):
        grid = np.union1d(grid, [float(current)])
    return grid
