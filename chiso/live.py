"""What the browser needs to show one unit's score while its lever sliders move (the simulator's live bar).

Python scores, the browser looks up. For every live lever, the payload holds the points (in hundredths)
that the indicators it moves give at each position of its slider, scored by ``chiso.engine`` with that
lever alone moved; the browser adds the levers' values to the points no slider moves and has nothing
left to round (the portal's total is a sum of 2-decimal points: an integer of hundredths). Rank,
band and format are done on those integers too. No scoring rule crosses to the browser.

This holds when the rulebook is *separable* for the unit: every indicator scored from its counts is
moved by one live lever at most, through its numerator only. Then the total is the sum of the levers'
curves, and each curve never falls as its slider rises (a larger count never scores less), which lets
the curves be found with few engine calls. Otherwise the payload says so, and the bar shows only what
the server scored (``tests/test_live_engine.py`` checks both against the engine).

A province's slider may have ~460.000 positions: a curve is sent as its steps (the positions where its
value changes), not position by position.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict

import numpy as np

from chiso.cohort import _key
from chiso.rulebook import Rulebook
from chiso.scenario import (
    LeverRoom,
    count_bounds,
    deltas_for_counts,
    fixed_reason_vi,
    score_scenarios,
    shown_count,
)

NOT_SEPARABLE_VI = ("Với bộ quy tắc này, một chỉ tiêu chịu tác động của nhiều yếu tố cùng lúc: điểm xem trước "
                    "không tính sẵn được. Điểm của kịch bản được tính lại bên dưới sau mỗi lần thả thanh trượt.")


def live_levers(rooms: list[LeverRoom]) -> list[int]:
    """Positions (in ``rb.levers``) of the levers that get a slider: those that can move for this unit."""
    return [n for n, r in enumerate(rooms) if not fixed_reason_vi(r)]


def lever_indicators(rb: Rulebook, level: str, live: list[int]) -> np.ndarray:
    """(len(live), K) bool: the indicators each live lever moves whose points depend on the unit's counts."""
    scored = np.array([ind.movable_at(level) for ind in rb.indicators])
    fed = np.array([[ind.numerator in rb.levers[j].moves for ind in rb.indicators] for j in live], dtype=bool)
    return fed.reshape(len(live), len(rb.indicators)) & scored


def separable(rb: Rulebook, level: str, live: list[int]) -> bool:
    """Every scored indicator moved by one live lever at most, and no live lever moving a scored
    denominator (as the planner requires of its levers): the levers' points then add up."""
    scored = [ind for ind in rb.indicators if ind.movable_at(level)]
    moves = [set(rb.levers[j].moves) for j in live]
    if any(ind.denominator in m for ind in scored for m in moves):
        return False
    return bool((lever_indicators(rb, level, live).sum(axis=0) <= 1).all())


def cents(points: np.ndarray | float) -> np.ndarray:
    """Points (2 decimals) as integers of hundredths, as ranks compare them; missing points count 0, as in
    the engine's sums."""
    return _key(np.nan_to_num(np.asarray(points, dtype=float))).astype(np.int64)


