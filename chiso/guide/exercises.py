"""Exercises for a training session, generated from the rulebook and the loaded units.

Every expected answer is computed (from the rulebook file or by the engine on the unit's counts changed
the way the question says), never typed. A seed makes a set reproducible, so a trainer and the trainees
see the same questions; another seed gives another set.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from chiso.engine import BELOW_THRESHOLD, CAPPED, LINEAR, ZERO_DEN_FULL
from chiso.fmt import fmt_count, fmt_number, fmt_percent, fmt_points, parse_vn_number
from chiso.guide.text import curve_vi, fmt_max
from chiso.guide.calc import Units, indicator_points, lever_room, lever_totals, steps_for_gain
from chiso.guide.examples import (
    PREFERRED_LEVEL,
    count_word,
    example_indicator,
    loss_lever,
    overdue_drops,
    overdue_example,
    petition_example,
    zero_full_denominator,
)
from chiso.rulebook import LEVELS


@dataclass(frozen=True)
class Exercise:
    key: str  # stable identity: kind and what it is about
    kind: str
    question_vi: str
    answer: float
    unit_vi: str  # what the answer counts: "hồ sơ", "điểm", "%"
    decimals: int
    explanation_vi: str
    unit: int | None = None  # index of the unit the question is about

    @property
    def tolerance(self) -> float:
        """Whole counts must be exact; points and percentages to the half of their last decimal."""
        return 1e-9 if self.decimals == 0 else 0.5 * 10.0 ** (-self.decimals) + 1e-9

    def check(self, value: float) -> bool:
        return abs(float(value) - self.answer) <= self.tolerance

    @property
    def answer_vi(self) -> str:
        if self.decimals == 0:
            return f"{fmt_count(self.answer)} {self.unit_vi}"
        if self.unit_vi == "%":
            return f"{fmt_number(self.answer, self.decimals)}%"
        return f"{fmt_number(self.answer, self.decimals)} {self.unit_vi}"


def parse_answer(text: str) -> float | None:
    """A trainee's answer typed the Vietnamese way ("1,25", "1.234") or plainly ("1.25"); None if not a number."""
    try:
        value = parse_vn_number(text)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _pick(
    rng: random.Random, units: Units, candidates: np.ndarray, fits: Callable[[int], bool] | None = None
) -> int | None:
    """A random candidate, a commune when there is one (trainees are mostly commune officials).

    ``fits`` is an extra, costlier condition: candidates are tried in random order until one fits, so
    a national file of thousands of units costs a few engine calls, not one per unit.
    """
    if not len(candidates):
        return None
    pref = candidates[units.base.level[candidates] == LEVELS.index(PREFERRED_LEVEL)]
    others = candidates[units.base.level[candidates] != LEVELS.index(PREFERRED_LEVEL)]
    for pool in (list(pref), list(others)):
        rng.shuffle(pool)
        for i in pool:
            if fits is None or fits(int(i)):
                return int(i)
    return None


# ---------------------------------------------------------------- from the rulebook alone


def ex_group_max(units: Units, rng: random.Random) -> Exercise:
    rb = units.rb
    g = rng.choice(rb.groups)
    parts = " + ".join(f"{fmt_max(i.max)} ({i.name_vi})" for i in rb.indicators_of(g.code))
    return Exercise(
        key=f"group_max:{g.code}",
        kind="group_max",
        question_vi=f"Nhóm «{g.name_vi}» có tối đa bao nhiêu điểm?",
        answer=g.max,
        unit_vi="điểm",
        decimals=2,
        explanation_vi=f"Điểm tối đa của nhóm là tổng điểm tối đa các chỉ tiêu: {parts} = {fmt_max(g.max)} điểm.",
    )


def ex_threshold(units: Units, rng: random.Random) -> Exercise | None:
    inds = [i for i in units.rb.indicators if i.curve == "threshold" and i.threshold < 1.0]
    if not inds:
        return None
    ind = rng.choice(inds)
    return Exercise(
        key=f"threshold:{ind.code}",
        kind="threshold",
        question_vi=f"Chỉ tiêu «{ind.name_vi}» được đủ {fmt_max(ind.max)} điểm khi tỷ lệ đạt từ bao nhiêu phần trăm?",
        answer=round(ind.threshold * 100, 2),
        unit_vi="%",
        decimals=2,
        explanation_vi=f"{curve_vi(ind)} Vượt ngưỡng không được thêm điểm.",
    )


# ---------------------------------------------------------------- from the units, computed by the engine


