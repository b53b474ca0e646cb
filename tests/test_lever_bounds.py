"""One rule for how far a lever can move (issue 23): ``scenario.lever_bounds``, and the views that read it (the
per-unit ``lever_rooms``, the simulator's ``effective_delta``, ``apply_deltas``, the planner's clamp), against the
rule written one lever at a time, on every bundled sample and on random counts (fractional, missing, any level).

Before the copies went, the same test held them all equal (commit «Lever bounds: …»); the scalar copy's floor
differed only where a lever's second count is unknown (Python's min over NaN depends on the order)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.plan.solver import _unit
from chiso.reasons import LeverFixed
from chiso.rulebook import LEVELS
from chiso.samples import available_samples
from chiso.scenario import apply_deltas, effective_delta, lever_bounds, lever_rooms, move_matrix

from count_strategies import RULEBOOKS, random_unit, sample_rows

DELTAS = (-1e9, -2.5, 0.0, 1.0, 3.0, 1e9)


def spec(x_row: np.ndarray, level: str, rb) -> list[tuple]:
    """The rule in words, one lever at a time (the scalar copy it replaced): a count never exceeds the
    denominator of an indicator it feeds that this level scores from the unit's counts, never drops below 0.
    (floor, room, movable, current, denominator, reason)."""
    pos = {k: n for n, k in enumerate(rb.input_keys)}
    out = []
    for lv in rb.levers:
        fed = [ind for key in lv.moves for ind in rb.indicators_fed_by(key)]
        scored = [ind for ind in fed if ind.movable_at(level)]
        caps = [x_row[pos[ind.denominator]] - x_row[pos[ind.numerator]] for ind in scored]
        counts = [x_row[pos[k]] for k in lv.moves]
        floor = 0.0 if any(math.isnan(c) for c in counts) else -min(counts) + 0.0  # unknown: no step down
        known = bool(scored) and not any(math.isnan(c) for c in caps)
        room = max(0.0, min(caps)) if known else math.nan
        reason = None if known else LeverFixed.MISSING_COUNTS if scored else LeverFixed.NOT_SCORED_HERE
        den = x_row[pos[fed[0].denominator]] if fed else math.nan
        out.append((floor, room, known, x_row[pos[lv.moves[0]]], den, reason))
    return out


def _same(a, b) -> None:
    np.testing.assert_array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


def check(x: np.ndarray, lvl: np.ndarray, rb) -> None:
    """lever_bounds is the rule; the per-unit view, the simulator's clamp and the planner's read it."""
    b = lever_bounds(x, lvl, rb)
    for i in range(len(x)):
        want = spec(x[i], LEVELS[lvl[i]], rb)
        got = lever_rooms(x[i], LEVELS[lvl[i]], rb)
        for k, (w, r) in enumerate(zip(want, got)):
            assert (r.movable, r.reason) == (w[2], w[5]) == (bool(b.movable[i, k]), r.reason)
            _same([r.floor, r.room, r.current, r.denominator], w[:2] + w[3:5])
            _same([r.floor, r.room, r.current, r.denominator, r.steps_up, r.steps_down],
                  [b.floor[i, k], b.room[i, k], b.current[i, k], b.denominator[i, k], b.steps_up[i, k],
                   b.steps_down[i, k]])
            assert r.steps_up == (math.ceil(r.room - 1e-9) if r.bounded else 0)
            assert r.steps_down == -math.ceil(-r.floor - 1e-9)
            for d in DELTAS:
                lo, hi = min(r.floor, 0.0), (r.room if r.bounded else math.inf)
                assert effective_delta(r, d) == min(max(d, lo), hi)
        unit = _unit(x[i], LEVELS[lvl[i]], rb, 0.0, None, (), None)
        d = np.tile(np.array(DELTAS), len(rb.levers))[: len(rb.levers)]
        _same(unit.bounds.clamp(d), b.clamp(d)[i : i + 1])
        _same(apply_deltas(x[i : i + 1], d[None, :], rb, lvl[i : i + 1])[0],
              x[i] + np.array([effective_delta(r, v) for r, v in zip(got, d)]) @ move_matrix(rb))


@pytest.mark.parametrize("s", available_samples(), ids=lambda s: s.key)
def test_the_rule_on_every_sample(s):
    check(*sample_rows(s, 60))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rb_name=st.sampled_from(sorted(RULEBOOKS)))
def test_the_rule_on_random_counts(data, rb_name):
    rb = RULEBOOKS[rb_name]
    check(*random_unit(data, rb), rb)