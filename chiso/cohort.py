"""Cohorts and rankings: departments, communes (and the province) are compared only with their peers.

The cohort of a unit is its level. Ranks are standard competition ranks (1-2-2-4) on the total
rounded to 2 decimals, so two units the portal shows with the same points share a rank.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chiso.calibration import NOT_RATED_VI, unrated
from chiso.engine import Scores, round_half_up
from chiso.explain import held_groups
from chiso.rulebook import LEVELS


def _key(values: np.ndarray) -> np.ndarray:
    # totals are 2-decimal points: compare in hundredths so float noise never splits a tie
    return np.round(np.asarray(values, dtype=float) * 100.0)


def competition_rank(values: np.ndarray, cohort: np.ndarray) -> np.ndarray:
    """Rank inside each cohort, highest first; equal values share the rank (1-2-2-4); NaN → 0."""
    v = _key(values)
    cohort = np.asarray(cohort)
    ranks = np.zeros(len(v), dtype=np.int64)
    for c in np.unique(cohort):
        members = np.flatnonzero((cohort == c) & ~np.isnan(v))
        sorted_vals = np.sort(v[members])
        # units strictly above = members minus those <= value
        above = len(sorted_vals) - np.searchsorted(sorted_vals, v[members], side="right")
        ranks[members] = above + 1
    return ranks


def rank_among(value: float, others: np.ndarray) -> int:
    """Rank of one unit whose total became ``value`` while the rest of its cohort stays as it was."""
    o = _key(others)
    return int(np.sum(o[~np.isnan(o)] > _key(np.array([value]))[0]) + 1)


def rank_in_cohort(totals: np.ndarray, cohort: np.ndarray, i: int, total: float | None = None) -> tuple[int, int]:
    """(rank, cohort size) of unit ``i`` in its cohort, ``total`` replacing its own total when given."""
    same = np.asarray(cohort) == cohort[i]
    mine = totals[i] if total is None else total
    return rank_among(mine, np.delete(totals, i)[np.delete(same, i)]), int(same.sum())


@dataclass(frozen=True)
class CohortStats:
    size: int
    mean: float
    median: float
    p75: float
    best: float


def cohort_stats(values: np.ndarray) -> CohortStats:
    """Size, mean, median and 75th percentile (linear interpolation) of one cohort's totals."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if not len(v):
        nan = float("nan")
        return CohortStats(0, nan, nan, nan, nan)
    return CohortStats(
        size=len(v),
        mean=float(np.mean(v)),
        median=float(np.median(v)),
        p75=float(np.percentile(v, 75)),
        best=float(np.max(v)),
    )


def stats_by_cohort(values: np.ndarray, cohort: np.ndarray) -> dict[int, CohortStats]:
    cohort = np.asarray(cohort)
    return {int(c): cohort_stats(np.asarray(values)[cohort == c]) for c in np.unique(cohort)}


__all__ = [
    "CohortStats",
    "cohort_stats",
    "competition_rank",
    "filter_units",
    "rank_among",
    "rank_in_cohort",
    "ranking_table",
    "stats_by_cohort",
]


# ---------------------------------------------------------------- the overview table


def ranking_table(scores: Scores, frame: pd.DataFrame, level_idx: np.ndarray, official: np.ndarray) -> pd.DataFrame:
    """One row per unit: official vs recomputed total, held points, groups, band, rank in its cohort."""
    rb = scores.rulebook
    rank = competition_rank(scores.total, level_idx)
    size = pd.Series(level_idx).map(pd.Series(level_idx).value_counts()).to_numpy()
    df = pd.DataFrame(
        {
            "unit_code": scores.codes,
            "unit_name": frame["unit_name"].astype(str).to_numpy(),
            "level": [LEVELS[i] for i in level_idx],
            "rank": rank,
            "cohort_size": size,
            "official": official,
            "total": scores.total,
            "computed": scores.computed_total,
            "held": scores.held,
            "gap": round_half_up(scores.total - official),
        }
    )
    held = held_groups(scores)  # no data in the group: NaN (shown «giữ nguyên»), never the engine's empty sum 0
    for g, grp in enumerate(rb.groups):
        df[grp.code] = np.where(held[:, g], np.nan, scores.group_points[:, g])
    df["band"] = [NOT_RATED_VI if no else rb.band(t) for t, no in zip(scores.total, unrated(scores, official))]
    return df


def filter_units(df: pd.DataFrame, levels=None, text: str = "", bands=None) -> pd.DataFrame:
    """Rows whose level and band are among those chosen and whose name or code contains ``text``."""
    keep = np.ones(len(df), dtype=bool)
    if levels:
        keep &= df["level"].isin(levels).to_numpy()
    if bands:
        keep &= df["band"].isin(bands).to_numpy()
    needle = unicodedata.normalize("NFC", text or "").casefold().strip()
    if needle:
        hay = (df["unit_name"].astype(str) + " " + df["unit_code"].astype(str)).map(
            lambda s: unicodedata.normalize("NFC", s).casefold()
        )
        keep &= hay.str.contains(needle, regex=False).to_numpy()
    return df[keep]