def ex_points_at(units: Units, rng: random.Random) -> Exercise | None:
    """How many points do these counts give? (a unit's real counts, an indicator its counts decide)."""
    rb, b = units.rb, units.base
    status = units.status
    ks = [k for k in range(len(rb.indicators)) if np.isin(status[:, k], (LINEAR, BELOW_THRESHOLD)).any()]
    if not ks:
        return None
    k = rng.choice(ks)
    i = _pick(rng, units, np.flatnonzero(np.isin(status[:, k], (LINEAR, BELOW_THRESHOLD))))
    ind = rb.indicators[k]
    num, den = b.numerator[i, k], b.denominator[i, k]
    answer = float(indicator_points(units, rb, ind.code, np.array([num]), den, i=i)[0])
    return Exercise(
        key=f"points_at:{ind.code}:{i}",
        kind="points_at",
        question_vi=(
            f"{units.name(i)}: {rb.input(ind.numerator).name_vi} = {fmt_count(num)}; "
            f"{rb.input(ind.denominator).name_vi} = {fmt_count(den)}. Chỉ tiêu «{ind.name_vi}» "
            f"(tối đa {fmt_max(ind.max)} điểm) được bao nhiêu điểm?"
        ),
        answer=answer,
        unit_vi="điểm",
        decimals=2,
        explanation_vi=(
            f"Tỷ lệ = {fmt_count(num)} ÷ {fmt_count(den)} = {fmt_percent(num / den)}. {curve_vi(ind)} "
            f"Kết quả: {fmt_points(answer)} điểm (làm tròn 2 chữ số thập phân)."
        ),
        unit=i,
    )


def ex_need_one_point(units: Units, rng: random.Random) -> Exercise | None:
    """How many more steps of the example lever (e-results on the portal) for +1 point on the total score?"""
    rb = units.rb
    ind, key = example_indicator(rb), loss_lever(rb)
    if ind is None or key is None:
        return None
    k = rb.indicator_codes.index(ind.code)
    cands = np.flatnonzero(units.decided(k) & (units.base.lost[:, k] >= 1.0))
    i = _pick(rng, units, cands, lambda j: _max_gain(units, j, key) >= 1.0)
    if i is None:
        return None
    steps = steps_for_gain(units, i, key, 1.0)
    if steps is None:
        return None
    lever = rb.lever(key)
    b = units.base
    num, den = b.numerator[i, k], b.denominator[i, k]
    gain = lever_totals(units, i, key, np.array([0.0, steps - 1, steps]))
    return Exercise(
        key=f"need_one_point:{key}:{i}",
        kind="need_one_point",
        question_vi=(
            f"{units.name(i)}: «{rb.input(ind.numerator).name_vi}» là {fmt_count(num)}/{fmt_count(den)} "
            f"({fmt_percent(num / den)}), tổng điểm {fmt_points(b.total[i])}. Cần {lever.name_vi.lower()} cho ít "
            f"nhất bao nhiêu {lever.unit_vi} nữa để tổng điểm tăng thêm 1 điểm?"
        ),
        answer=float(steps),
        unit_vi=lever.unit_vi,
        decimals=0,
        explanation_vi=(
            f"Mỗi {lever.unit_vi} thêm khoảng {fmt_max(ind.max)} ÷ {fmt_count(den)} ≈ {fmt_number(ind.max / den, 4)} điểm. "
            f"Thêm {fmt_count(steps - 1)}: tổng điểm {fmt_points(gain[1])} (chưa đủ +1); thêm {fmt_count(steps)}: "
            f"{fmt_points(gain[2])} (+{fmt_points(gain[2] - gain[0])}). Điểm làm tròn 2 chữ số nên kết quả có thể "
            f"lệch một vài {lever.unit_vi} so với phép chia."
        ),
        unit=i,
    )


def _max_gain(units: Units, i: int, lever_key: str) -> float:
    room = lever_room(units, i, lever_key)
    if np.isnan(room) or room <= 0:
        return 0.0
    t = lever_totals(units, i, lever_key, np.array([0.0, room]))
    return float(t[1] - t[0])


