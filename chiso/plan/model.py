"""The planner's exact integer model: rounded points as a function of integer lever counts (scipy milp).

Work in hundredths of a point ("cents"). The portal rounds each indicator half-up to 2 decimals and
adds the rounded points, so a unit's total in cents is the sum of integer per-indicator cents plus
the held cents. For indicator k with numerator n, denominator D > 0, threshold t (1 for linear
curves) and maximum M, after m more counts:

    cents_k(m) = min(100·M, floor(a·(n + m) + 1/2))      with a = 100·M / (D·t)

which is what ``engine.score_matrix`` computes (threshold cap, then round half-up, with the same
1e-9 guard on exact halves). ``cents_k`` is a step function of the integer m. The model gives every
indicator that can still move an integer variable p_k with

    p_k ≤ a·(n + Σ_j feed_kj·d_j) + 1/2,      p_lo_k ≤ p_k ≤ p_hi_k

The largest integer p_k this allows is exactly cents_k(m) — the "smallest integer count giving at
least those rounded points" condition, written once per indicator rather than once per step, exact
at every rounding step and at the threshold cap (p_hi_k). The target is the integer row
Σ_k p_k ≥ need. Lever deltas d_j are integers in [0, upper_j]; binaries z_j (d_j ≤ M_j·z_j) count
the levers used.

Speed (without changing the optimum): when every indicator is moved by one lever only ("separable",
true of the shipped rulebooks), each lever has a *curve*: the fewest steps for each number of cents
it can add. Its lower convex hull gives valid cuts d_j ≥ c_e + s_e·(gain_j − g_e) that make the
relaxation as strong as it can be lever by lever, and an exact lower bound on the effort of any set
of levers (greedy over hull segments). The fewest-levers objective then needs no big-M relaxation:
the fewest levers L is read off the sorted lever gains, and the sets of L levers are tried in order
of their bound, each solved exactly (one lever: read off its curve; several: milp), stopping as soon
as no bound can beat the best plan found. Before a milp, the relaxation's own integer plan is tried:
efforts are multiples of the weights' common divisor, so when that plan costs the bound rounded up to
the next multiple it is optimal and HiGHS is not needed; otherwise the milp runs with each lever
narrowed to the steps a better plan could use (Lagrangian reduced-cost fixing). Every answer is
re-scored by the engine in ``chiso.plan.solver``; a row that over-promised is tightened and re-solved.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

_HALF = 0.5 + 1e-9  # the engine's half-up rounding, including its 1e-9 guard on exact halves
TIME_LIMIT_S = 5.0  # per milp call; a unit's model is tiny and solves in milliseconds
MAX_SUBSETS = 300  # beyond this many candidate lever sets, one milp with a lever-count row instead


@dataclass(frozen=True)
class Problem:
    """One unit's planning problem, restricted to the levers and indicators that can still move."""

    levers: np.ndarray  # (J,) positions in rb.levers
    upper: np.ndarray  # (J,) largest delta of each lever (room, caps)
    weight: np.ndarray  # (J,) effort per step
    indicators: np.ndarray  # (K,) positions in rb.indicators
    feed: np.ndarray  # (K, J) counts one step of lever j adds to indicator k's numerator
    slope: np.ndarray  # (K,) a_k: cents per extra count before rounding
    intercept: np.ndarray  # (K,) a_k·n_k + 1/2: the cents bound at delta 0
    p_lo: np.ndarray  # (K,) cents now
    p_hi: np.ndarray  # (K,) cents with every lever at its upper bound
    need: int  # cents the indicators in the model must reach together
    margin: np.ndarray = field(default=None)  # (K,) tightening after an engine re-check miss

    def __post_init__(self) -> None:
        if self.margin is None:
            object.__setattr__(self, "margin", np.zeros(len(self.indicators)))

    @property
    def n_levers(self) -> int:
        return len(self.levers)

    @property
    def deficit(self) -> int:
        """Cents still missing with no lever moved."""
        return int(self.need - self.p_lo.sum())

    @cached_property
    def separable(self) -> bool:
        """Every indicator is moved by one lever only: lever gains add up."""
        return bool(((self.feed > 0).sum(axis=1) <= 1).all())

    @cached_property
    def gains(self) -> np.ndarray:
        """(J,) cents each lever adds on its own at its upper bound (read off its curve when
        gains add up, so that every step of the search uses the same numbers)."""
        if self.separable:
            return np.array([c.top for c in self.curves], dtype=float)
        return (self.p_hi - self.p_lo) @ (self.feed > 0)

    @cached_property
    def curves(self) -> list["Curve"]:
        return [lever_curve(self, j) for j in range(self.n_levers)]

    def tightened(self, rows: np.ndarray, amount: float) -> "Problem":
        """A copy whose indicator rows ``rows`` are stricter by ``amount`` cents."""
        margin = self.margin.copy()
        margin[rows] += amount
        return replace(self, margin=margin)


