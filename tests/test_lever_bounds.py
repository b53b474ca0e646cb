"""One rule for how far a lever can move (issue 23): ``scenario.lever_bounds`` against the copies it replaces,
on every bundled sample and on random counts (fractional, missing, any level)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.engine import input_matrix, level_index
from chiso.plan.solver import _unit
from chiso.policy import lever_matrix
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import clamp_deltas, clamp_to_room, effective_delta, lever_bounds, lever_limits, lever_rooms

RULEBOOKS = {name: load_rulebook(name) for name in ("portal-2026", "qd766-2022")}


def _same(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


def check_against_old_copies(x: np.ndarray, lvl: np.ndarray, rb) -> None:
    """Every old copy of the rule gives what ``lever_bounds`` gives."""
    b = lever_bounds(x, lvl, rb)
    floor, room = lever_limits(x, lvl, rb)
    _same(floor, b.floor)
    _same(room, b.room)
    m = lever_matrix(x, lvl, rb)
    for name in ("current", "denominator", "floor", "room", "movable"):
        _same(getattr(m, name), getattr(b, name))
    deltas = np.tile(np.array([-1e9, -2.5, 0.0, 3.0, 1e9]), (len(x), len(rb.levers)))[:, : len(rb.levers)]
    _same(clamp_deltas(x, lvl, rb, deltas), b.clamp(deltas))
    for i in range(len(x)):
        rooms = lever_rooms(x[i], LEVELS[lvl[i]], rb)
        unit = _unit(x[i], LEVELS[lvl[i]], rb, 0.0, None, (), None)
        for k, r in enumerate(rooms):
            assert (r.movable, r.steps_up) == (bool(b.movable[i, k]), b.steps_up[i, k])
            if not np.isnan(x[i, [rb.input_keys.index(m) for m in r.lever.moves]]).any():
                # the scalar copy took min() over counts with one unknown: -on_time or 0, by their order
                assert (r.floor, r.steps_down) == (b.floor[i, k], b.steps_down[i, k])
            _same([r.room, r.current, r.denominator], [b.room[i, k], b.current[i, k], b.denominator[i, k]])
            for d in (-1e9, -2.5, 0.0, 3.0, 1e9):
                if r.bounded:  # the simulator's copy never moves an unbounded lever: it offers no steps
                    assert effective_delta(r, d) == clamp_to_room(d, b.floor[i, k], b.room[i, k])
        _same(unit.lo, np.minimum(b.floor[i], 0.0))
        _same(unit.hi, np.where(np.isnan(b.room[i]), np.inf, b.room[i]))


@pytest.mark.parametrize("s", available_samples(), ids=lambda s: s.key)
def test_every_copy_agrees_on_every_sample(s):
    rb = RULEBOOKS[s.rulebook]
    table = load_sample(s, rb)
    x, lvl = input_matrix(table.frame, rb), level_index(table.frame["level"])
    rows = np.linspace(0, len(x) - 1, min(len(x), 60)).astype(int)  # the per-unit copies are slow
    check_against_old_copies(x[rows], lvl[rows], rb)
    b = lever_bounds(x, lvl, rb)
    _same(lever_limits(x, lvl, rb)[1], b.room)


_COUNT = st.one_of(st.just(float("nan")), st.integers(0, 400).map(float),
                   st.floats(0, 400, allow_nan=False, allow_infinity=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rb_name=st.sampled_from(sorted(RULEBOOKS)))
def test_every_copy_agrees_on_random_counts(data, rb_name):
    rb = RULEBOOKS[rb_name]
    x = np.array(data.draw(st.lists(_COUNT, min_size=len(rb.inputs), max_size=len(rb.inputs))))
    lvl = np.array([data.draw(st.integers(0, len(LEVELS) - 1))])
    check_against_old_copies(x[None, :], lvl, rb)
