"""Target planner: the fewest levers, then the least effort, that bring a unit to a target score.

``plan`` builds the exact integer model of one unit (chiso.plan.model), solves it with scipy's milp
(HiGHS) and re-scores every answer with the engine (``scenario.simulate``): a plan is returned only
once the engine says it reaches the target after rounding. Whether a target is reachable at all is
decided by the engine too: every allowed lever at its bound is the best any plan can do, because
points never fall when a numerator rises. Unreachable targets get the plan to the best reachable
score and the list of what blocks the rest (policy, missing data, locks, caps, room).

Streamlit-free: pages call ``plan`` / ``plan_unit`` / ``plan_many`` and show ``Plan`` as it is.
"""
from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from chiso.cohort import rank_among
from chiso.engine import Scores, input_matrix, score_matrix
from chiso.errors import DataError, RulebookError
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_percent, fmt_points
from chiso.lever_text import as_counted
from chiso.plan.model import Problem, Solution, best, cents, half, need_cents
from chiso.rulebook import LEVELS, Lever, Rulebook, effort_problem
from chiso.scenario import LeverBounds, LeverRoom, Scenario, count_after, lever_bounds, move_matrix
from chiso.units import UnitTable

OBJECTIVES = ("levers", "effort")
SUMMARY_KEYS = ("unit_code", "level", "baseline", "target", "feasible", "final_score", "best_reachable", "levers_changed",
                "effort", "rank_before", "rank_after", "plan_vi", "blocked_vi")
OBJECTIVE_VI = {"levers": "Ít yếu tố cải thiện nhất", "effort": "Ít công sức nhất"}
_MAX_TIGHTEN = 4  # re-solves after an engine re-check miss before the monotone repair


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class IndicatorMove:
    """How one indicator moves in a step."""

    indicator: str
    name_vi: str
    rate_from: float
    rate_to: float
    points_from: float
    points_to: float


@dataclass(frozen=True)
class Step:
    """One action of a plan: raise one lever from ``count_from`` to ``count_to``."""

    lever: str
    name_vi: str
    unit_vi: str
    count_from: float
    count_to: float
    delta: int
    effort: float
    points: float  # total points this step adds (after the steps listed before it)
    moves: tuple[IndicatorMove, ...]
    instruction_vi: str
    remaining_vi: str = ""  # the lever is counted by what is left (overdue dossiers): see ``counted``
    denominator: float = float("nan")

    @property
    def main(self) -> IndicatorMove | None:
        return self.moves[0] if self.moves else None

    def counted(self) -> tuple[str, float, float, float]:
        """(unit, before, change, after) as users count: overdue dossiers left, not the on-time count."""
        return as_counted(self.unit_vi, self.remaining_vi, self.denominator, self.count_from, self.count_to)

    def to_dict(self) -> dict:
        main = self.main
        return {
            "lever": self.lever,
            "name": self.name_vi,
            "from": _num(self.count_from),
            "to": _num(self.count_to),
            "delta": self.delta,
            "effort": _num(self.effort),
            "points": _num(self.points),
            "indicator": main.indicator if main else None,
            "rate_from": _num(main.rate_from) if main else None,
            "rate_to": _num(main.rate_to) if main else None,
            "indicators": [
                {
                    "indicator": m.indicator,
                    "rate_from": _num(m.rate_from),
                    "rate_to": _num(m.rate_to),
                    "points_from": _num(m.points_from),
                    "points_to": _num(m.points_to),
                }
                for m in self.moves
            ],
            "instruction": self.instruction_vi,
        }


@dataclass(frozen=True)
class Blocker:
    """Why points stay out of reach: ``kind`` is policy, missing_data, zero_denominator, no_lever,
    locked, cap or room (a lever moving several counts stops at the tightest denominator)."""

    kind: str
    indicators: tuple[str, ...]
    points_lost: float  # points still lost with every allowed lever at its bound
    message_vi: str
    levers: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "indicators": list(self.indicators),
            "levers": list(self.levers),
            "points_lost": _num(self.points_lost),
            "message": self.message_vi,
        }