@dataclass(frozen=True)
class Curve:
    """What one lever does alone: ``count[g]`` = fewest steps adding at least g cents, g = 0..G."""

    count: np.ndarray
    hull: np.ndarray  # gains at the vertices of the lower convex hull of ``count``

    @property
    def top(self) -> int:
        return len(self.count) - 1

    def segments(self, weight: float) -> tuple[np.ndarray, np.ndarray]:
        """(cents, effort) of each hull segment, cheapest per cent first (the hull is convex)."""
        g = self.hull
        return np.diff(g).astype(float), weight * np.diff(self.count[g]).astype(float)


@dataclass(frozen=True)
class Solution:
    deltas: np.ndarray  # (J,) integer deltas
    optimal: bool  # False when HiGHS stopped on the time limit with a feasible answer


# ---------------------------------------------------------------- lever curves (separable problems)


def _row_counts(pb: Problem, k: int, per_step: float) -> np.ndarray:
    """Fewest lever steps giving indicator k each cents value p_lo_k..p_hi_k (per the model row)."""
    ps = np.arange(pb.p_lo[k], pb.p_hi[k] + 1)
    counts = (ps - (pb.intercept[k] - pb.margin[k])) / (pb.slope[k] * per_step)
    return np.maximum(0.0, np.ceil(counts))


def lever_curve(pb: Problem, j: int) -> Curve:
    """Curve of lever j: merge the step points of the indicators it moves, then their hull."""
    rows = np.flatnonzero(pb.feed[:, j] > 0)
    per_row = [_row_counts(pb, k, pb.feed[k, j]) for k in rows]
    cand = np.unique(np.concatenate([[0.0], *per_row]))
    cand = cand[cand <= pb.upper[j]]
    gained = sum(np.searchsorted(m[1:], cand, side="right") for m in per_row)
    top = int(gained[-1]) if len(cand) else 0
    count = cand[np.searchsorted(gained, np.arange(top + 1), side="left")]
    return Curve(count, _lower_hull(count))


def _lower_hull(count: np.ndarray) -> np.ndarray:
    """Vertices of the lower convex hull of points (g, count[g]) by gift wrapping (few vertices)."""
    verts, v, top = [0], 0, len(count) - 1
    while v < top:
        s = (count[v + 1 :] - count[v]) / np.arange(1, top - v + 1)
        v = v + 1 + int(np.flatnonzero(s <= s.min() + 1e-12)[-1])
        verts.append(v)
    return np.array(verts)


@dataclass(frozen=True)
class Relaxation:
    """The levers ``keep`` on their convex hulls (a greedy over hull segments, exact for the LP)."""

    bound: float  # least effort of the relaxation: a lower bound on any plan with these levers
    floor: float  # the bound rounded up to the effort grid: still a lower bound
    plan: np.ndarray  # (J,) integer deltas of a plan that reaches the deficit (hull vertices)
    effort: float  # its effort: an upper bound
    lo: np.ndarray  # (J,) fewest steps any plan cheaper than ``effort`` can give each lever
    hi: np.ndarray  # (J,) most steps such a plan can give each lever

    @property
    def proven(self) -> bool:
        """The first plan already costs the rounded-up bound: it is optimal, no milp needed."""
        return self.effort <= self.floor + 1e-9


