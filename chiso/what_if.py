"""Simulate one unit with these lever deltas: the one entry the simulator calls on every lever change.

It returns everything Mô phỏng shows (score, group values written the portal's way or held, rank, band and
what the next step of each lever is worth), so that the page only draws. The unit's read-only baseline is a
``UnitCase``; other units keep their baseline scores (the rank is among them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chiso.cohort import rank_among
from chiso.engine import Scores
from chiso.explain import GroupValue, group_notes_vi, group_values
from chiso.rulebook import LEVELS, Rulebook
from chiso.scenario import Marginal, apply_deltas, marginal, score_scenarios


@dataclass(frozen=True)
class UnitCase:
    """One unit's baseline, as the simulator starts from it."""

    rb: Rulebook
    base: Scores  # the baseline of every unit of the source
    i: int  # this unit's row in ``base``
    x_row: np.ndarray  # its counts (fallbacks applied)
    level: str
    held: float  # points held from the official total (not recomputable from the file)
    others: np.ndarray  # the baseline totals of the rest of its cohort
    base_rank: int
    official_groups: np.ndarray | None = None  # (G,) official group scores, NaN where unknown

    @property
    def code(self) -> str:
        return str(self.base.codes[self.i])


@dataclass(frozen=True)
class Outcome:
    """The unit under one scenario, next to its baseline."""

    scores: Scores  # one row: the scenario
    total: float
    base_total: float
    rank: int
    base_rank: int
    cohort_size: int
    band: str
    base_band: str
    groups: list[GroupValue]
    base_groups: list[GroupValue]
    group_notes: list[str]  # what «giữ nguyên», «không có số liệu» and * mean, for the groups shown
    next_steps: Marginal  # what one more step of each lever is worth from here


def simulate_unit(case: UnitCase, deltas: np.ndarray) -> Outcome:
    rb = case.rb
    scores = score_scenarios(case.x_row, case.level, rb, case.held, deltas, case.code)
    total, base_total = float(scores.total[0]), float(case.base.total[case.i])
    x_now = apply_deltas(case.x_row[None, :], np.asarray(deltas, dtype=float)[None, :], rb,
                         np.array([LEVELS.index(case.level)]))[0]
    base_groups = group_values(case.base, case.i, case.official_groups)
    return Outcome(
        scores=scores, total=total, base_total=base_total,
        rank=rank_among(total, case.others), base_rank=case.base_rank, cohort_size=len(case.others) + 1,
        band=rb.band(total), base_band=rb.band(base_total),
        groups=group_values(scores, 0, case.official_groups), base_groups=base_groups,
        group_notes=group_notes_vi(base_groups),
        next_steps=marginal(x_now, case.level, rb, case.held),
    )