@dataclass(frozen=True)
class Plan:
    """A verified improvement plan for one unit (Kế hoạch cải thiện)."""

    unit_code: str
    rulebook: str
    level: str
    objective: str
    target: float
    baseline: float  # Điểm hiện tại: recomputed total with held points
    held: float
    final_score: float  # engine total after the plan
    feasible: bool  # the target is reachable (and final_score ≥ target)
    best_reachable: float  # Điểm cao nhất có thể đạt with the given locks and caps
    deltas: dict[str, int]  # lever key → increase, only levers that move
    steps: tuple[Step, ...]
    effort: float
    optimal: bool  # proven optimal by HiGHS (False only after a time limit or the repair fallback)
    blocked_by: tuple[Blocker, ...] = ()
    alternative: "Plan | None" = None  # the other objective's plan when it differs
    rank_before: int | None = None
    rank_after: int | None = None
    cohort_size: int | None = None
    solve_ms: float = 0.0

    @property
    def levers_changed(self) -> int:
        return len(self.steps)

    @property
    def already_reached(self) -> bool:
        return self.feasible and not self.steps

    @property
    def message_vi(self) -> str:
        target = fmt_number(self.target, 2)
        if self.already_reached:
            return f"Đã đạt mục tiêu {target} điểm: không cần thay đổi."
        if self.feasible:
            return (
                f"Đạt mục tiêu {target} điểm với {self.levers_changed} yếu tố cải thiện, "
                f"điểm sau kế hoạch {fmt_number(self.final_score, 2)}."
            )
        return (
            f"Không thể đạt {target} điểm. Điểm cao nhất có thể đạt: {fmt_number(self.best_reachable, 2)}"
            + (" (kế hoạch dưới đây đạt mức này)." if self.steps else ".")
        )

    def summary(self) -> dict[str, object]:
        """The plan's summary row, raw values (``SUMMARY_KEYS``): what every summary table and sheet reads."""
        return {
            "unit_code": self.unit_code, "level": self.level, "baseline": self.baseline, "target": self.target,
            "feasible": self.feasible, "final_score": self.final_score, "best_reachable": self.best_reachable,
            "levers_changed": self.levers_changed, "effort": self.effort, "rank_before": self.rank_before,
            "rank_after": self.rank_after, "plan_vi": "; ".join(s.instruction_vi for s in self.steps),
            "blocked_vi": "; ".join(b.message_vi for b in self.blocked_by),
        }

    def to_scenario(self, name: str | None = None, period: str = "") -> Scenario:
        """The plan as a what-if scenario (Áp dụng vào mô phỏng)."""
        # an unreachable target is not what the plan reaches: name the score it does reach
        reached = f"đạt {fmt_number(self.target, 2)}" if self.feasible else f"tối đa {fmt_points(self.final_score)}"
        label = name or f"Kế hoạch {reached} điểm"
        return Scenario(label, self.rulebook, self.unit_code, period, dict(self.deltas))

    def to_dict(self) -> dict:
        return {
            "unit": self.unit_code,
            "rulebook": self.rulebook,
            "level": self.level,
            "objective": self.objective,
            "baseline": _num(self.baseline),
            "held": _num(self.held),
            "target": _num(self.target),
            "feasible": self.feasible,
            "final_score": _num(self.final_score),
            "best_reachable": _num(self.best_reachable),
            "levers_changed": self.levers_changed,
            "effort": _num(self.effort),
            "optimal": self.optimal,
            "rank_before": self.rank_before,
            "rank_after": self.rank_after,
            "cohort_size": self.cohort_size,
            "message": self.message_vi,
            "steps": [s.to_dict() for s in self.steps],
            "blocked_by": [b.to_dict() for b in self.blocked_by],
            "alternative": self.alternative.to_dict() if self.alternative else None,
        }

    def to_text(self) -> str:
        """Plain Vietnamese text for the terminal."""
        lines = [
            f"Đơn vị: {self.unit_code} — Điểm hiện tại {fmt_number(self.baseline, 2)}, "
            f"mục tiêu {fmt_number(self.target, 2)} ({OBJECTIVE_VI[self.objective].lower()})",
            self.message_vi,
        ]
        lines += [f"  {n}. {s.instruction_vi}" for n, s in enumerate(self.steps, start=1)]
        if self.steps:
            lines.append(f"Công sức: {fmt_number(self.effort, 2)}")
        if self.rank_before is not None:
            lines.append(f"Xếp hạng trong nhóm: {self.rank_before} → {self.rank_after} / {self.cohort_size}")
        if self.blocked_by:
            lines.append("Nguyên nhân không thể đạt:")
            lines += [f"  - {b.message_vi}" for b in self.blocked_by]
        if self.alternative:
            alt = self.alternative
            lines.append(
                f"Phương án khác ({OBJECTIVE_VI[alt.objective].lower()}): {alt.levers_changed} yếu tố, "
                f"công sức {fmt_number(alt.effort, 2)}"
            )
            lines += [f"  {n}. {s.instruction_vi}" for n, s in enumerate(alt.steps, start=1)]
        return "\n".join(lines)