def relax(pb: Problem, keep: np.ndarray) -> Relaxation | None:
    """Relaxation, a first plan, and per-lever step windows (Lagrangian reduced-cost fixing).

    With λ the effort per cent of the last hull segment needed, any plan costs at least
    bound + Σ_j [w_j·count_j(g_j) − λ·g_j − r_j] where r_j = min_g (hull cost_j(g) − λ·g); every
    bracket is ≥ 0, so a gain g_j whose own bracket exceeds effort − bound is never in a plan
    better than the first one. None when the levers cannot reach the deficit."""
    deficit, js = pb.deficit, np.flatnonzero(keep)
    parts = [(j, *pb.curves[j].segments(pb.weight[j])) for j in js]
    if deficit <= 0 or not parts:
        return None
    lever = np.concatenate([np.full(len(g), j) for j, g, _ in parts])
    gain = np.concatenate([g for _, g, _ in parts])
    cost = np.concatenate([c for _, _, c in parts])
    order = np.argsort(cost / gain, kind="stable")  # hull slopes rise along a lever: order kept
    lever, gain, cost = lever[order], gain[order], cost[order]
    reach = np.cumsum(gain)
    if not len(reach) or reach[-1] < deficit:
        return None
    last = int(np.searchsorted(reach, deficit, side="left"))
    before = reach[last - 1] if last else 0.0
    bound = float(cost[:last].sum() + cost[last] * (deficit - before) / gain[last])
    lam = cost[last] / gain[last]
    taken = np.zeros(pb.n_levers, dtype=np.int64)
    np.add.at(taken, lever[: last + 1], gain[: last + 1].astype(np.int64))
    j_last = lever[last]  # the lever of the last segment takes only what is still missing
    taken[j_last] = max(0, deficit - (taken.sum() - taken[j_last]))
    plan = np.array([pb.curves[j].count[taken[j]] if keep[j] else 0 for j in range(pb.n_levers)], dtype=np.int64)
    effort = float(pb.weight @ plan)
    excess, dual = {}, lam * deficit
    for j in js:
        c = pb.curves[j]
        e = pb.weight[j] * c.count - lam * np.arange(c.top + 1)
        r = float(e[c.hull].min())  # min over the hull = min over the curve (the hull is below it)
        excess[j], dual = e - r, dual + r
    slack = effort - dual  # dual = λ·deficit + Σ r_j ≤ the effort of any plan with these levers
    lo, hi = np.zeros(pb.n_levers), np.zeros(pb.n_levers)
    for j, e in excess.items():
        ok = np.flatnonzero(e <= slack + 1e-9 * max(1.0, effort))
        lo[j], hi[j] = pb.curves[j].count[ok[0]], pb.curves[j].count[ok[-1]]
    grid = effort_grid(pb.weight[js])
    floor = grid * math.ceil(bound / grid - 1e-9)
    return Relaxation(bound, floor, plan, effort, lo, hi)


# ---------------------------------------------------------------- objectives


def best(pb: Problem, objective: str) -> Solution | None:
    """``levers``: fewest levers, then least effort among them; ``effort``: least effort.
    None when the model finds the target out of reach."""
    if pb.deficit <= 0:
        return Solution(np.zeros(pb.n_levers, dtype=np.int64), True)
    if pb.n_levers == 0 or pb.gains.sum() < pb.deficit:
        return None
    if objective == "effort":
        every = np.ones(pb.n_levers, dtype=bool)
        if not pb.separable:
            return _milp(pb, every, "effort")
        return _solve_relaxed(pb, every, relax(pb, every))
    n = min_levers(pb)
    if n is None:
        return None
    if pb.separable:
        found = _best_sets(pb, n)
        if found is not None:
            return found
    return _milp(pb, useful_with(pb, n), "effort", max_levers=n)


def min_levers(pb: Problem) -> int | None:
    """Fewest levers that can reach the target: the largest gains first when gains add up,
    otherwise a milp on the lever count."""
    if pb.deficit <= 0:
        return 0
    if pb.separable:
        reach = np.cumsum(np.sort(pb.gains)[::-1])
        hit = np.flatnonzero(reach >= pb.deficit)
        return int(hit[0]) + 1 if len(hit) else None
    sol = _milp(pb, np.ones(pb.n_levers, dtype=bool), "levers")
    return None if sol is None else int((sol.deltas > 0).sum())


