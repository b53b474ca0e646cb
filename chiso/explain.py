"""Why a unit has the points it has: one row per indicator with the rule, provenance and warnings.

Builds on ``Scores.explain``; adds what the unit page and exports say in words: the counts came from
the province, the indicator cannot be moved at this level, and where one dossier swings the rate.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from chiso.engine import MISSING, Scores
from chiso.fmt import fmt_int, fmt_number, fmt_points
from chiso.reasons import IndicatorWarning
from chiso.units import PROVENANCE_VI

SMALL_DENOMINATOR = 10  # up to this many dossiers, one dossier moves the rate by 10 points or more


FIXED_AT_LEVEL_VI = "không thay đổi được ở cấp này"  # beside a loss the unit cannot act on (province-level)


def small_denominator_vi(den: float, max_points: float, threshold: float) -> str:
    """A warning when one dossier moves the rate a lot ("" otherwise)."""
    if math.isnan(den) or den <= 0 or den > SMALL_DENOMINATOR:
        return ""
    pp = 100.0 / den
    pts = min(max_points, max_points / (threshold * den))
    return (
        f"Mẫu số nhỏ ({fmt_int(den)}): một hồ sơ làm tỷ lệ thay đổi {fmt_number(pp, 1)} điểm phần trăm "
        f"(tới {fmt_points(pts)} điểm)."
    )


def indicator_rows(scores: Scores, i: int, provenance: pd.DataFrame | None = None) -> pd.DataFrame:
    """``Scores.explain(i)`` plus ``rule_text``, ``provenance_vi``, ``warning_vi`` and ``warning`` columns."""
    rb = scores.rulebook
    ex = scores.explain(i)
    rules, prov, warn, code = [], [], [], []
    prow = provenance.iloc[i] if provenance is not None and len(provenance) > i else None
    for k, ind in enumerate(rb.indicators):
        parts = [ex.rule_vi[k]]
        if ex.inherited[k]:
            parts.append("Số liệu của cấp tỉnh, áp dụng chung cho mọi đơn vị")
        if not ex.movable[k]:
            parts.append("Đơn vị không thay đổi được chỉ tiêu này ở cấp của mình")
        rules.append(". ".join(parts) + ".")
        prov.append(_provenance(prow, ind.numerator, ind.denominator))
        w = small_denominator_vi(ex.denominator[k], ex.max_points[k], ex.threshold[k]) if ex.movable[k] else ""
        c = IndicatorWarning.SMALL_DENOMINATOR if w else IndicatorWarning.NONE
        if int(ex.status[k]) == MISSING:
            w, c = "Thiếu số liệu: điểm của chỉ tiêu được giữ nguyên theo điểm chính thức (nếu có).", IndicatorWarning.MISSING_DATA
        warn.append(w)
        code.append(c)
    ex["rule_text"] = rules
    ex["provenance_vi"] = prov
    ex["warning_vi"] = warn
    ex["warning"] = code  # what code branches on (reasons.IndicatorWarning); warning_vi is what is said
    return ex


def _provenance(prow, num: str, den: str) -> str:
    """Where the numerator and denominator came from, e.g. "có trong tệp" or "lấy từ cấp tỉnh"."""
    if prow is None:
        return ""
    labels = [PROVENANCE_VI.get(str(prow.get(key, "") or ""), "không có trong tệp") for key in (num, den)]
    return ", ".join(dict.fromkeys(labels))


def missing_groups(scores: Scores, i: int) -> np.ndarray:
    """(G,) True where a group has an indicator without data: its shown points leave out held points."""
    c = scores.rulebook.compiled
    return (np.isnan(scores.points[i]).astype(float) @ c.group_onehot) > 0


def empty_groups(scores: Scores, i: int) -> np.ndarray:
    """(G,) True where no indicator of the group has data: its points are all held, not 0."""
    c = scores.rulebook.compiled
    has_data = (~np.isnan(scores.points[i])).astype(float) @ c.group_onehot
    return has_data == 0


def no_official_total_vi(scores: Scores, official: float, i: int) -> str:
    """A plain warning when the recomputed total leaves indicators out and there is no official total
    to hold them from: the score and rating then undercount the unit ("" when there is nothing to say)."""
    missing = float(scores.missing_max[i])
    if missing <= 0 or not np.isnan(official):
        return ""
    return (
        f"Tệp không có tổng điểm chính thức của đơn vị này và thiếu số liệu cho các chỉ tiêu tối đa "
        f"{fmt_points(missing)} điểm. Điểm tính lại ({fmt_points(scores.total[i])}) chỉ cộng các chỉ tiêu có số "
        f"liệu, nên thấp hơn điểm thật; xếp loại theo điểm này không dùng được. Hãy thêm cột «Tổng điểm chính "
        f"thức» vào tệp, hoặc bổ sung số liệu còn thiếu."
    )


__all__ = ["FIXED_AT_LEVEL_VI", "SMALL_DENOMINATOR", "empty_groups", "no_official_total_vi", "indicator_rows", "missing_groups", "small_denominator_vi"]
