"""Vectorised scoring: many units × every indicator at once, rounded the way the portal rounds.

Per indicator: rate = numerator / denominator; points = max × min(1, rate / threshold) (threshold 1 for
linear curves); a zero denominator gives 0 or full points as the rulebook says; the level policy can
override (full marks, never scored); each indicator's points are rounded half-up to 2 decimals, and
group and total scores are sums of those rounded points — as observed on the portal.

An empty count (NaN) means "not in the data": the indicator's points stay NaN ("missing") and are left
out of the recomputed total; calibration (chiso.calibration) holds them from the official score.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from chiso.errors import DataError
from chiso.rulebook import LEVELS, POLICIES, Rulebook

# status codes of one indicator for one unit (why it has the points it has)
LINEAR, BELOW_THRESHOLD, CAPPED, ZERO_DEN_ZERO, ZERO_DEN_FULL, FIXED_FULL, NOT_APPLICABLE, MISSING = range(8)
STATUS_VI = {
    LINEAR: "Tính theo tỷ lệ (tuyến tính)",
    BELOW_THRESHOLD: "Chưa đạt ngưỡng: điểm theo tỷ lệ trên ngưỡng",
    CAPPED: "Đã đạt ngưỡng: đủ điểm, tăng thêm không được thêm điểm",
    ZERO_DEN_ZERO: "Mẫu số bằng 0: 0 điểm",
    ZERO_DEN_FULL: "Mẫu số bằng 0: đủ điểm",
    FIXED_FULL: "Cấp này luôn được đủ điểm",
    NOT_APPLICABLE: "Cấp này không được tính điểm chỉ tiêu này",
    MISSING: "Không có số liệu trong tệp",
}
_P_COMPUTED, _P_INHERITED, _P_FULL, _P_ZERO = (POLICIES.index(p) for p in POLICIES)
_EPS = 1e-9  # absorbs binary noise so that exact halves (1.125) round up as the portal does


def round_half_up(x: np.ndarray | float) -> np.ndarray:
    """Round to 2 decimals, halves away from zero (portal: 6 × 3/16 = 1.125 → 1.13)."""
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.floor(np.abs(x) * 100.0 + 0.5 + _EPS) / 100.0


def level_index(levels: pd.Series | np.ndarray | list) -> np.ndarray:
    """Map level names to LEVELS positions; unknown levels are a data error."""
    codes, names = pd.factorize(pd.Series(levels) if not isinstance(levels, pd.Series) else levels)
    known = pd.Index(LEVELS).get_indexer(np.asarray(names, dtype=object))
    if (known < 0).any() or (codes < 0).any():
        bad = names[known < 0][0] if (known < 0).any() else None
        raise DataError(f"Cấp đơn vị «{bad}» không hợp lệ; dùng một trong: {', '.join(LEVELS)}.")
    return known[codes].astype(np.int64)  # factorize first: a few distinct names, many rows


def input_matrix(units: pd.DataFrame, rb: Rulebook) -> np.ndarray:
    """The raw counts as an (N, I) float matrix in rulebook order, fallbacks applied.

    Column-major, so that each count is contiguous: filling, fallbacks and the engine's gathers
    all work column by column.
    """
    x = np.full((len(units), len(rb.inputs)), np.nan, order="F")
    for k, key in enumerate(rb.input_keys):
        if key in units:
            col = units[key]
            if not pd.api.types.is_numeric_dtype(col.dtype):
                col = pd.to_numeric(col, errors="coerce")
            x[:, k] = col.to_numpy(dtype=float, na_value=np.nan)
    return apply_fallbacks(x, rb, copy=False)


def apply_fallbacks(x: np.ndarray, rb: Rulebook, copy: bool = True) -> np.ndarray:
    """Fill empty counts from the count the rulebook names as their fallback."""
    if copy:
        x = x.copy(order="F")
    for k, f in rb.compiled.fallback_pairs:
        col = x[:, k]
        np.copyto(col, x[:, f], where=np.isnan(col))
    return x


@dataclass
class Scores:
    """Points of N units under one rulebook, with everything needed to explain them."""

    rulebook: Rulebook
    codes: np.ndarray  # (N,) unit codes
    level: np.ndarray  # (N,) LEVELS index
    numerator: np.ndarray  # (N, K)
    denominator: np.ndarray  # (N, K)
    rate: np.ndarray  # (N, K) fraction 0..1, NaN when the denominator is 0 or missing
    points: np.ndarray  # (N, K) rounded points, NaN when missing
    group_points: np.ndarray  # (N, G)
    computed_total: np.ndarray  # (N,) sum of the indicators the data covers
    missing_max: np.ndarray  # (N,) maximum points of indicators the data does not cover
    held: np.ndarray  # (N,) points held from the official score (calibration)

    @property
    def policy(self) -> np.ndarray:
        """(N, K) index into POLICIES for each unit's level."""
        return self.rulebook.compiled.policy[self.level]

    @property
    def status(self) -> np.ndarray:
        """(N, K) int8 status code: why each indicator has the points it has (computed on demand)."""
        c = self.rulebook.compiled
        return np.select(
            [
                self.policy == _P_FULL,
                self.policy == _P_ZERO,
                self.denominator == 0,
                np.isnan(self.points),
                self.rate >= c.threshold - 1e-12,
                c.threshold < 1.0,
            ],
            [
                FIXED_FULL,
                NOT_APPLICABLE,
                np.where(c.zero_full, ZERO_DEN_FULL, ZERO_DEN_ZERO),
                MISSING,
                CAPPED,
                BELOW_THRESHOLD,
            ],
            default=LINEAR,
        ).astype(np.int8)

    @property
    def inherited(self) -> np.ndarray:
        """(N, K) bool: the counts are the province's, copied to this unit."""
        return self.policy == _P_INHERITED

    @property
    def total(self) -> np.ndarray:
        return round_half_up(self.computed_total + self.held)

    @property
    def lost(self) -> np.ndarray:
        """Points lost per indicator (NaN where missing)."""
        return round_half_up(self.rulebook.compiled.max[None, :] - self.points)

    def position(self, code: str) -> int:
        hits = np.flatnonzero(self.codes == code)
        if not len(hits):
            raise DataError(f"Không có đơn vị mã «{code}» trong dữ liệu.")
        return int(hits[0])

    def explain(self, i: int) -> pd.DataFrame:
        """Every indicator of unit ``i``: counts, rate, threshold, points, max, lost and the rule applied."""
        rb = self.rulebook
        status = self.status[i]
        return pd.DataFrame(
            {
                "group": [ind.group for ind in rb.indicators],
                "indicator": rb.indicator_codes,
                "name_vi": [ind.name_vi for ind in rb.indicators],
                "numerator": self.numerator[i],
                "denominator": self.denominator[i],
                "rate": self.rate[i],
                "threshold": rb.compiled.threshold,
                "points": self.points[i],
                "max_points": rb.compiled.max,
                "lost": self.lost[i],
                "status": status,
                "rule_vi": [STATUS_VI[int(s)] for s in status],
                "inherited": self.inherited[i],
                "movable": [ind.movable_at(LEVELS[self.level[i]]) for ind in rb.indicators],
            }
        )


