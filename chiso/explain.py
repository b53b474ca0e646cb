"""Why a unit has the points it has: one row per indicator with the rule, provenance and warnings.

Builds on ``Scores.explain``; adds what the unit page and exports say in words: the counts came from
the province, the indicator cannot be moved at this level, and where one dossier swings the rate.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chiso.engine import MISSING, Scores
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_points
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


def held_groups(scores: Scores) -> np.ndarray:
    """(N, G) True where no indicator of the group has data: the engine sums nothing there (0), but the
    group's points are not 0, they are held (or unknown when there is no official total)."""
    c = scores.rulebook.compiled
    return ((~np.isnan(scores.points)).astype(float) @ c.group_onehot) == 0


def empty_groups(scores: Scores, i: int) -> np.ndarray:
    """(G,) ``held_groups`` of unit ``i``."""
    return held_groups(scores)[i]


# ---------------------------------------------------------------- how a group's points are written

HELD_VI = "giữ nguyên"  # a group without data whose points stay inside the official total
NO_DATA_VI = "không có số liệu"  # a group without data and no official total to hold its points from
HELD_NOTE_VI = (f"«{HELD_VI}»: tệp không có số liệu của nhóm này, nên không tính lại được điểm của nhóm; điểm của "
                "nhóm nằm trong Điểm không có trong tệp (giữ nguyên), đã tính trong tổng và không đổi khi mô phỏng.")
NO_DATA_NOTE_VI = (f"«{NO_DATA_VI}»: tệp không có số liệu của nhóm này và không có tổng điểm chính thức, nên điểm "
                   "của nhóm không được tính vào tổng.")
PARTIAL_NOTE_VI = ("* Nhóm thiếu số liệu một số chỉ tiêu: điểm ghi ở đây chỉ gồm các chỉ tiêu có số liệu; phần "
                   "thiếu nằm trong Điểm không có trong tệp (giữ nguyên).")


@dataclass(frozen=True)
class GroupValue:
    """A group's points as every view writes them (metrics, tables, exports, print, CLI)."""

    text: str  # «12,30», «12,30*», «giữ nguyên», «15,00 (giữ nguyên)» or «không có số liệu»
    points: float | None  # the number for a numeric cell or a bar; None where the group has no number
    held: bool = False  # no data in the group: never written as 0, never moved by a scenario
    partial: bool = False  # some indicators of the group lack data (the star)

    def of(self, max_text: str) -> str:
        """Against the group's maximum: «12,30 / 18», «giữ nguyên / 18»."""
        return f"{self.text} / {max_text}"

    def delta_vi(self, before: GroupValue) -> str | None:
        """The change from ``before`` («+1,20»), None when there is none to show (held points never move)."""
        if self.held or before.held or self.points is None or before.points is None:
            return None
        d = round(self.points - before.points, 2)
        return fmt_delta(d) if d else None


def group_value(points: float | None, empty: bool, partial: bool = False, holding: bool = True,
                official: float = math.nan) -> GroupValue:
    """The one rule for writing a group's points. ``empty``: no indicator of the group has data (the
    engine's 0 there is not a score); ``holding``: the unit's total holds the points the file does not
    cover (it has an official total); ``official``: the official group score, when the source gives it."""
    if not empty:
        p = float(points) if points is not None else math.nan
        return GroupValue(fmt_points(p) + ("*" if partial else ""), None if math.isnan(p) else p, partial=partial)
    if official is not None and not math.isnan(official):
        return GroupValue(f"{fmt_points(official)} ({HELD_VI})", float(official), held=True)
    return GroupValue(HELD_VI if holding else NO_DATA_VI, None, held=True)


def group_values(scores: Scores, i: int, official: np.ndarray | None = None) -> list[GroupValue]:
    """``group_value`` of every group of unit ``i`` (``official``: (G,) official group scores, NaN unknown)."""
    empty, miss = empty_groups(scores, i), missing_groups(scores, i)
    holding = holds_points(scores, i)
    off = np.full(len(empty), np.nan) if official is None else np.asarray(official, dtype=float)
    return [group_value(float(scores.group_points[i, g]), bool(empty[g]), bool(miss[g]), holding, float(off[g]))
            for g in range(len(empty))]


def holds_points(scores: Scores, i: int) -> bool:
    """Whether unit ``i``'s total holds official points for indicators the file does not cover."""
    return bool(scores.missing_max[i] > 0 and scores.held[i] != 0)


def group_notes_vi(values: list[GroupValue]) -> list[str]:
    """The notes a view prints once under its groups: what «giữ nguyên», «không có số liệu» and * mean."""
    texts = [v.text for v in values if v.held]
    return ([HELD_NOTE_VI] if any(HELD_VI in t for t in texts) else []) + \
        ([NO_DATA_NOTE_VI] if NO_DATA_VI in texts else []) + ([PARTIAL_NOTE_VI] if any(v.partial for v in values) else [])


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


__all__ = [
    "FIXED_AT_LEVEL_VI", "GroupValue", "HELD_NOTE_VI", "HELD_VI", "NO_DATA_NOTE_VI", "NO_DATA_VI", "PARTIAL_NOTE_VI",
    "SMALL_DENOMINATOR", "empty_groups", "group_notes_vi", "group_value", "group_values", "held_groups", "holds_points",
    "indicator_rows", "missing_groups", "no_official_total_vi", "small_denominator_vi",
]
