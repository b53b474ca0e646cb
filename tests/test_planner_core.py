"""Planner unit tests: locks, caps, weights, multi-indicator levers, thresholds, rounding, zero
denominators, level policies, held points, presets, many units, answers in Vietnamese, the CLI JSON.

Every expectation is checked against the engine (``scenario.simulate``), never against hard-coded plans.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from chiso.calibration import baseline
from chiso.cli import main
from chiso.cohort import cohort_stats
from chiso.engine import input_matrix
from chiso.errors import DataError, RulebookError
from chiso.io.load import load_paths
from chiso.plan.solver import (
    IndicatorMove,
    instruction_vi,
    plan,
    plan_many,
    plan_table,
    plan_unit,
    quiet_stdout_fd,
    summary_frame,
)
from chiso.rulebook import LEVELS, RULEBOOK_DIR, load_rulebook, parse_rulebook
from chiso.io.scenario_file import scenario_from_json
from chiso.scenario import lever_rooms, simulate
from chiso.plan.targets import MEDIAN, NEXT_BAND, OVERTAKE, P75, target_presets

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sample_data" / "portal" / "phu-tho-2026-q3"
RB = load_rulebook("portal-2026")
KEYS = [lv.key for lv in RB.levers]
WARD = "H44.100"  # UBND Phường Việt Trì, a commune-level ward


@pytest.fixture(scope="module")
def phu_tho():
    table = load_paths([DATA], RB)
    return table, baseline(table, RB), input_matrix(table.frame, RB)


@pytest.fixture(scope="module")
def ward(phu_tho):
    table, base, x = phu_tho
    i = base.position(WARD)
    return x[i].copy(), LEVELS[int(base.level[i])], float(base.held[i]), float(base.total[i])


def engine_total(x_row, level, deltas: dict[str, int], held: float) -> float:
    d = np.array([[float(deltas.get(k, 0)) for k in KEYS]])
    return float(simulate(x_row[None, :], np.array([LEVELS.index(level)]), RB, d, np.array([held])).total[0])


def only(*keys: str) -> tuple[str, ...]:
    """Locks for every lever except ``keys``."""
    return tuple(k for k in KEYS if k not in keys)


def row_with(x_row, **counts) -> np.ndarray:
    x = x_row.copy()
    for key, value in counts.items():
        x[RB.input_keys.index(key)] = value
    return x


# ---------------------------------------------------------------- the plan reaches the target


def test_plan_reaches_target_by_the_engine_and_applies_as_scenario(ward):
    x, level, held, total = ward
    p = plan(x, level, RB, 70, held, unit_code=WARD)
    assert p.feasible and p.optimal
    assert p.baseline == pytest.approx(total)
    assert engine_total(x, level, p.deltas, held) == pytest.approx(p.final_score) and p.final_score >= 70
    assert sum(s.points for s in p.steps) == pytest.approx(p.final_score - p.baseline)
    assert p.effort == pytest.approx(sum(RB.lever(k).effort * d for k, d in p.deltas.items()))
    sc = scenario_from_json(p.to_scenario().to_json(), RB)
    assert sc.levers == p.deltas and sc.unit_code == WARD
    assert p.levers_changed == len(p.deltas) == len(p.steps)


def test_fewest_levers_then_alternative_with_less_effort(ward):
    x, level, held, _ = ward
    p = plan(x, level, RB, 70, held)
    alt = p.alternative
    assert alt is not None and alt.objective == "effort"
    assert alt.effort < p.effort and alt.levers_changed > p.levers_changed
    assert engine_total(x, level, alt.deltas, held) >= 70
    by_effort = plan(x, level, RB, 70, held, objective="effort")
    assert by_effort.effort == pytest.approx(alt.effort)
    assert by_effort.alternative is not None and by_effort.alternative.levers_changed == p.levers_changed


def test_target_already_reached_gives_an_empty_plan(ward):
    x, level, held, total = ward
    p = plan(x, level, RB, total, held)
    assert p.feasible and p.already_reached and not p.steps and p.effort == 0
    assert p.final_score == pytest.approx(total)
    assert "Đã đạt mục tiêu" in p.message_vi


def test_steps_give_from_to_rates_and_vietnamese_instructions(ward):
    x, level, held, _ = ward
    p = plan(x, level, RB, 60, held)
    rooms = {r.lever.key: r for r in lever_rooms(x, level, RB)}
    for s in p.steps:
        assert s.count_from == rooms[s.lever].current
        assert s.count_to == s.count_from + s.delta and s.delta > 0
        assert s.main.rate_to > s.main.rate_from
        assert s.instruction_vi.endswith(" điểm") and "từ " in s.instruction_vi and " lên " in s.instruction_vi
        assert "," in s.instruction_vi.split("+")[-1]  # Vietnamese decimal comma: "+6,00 điểm"


def test_instruction_wording():
    mv = IndicatorMove("ORIGINAL_RESULT_AVAILABLE", "x", 0.0278, 0.356, 0.17, 2.1)
    assert instruction_vi(RB.lever("e_results"), 120, [mv], 1.93) == (
        "Cấp thêm 120 kết quả điện tử: từ 2,78% lên 35,6%, +1,93 điểm"
    )
    assert instruction_vi(RB.lever("overdue_avoided"), 1200, [mv, mv], 2.5).startswith("Giảm 1.200 hồ sơ quá hạn: ")


# ---------------------------------------------------------------- constraints


def test_locks_are_respected_and_reported(ward):
    x, level, held, _ = ward
    free = plan(x, level, RB, 60, held)
    used = next(iter(free.deltas))
    locked = plan(x, level, RB, 60, held, locks=(used,))
    assert used not in locked.deltas
    assert locked.final_score >= 60 or not locked.feasible
    # a target only that lever could reach: unreachable, and the lock is named
    solo = plan(x, level, RB, 99, held, locks=KEYS)
    assert not solo.feasible and not solo.steps and solo.final_score == pytest.approx(solo.baseline)
    assert "locked" in {b.kind for b in solo.blocked_by}


def test_caps_bound_each_lever_and_are_reported(ward):
    x, level, held, _ = ward
    p = plan(x, level, RB, 100, held, caps={"online_payments": 50, "digitised": 10})
    assert not p.feasible
    assert p.deltas.get("online_payments", 0) <= 50 and p.deltas.get("digitised", 0) <= 10
    kinds = {b.kind: b for b in p.blocked_by}
    assert "cap" in kinds and {"online_payments", "digitised"} & set(kinds["cap"].levers)
    uncapped = plan(x, level, RB, 100, held)
    assert p.best_reachable < uncapped.best_reachable


def test_weights_change_the_least_effort_plan(ward):
    x, level, held, _ = ward
    base = plan(x, level, RB, 62, held, objective="effort")
    heavy = {k: 1000.0 for k in base.deltas}
    p = plan(x, level, RB, 62, held, objective="effort", weights=heavy)
    assert p.final_score >= 62
    assert p.effort == pytest.approx(sum(heavy.get(k, RB.lever(k).effort) * d for k, d in p.deltas.items()))
    assert p.effort <= sum(heavy[k] * d for k, d in base.deltas.items()) + 1e-9


def test_invalid_requests_are_data_errors(ward):
    x, level, held, _ = ward
    with pytest.raises(DataError):
        plan(x, level, RB, 120, held)
    with pytest.raises(DataError):
        plan(x, level, RB, "bảy mươi", held)
    with pytest.raises(DataError):
        plan(x, level, RB, 70, held, locks=("khong_co",))
    with pytest.raises(DataError):
        plan(x, level, RB, 70, held, caps={"e_results": -1})
    with pytest.raises(DataError):
        plan(x, level, RB, 70, held, objective="fastest")
    with pytest.raises(DataError):
        plan(x, "ward", RB, 70, held)


@pytest.mark.parametrize("weight", [1e308, float("nan"), float("inf"), 1e-9])
def test_absurd_effort_weights_are_refused_by_name(ward, weight):
    """1e308 overflowed the effort grid (IndexError in relax), NaN slipped through as a weight."""
    x, level, held, _ = ward
    with pytest.raises(DataError) as info:
        plan(x, level, RB, 70, held, objective="effort", weights={"e_results": weight})
    assert "Công sức mỗi bước của «e_results» phải là số từ 0,000001 đến 1.000.000" in info.value.message


def test_cli_weight_out_of_range_is_a_message(capsys):
    assert main(["plan", str(DATA), "--unit", WARD, "--target", "70", "--weight", "e_results=0"]) == 2
    err = capsys.readouterr().err
    assert "Công sức mỗi bước của «e_results» phải là số từ 0,000001 đến 1.000.000, đang là «0»" in err
    assert "Traceback" not in err
    # 1e308 is not a number people type (chiso.fmt's grammar): refused as such, in Vietnamese
    assert main(["plan", str(DATA), "--unit", WARD, "--target", "70", "--weight", "e_results=1e308"]) == 2
    err = capsys.readouterr().err
    assert "--weight «e_results=1e308» không hợp lệ" in err and "Traceback" not in err


# ---------------------------------------------------------------- the rules, modelled exactly


def test_multi_indicator_lever_moves_progress_and_satisfaction(ward):
    x, level, held, total = ward
    p = plan(x, level, RB, total + 2.5, held, locks=only("overdue_avoided"))
    assert p.feasible and list(p.deltas) == ["overdue_avoided"]
    (step,) = p.steps
    assert [m.indicator for m in step.moves] == ["PROGRESS_ON_TIME", "DOSSIER_RECEIVING_SATISFACTION"]
    assert all(m.points_to > m.points_from for m in step.moves)
    assert step.points == pytest.approx(sum(m.points_to - m.points_from for m in step.moves))
    assert step.effort == 3 * step.delta  # rulebook: an overdue dossier avoided costs 3
    one_less = {"overdue_avoided": step.delta - 1}
    assert engine_total(x, level, one_less, held) < total + 2.5  # the fewest dossiers, exactly


def test_threshold_curve_stops_at_the_threshold(ward):
    x, level, held, _ = ward
    p = plan(x, level, RB, 100, held, locks=only("paid_online_tthc"))
    d = p.deltas["paid_online_tthc"]
    k = RB.indicator_codes.index("ONLINE_PAYMENT_PROCEDURES")
    num, den = x[RB.input_keys.index("tthc_paid_online")], x[RB.input_keys.index("tthc_fee_bearing_distinct")]
    assert num + d < den  # full points before 100%: threshold 80%
    rows = np.zeros((2, len(KEYS)))
    rows[:, KEYS.index("paid_online_tthc")] = (d - 1, d)
    pts = simulate(np.repeat(x[None], 2, axis=0), np.array([3, 3]), RB, rows, np.array([held, held])).points[:, k]
    assert pts[1] == RB.indicator("ONLINE_PAYMENT_PROCEDURES").max and pts[0] < pts[1]


def test_half_up_rounding_is_used_not_assumed_away(ward):
    """6.676 more linked dossiers give 99,88% → 4 × 0,9988 = 3,995 → 4,00 points: the plan stops there."""
    x, level, held, _ = ward
    p = plan(x, level, RB, 100, held, locks=only("personal_store"))
    d = p.deltas["personal_store"]
    den = x[RB.input_keys.index("dossiers_personal_store_base")]
    assert d < den  # the last 8 dossiers add nothing after rounding
    at = engine_total(x, level, {"personal_store": d}, held)
    assert engine_total(x, level, {"personal_store": d - 1}, held) < at
    assert engine_total(x, level, {"personal_store": d}, held) == pytest.approx(p.best_reachable)


def test_zero_denominators_and_level_policy(ward):
    x, level, held, _ = ward
    no_petitions = row_with(x, petitions_received=0, petitions_on_time=0, petitions_satisfied=0)
    p = plan(no_petitions, level, RB, 100, held)
    assert not {"petitions_on_time", "petitions_satisfied", "e_certified_copies"} & set(p.deltas)
    empty = row_with(x, dossiers_e_result_base=0)
    q = plan(empty, level, RB, 100, held)
    assert "e_results" not in q.deltas
    kinds = {c: b.kind for b in q.blocked_by for c in b.indicators}
    assert kinds["ORIGINAL_RESULT_AVAILABLE"] == "zero_denominator"
    assert kinds["PUBLISH_ON_TIME"] == "policy" and kinds["ONLINE_SERVICE_PROVISION"] == "policy"
    assert kinds["ONLINE_SUBMISSION"] == "missing_data"  # not in the portal's commune data: held


def test_held_points_stay_constant(ward):
    x, level, held, _ = ward
    assert held > 0
    p = plan(x, level, RB, 75, held)
    assert p.held == held
    assert engine_total(x, level, p.deltas, held) == pytest.approx(p.final_score)
    assert engine_total(x, level, p.deltas, 0.0) == pytest.approx(p.final_score - held)


def test_province_level_plans_with_its_own_indicators(phu_tho):
    table, base, x = phu_tho
    i = base.position("H44")
    p = plan(x[i], "province", RB, float(base.total[i]) + 5, float(base.held[i]))
    assert p.feasible and engine_total(x[i], "province", p.deltas, float(base.held[i])) >= base.total[i] + 5


def test_levers_sharing_an_indicator_use_the_general_model(ward):
    """A rulebook where two levers feed the same count is not separable: the milp decides alone."""
    raw = tomllib.loads((RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8"))
    raw["levers"].append(
        {"key": "e_results_batch", "name_vi": "Cấp kết quả điện tử theo lô", "unit_vi": "hồ sơ",
         "moves": ["dossiers_e_result"], "effort": 0.5}
    )
    rb2 = parse_rulebook(raw, RULEBOOK_DIR / "portal-2026.toml")
    x, level, held, total = ward
    target = total + 0.9
    keep = ("e_results", "e_results_batch", "digitised")
    locks = tuple(lv.key for lv in rb2.levers if lv.key not in keep)
    p = plan(x, level, rb2, target, held, locks=locks, caps={"e_results_batch": 100})
    assert p.feasible and p.optimal
    keys = [lv.key for lv in rb2.levers]
    d = np.array([[float(p.deltas.get(k, 0)) for k in keys]])
    assert simulate(x[None], np.array([3]), rb2, d, np.array([held])).total[0] >= target
    assert p.deltas.get("e_results_batch", 0) <= 100


def test_levers_that_move_a_denominator_are_refused(ward):
    raw = tomllib.loads((RULEBOOK_DIR / "portal-2026.toml").read_text(encoding="utf-8"))
    raw["levers"].append({"key": "bad", "name_vi": "x", "unit_vi": "x", "moves": ["dossiers_on_time"]})
    raw["indicators"][0]["denominator"] = "dossiers_on_time"
    rb2 = parse_rulebook(raw, RULEBOOK_DIR / "portal-2026.toml")
    x, level, held, _ = ward
    with pytest.raises(RulebookError):
        plan(x, level, rb2, 70, held)


# ---------------------------------------------------------------- presets, ranks, many units


def test_target_presets(phu_tho):
    table, base, x = phu_tho
    presets = {p.key: p for p in target_presets(base, WARD)}
    assert presets[NEXT_BAND].value == 70
    communes = base.total[base.level == LEVELS.index("commune")]
    st = cohort_stats(communes)
    assert st.median <= presets[MEDIAN].value < st.median + 0.01
    assert st.p75 <= presets[P75].value < st.p75 + 0.01
    over = presets[OVERTAKE]
    ahead = base.total[base.position(over.unit_code)]
    assert over.value == pytest.approx(ahead + 0.01)
    p = plan_unit(table, base, WARD, over.value, alternatives=False)
    assert p.rank_after < p.rank_before and p.cohort_size == len(communes)


def test_plan_many_with_progress_and_summary(phu_tho):
    table, base, x = phu_tho
    codes = list(base.codes[base.level == LEVELS.index("commune")][:6])
    calls = []
    plans = plan_table(table, base, 65, codes=codes, progress=lambda done, n: calls.append((done, n)))
    assert calls == [(n, 6) for n in range(1, 7)]
    for p in plans:
        i = base.position(p.unit_code)
        assert (not p.steps) == (base.total[i] >= 65)  # everyone to at least 65: above already → nothing
        if p.feasible:
            assert engine_total(x[i], p.level, p.deltas, float(base.held[i])) >= 65
    df = summary_frame(plans)
    assert list(df["unit_code"]) == codes and df["levers_changed"].tolist() == [p.levers_changed for p in plans]
    rows = np.array([base.position(c) for c in codes])
    same = plan_many(x[rows], base.level[rows], RB, 65, base.held[rows], codes)
    assert [p.deltas for p in same] == [p.deltas for p in plans]


# ---------------------------------------------------------------- CLI and stray solver output


def test_cli_plan_json(capsys):
    assert main(["plan", str(DATA), "--unit", WARD, "--target", "70"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["unit"] == WARD and out["target"] == 70 and out["feasible"] is True
    assert out["final_score"] >= 70 and out["baseline"] == 53.27
    assert {"lever", "from", "to", "points"} <= set(out["steps"][0])
    assert out["blocked_by"] == []


def test_cli_plan_unreachable_preset_locks_caps_text(capsys):
    args = ["plan", str(DATA), "--unit", WARD, "--target", "99", "--lock", "e_results", "--cap", "digitised=10"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["feasible"] is False and out["final_score"] == out["best_reachable"] < 99
    assert {"locked", "cap", "policy"} <= {b["kind"] for b in out["blocked_by"]}
    assert main(["plan", str(DATA), "--unit", WARD, "--target", "next_band", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "mục tiêu 70" in text and "Xếp hạng trong nhóm" in text
    assert main(["plan", str(DATA), "--unit", WARD, "--target", "bảy mươi"]) == 2
    assert main(["plan", str(DATA), "--unit", WARD, "--target", "70", "--cap", "digitised"]) == 2


def test_cli_stdout_is_pure_json_in_a_real_process():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "chiso", "plan", str(DATA), "--unit", WARD, "--target", "80", "--objective", "effort"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["objective"] == "effort"


def test_quiet_stdout_fd_swallows_writes_to_fd_1(capfd):
    with quiet_stdout_fd():
        os.write(1, b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n")
    print("after")
    assert capfd.readouterr().out == "after\n"


def test_a_solver_answer_that_misses_is_never_returned(ward, monkeypatch):
    """If the model over-promised (here: a solver that always answers "do nothing"), the engine
    re-check catches it, the model is tightened, and the monotone repair still reaches the target."""
    import chiso.plan.solver as planner_module
    from chiso.plan.model import Solution

    calls = []

    def lazy(pb, objective):
        calls.append(objective)
        return Solution(np.zeros(pb.n_levers, dtype=np.int64), True)

    monkeypatch.setattr(planner_module, "best", lazy)
    x, level, held, _ = ward
    p = plan(x, level, RB, 66, held, alternatives=False)
    assert len(calls) == 4  # solved, missed, tightened and re-solved, then repaired
    assert p.feasible and not p.optimal
    assert engine_total(x, level, p.deltas, held) >= 66 and p.final_score >= 66
