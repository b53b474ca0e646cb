"""A unit across stored periods: totals, groups and rank per period, what changed and why, and how a
saved plan fared in a later period. Pure functions over UnitTables and the rulebook (the workspace
and the CLI fetch the tables; nothing here touches a database).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from chiso.calibration import baseline, published_total
from chiso.cohort import competition_rank
from chiso.engine import Scores, input_matrix
from chiso.explain import held_groups
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_percent
from chiso.rulebook import LEVELS, Indicator, Rulebook
from chiso.units import UnitTable


@dataclass(frozen=True)
class PeriodScore:
    """One unit in one stored period (the JSON of ``python -m chiso history``)."""

    period: str
    rulebook: str
    unit_code: str
    unit_name: str
    level: str
    total: float  # recomputed + held, as score's TOTAL row
    official_total: float | None
    held: float
    groups: dict[str, float | None]  # None (JSON null): no data in the group, its points held, never 0
    rank: int
    cohort_size: int
    synthetic: bool
    source: str

    def to_dict(self) -> dict:
        return asdict(self)


def _clean(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def period_score(table: UnitTable, rb: Rulebook, code: str, scores: Scores | None = None) -> PeriodScore:
    """The unit's total, groups and rank among the units of its level in this table."""
    s = scores if scores is not None else baseline(table, rb)
    i = s.position(code)
    ranks = competition_rank(s.total, s.level)
    row = table.frame.iloc[i]
    return PeriodScore(
        period=str(row["period"]),
        rulebook=rb.id,
        unit_code=code,
        unit_name=str(row["unit_name"]),
        level=LEVELS[int(s.level[i])],
        total=float(s.total[i]),
        official_total=_clean(published_total(table.frame)[i]),
        held=float(s.held[i]),
        groups={g: None if empty else float(v) for g, v, empty in zip(rb.group_codes, s.group_points[i], held_groups(s)[i])},
        rank=int(ranks[i]),
        cohort_size=int(np.sum(s.level == s.level[i])),
        synthetic=bool(table.synthetic),
        source=table.source,
    )


def unit_history(periods: list[tuple[UnitTable, Rulebook]], code: str) -> list[PeriodScore]:
    """One entry per period, ordered by period; when a period is stored twice the later one in the list wins."""
    by_period: dict[str, PeriodScore] = {}
    for table, rb in periods:
        if (table.frame["unit_code"] == code).any():
            ps = period_score(table, rb, code)
            by_period[ps.period] = ps
    return [by_period[p] for p in sorted(by_period)]


# ---------------------------------------------------------------- what changed since the previous period


@dataclass(frozen=True)
class IndicatorChange:
    indicator: str
    name_vi: str
    group: str
    points_before: float | None
    points_after: float | None
    delta: float | None
    rate_before: float | None
    rate_after: float | None
    reason_vi: str


def indicator_changes(prev: UnitTable, cur: UnitTable, rb: Rulebook, code: str) -> list[IndicatorChange]:
    """Every indicator of the unit whose points or counts differ between two periods, with a reason."""
    a, b = baseline(prev, rb), baseline(cur, rb)
    i, j = a.position(code), b.position(code)
    out = []
    for k, ind in enumerate(rb.indicators):
        before, after = _clean(a.points[i, k]), _clean(b.points[j, k])
        counts = (a.numerator[i, k], a.denominator[i, k], b.numerator[j, k], b.denominator[j, k])
        if (before == after and _same_counts(counts)) or (before is None and after is None):
            continue  # unchanged, or not computable in either period (held points)
        delta = None if before is None or after is None else round(after - before, 2)
        out.append(
            IndicatorChange(
                ind.code, ind.name_vi, ind.group, before, after, delta,
                _clean(a.rate[i, k]), _clean(b.rate[j, k]), _reason_vi(ind, rb, delta, counts, before, after),
            )
        )
    return sorted(out, key=lambda c: (c.delta is None, c.delta or 0.0))


def _same_counts(c: tuple[float, ...]) -> bool:
    n0, d0, n1, d1 = c
    return _eq(n0, n1) and _eq(d0, d1)


def _eq(x: float, y: float) -> bool:
    return (math.isnan(x) and math.isnan(y)) or x == y


def _shortfall_name(ind: Indicator, rb: Rulebook) -> str:
    """What "denominator − numerator" is called: the lever's word (hồ sơ quá hạn) or a plain phrase."""
    for lv in rb.levers:
        if lv.remaining_vi and ind.numerator in lv.moves:
            return lv.remaining_vi
    return f"trường hợp chưa đạt «{rb.input(ind.numerator).name_vi}»"