class _Curves:
    """Engine calls for one unit: the points of each live lever's indicators at slider positions."""

    def __init__(self, rb: Rulebook, x_row: np.ndarray, level: str, rooms: list[LeverRoom], live: list[int]) -> None:
        self.rb, self.x, self.level = rb, x_row, level
        self.rooms, self.live = [rooms[j] for j in live], np.asarray(live, dtype=np.int64)
        self.mask = lever_indicators(rb, level, live)

    def values(self, lever: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """Cents of live lever ``lever[r]``'s indicators with its slider at ``pos[r]`` (the others at 0),
        in one engine call."""
        d = np.zeros((len(pos), len(self.rb.levers)))
        for n in np.unique(lever):
            rows = np.flatnonzero(lever == n)
            d[rows, self.live[n]] = deltas_for_counts(self.rooms[n], pos[rows])
        pts = cents(score_scenarios(self.x, self.level, self.rb, 0.0, d).points)
        return (pts * self.mask[lever]).sum(axis=1)

    def reach(self) -> list[tuple[int, np.ndarray]] | None:
        """Per live lever: its value at the slider's lowest position, and the position where each further
        cent is first reached (ascending; repeated where one position adds several cents). Found by
        bisection: a curve that never falls and has the same value at both ends of an interval is flat
        inside it. None if a curve falls (the levers' points would then not be what they seem)."""
        ends = np.array([count_bounds(r) for r in self.rooms], dtype=np.int64).reshape(-1, 2)
        lever = np.repeat(np.arange(len(self.rooms)), 2)
        v = self.values(lever, ends.ravel()).reshape(-1, 2)
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (lever, position, cents gained)
        todo = (np.arange(len(self.rooms)), ends[:, 0], ends[:, 1], v[:, 0], v[:, 1])
        while len(todo[0]):
            n, a, b, va, vb = todo
            if (va > vb).any():
                return None
            live = va < vb
            n, a, b, va, vb = n[live], a[live], b[live], va[live], vb[live]
            step = b - a == 1
            found.append((n[step], b[step], vb[step] - va[step]))
            todo = self._split(n[~step], a[~step], b[~step], va[~step], vb[~step])
        n, at, gain = (np.concatenate(f) for f in zip(*found)) if found else (np.zeros(0, int),) * 3
        return [(int(v[k, 0]), np.sort(np.repeat(at[n == k], gain[n == k]))) for k in range(len(self.rooms))]

    def _split(self, n, a, b, va, vb) -> tuple[np.ndarray, ...]:
        """Score the middle of each interval, and give back its two halves."""
        m = (a + b) // 2
        vm = self.values(n, m)
        return (np.concatenate([n, n]), np.concatenate([a, m]), np.concatenate([m, b]),
                np.concatenate([va, vm]), np.concatenate([vm, vb]))


def _lever_entry(room: LeverRoom, v0: int, reach: np.ndarray, delta: float) -> dict:
    """A curve as its value at the lowest position and, for each further cent, how many positions after
    the previous one it is first reached (0: the same position gives several cents)."""
    lo, hi = count_bounds(room)
    return {"key": room.lever.key, "lo": lo, "hi": hi, "v0": v0, "gaps": np.diff(reach, prepend=lo).tolist(),
            "committed": shown_count(room, delta)}  # the slider's position in the scenario Python has


_CACHE: OrderedDict[tuple, tuple[Rulebook, list | None]] = OrderedDict()
_CACHE_SIZE = 32  # units; a province's curves are ~9.000 integers and take ~0,1-0,3 s to find
_LOCK = threading.Lock()


def lever_curves(rb: Rulebook, x_row: np.ndarray, level: str, rooms: list[LeverRoom]) -> list | None:
    """Per live lever, (value at its lowest position, positions where each further cent is reached),
    or None when the levers' points do not add up; kept for the last units asked (a page's reruns)."""
    key = (id(rb), np.asarray(x_row, dtype=float).tobytes(), level)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is rb:
            _CACHE.move_to_end(key)
            return hit[1]
    live = live_levers(rooms)
    curves = _Curves(rb, x_row, level, rooms, live).reach() if separable(rb, level, live) else None
    with _LOCK:
        _CACHE[key] = (rb, curves)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return curves


def live_payload(rb: Rulebook, x_row: np.ndarray, level: str, held: float, rooms: list[LeverRoom],
                 others: np.ndarray, base_total: float, deltas: np.ndarray) -> dict:
    """The live bar's data for one unit, all points in hundredths (integers).

    ``others``: the totals of the rest of its cohort (the rank is 1 + the units strictly above);
    ``deltas``: the scenario's lever deltas as Python has them (every lever of ``rb``), shown while the
    browser cannot read the sliders, and the only thing shown when the levers' points do not add up.
    """
    o = _key(others)
    scores = score_scenarios(x_row, level, rb, held, np.vstack([np.zeros(len(rb.levers)), deltas]))
    common = {
        "base": int(cents(base_total)),
        "now": int(cents(scores.total[1])),
        "others": np.sort(o[~np.isnan(o)]).astype(int).tolist(),  # ascending
        "bands": [[math.ceil(b.min * 100 - 1e-6), b.name_vi] for b in rb.bands],  # from the highest
    }
    curves, live = lever_curves(rb, x_row, level, rooms), live_levers(rooms)
    if curves is None:  # the sliders' positions in the scenario Python scored
        levers = [{"key": rooms[j].lever.key, "committed": shown_count(rooms[j], deltas[j])} for j in live]
        return {**common, "separable": False, "note": NOT_SEPARABLE_VI, "levers": levers}
    moved = int((cents(scores.points[0]) * lever_indicators(rb, level, live)).sum())  # the levers' share now
    return {**common, "separable": True,
            "fixed": int(cents(scores.total[0])) - moved,  # held points and the indicators no slider moves
            "levers": [_lever_entry(rooms[j], *curves[n], deltas[j]) for n, j in enumerate(live)]}
