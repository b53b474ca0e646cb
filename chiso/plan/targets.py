"""Target presets for the planner (Mục tiêu): the next rating band, the cohort median or P75, and
"overtake the unit ranked just above". Each is a plain number of points the planner can aim at.

A cohort is the units ranked together: same level in the same data (``planner.cohort_mask``).
Quantile targets are rounded *up* to 2 decimals, so reaching the target means reaching the quantile.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from chiso.engine import Scores
from chiso.fmt import fmt_number
from chiso.rulebook import Rulebook

NEXT_BAND, MEDIAN, P75, OVERTAKE = "next_band", "median", "p75", "overtake"
PRESETS = (NEXT_BAND, MEDIAN, P75, OVERTAKE)
_CENT = 1e-9  # float guard when rounding up to hundredths


@dataclass(frozen=True)
class TargetPreset:
    key: str  # one of PRESETS
    value: float  # points to aim at
    label_vi: str  # what to show in a selector
    reached: bool  # the unit is already there
    unit_code: str | None = None  # overtake: the unit to pass


def ceil_cents(x: float) -> float:
    """Round up to 2 decimals (64.021 → 64.03; 64.02 → 64.02)."""
    return math.ceil(round(float(x) * 100.0, 6) - _CENT) / 100.0


def next_band_target(score: float, rb: Rulebook) -> TargetPreset | None:
    """Lowest rating band above the unit's score (None at the top band)."""
    above = [b for b in rb.bands if b.min > score + 1e-9]
    if not above:
        return None
    band = min(above, key=lambda b: b.min)
    value = float(band.min)
    return TargetPreset(NEXT_BAND, value, f"Lên xếp loại «{band.name_vi}» ({fmt_number(value, 2)} điểm)", False)


def cohort_target(score: float, cohort_totals: np.ndarray, q: float = 0.5) -> TargetPreset:
    """The cohort's quantile ``q`` (0.5 median, 0.75 P75), rounded up to 2 decimals."""
    totals = np.asarray(cohort_totals, dtype=float)
    totals = totals[~np.isnan(totals)]
    value = ceil_cents(float(np.percentile(totals, q * 100))) if len(totals) else float("nan")
    key, name = (MEDIAN, "Trung vị") if q == 0.5 else (P75, f"Phân vị {round(q * 100):d}")
    return TargetPreset(key, value, f"{name} của nhóm ({fmt_number(value, 2)} điểm)", score >= value - 1e-9)


def overtake_target(score: float, cohort_totals: np.ndarray, cohort_codes: np.ndarray) -> TargetPreset | None:
    """One hundredth above the closest unit ranked above (None when the unit is first)."""
    totals = np.asarray(cohort_totals, dtype=float)
    above = np.flatnonzero(totals > score + 1e-9)
    if not len(above):
        return None
    i = above[np.argmin(totals[above])]
    value = round(float(totals[i]) + 0.01, 2)
    code = str(cohort_codes[i])
    label = f"Vượt đơn vị xếp ngay trên ({code}: {fmt_number(totals[i], 2)} điểm)"
    return TargetPreset(OVERTAKE, value, label, False, code)


def target_presets(base: Scores, code: str) -> list[TargetPreset]:
    """Every preset for unit ``code`` of a baseline, cohort = same level; missing ones left out."""
    i = base.position(code)
    cohort = base.level == base.level[i]
    cohort[i] = False
    score = float(base.total[i])
    others = base.total[cohort]
    found = [
        next_band_target(score, base.rulebook),
        cohort_target(score, base.total[base.level == base.level[i]], 0.5),
        cohort_target(score, base.total[base.level == base.level[i]], 0.75),
        overtake_target(score, others, base.codes[cohort]),
    ]
    return [p for p in found if p is not None and not math.isnan(p.value)]


__all__ = [
    "MEDIAN",
    "NEXT_BAND",
    "OVERTAKE",
    "P75",
    "PRESETS",
    "TargetPreset",
    "ceil_cents",
    "cohort_target",
    "next_band_target",
    "overtake_target",
    "target_presets",
]