def _num(x: float | None) -> float | None:
    """JSON-friendly number: None for NaN, ints stay ints."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    x = float(x)
    return int(x) if x == int(x) and abs(x) < 1e15 else round(x, 6)


# ---------------------------------------------------------------- one unit


@dataclass
class _Unit:
    """Everything the planner needs about one unit, computed once."""

    rb: Rulebook
    x: np.ndarray  # (I,) fallback-resolved counts
    level: str
    held: float
    rooms: list[LeverRoom]
    upper: np.ndarray  # (L,) largest delta per lever after locks and caps
    weight: np.ndarray  # (L,) effort per step
    bounds: LeverBounds  # (1, L): the last whole step may be partial, clamped to the exact room
    moves: np.ndarray = field(init=False)  # (L, I)

    def __post_init__(self) -> None:
        self.moves = move_matrix(self.rb)

    def scores(self, deltas: np.ndarray) -> Scores:
        """Engine scores of the unit after each row of ``deltas`` (R, L), clamped as the simulator does."""
        d = self.bounds.clamp(deltas)
        xs = self.x[None, :] + d @ self.moves
        lv = np.full(len(d), LEVELS.index(self.level))
        return score_matrix(xs, lv, self.rb, held=np.full(len(d), self.held))

    def total(self, deltas: np.ndarray) -> float:
        return float(self.scores(deltas).total[0])


def plan(
    x_row: np.ndarray,
    level: str,
    rb: Rulebook,
    target: float,
    held: float = 0.0,
    objective: str = "levers",
    caps: Mapping[str, float] | None = None,
    locks: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    unit_code: str = "",
    alternatives: bool = True,
) -> Plan:
    """Plan for one unit: ``x_row`` its fallback-resolved counts (``engine.input_matrix`` row).

    objective ``"levers"``: fewest levers, then least effort; ``"effort"``: least effort.
    ``caps`` {lever: most extra steps}, ``locks`` levers that must not change, ``weights``
    {lever: effort per step} overriding ``Lever.effort``. With ``alternatives`` the other objective's
    plan is attached when it differs.
    """
    started = time.perf_counter()
    target = _check_target(target)
    if objective not in OBJECTIVES:
        raise DataError(f"Mục tiêu tối ưu «{objective}» không hợp lệ; dùng một trong: {', '.join(OBJECTIVES)}.")
    unit = _unit(np.asarray(x_row, dtype=float), level, rb, float(held), caps, locks, weights)
    zero = np.zeros(len(rb.levers))
    baseline = unit.total(zero)
    best_scores = unit.scores(unit.upper)
    best = float(best_scores.total[0])
    feasible = cents(best) >= need_cents(target)
    goal = target if feasible else best
    solutions = _solve_both(unit, goal, objective, alternatives)
    plans = [
        _build(unit, sol, goal, target, obj, feasible, baseline, best, unit_code, opt)
        for obj, (sol, opt) in solutions
    ]
    main, alt = plans[0], (plans[1] if len(plans) > 1 and _better_other(plans[0], plans[1]) else None)
    blocked = () if feasible else _blockers(unit, best_scores, locks, caps)
    elapsed = (time.perf_counter() - started) * 1000.0
    return replace(main, blocked_by=blocked, alternative=alt, solve_ms=elapsed)


def _better_other(main: Plan, other: Plan) -> bool:
    """The other objective's plan is worth showing only when it wins on its own criterion."""
    if main.objective == "levers":
        return other.effort < main.effort - 1e-9
    return other.levers_changed < main.levers_changed