def useful_with(pb: Problem, n_levers: int) -> np.ndarray:
    """(J,) levers that can belong to a plan of ``n_levers`` levers: with gains adding up, a lever
    whose gain plus the largest other gains still falls short never does."""
    if not pb.separable:
        return np.ones(pb.n_levers, dtype=bool)
    g = pb.gains
    others = np.array([np.sort(np.delete(g, j))[::-1][: n_levers - 1].sum() for j in range(len(g))])
    return (g > 0) & (g + others >= pb.deficit)


def _best_sets(pb: Problem, n: int) -> Solution | None:
    """Least effort over every set of ``n`` levers, best bound first (None: too many sets)."""
    idx = np.flatnonzero(useful_with(pb, n))
    sets = [s for s in itertools.combinations(idx, n) if pb.gains[list(s)].sum() >= pb.deficit]
    if len(sets) > MAX_SUBSETS:
        return None
    masks = []
    for s in sets:
        m = np.zeros(pb.n_levers, dtype=bool)
        m[list(s)] = True
        masks.append(m)
    relaxed = [relax(pb, m) for m in masks]
    bounds = np.array([r.floor if r is not None else math.inf for r in relaxed])
    best_sol, best_effort, optimal = None, math.inf, True
    for i in np.argsort(bounds, kind="stable"):
        if bounds[i] >= best_effort - 1e-9:
            break
        sol = _exact_one(pb, masks[i]) if n == 1 else _solve_relaxed(pb, masks[i], relaxed[i])
        if sol is None:
            continue
        effort = float(pb.weight @ sol.deltas)
        if effort < best_effort - 1e-9:
            best_sol, best_effort = sol, effort
        optimal = optimal and sol.optimal
    return None if best_sol is None else Solution(best_sol.deltas, optimal)


def _solve_relaxed(pb: Problem, keep: np.ndarray, relaxed: Relaxation | None) -> Solution | None:
    """Least effort with the levers ``keep``: the relaxation's plan when its bound proves it
    optimal, otherwise the milp inside the relaxation's windows."""
    if relaxed is not None and relaxed.proven:
        return Solution(relaxed.plan, True)
    return _milp(pb, keep, "effort", relaxed=relaxed)


def _exact_one(pb: Problem, keep: np.ndarray) -> Solution | None:
    """One lever alone: the fewest steps giving the deficit, read off its curve."""
    j = int(np.flatnonzero(keep)[0])
    curve = pb.curves[j]
    if curve.top < pb.deficit:
        return None
    deltas = np.zeros(pb.n_levers, dtype=np.int64)
    deltas[j] = int(curve.count[pb.deficit])
    return Solution(deltas, True)


# ---------------------------------------------------------------- the milp


def _milp(
    pb: Problem,
    keep: np.ndarray,
    objective: str,
    max_levers: int | None = None,
    relaxed: Relaxation | None = None,
) -> Solution | None:
    """Solve the model with only the levers ``keep`` free.

    Variables [d (J), z (J), p (K)]. ``relaxed`` narrows each lever to the steps a plan no worse
    than the relaxation's first plan can use."""
    j, k = pb.n_levers, len(pb.indicators)
    if objective == "effort":
        c = np.concatenate([pb.weight, np.zeros(j + k)])
    else:
        c = np.concatenate([np.zeros(j), np.ones(j), np.zeros(k)])
    reach = np.where(keep, _reach(pb), 0.0)
    floor = np.zeros(j)
    if relaxed is not None:
        floor, reach = np.minimum(relaxed.lo, reach), np.minimum(relaxed.hi, reach)
    rows = [_curve_rows(pb), _target_row(pb), _link_rows(pb, reach), _gain_rows(pb)]
    if pb.separable:
        rows.append(_hull_rows(pb, keep))
    if max_levers is not None:
        count = np.concatenate([np.zeros(j), np.ones(j), np.zeros(k)])[None, :]
        rows.append(LinearConstraint(csr_array(count), 0, max_levers))
    res = milp(
        c,
        integrality=np.ones(2 * j + k),
        bounds=Bounds(
            np.concatenate([floor, np.zeros(j), pb.p_lo]), np.concatenate([reach, keep.astype(float), pb.p_hi])
        ),
        constraints=rows,
        options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_S},
    )
    if res.x is None:
        return None
    deltas = np.clip(np.round(res.x[:j]), 0, reach).astype(np.int64)
    return Solution(deltas, bool(res.status == 0))


