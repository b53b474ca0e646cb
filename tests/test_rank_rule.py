"""One rank rule (issue 23): the portal's, in hundredths (``cohort``). The guide's copy
(``guide.calc.rank_in_level``, floats + 1e-9) is gone; before it went, this test held it equal to
``rank_among`` on every sample and on random 2-decimal totals. ``rank_in_cohort`` (the guide's question: the
rank of one unit if its total changed) must agree with ranking everyone again."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.calibration import baseline
from chiso.cohort import competition_rank, rank_in_cohort
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample


def reranked(totals: np.ndarray, levels: np.ndarray, i: int, total: float | None) -> tuple[int, int]:
    changed = totals.copy()
    if total is not None:
        changed[i] = total
    return int(competition_rank(changed, levels)[i]), int((levels == levels[i]).sum())


@pytest.mark.parametrize("s", available_samples(), ids=lambda s: s.key)
def test_rank_in_cohort_on_every_sample(s):
    rb = load_rulebook(s.rulebook)
    base = baseline(load_sample(s, rb), rb)
    for i in np.linspace(0, len(base.total) - 1, min(len(base.total), 100)).astype(int):
        if np.isnan(base.total[i]):
            continue
        for total in (None, float(base.total[i]) + 1.0, 0.0, 100.0):
            assert rank_in_cohort(base.total, base.level, i, total) == reranked(base.total, base.level, i, total)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2)), min_size=1, max_size=30),
       st.integers(0, 10_000), st.integers(0, 29))
def test_rank_in_cohort_on_random_totals(rows, new, i):
    totals = np.array([c / 100.0 for c, _ in rows])
    levels = np.array([lv for _, lv in rows])
    i %= len(rows)
    for total in (None, new / 100.0, 0.1 + 0.2, 70.1 + 1e-12):
        assert rank_in_cohort(totals, levels, i, total) == reranked(totals, levels, i, total)
