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
from chiso.units import PUBLISHED_TOTAL, UnitTable, published_group_column


def held_points(scores: Scores, frame: pd.DataFrame) -> np.ndarray:
    """Official total minus recomputed total, for units whose data leaves indicators uncovered."""
    official = published_total(frame)
    uncovered = scores.missing_max > 0
    held = np.where(uncovered & ~np.isnan(official), official - scores.computed_total, 0.0)
    return round_half_up(held)


NOT_RATED_VI = "Chưa xếp được"


def unrated(scores: Scores, official: np.ndarray) -> np.ndarray:
    """(N,) True where indicators lack data and no official total holds their points: the recomputed total
    then undercounts the unit, so no rating (band) can be given from it."""
    return (scores.missing_max > 0) & np.isnan(np.asarray(official, dtype=float))


def published_total(frame: pd.DataFrame) -> np.ndarray:
    if PUBLISHED_TOTAL not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[PUBLISHED_TOTAL], errors="coerce").to_numpy(dtype=float)


def published_group_points(frame: pd.DataFrame, rb: Rulebook, i: int) -> np.ndarray:
    """(G,) the official score of each group for unit ``i``, NaN where the source does not give it."""
    out = np.full(len(rb.groups), np.nan)
    for g, grp in enumerate(rb.groups):
        col = published_group_column(grp.code)
        if col in frame:
            out[g] = pd.to_numeric(pd.Series([frame[col].iloc[i]]), errors="coerce").iloc[0]
    return out


def discrepancy(scores: Scores, frame: pd.DataFrame) -> np.ndarray:
    """Recomputed total (held points included) minus the official total; NaN where there is none."""
    return round_half_up(scores.total - published_total(frame))


def baseline(table: UnitTable, rb: Rulebook) -> Scores:
    """Score a unit table and hold what it does not cover: the read-only baseline of every scenario."""
    first = score(table.frame, rb)
    first.held = held_points(first, table.frame)
    return first
