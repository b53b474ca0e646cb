"""Lever hints and the typed box of levers counted by what is left (issue 10's lever defects)."""
from __future__ import annotations

import numpy as np

from chiso.calibration import baseline
from chiso.engine import input_matrix
from chiso.lever_text import count_from_typed, gain_hint_vi, typed_bounds, typed_value
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import count_bounds, delta_for_count, fixed_reason_vi, lever_rooms, marginal


def _commune():
    s = available_samples()[0]
    rb = load_rulebook(s.rulebook)
    t = load_sample(s, rb)
    i = int(np.flatnonzero(t.frame["level"].to_numpy() == "commune")[0])
    return rb, input_matrix(t.frame, rb)[i], float(baseline(t, rb).held[i])


def test_overdue_typed_as_left_round_trips_to_the_count():
    rb, x, _ = _commune()
    room = next(r for r in lever_rooms(x, "commune", rb) if r.lever.key == "overdue_avoided")
    overdue = room.denominator - room.current
    assert typed_value(room, 0) == overdue
    lo, hi = typed_bounds(room)
    assert lo == 0 and hi >= overdue  # none left … more than now (fewer on time), within the denominator
    assert delta_for_count(room, count_from_typed(room, 0)) == room.room  # none left: every one avoided
    assert typed_value(room, delta_for_count(room, count_from_typed(room, 3))) == 3
    other = next(r for r in lever_rooms(x, "commune", rb) if r.lever.key == "e_results")
    assert typed_value(other, 5) == int(other.current + 5) and count_from_typed(other, 9) == 9


def test_hints_never_show_a_misleading_zero_nor_repeat():
    rb, x, held = _commune()
    rooms = lever_rooms(x, "commune", rb)
    m = marginal(x, "commune", rb, held)
    seen = 0
    for n, room in enumerate(rooms):
        if fixed_reason_vi(room) or m.step[n] <= 0:
            continue
        h = gain_hint_vi(room, m.step[n], m.gain[n], m.gain_one[n], count_bounds(room)[1])
        seen += 1
        assert "0,00" not in h and h.split(" · ")[0].lower().count(" 1 ") <= 1, h
    assert seen
    lv = next(r for r in rooms if r.lever.key == "e_results")
    assert gain_hint_vi(lv, 67, 0.06, 0.0, 1000) == (
        "Thêm 67 hồ sơ: +0,06 điểm (thêm 1 hồ sơ chưa đổi điểm sau làm tròn 0,01) · tối đa 1.000")
    assert gain_hint_vi(lv, 1, 2.0, 2.0, 5) == "Thêm 1 hồ sơ: +2,00 điểm · tối đa 5"
