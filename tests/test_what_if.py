"""chiso.what_if.simulate_unit: the simulator's one entry (issue 23). It must give what the page used to
compute itself, piece by piece, on every unit kind of every sample."""
from __future__ import annotations

import numpy as np
import pytest

from chiso.calibration import published_group_points
from chiso.cohort import rank_among
from chiso.explain import group_values
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import apply_deltas, lever_rooms, marginal, score_scenarios
from chiso.scored import score_table
from chiso.what_if import UnitCase, simulate_unit

SAMPLES = [s for s in available_samples() if s.key in ("phu-tho", "tay-ninh")]


@pytest.mark.parametrize("s", SAMPLES, ids=lambda s: s.key)
def test_one_entry_gives_what_the_page_computed(s):
    rb = load_rulebook(s.rulebook)
    data = score_table(load_sample(s, rb), rb, s.label_vi, s.key)
    rng = np.random.default_rng(7)
    for i in rng.choice(len(data.codes), size=min(12, len(data.codes)), replace=False):
        i = int(i)
        level, x = data.level(i), data.x[i]
        rooms = lever_rooms(x, level, rb)
        deltas = np.array([float(rng.integers(0, int(r.room) + 1)) if r.movable and np.isfinite(r.room) else 0.0
                           for r in rooms])
        others = data.cohort_totals(i, exclude_self=True)
        official = published_group_points(data.frame, rb, i)
        case = UnitCase(rb, data.base, i, x, level, float(data.base.held[i]), others, int(data.rank[i]), official)
        out = simulate_unit(case, deltas)
        scen = score_scenarios(x, level, rb, float(data.base.held[i]), deltas, str(data.codes[i]))
        assert out.total == float(scen.total[0])
        assert out.rank == rank_among(out.total, others) and out.base_rank == int(data.rank[i])
        assert out.band == rb.band(out.total) and out.base_band == rb.band(float(data.base.total[i]))
        assert [g.text for g in out.groups] == [g.text for g in group_values(scen, 0, official)]
        x_now = apply_deltas(x[None, :], deltas[None, :], rb, np.array([LEVELS.index(level)]))[0]
        np.testing.assert_array_equal(out.next_steps.gain, marginal(x_now, level, rb, float(data.base.held[i])).gain)
        paying = out.next_steps.paying()
        assert all(out.next_steps.gain[k] > 0 for k in paying)
        assert [out.next_steps.per_unit[k] for k in paying] == sorted((out.next_steps.per_unit[k] for k in paying),
                                                                       reverse=True)