def _check_target(target: float) -> float:
    try:
        value = float(target)
    except (TypeError, ValueError):
        raise DataError(f"Mục tiêu «{target}» không phải là số.") from None
    if math.isnan(value) or not 0 <= value <= 100:
        raise DataError(f"Mục tiêu phải là số điểm từ 0 đến 100, đang là «{target}».")
    return value


def _unit(x, level, rb, held, caps, locks, weights) -> _Unit:
    if level not in LEVELS:
        raise DataError(f"Cấp đơn vị «{level}» không hợp lệ; dùng một trong: {', '.join(LEVELS)}.")
    keys = [lv.key for lv in rb.levers]
    caps, weights, locks = dict(caps or {}), dict(weights or {}), set(locks)
    for name, given in (("giới hạn", caps), ("trọng số công sức", weights), ("khóa", locks)):
        unknown = sorted(set(given) - set(keys))
        if unknown:
            raise DataError(f"Yếu tố cải thiện «{unknown[0]}» ({name}) không có trong bộ quy tắc «{rb.id}».")
    for key, val in [*caps.items(), *weights.items()]:  # a cap and a weight may name the same lever
        if not isinstance(val, (int, float)) or isinstance(val, bool):
            raise DataError(f"Giá trị của «{key}» phải là số, đang là {val!r}.")
    for key, val in caps.items():
        if math.isnan(val) or val < 0:
            raise DataError(f"Giới hạn tăng thêm của «{key}» phải là số không âm, đang là {val!r}.")
    for key, val in weights.items():
        problem = effort_problem(float(val))
        if problem:
            raise DataError(f"Công sức mỗi bước của «{key}» {problem}.")
    _check_linear_levers(rb)
    bounds = lever_bounds(x[None, :], np.array([LEVELS.index(level)]), rb)
    rooms = bounds.rooms(0, rb)
    upper = np.array(
        [
            # whole steps; the last may be partial (a derived count's room is fractional), clamped in scores()
            math.floor(min(r.steps_up, caps.get(r.lever.key, math.inf)))
            if r.movable and r.lever.key not in locks else 0.0
            for r in rooms
        ]
    )
    weight = np.array([float(weights.get(lv.key, lv.effort)) for lv in rb.levers])
    return _Unit(rb, x, level, held, rooms, upper, weight, bounds)


def _check_linear_levers(rb: Rulebook) -> None:
    """The model needs levers to move numerators only (every shipped rulebook does)."""
    dens = {ind.denominator for ind in rb.indicators}
    for lv in rb.levers:
        if dens & set(lv.moves):
            raise RulebookError(
                f"Yếu tố «{lv.key}» làm thay đổi mẫu số; bộ lập kế hoạch chưa hỗ trợ trường hợp này."
            )


# ---------------------------------------------------------------- solving with engine re-checks


