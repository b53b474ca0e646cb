"""History across periods: per-period totals and ranks, the change per indicator and why, plans held
against a later period. Built on the bundled Phú Thọ quarter 3 (portal) and its synthesised quarter 2."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from chiso.calibration import baseline
from chiso.cohort import competition_rank
from chiso.history import indicator_changes, period_score, plan_progress, unit_history
from chiso.plan.solver import plan_unit
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, same_series, sample
from chiso.synthetic import earlier_period

RB = load_rulebook("portal-2026")
CODE = "H44.100"


@pytest.fixture(scope="module")
def q3():
    return load_sample(sample("phu-tho"), RB)


@pytest.fixture(scope="module")
def q2():
    return load_sample(sample("phu-tho-q2-gia-lap"), RB)


def test_the_bundled_series_has_two_periods_and_the_earlier_is_flagged_synthetic(q2, q3):
    assert [s.period for s in same_series(sample("phu-tho"))] == ["2026-Q2", "2026-Q3"]
    assert q2.synthetic and not q3.synthetic
    assert q2.periods == ["2026-Q2"] and list(q2.frame["unit_code"]) == list(q3.frame["unit_code"])
    assert any("giả lập" in w for w in q2.warnings)


def test_earlier_period_is_deterministic_whole_and_consistent(q3):
    a, b = earlier_period(q3, RB, "2026-Q2"), earlier_period(q3, RB, "2026-Q2")
    assert a.frame.equals(b.frame)
    for ind in RB.indicators:
        num, den = a.frame[ind.numerator], a.frame[ind.denominator]
        ok = num.isna() | den.isna() | (num <= den)
        assert ok.all(), ind.code
    counts = a.frame[[k for k in RB.input_keys if k in a.frame]].to_numpy(dtype=float)
    assert np.all(np.isnan(counts) | (counts == np.round(counts)))
    # held points are the real quarter's: the synthetic official total reproduces them
    np.testing.assert_allclose(baseline(a, RB).held, baseline(q3, RB).held, atol=1e-9)


def test_period_score_matches_the_engine_and_cohort_ranking(q3):
    ps = period_score(q3, RB, CODE)
    base = baseline(q3, RB)
    i = base.position(CODE)
    assert ps.total == base.total[i] and ps.official_total == q3.frame["published_total"][i]
    assert ps.rank == competition_rank(base.total, base.level)[i]
    assert ps.cohort_size == int(np.sum(q3.frame["level"] == "commune"))
    assert ps.groups == dict(zip(RB.group_codes, base.group_points[i].tolist()))
    assert sum(ps.groups.values()) + ps.held == pytest.approx(ps.total, abs=0.005)


def test_unit_history_is_one_entry_per_period_in_order(q2, q3):
    newer_q3 = replace(q3, frame=q3.frame.assign(dossiers_on_time=q3.frame["dossiers_received"]))
    rows = unit_history([(q3, RB), (q2, RB), (newer_q3, RB)], CODE)
    assert [r.period for r in rows] == ["2026-Q2", "2026-Q3"]
    assert rows[1].total == period_score(newer_q3, RB, CODE).total, "the later table of a period wins"
    assert rows[0].synthetic and not rows[1].synthetic
    assert unit_history([(q3, RB)], "NOT-A-UNIT") == []


def test_changes_explain_new_overdue_dossiers(q3):
    before = q3
    f = q3.frame.copy()
    i = int(np.flatnonzero(f["unit_code"] == CODE)[0])
    f.loc[i, "dossiers_on_time"] -= 12
    f.loc[i, "dossiers_satisfied"] -= 12
    after = replace(q3, frame=f)
    changes = {c.indicator: c for c in indicator_changes(before, after, RB, CODE)}
    on_time = changes["PROGRESS_ON_TIME"]
    assert on_time.delta < 0
    assert on_time.reason_vi.startswith("điểm giảm vì 12 hồ sơ quá hạn mới")
    assert set(changes) == {"PROGRESS_ON_TIME", "DOSSIER_RECEIVING_SATISFACTION"}
    base_b, base_a = baseline(before, RB), baseline(after, RB)
    k = RB.indicator_codes.index("PROGRESS_ON_TIME")
    assert on_time.delta == pytest.approx(base_a.points[i, k] - base_b.points[i, k], abs=1e-9)


def test_changes_between_the_bundled_quarters_sum_to_the_total_change(q2, q3):
    changes = indicator_changes(q2, q3, RB, CODE)
    d_total = period_score(q3, RB, CODE).total - period_score(q2, RB, CODE).total
    assert sum(c.delta for c in changes if c.delta is not None) == pytest.approx(d_total, abs=0.011)
    assert all(c.reason_vi for c in changes)
    better = [c for c in changes if c.delta and c.delta > 0]
    assert better and all(c.reason_vi.startswith("điểm tăng") for c in better)


def test_a_plan_held_against_a_later_period(q2, q3):
    base = baseline(q2, RB)
    target = float(base.total[base.position(CODE)]) + 3
    plan = plan_unit(q2, base, CODE, target).to_dict()
    assert plan["feasible"] and len(plan["steps"]) >= 1
    # the same period again: nothing was done, so no step is reached
    same = plan_progress("Kế hoạch quý 2", plan, q2, RB)
    assert same.reached_steps == 0 and all(s.remaining > 0 for s in same.steps)
    # a later period where exactly the first step's counts were carried out
    first = plan["steps"][0]
    lever = RB.lever(first["lever"])
    f = q2.frame.copy()
    i = int(np.flatnonzero(f["unit_code"] == CODE)[0])
    for key in lever.moves:
        f.loc[i, key] += first["delta"]
    done = plan_progress("Kế hoạch quý 2", plan, replace(q2, frame=f), RB)
    assert done.steps[0].reached and done.steps[0].remaining == 0
    assert done.reached_steps == 1
    assert done.summary_vi.startswith(f"Kế hoạch «Kế hoạch quý 2»: đạt 1/{len(plan['steps'])} bước")


def test_a_group_without_data_is_held_in_the_history_and_its_text():
    """Issue 22.7: the Tây Ninh report has no publicity counts; the history (JSON and CLI text) said 0 points."""
    from chiso.cli.history import _text

    s = sample("tay-ninh")
    rb = load_rulebook(s.rulebook)
    ps = period_score(load_sample(s, rb), rb, "000.20.30.H53")  # UBND Phường 1
    assert ps.groups["TRANSPARENCY"] is None and ps.groups["PROGRESS"] == 20.0
    assert json.loads(json.dumps(ps.to_dict()))["groups"]["TRANSPARENCY"] is None  # null in JSON, never 0
    text = _text([ps])
    assert "Công khai, minh bạch giữ nguyên" in text and "Công khai, minh bạch 0" not in text, text