def ex_overdue_cost(units: Units, rng: random.Random) -> Exercise | None:
    """How many points does one more overdue dossier cost?"""
    idx, _, cost = overdue_drops(units)
    i = _pick(rng, units, idx[cost > 0])
    if i is None:
        return None
    ex = overdue_example(units, i)
    return Exercise(
        key=f"overdue_cost:{i}",
        kind="overdue_cost",
        question_vi=(
            f"{units.name(i)} tiếp nhận {fmt_count(ex.received)} hồ sơ, {fmt_count(ex.overdue)} hồ sơ quá hạn. "
            f"Thêm 1 hồ sơ quá hạn nữa làm tổng điểm giảm bao nhiêu điểm?"
        ),
        answer=ex.cost,
        unit_vi="điểm",
        decimals=2,
        explanation_vi=" ".join(ex.steps_vi[1 : 2 + 2 * len(ex.parts)]),  # parts, total, why
        unit=i,
    )


def ex_first_petition(units: Units, rng: random.Random) -> Exercise | None:
    """A unit with no petitions: what does a first, late petition cost?"""
    rb = units.rb
    den_key = zero_full_denominator(rb)
    if den_key is None:
        return None
    ks = [k for k, ind in enumerate(rb.indicators) if ind.denominator == den_key and ind.zero_rule == "full"]
    i = _pick(rng, units, np.flatnonzero((units.status[:, ks] == ZERO_DEN_FULL).all(axis=1)))
    if i is None:
        return None
    ex = petition_example(units, i)
    return Exercise(
        key=f"first_petition:{i}",
        kind="first_petition",
        question_vi=(
            f"{units.name(i)} chưa có PAKN nào trong kỳ, tổng điểm {fmt_points(ex.total_before)}. "
            f"PAKN đầu tiên bị xử lý quá hạn và người dân không hài lòng. Tổng điểm giảm bao nhiêu?"
        ),
        answer=ex.lost,
        unit_vi="điểm",
        decimals=2,
        explanation_vi=" ".join(ex.steps_vi[:3]),
        unit=i,
    )


def ex_past_threshold(units: Units, rng: random.Random) -> Exercise | None:
    """A unit past a threshold: what does one counted item fewer cost on that indicator?"""
    rb, b = units.rb, units.base
    ks = [k for k, ind in enumerate(rb.indicators) if ind.curve == "threshold" and ind.threshold < 1.0]
    pairs = [(k, i) for k in ks for i in np.flatnonzero((units.status[:, k] == CAPPED) & (b.numerator[:, k] >= 1))]
    if not pairs:
        return None
    pref = [(k, i) for k, i in pairs if b.level[i] == LEVELS.index(PREFERRED_LEVEL)]
    k, i = rng.choice(pref or pairs)
    i = int(i)
    ind = rb.indicators[k]
    num, den = b.numerator[i, k], b.denominator[i, k]
    pts = indicator_points(units, rb, ind.code, np.array([num, num - 1]), den, i=i)
    answer = round(float(pts[0] - pts[1]), 2)
    word = count_word(rb, ind.numerator)
    after = (num - 1) / den
    verdict = (
        f"vẫn từ {fmt_percent(ind.threshold)} trở lên nên vẫn đủ {fmt_max(ind.max)} điểm"
        if after >= ind.threshold
        else f"xuống dưới ngưỡng {fmt_percent(ind.threshold)} nên còn {fmt_points(pts[1])} điểm"
    )
    return Exercise(
        key=f"past_threshold:{ind.code}:{i}",
        kind="past_threshold",
        question_vi=(
            f"{units.name(i)} đạt {fmt_percent(num / den)} ở chỉ tiêu «{ind.name_vi}» ({fmt_count(num)}/{fmt_count(den)}; "
            f"đủ điểm từ {fmt_percent(ind.threshold)}). Nếu bớt 1 {word} ở tử số, chỉ tiêu này mất bao nhiêu điểm?"
        ),
        answer=answer,
        unit_vi="điểm",
        decimals=2,
        explanation_vi=(
            f"Tỷ lệ {fmt_percent(num / den)} → {fmt_percent(after)}: {verdict}. Quá ngưỡng thì thêm hay bớt một ít "
            f"không đổi điểm; công sức nên dồn vào chỉ tiêu chưa đạt ngưỡng."
        ),
        unit=i,
    )


GENERATORS: tuple[Callable[[Units, random.Random], Exercise | None], ...] = (
    ex_group_max,
    ex_threshold,
    ex_points_at,
    ex_need_one_point,
    ex_overdue_cost,
    ex_first_petition,
    ex_past_threshold,
)


def make_exercises(units: Units, seed: int = 0) -> list[Exercise]:
    """One question of each kind the rulebook and the data allow; the same seed gives the same set."""
    out = []
    for n, gen in enumerate(GENERATORS):
        ex = gen(units, random.Random(f"{units.rb.id}:{seed}:{n}"))
        if ex is not None:
            out.append(ex)
    return out