def _problem(unit: _Unit, goal: float) -> tuple[Problem, np.ndarray]:
    """The exact model for reaching ``goal``; also returns the positions of its levers."""
    rb, c = unit.rb, unit.rb.compiled
    zero = np.zeros(len(rb.levers))
    now, top = unit.scores(zero), unit.scores(unit.upper)
    p0, p1 = np.nan_to_num(now.points[0]), np.nan_to_num(top.points[0])
    num, den = now.numerator[0], now.denominator[0]
    responds = np.array([ind.movable_at(unit.level) for ind in rb.indicators]) & (p1 > p0) & (den > 0)
    feed_all = unit.moves[:, c.num_idx].T  # (K, L)
    active = (unit.upper > 0) & (feed_all[responds].sum(axis=0) > 0)
    ks, js = np.flatnonzero(responds), np.flatnonzero(active)
    slope = 100.0 * c.max[ks] / (den[ks] * c.threshold[ks])
    held_cents = 100.0 * unit.held
    # total cents = floor(Σ cents_k + 100·held + 1/2): the round-half-up of the held points sum
    need_total = math.ceil(need_cents(goal) - held_cents - 0.5 - 1e-9)
    pb = Problem(
        levers=js,
        upper=unit.upper[js],
        weight=unit.weight[js],
        indicators=ks,
        feed=feed_all[np.ix_(ks, js)],
        slope=slope,
        intercept=slope * num[ks] + half(),
        p_lo=cents(p0[ks]).astype(float),
        p_hi=cents(p1[ks]).astype(float),
        need=int(need_total - cents(p0[~responds]).sum()),
    )
    return pb, js


def _solve_both(unit: _Unit, goal: float, objective: str, alternatives: bool) -> list:
    """[(objective, (deltas, optimal))] for the main objective, then the other one if asked."""
    pb, js = _problem(unit, goal)
    order = [objective] + ([o for o in OBJECTIVES if o != objective] if alternatives else [])
    return [(obj, _checked(unit, pb, js, goal, obj)) for obj in order]


def _checked(unit: _Unit, pb: Problem, js: np.ndarray, goal: float, objective: str) -> tuple[np.ndarray, bool]:
    """Solve, re-score with the engine, tighten the rows that over-promised, repeat; else repair."""
    need = need_cents(goal)
    full = np.zeros(len(unit.rb.levers))
    for _ in range(_MAX_TIGHTEN):
        sol = best(pb, objective)
        if sol is None:
            break
        full = np.zeros(len(unit.rb.levers))
        full[js] = sol.deltas
        got = unit.scores(full)
        if cents(got.total[0]) >= need:
            return full.astype(np.int64), sol.optimal
        pb = pb.tightened(*_overpromised(pb, sol, got))
    return _repair(unit, full, goal).astype(np.int64), False


def _overpromised(pb: Problem, sol: Solution, got: Scores) -> tuple[np.ndarray, float]:
    """Rows whose model bound allows more cents than the engine gives, and a margin to exclude it."""
    m = pb.feed @ sol.deltas
    bound = pb.slope * m + pb.intercept - pb.margin
    engine = cents(np.nan_to_num(got.points[0][pb.indicators]))
    model = np.minimum(np.floor(bound + 1e-6), pb.p_hi)
    rows = np.flatnonzero(model > engine)
    if not len(rows):
        rows = np.arange(len(pb.indicators))
    slack = bound[rows] - engine[rows] - 1
    return rows, float(max(1e-6, np.max(slack) + 1e-6))


def _repair(unit: _Unit, deltas: np.ndarray, goal: float) -> np.ndarray:
    """Fallback that cannot miss: raise levers one by one (largest gain first) by bisection."""
    need = need_cents(goal)
    d = deltas.astype(float).copy()
    gains = [unit.total(np.where(np.arange(len(d)) == j, unit.upper, d)) for j in range(len(d))]
    for j in np.argsort(gains)[::-1]:
        if cents(unit.total(d)) >= need:
            break
        lo, hi = int(d[j]), int(unit.upper[j])
        trial = d.copy()
        trial[j] = hi
        if cents(unit.total(trial)) < need:
            d = trial
            continue
        while lo < hi:  # points never fall as a count rises: bisection finds the smallest count
            mid = (lo + hi) // 2
            trial[j] = mid
            lo, hi = (lo, mid) if cents(unit.total(trial)) >= need else (mid + 1, hi)
        d[j] = lo
    return d


# ---------------------------------------------------------------- answers people can act on


