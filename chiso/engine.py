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
    lv = pd.Series(np.asarray(levels, dtype=object))
    idx = lv.map({name: n for n, name in enumerate(LEVELS)})
    if idx.isna().any():
        bad = lv[idx.isna()].iloc[0]
        raise DataError(f"Cấp đơn vị «{bad}» không hợp lệ; dùng một trong: {', '.join(LEVELS)}.")
    return idx.to_numpy(dtype=np.int64)


def input_matrix(units: pd.DataFrame, rb: Rulebook) -> np.ndarray:
    """The raw counts as an (N, I) float matrix in rulebook order, fallbacks applied."""
    x = units.reindex(columns=rb.input_keys).to_numpy(dtype=float, na_value=np.nan)
    return apply_fallbacks(x, rb)


def apply_fallbacks(x: np.ndarray, rb: Rulebook) -> np.ndarray:
    x = x.copy()
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
    status: np.ndarray  # (N, K) int8 status code
    inherited: np.ndarray  # (N, K) bool: counts are the province's
    group_points: np.ndarray  # (N, G)
    computed_total: np.ndarray  # (N,) sum of the indicators the data covers
    missing_max: np.ndarray  # (N,) maximum points of indicators the data does not cover
    held: np.ndarray  # (N,) points held from the official score (calibration)

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

    def group_frame(self) -> pd.DataFrame:
        """One row per unit: group points, recomputed total, held points, total, band."""
        rb = self.rulebook
        df = pd.DataFrame(self.group_points, columns=rb.group_codes)
        df.insert(0, "unit_code", self.codes)
        df["computed_total"] = self.computed_total
        df["held"] = self.held
        df["total"] = self.total
        df["band"] = [rb.band(t) for t in self.total]
        return df

    def explain(self, i: int) -> pd.DataFrame:
        """Every indicator of unit ``i``: counts, rate, threshold, points, max, lost and the rule applied."""
        rb = self.rulebook
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
                "status": self.status[i],
                "rule_vi": [STATUS_VI[int(s)] for s in self.status[i]],
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
    policy = c.policy[level]  # (N, K)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den > 0, num / den, np.nan)
    zero_den = den == 0
    missing = np.isnan(num) | np.isnan(den)
    frac = np.clip(rate / c.threshold, 0.0, 1.0)
    curve_points = round_half_up(c.max * frac)
    zero_points = np.where(c.zero_full, c.max, 0.0)
    points = np.where(zero_den, zero_points, curve_points)
    points = np.where(missing & ~zero_den, np.nan, points)
    points = np.where(policy == _P_FULL, c.max, points)
    points = np.where(policy == _P_ZERO, 0.0, points)

    status = np.select(
        [
            policy == _P_FULL,
            policy == _P_ZERO,
            zero_den,
            missing,
            rate >= c.threshold - 1e-12,
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

    filled = np.nan_to_num(points, nan=0.0)
    group_points = round_half_up(filled @ c.group_onehot)
    computed_total = round_half_up(group_points.sum(axis=1))
    missing_max = np.where(np.isnan(points), c.max, 0.0).sum(axis=1)
    return Scores(
        rulebook=rb,
        codes=np.arange(n) if codes is None else codes,
        level=level,
        numerator=num,
        denominator=den,
        rate=rate,
        points=points,
        status=status,
        inherited=policy == _P_INHERITED,
        group_points=group_points,
        computed_total=computed_total,
        missing_max=missing_max,
        held=np.zeros(n) if held is None else np.asarray(held, dtype=float),
    )