def score(units: pd.DataFrame, rb: Rulebook, held: np.ndarray | None = None) -> Scores:
    """Score every unit of ``units`` (columns: unit_code, level, one column per raw count)."""
    x = input_matrix(units, rb)
    codes = units["unit_code"].to_numpy(dtype=object) if "unit_code" in units else np.arange(len(units))
    return score_matrix(x, level_index(units["level"]), rb, codes, held)


def score_matrix(
    x: np.ndarray,
    level: np.ndarray,
    rb: Rulebook,
    codes: np.ndarray | None = None,
    held: np.ndarray | None = None,
) -> Scores:
    """The engine proper, on an (N, I) matrix of counts with fallbacks already applied."""
    c = rb.compiled
    n = x.shape[0]
    num = x[:, c.num_idx]
    den = x[:, c.den_idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = num / den
    rate[~(den > 0)] = np.nan
    # curve: max × min(1, rate / threshold), rounded half-up; NaN (missing counts) stays NaN.
    # Computed in place: this is the hot path of live levers and the planner's re-checks.
    points = rate / c.threshold
    np.clip(points, 0.0, 1.0, out=points)
    points *= c.max * 100.0
    points += 0.5 + _EPS
    np.floor(points, out=points)
    points /= 100.0
    np.copyto(points, np.broadcast_to(c.zero_points, points.shape), where=den == 0)
    for k in c.override_columns:  # level policy: full or zero points whatever the counts
        fixed = c.override[level, k]
        keep = ~np.isnan(fixed)
        points[keep, k] = fixed[keep]

    filled = np.where(np.isnan(points), 0.0, points)
    group_points = _round_sum(filled @ c.group_onehot)
    computed_total = _round_sum(group_points.sum(axis=1))
    return Scores(
        rulebook=rb,
        codes=np.arange(n) if codes is None else codes,
        level=level,
        numerator=num,
        denominator=den,
        rate=rate,
        points=points,
        group_points=group_points,
        computed_total=computed_total,
        missing_max=np.isnan(points) @ c.max,
        held=np.zeros(n) if held is None else np.asarray(held, dtype=float),
    )


def _round_sum(x: np.ndarray) -> np.ndarray:
    """Sums of 2-decimal points, cleaned of binary noise (no halves can occur)."""
    return np.round(x, 2)
