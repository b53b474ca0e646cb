"""Counts derived from a published rate (2,78 % × 365 = 10,147 e-results) move by whole dossiers.

Issue 9: "+1" and the arrow keys did nothing, a typed 80 % gave 79,77 %, a plan stopped at 99,77 %.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from chiso.calibration import baseline
from chiso.engine import input_matrix
from chiso.plan.solver import plan
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import load_sample, sample
from chiso.scenario import (
    count_after,
    count_bounds,
    delta_for_count,
    delta_for_rate,
    fit_levers,
    lever_rooms,
    rate_after,
    shown_count,
    simulate,
)

RB = load_rulebook("qd766-2022")
WARD = "000.20.30.H53"  # UBND Phường 1: 365 dossiers, e-results 2,78 %


@pytest.fixture(scope="module")
def ward():
    table = load_sample(sample("tay-ninh"), RB)
    i = int(np.flatnonzero(table.frame["unit_code"] == WARD)[0])
    base = baseline(table, RB)
    x = input_matrix(table.frame, RB)[i]
    room = next(r for r in lever_rooms(x, "commune", RB) if r.lever.key == "e_results")
    return x, float(base.held[i]), room


def test_the_derived_count_is_fractional_and_exact(ward):
    _, _, room = ward
    assert room.current == pytest.approx(0.0278 * 365)
    assert room.denominator == 365
    assert room.current != math.floor(room.current)


def test_plus_one_moves_the_count_by_one_whole_dossier(ward):
    _, _, room = ward
    shown = shown_count(room, 0)
    assert shown == 10
    d = delta_for_count(room, shown + 1)  # ArrowRight on the slider / "+" on the typed count
    assert d == 1
    assert count_after(room, d) == pytest.approx(room.current + 1)
    assert shown_count(room, d) == 11
    assert delta_for_count(room, shown - 1) == -1


def test_a_typed_rate_is_reached_at_least(ward):
    _, _, room = ward
    for pct in (5, 50, 80, 99):
        d = delta_for_rate(room, pct / 100)
        assert rate_after(room, d) >= pct / 100
        assert rate_after(room, d - 1) < pct / 100  # and it is the smallest such whole step


def test_the_ends_are_exact(ward):
    _, _, room = ward
    assert count_bounds(room) == (0, 365)
    assert rate_after(room, delta_for_rate(room, 1.0)) == pytest.approx(1.0)
    assert count_after(room, delta_for_count(room, 365)) == pytest.approx(365)
    assert count_after(room, delta_for_count(room, 0)) == pytest.approx(0)


def test_whole_steps_past_the_room_stop_at_the_denominator_in_the_engine(ward):
    x, held, room = ward
    k = [lv.key for lv in RB.levers].index("e_results")
    deltas = np.zeros((2, len(RB.levers)))
    deltas[0, k] = room.steps_up  # 355 whole steps for a room of 354,853
    deltas[1, k] = 10_000
    s = simulate(np.repeat(x[None, :], 2, 0), np.full(2, LEVELS.index("commune")), RB, deltas, np.full(2, held))
    ind = RB.indicator_codes.index("ORIGINAL_RESULT_AVAILABLE")
    assert s.numerator[:, ind] == pytest.approx([365, 365])
    assert s.rate[:, ind] == pytest.approx([1.0, 1.0])
    assert s.points[0, ind] == RB.indicator("ORIGINAL_RESULT_AVAILABLE").max


def test_a_scenario_from_elsewhere_keeps_its_last_partial_step(ward):
    x, _, _ = ward
    rooms = lever_rooms(x, "commune", RB)
    assert fit_levers({"e_results": 10_000}, rooms)["e_results"] == 355


def test_a_plan_can_reach_100_percent_of_an_indicator(ward):
    x, held, room = ward
    base = float(simulate(x[None, :], np.array([LEVELS.index("commune")]), RB, np.zeros((1, len(RB.levers))),
                          np.array([held])).total[0])
    p = plan(x, "commune", RB, round(base + 5.83, 2), held=held, locks=[lv.key for lv in RB.levers
                                                                          if lv.key != "e_results"])
    step = next(s for s in p.steps if s.lever == "e_results")
    assert step.delta == room.steps_up
    assert step.count_to == pytest.approx(365)
    assert step.moves[0].rate_to == pytest.approx(1.0)
    assert "lên 100%" in step.instruction_vi
    assert p.feasible and p.final_score == pytest.approx(base + 5.83)
