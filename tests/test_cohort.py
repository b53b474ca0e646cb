"""Cohort ranks (1-2-2-4 inside each level), cohort statistics and the overview table filters."""
from __future__ import annotations

import numpy as np
import pandas as pd

from chiso.cohort import cohort_stats, competition_rank, filter_units, rank_among, ranking_table
from chiso.calibration import baseline
from chiso.rulebook import LEVELS, load_rulebook
from chiso.samples import available_samples, load_sample


def test_competition_rank_ties_and_cohorts_are_separate():
    totals = np.array([70.0, 80.0, 80.0, 60.0, 90.0, 50.0])
    cohort = np.array([3, 3, 3, 3, 2, 2])
    assert competition_rank(totals, cohort).tolist() == [3, 1, 1, 4, 1, 2]


def test_rank_ignores_float_noise_and_nan():
    totals = np.array([70.1 + 1e-12, 70.1, np.nan, 69.0])
    ranks = competition_rank(totals, np.zeros(4, dtype=int))
    assert ranks.tolist() == [1, 1, 0, 3]


def test_rank_among_matches_full_reranking():
    rng = np.random.default_rng(3)
    totals = np.round(rng.uniform(40, 90, 50), 2)
    for i in (0, 7, 49):
        new = totals[i] + 5
        changed = totals.copy()
        changed[i] = new
        expect = competition_rank(changed, np.zeros(50, dtype=int))[i]
        assert rank_among(new, np.delete(totals, i)) == expect


def test_cohort_stats_median_p75():
    s = cohort_stats(np.array([1.0, 2.0, 3.0, 4.0, np.nan]))
    assert (s.size, s.median, s.p75, s.best) == (4, 2.5, np.percentile([1, 2, 3, 4], 75), 4.0)
    assert np.isnan(cohort_stats(np.array([])).median)


def test_ranking_table_and_filters_on_the_sample():
    rb = load_rulebook("portal-2026")
    table = load_sample(available_samples()[0], rb)
    base = baseline(table, rb)
    lvl = np.array([LEVELS.index(v) for v in table.frame["level"]])
    df = ranking_table(base, table.frame, lvl, table.frame["published_total"].to_numpy(float))
    assert len(df) == len(table.frame)
    np.testing.assert_allclose(df["total"], base.total)
    communes = df[df["level"] == "commune"]
    assert communes["rank"].min() == 1 and (communes["cohort_size"] == len(communes)).all()
    best = communes.loc[communes["total"].idxmax()]
    assert best["rank"] == 1
    wards = filter_units(df, ["commune"], "PHƯỜNG")
    assert len(wards) > 0 and wards["unit_name"].str.casefold().str.contains("phường").all()
    assert filter_units(df, None, "H44.102")["unit_code"].tolist() == ["H44.102"]
    yeu = filter_units(df, None, "", ["Yếu"])
    assert (yeu["total"] < 50).all()
    assert isinstance(df, pd.DataFrame)