def _build(unit, sol, goal, target, objective, feasible, baseline, best, code, optimal) -> Plan:
    deltas = np.asarray(sol, dtype=np.int64)
    rb = unit.rb
    steps = _steps(unit, deltas)
    final = unit.total(deltas)
    if cents(final) < need_cents(goal):  # cannot happen: _checked returns re-checked or repaired plans
        raise RuntimeError(f"plan for {code} misses {goal} after the engine re-check")
    return Plan(
        unit_code=str(code),
        rulebook=rb.id,
        level=unit.level,
        objective=objective,
        target=target,
        baseline=baseline,
        held=unit.held,
        final_score=final,
        feasible=bool(feasible),
        best_reachable=best,
        deltas={rb.levers[j].key: int(deltas[j]) for j in np.flatnonzero(deltas)},
        steps=steps,
        effort=float(unit.weight @ deltas),
        optimal=optimal,
    )


def _steps(unit: _Unit, deltas: np.ndarray) -> tuple[Step, ...]:
    """Steps ordered by the points each brings alone; points credited in that order via the engine."""
    used = np.flatnonzero(deltas)
    if not len(used):
        return ()
    eye = np.zeros((len(used), len(deltas)))
    eye[np.arange(len(used)), used] = deltas[used]
    alone = unit.scores(eye).total
    order = used[np.argsort(-alone, kind="stable")]
    cumulative = np.zeros((len(order) + 1, len(deltas)))
    for n, j in enumerate(order, start=1):
        cumulative[n:, j] = deltas[j]
    s = unit.scores(cumulative)
    return tuple(_step(unit, j, int(deltas[j]), s, n) for n, j in enumerate(order, start=1))


def _step(unit: _Unit, j: int, delta: int, s: Scores, n: int) -> Step:
    rb, room = unit.rb, unit.rooms[j]
    lever = rb.levers[j]
    moves = []
    for key in lever.moves:
        for ind in rb.indicators_fed_by(key):
            if not ind.movable_at(unit.level):
                continue
            k = rb.indicator_codes.index(ind.code)
            moves.append(
                IndicatorMove(ind.code, ind.name_vi, float(s.rate[n - 1, k]), float(s.rate[n, k]),
                              float(s.points[n - 1, k]), float(s.points[n, k]))
            )
    points = round(float(s.total[n] - s.total[n - 1]), 2)
    return Step(
        lever=lever.key,
        name_vi=lever.name_vi,
        unit_vi=lever.unit_vi,
        count_from=room.current,
        count_to=count_after(room, delta),
        delta=delta,
        effort=float(unit.weight[j] * delta),
        points=points,
        moves=tuple(moves),
        instruction_vi=instruction_vi(lever, delta, moves, points),
        remaining_vi=lever.remaining_vi,
        denominator=room.denominator,
    )


def instruction_vi(lever: Lever, delta: int, moves: list[IndicatorMove], points: float) -> str:
    """"Cấp thêm 120 kết quả điện tử: từ 2,78% lên 35,6%, +1,93 điểm"."""
    text = f"{_action_vi(lever, delta)}: "
    if moves:
        m = moves[0]
        text += f"từ {fmt_percent(m.rate_from)} lên {fmt_percent(m.rate_to)}, "
    text += f"{fmt_delta(points)} điểm"
    others = [f"«{m.name_vi}» từ {fmt_percent(m.rate_from)} lên {fmt_percent(m.rate_to)}" for m in moves[1:]]
    if others:
        text += f" (đồng thời {'; '.join(others)})"
    return text


def _action_vi(lever: Lever, delta: int) -> str:
    """Put the count inside the lever's verb phrase: "Cấp thêm kết quả điện tử" → "Cấp thêm 120 kết quả điện tử"."""
    name, n = lever.name_vi, fmt_int(delta)
    low = name.lower()
    for word in ("thêm ", "giảm "):
        at = low.find(word)
        if at >= 0:
            cut = at + len(word)
            return f"{name[:cut]}{n} {name[cut:]}"
    return f"{name}: {n} {lever.unit_vi}"


