"""Calibration to the official score: points the file does not cover are held, visibly.

When a unit's data lacks the counts of some indicators but carries the official total, the difference
between the official total and what we can recompute is "Điểm không có trong tệp (giữ nguyên)": held
constant in every what-if run and shown beside the score. When the data covers every indicator, no
points are held; any difference from the official total is a discrepancy and is reported as such.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from chiso.engine import Scores, round_half_up, score
from chiso.rulebook import Rulebook
from chiso.units import PUBLISHED_TOTAL, UnitTable


def held_points(scores: Scores, frame: pd.DataFrame) -> np.ndarray:
    """Official total minus recomputed total, for units whose data leaves indicators uncovered."""
    official = published_total(frame)
    uncovered = scores.missing_max > 0
    held = np.where(uncovered & ~np.isnan(official), official - scores.computed_total, 0.0)
    return round_half_up(held)


def published_total(frame: pd.DataFrame) -> np.ndarray:
    if PUBLISHED_TOTAL not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[PUBLISHED_TOTAL], errors="coerce").to_numpy(dtype=float)


def discrepancy(scores: Scores, frame: pd.DataFrame) -> np.ndarray:
    """Recomputed total (held points included) minus the official total; NaN where there is none."""
    return round_half_up(scores.total - published_total(frame))


def baseline(table: UnitTable, rb: Rulebook) -> Scores:
    """Score a unit table and hold what it does not cover: the read-only baseline of every scenario."""
    first = score(table.frame, rb)
    first.held = held_points(first, table.frame)
    return first