def _reason_vi(ind: Indicator, rb: Rulebook, delta, counts, before, after) -> str:
    n0, d0, n1, d1 = counts
    if before is None or after is None:
        return "kỳ trước không có số liệu để so sánh" if before is None else "kỳ này không có số liệu (điểm giữ nguyên)"
    if any(math.isnan(x) for x in counts):
        return "số liệu thiếu ở một trong hai kỳ"
    verb = "tăng" if delta > 0 else "giảm" if delta < 0 else "không đổi"
    if d1 == 0 or d0 == 0:
        return f"điểm {verb}: mẫu số «{rb.input(ind.denominator).name_vi}» {'bằng 0 kỳ này' if d1 == 0 else 'kỳ trước bằng 0'}"
    short = (d1 - n1) - (d0 - n0)
    what = _shortfall_name(ind, rb)
    if delta == 0:
        return f"điểm không đổi (tỷ lệ {fmt_percent(n0 / d0)} → {fmt_percent(n1 / d1)})"
    if short > 0 and delta < 0:
        head = f"điểm giảm vì {fmt_number(short, 2)} {what} mới"
    elif short < 0 and delta > 0:
        head = f"điểm tăng vì bớt {fmt_number(-short, 2)} {what}"
    else:
        head = f"điểm {verb} vì tỷ lệ {'tăng' if n1 / d1 > n0 / d0 else 'giảm'}"
    return (
        f"{head} (tỷ lệ {fmt_percent(n0 / d0)} → {fmt_percent(n1 / d1)}; "
        f"{fmt_number(n1, 2)}/{fmt_number(d1, 2)} so với {fmt_number(n0, 2)}/{fmt_number(d0, 2)}; {fmt_delta(delta)} điểm)"
    )


# ---------------------------------------------------------------- a saved plan against a later period


@dataclass(frozen=True)
class StepProgress:
    lever: str
    name_vi: str
    indicator: str | None
    rate_target: float | None  # the rate the step promised (its main indicator)
    rate_now: float | None  # the rate in the later period
    count_target: float | None
    count_now: float | None
    reached: bool
    remaining: float  # how many more (in the later period's counts) to reach the step's rate; 0 when reached
    text_vi: str


@dataclass(frozen=True)
class PlanProgress:
    name: str
    period: str
    target: float
    total_now: float
    steps: tuple[StepProgress, ...]

    @property
    def reached_steps(self) -> int:
        return sum(s.reached for s in self.steps)

    @property
    def summary_vi(self) -> str:
        goal = "đã đạt" if self.total_now >= self.target - 1e-9 else "chưa đạt"
        return (
            f"Kế hoạch «{self.name}»: đạt {self.reached_steps}/{len(self.steps)} bước; kỳ {self.period} "
            f"{fmt_number(self.total_now, 2)} điểm, {goal} mục tiêu {fmt_number(self.target, 2)}."
        )


def plan_progress(name: str, plan: dict, later: UnitTable, rb: Rulebook) -> PlanProgress:
    """Hold a saved plan (``Plan.to_dict()``) against a later period of the same unit."""
    code = str(plan["unit"])
    s = baseline(later, rb)
    i = s.position(code)
    pos = {k: n for n, k in enumerate(rb.input_keys)}
    x = input_matrix(later.frame.iloc[[i]], rb)[0]  # the unit's counts as the engine reads them
    codes = rb.indicator_codes
    steps = []
    for st in plan.get("steps", []):
        lever = rb.lever(st["lever"])
        k = codes.index(st["indicator"]) if st.get("indicator") in codes else None
        count_now = _clean(float(x[pos[lever.moves[0]]]))
        steps.append(_step_progress(st, lever.name_vi, k, s, i, count_now))
    period = str(later.frame["period"].iloc[i])
    return PlanProgress(name, period, float(plan["target"]), float(s.total[i]), tuple(steps))


_RATE_JSON_TOL = 5e-7  # Plan.to_dict rounds rates to 6 decimals: 2/3 is stored as 0,666667


def _step_progress(st: dict, name_vi: str, k: int | None, s: Scores, i: int, count_now: float | None) -> StepProgress:
    rate_target = st.get("rate_to")
    if k is not None and rate_target is not None:
        rate_now = _clean(s.rate[i, k])
        num, den = s.numerator[i, k], s.denominator[i, k]
        goal = rate_target - _RATE_JSON_TOL
        reached = rate_now is not None and rate_now >= goal
        remaining = 0.0 if reached or math.isnan(den) else max(0.0, math.ceil(goal * den - num))
        text = f"{name_vi}: mục tiêu {fmt_percent(rate_target)}, thực tế {fmt_percent(rate_now)}"
    else:  # no rate (a lever without a scored indicator): compare the count itself
        rate_now = None
        target = float(st.get("to") or 0.0)
        reached = count_now is not None and count_now >= target
        remaining = 0.0 if reached or count_now is None else target - count_now
        text = f"{name_vi}: mục tiêu {fmt_number(target, 2)}, thực tế {fmt_number(count_now, 2)}"
    text += " — đạt" if reached else f" — còn thiếu {fmt_int(remaining)}"
    return StepProgress(
        st["lever"], name_vi, st.get("indicator"), rate_target, rate_now,
        st.get("to"), count_now, bool(reached), float(remaining), text,
    )


# ---------------------------------------------------------------- every unit against the previous period


def total_changes(prev: UnitTable, cur_base: Scores, rb: Rulebook) -> np.ndarray:
    """For each unit of ``cur_base`` (in its order): total now − total in ``prev`` (recomputed + held,
    both under ``rb``); NaN for a unit the previous period does not have."""
    before = baseline(prev, rb)
    where = dict(zip(before.codes, before.total))
    then = np.array([where.get(c, np.nan) for c in cur_base.codes], dtype=float)
    return np.round(cur_base.total - then, 2)