def _blockers(
    unit: _Unit, best: Scores, locks: Iterable[str], caps: Mapping[str, float] | None
) -> tuple[Blocker, ...]:
    """Each indicator still short of its maximum with every allowed lever at its bound, and why.

    Indicators missing from the file are grouped: their points are held from the official score,
    so what they lose is known only as a whole (their maximum minus the held points)."""
    rb = unit.rb
    locks, caps = set(locks), dict(caps or {})
    out, missing = [], []
    for k, ind in enumerate(rb.indicators):
        pts = best.points[0, k]
        if math.isnan(pts) and ind.movable_at(unit.level):
            missing.append(ind)
            continue
        lost = round(ind.max - (0.0 if math.isnan(pts) else pts), 2)
        if lost <= 0:
            continue
        feeders = [j for j, lv in enumerate(rb.levers) if ind.numerator in lv.moves]
        kind, msg = _why(unit, k, feeders, locks, caps, best)
        name = f"«{ind.name_vi}» (còn mất {fmt_number(lost, 2)} điểm)"
        out.append(Blocker(kind, (ind.code,), lost, f"{name}: {msg}", tuple(rb.levers[j].key for j in feeders)))
    if missing:
        out.append(_missing_blocker(unit, missing))
    return tuple(sorted(out, key=lambda b: -b.points_lost))


def _missing_blocker(unit: _Unit, missing: list) -> Blocker:
    top = sum(ind.max for ind in missing)
    lost = round(max(0.0, top - unit.held), 2)
    names = ", ".join(f"«{ind.name_vi}»" for ind in missing)
    msg = (
        f"Thiếu số liệu trong tệp cho {names}: {fmt_number(unit.held, 2)} điểm được giữ nguyên từ điểm chính thức "
        f"(tối đa {fmt_number(top, 2)}); cần nhập số liệu để lập kế hoạch cho các chỉ tiêu này."
    )
    levers = tuple(lv.key for lv in unit.rb.levers if any(ind.numerator in lv.moves for ind in missing))
    return Blocker("missing_data", tuple(ind.code for ind in missing), lost, msg, levers)


def _why(unit: _Unit, k: int, feeders: list[int], locks: set, caps: dict, best: Scores) -> tuple[str, str]:
    rb = unit.rb
    ind = rb.indicators[k]
    policy = ind.policy[unit.level]
    if policy == "inherited":
        return "policy", "chỉ tiêu do cấp tỉnh tính và áp chung, đơn vị không thay đổi được."
    if policy in ("zero", "full"):
        return "policy", "ở cấp này chỉ tiêu không tính theo số liệu của đơn vị."
    if best.denominator[0, k] == 0:
        return "zero_denominator", "mẫu số bằng 0 nên điểm cố định theo quy tắc."
    if not feeders:
        return "no_lever", "không có yếu tố cải thiện nào tác động trực tiếp."
    keys = [rb.levers[j].key for j in feeders]
    if all(key in locks for key in keys):
        return "locked", f"yếu tố {_names(rb, keys)} đang bị khóa (không thay đổi)."
    free = [j for j in feeders if rb.levers[j].key not in locks]
    if not any(unit.rooms[j].movable for j in free):
        reasons = " ".join(dict.fromkeys(unit.rooms[j].reason_vi for j in free if unit.rooms[j].reason_vi))
        return "missing_data", f"yếu tố {_names(rb, keys)} không dùng được. {reasons}".strip()
    capped = [
        rb.levers[j].key for j in free if caps.get(rb.levers[j].key, math.inf) < unit.rooms[j].room
    ]
    if capped:
        limits = ", ".join(f"«{rb.lever(key).name_vi}» tối đa {fmt_int(caps[key])}" for key in capped)
        return "cap", f"đã chạm giới hạn ({limits})."
    return "room", (
        f"yếu tố {_names(rb, keys)} đã hết dư địa: số liệu không thể vượt mẫu số của mọi chỉ tiêu nó tác động."
    )


def _names(rb: Rulebook, keys: list[str]) -> str:
    return ", ".join(f"«{rb.lever(k).name_vi}»" for k in keys)


