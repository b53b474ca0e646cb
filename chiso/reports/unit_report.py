"""One unit's baseline and scenario(s), scored, and the group rows both its workbook and its page print."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from chiso.engine import Scores
from chiso.explain import GroupValue, group_values
from chiso.fmt import fmt_points
from chiso.reports.meta import ExportMeta
from chiso.scenario import LeverRoom

GroupRow = tuple[str, GroupValue, GroupValue, float]  # (label, baseline, scenario, max points)


@dataclass(frozen=True)
class UnitScenario:
    """One scenario of one unit, scored: what the single-unit exports print."""

    name: str
    levers: dict[str, int]
    scores: Scores  # one row
    rank: int


@dataclass(frozen=True)
class UnitReport:
    """Baseline and scenario(s) of one unit, ready to export."""

    meta: ExportMeta
    unit_code: str
    unit_name: str
    level: str
    official_total: float  # NaN when the file has none
    base: Scores  # one row: the read-only baseline
    base_rank: int
    cohort_size: int
    rooms: list[LeverRoom]  # lever bounds at the baseline
    current: UnitScenario
    saved: list[UnitScenario] = field(default_factory=list)  # other scenarios to compare
    official_groups: np.ndarray | None = None  # (G,) official group scores (NaN unknown): held groups show them


def group_rows(r: UnitReport) -> list[GroupRow]:
    """Total, every group and held points; a group is written by ``chiso.explain.group_value`` (a group
    without data is «giữ nguyên», never 0)."""
    rb, b, s = r.meta.rb, r.base, r.current.scores
    rows = [("Tổng điểm (Điểm tính lại)", _plain(b.total[0]), _plain(s.total[0]), 100.0)]
    before, after = group_values(b, 0, r.official_groups), group_values(s, 0, r.official_groups)
    rows += [(grp.name_vi, bv, sv, grp.max) for grp, bv, sv in zip(rb.groups, before, after)]
    rows.append(("Điểm không có trong tệp (giữ nguyên)", _plain(b.held[0]), _plain(s.held[0]), float("nan")))
    return rows


def _plain(x: float) -> GroupValue:
    """A total as a row of the group table (always a number)."""
    return GroupValue(fmt_points(x), float(x))


def group_change(b: GroupValue, s: GroupValue) -> float | None:
    """Held points do not change: no number is written for them (an empty cell, not 0)."""
    return None if b.held or b.points is None or s.points is None else round(s.points - b.points, 2)