def _reach(pb: Problem) -> np.ndarray:
    """(J,) largest useful delta: beyond its curve's top a lever adds nothing (separable), else room."""
    if not pb.separable:
        return pb.upper.astype(float)
    return np.array([c.count[-1] for c in pb.curves], dtype=float)


def _curve_rows(pb: Problem) -> LinearConstraint:
    """p_k − a_k·Σ_j feed_kj·d_j ≤ a_k·n_k + 1/2 (− margin): points after rounding, per indicator."""
    j, k = pb.n_levers, len(pb.indicators)
    mat = np.hstack([-(pb.slope[:, None] * pb.feed), np.zeros((k, j)), np.eye(k)])
    return LinearConstraint(csr_array(mat), -np.inf, pb.intercept - pb.margin)


def _target_row(pb: Problem) -> LinearConstraint:
    j, k = pb.n_levers, len(pb.indicators)
    row = np.concatenate([np.zeros(2 * j), np.ones(k)])
    return LinearConstraint(csr_array(row[None, :]), pb.need, np.inf)


def _link_rows(pb: Problem, reach: np.ndarray) -> LinearConstraint:
    """d_j ≤ reach_j·z_j: a lever counts as used as soon as it moves."""
    j, k = pb.n_levers, len(pb.indicators)
    mat = np.hstack([np.eye(j), -np.diag(reach), np.zeros((j, k))])
    return LinearConstraint(csr_array(mat), -np.inf, 0.0)


def _gain_rows(pb: Problem) -> LinearConstraint:
    """p_k − p_lo_k ≤ (p_hi_k − p_lo_k)·Σ_{j feeding k} z_j: redundant for integers, but it gives the
    relaxation the knapsack bound on the lever count."""
    j, k = pb.n_levers, len(pb.indicators)
    span = (pb.p_hi - pb.p_lo)[:, None] * (pb.feed > 0)
    mat = np.hstack([np.zeros((k, j)), -span, np.eye(k)])
    return LinearConstraint(csr_array(mat), -np.inf, pb.p_lo)


def _hull_rows(pb: Problem, keep: np.ndarray) -> LinearConstraint:
    """d_j ≥ c_e + s_e·(Σ_{k of j} (p_k − p_lo_k) − g_e) for every hull edge e of lever j's curve."""
    j, k = pb.n_levers, len(pb.indicators)
    rows, rhs = [], []
    for lv in np.flatnonzero(keep):
        curve = pb.curves[lv]
        mine = pb.feed[:, lv] > 0
        base = pb.p_lo[mine].sum()
        g = curve.hull
        for g0, g1 in zip(g[:-1], g[1:]):
            s = (curve.count[g1] - curve.count[g0]) / (g1 - g0)
            row = np.zeros(2 * j + k)
            row[lv] = 1.0
            row[2 * j :][mine] = -s
            rows.append(row)
            rhs.append(curve.count[g0] - s * (g0 + base))
    if not rows:
        return LinearConstraint(csr_array(np.zeros((1, 2 * j + k))), -np.inf, np.inf)
    return LinearConstraint(csr_array(np.array(rows)), np.array(rhs) - 1e-7, np.inf)


# ---------------------------------------------------------------- units


def effort_grid(weights: np.ndarray) -> float:
    """Largest g with every weight a multiple of g (weights read to 6 decimals): the effort of an
    integer plan is a multiple of g, so a lower bound can be rounded up to the next multiple."""
    g = 0
    for w in weights:
        g = math.gcd(g, int(round(float(w) * 1e6)))
    return max(g, 1) / 1e6


def cents(points: np.ndarray | float) -> np.ndarray:
    """Points (2-decimal floats) as integer hundredths."""
    return np.rint(np.asarray(points, dtype=float) * 100.0).astype(np.int64)


def need_cents(target: float) -> int:
    """Smallest integer number of cents at or above ``target`` (70 → 7000; 70.001 → 7001)."""
    return int(math.ceil(round(float(target) * 100.0, 6)))


def half() -> float:
    return _HALF


__all__ = [
    "Curve",
    "Problem",
    "Solution",
    "best",
    "cents",
    "effort_grid",
    "lever_curve",
    "relax",
    "min_levers",
    "need_cents",
    "useful_with",
]