# ---------------------------------------------------------------- units of a table, many units


def cohort_mask(base: Scores, i: int) -> np.ndarray:
    """Units ranked together with unit ``i``: same level in the same data (Xếp hạng trong nhóm)."""
    return base.level == base.level[i]


def plan_unit(table: UnitTable, base: Scores, code: str, target: float, **kw) -> Plan:
    """Plan for the unit ``code`` of a loaded table (baseline from ``calibration.baseline``), with ranks."""
    i = base.position(code)
    x = input_matrix(table.frame.iloc[[i]], base.rulebook)[0]
    p = plan(x, LEVELS[int(base.level[i])], base.rulebook, target, float(base.held[i]), unit_code=code, **kw)
    return _with_rank(p, base, i)


def _with_rank(p: Plan, base: Scores, i: int) -> Plan:
    mask = cohort_mask(base, i)
    mask[i] = False
    others = base.total[mask]
    alt = _with_rank(p.alternative, base, i) if p.alternative else None
    return replace(
        p,
        rank_before=rank_among(p.baseline, others),
        rank_after=rank_among(p.final_score, others),
        cohort_size=int(mask.sum()) + 1,
        alternative=alt,
    )


def plan_many(
    x: np.ndarray,
    levels: Iterable[str] | np.ndarray,
    rb: Rulebook,
    targets: float | np.ndarray,
    held: np.ndarray | None = None,
    codes: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    **kw,
) -> list[Plan]:
    """One plan per row of ``x`` toward ``targets`` (one number for all, or one per unit).

    "Everyone to at least X" is the same call: units already at X get an empty plan.
    ``progress(done, total)`` is called after each unit (for a progress bar).
    """
    n = len(x)
    lv = [LEVELS[int(v)] if not isinstance(v, str) else v for v in np.asarray(levels, dtype=object)]
    tg = np.broadcast_to(np.asarray(targets, dtype=float), (n,))
    hd = np.zeros(n) if held is None else np.asarray(held, dtype=float)
    cd = [str(c) for c in (codes if codes is not None else range(n))]
    kw.setdefault("alternatives", False)
    out = []
    for i in range(n):
        out.append(plan(x[i], lv[i], rb, float(tg[i]), float(hd[i]), unit_code=cd[i], **kw))
        if progress is not None:
            progress(i + 1, n)
    return out


def plan_table(
    table: UnitTable,
    base: Scores,
    targets: float | np.ndarray,
    codes: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    **kw,
) -> list[Plan]:
    """``plan_many`` over the units of a loaded table (all, or those in ``codes``), with ranks."""
    rows = np.arange(len(base.codes)) if codes is None else np.array([base.position(c) for c in codes])
    x = input_matrix(table.frame, base.rulebook)[rows]
    tg = np.broadcast_to(np.asarray(targets, dtype=float), (len(rows),))
    plans = plan_many(x, base.level[rows], base.rulebook, tg, base.held[rows], base.codes[rows], progress, **kw)
    return [_with_rank(p, base, int(i)) for p, i in zip(plans, rows)]


def summary_frame(plans: list[Plan]) -> pd.DataFrame:
    """One row per plan: the many-units summary table (feasible, levers, effort, scores)."""
    return pd.DataFrame([p.summary() for p in plans], columns=list(SUMMARY_KEYS))


# ---------------------------------------------------------------- HiGHS stray output


@contextmanager
def quiet_stdout_fd():
    """Send file descriptor 1 to /dev/null for the duration (HiGHS sometimes prints a debug line
    straight to fd 1, bypassing sys.stdout: ERGO-Code/HiGHS#2783). For the CLI only: in a threaded
    server this would also silence other threads."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


__all__ = [
    "Blocker",
    "IndicatorMove",
    "OBJECTIVES",
    "SUMMARY_KEYS",
    "Plan",
    "Step",
    "instruction_vi",
    "plan",
    "plan_many",
    "plan_table",
    "plan_unit",
    "quiet_stdout_fd",
    "summary_frame",
]
