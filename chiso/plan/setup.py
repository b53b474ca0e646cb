"""What the "Lập kế hoạch" page asks for, as plain data (no Streamlit): planner options edited in a
per-lever table (Khóa, giới hạn, công sức), a typed target, the units and targets of a many-units run,
and the many-units summary with Vietnamese headers.

The page only draws widgets; turning their values into planner arguments, and plans into tables,
happens here so it is tested without a browser.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from chiso.engine import Scores
from chiso.errors import DataError
from chiso.fmt import fmt_count, fmt_delta, fmt_int, fmt_number, fmt_points, parse_vn_number
from chiso.plan.solver import OBJECTIVE_VI, OBJECTIVES, Plan
from chiso.rulebook import LEVEL_NAMES_VI, Rulebook, effort_problem
from chiso.plan.targets import MEDIAN, NEXT_BAND, P75, cohort_target, next_band_target

# ---------------------------------------------------------------- options (objective, locks, caps, weights)

LOCK, CAP, WEIGHT = "lock", "cap", "weight"


def lever_table(rb: Rulebook) -> pd.DataFrame:
    """One row per lever (index: lever key) for the constraints editor: nothing locked, no cap,
    the rulebook's effort per step. The same rows for every unit, so edits survive a unit change."""
    return pd.DataFrame(
        {
            "name_vi": [lv.name_vi for lv in rb.levers],
            "unit_vi": [lv.unit_vi for lv in rb.levers],
            LOCK: [False] * len(rb.levers),
            CAP: pd.array([None] * len(rb.levers), dtype="Float64"),
            WEIGHT: [float(lv.effort) for lv in rb.levers],
        },
        index=pd.Index([lv.key for lv in rb.levers], name="lever"),
    )


@dataclass(frozen=True)
class PlanOptions:
    """Planner keyword arguments in a hashable form (a solved plan is shown only for the options it used)."""

    objective: str = "levers"
    locks: tuple[str, ...] = ()
    caps: tuple[tuple[str, int], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()  # only weights that differ from the rulebook's

    def kw(self) -> dict:
        return {"objective": self.objective, "locks": self.locks, "caps": dict(self.caps),
                "weights": dict(self.weights)}

    def describe_vi(self, rb: Rulebook) -> list[str]:
        """One Vietnamese line per kind of constraint in force (empty when there is none)."""
        out = []
        if self.locks:
            out.append("Khóa (không thay đổi): " + ", ".join(f"«{rb.lever(k).name_vi}»" for k in self.locks) + ".")
        if self.caps:
            out.append("Giới hạn tăng thêm: " + "; ".join(
                f"«{rb.lever(k).name_vi}» tối đa +{fmt_int(v)} {rb.lever(k).unit_vi}" for k, v in self.caps) + ".")
        if self.weights:
            out.append("Công sức tự đặt: " + "; ".join(
                f"«{rb.lever(k).name_vi}» {fmt_number(v, 2)} / {rb.lever(k).unit_vi}" for k, v in self.weights) + ".")
        return out


def options_from_table(table: pd.DataFrame, rb: Rulebook, objective: str = "levers") -> PlanOptions:
    """Read the edited constraints table. An empty cap means no cap (only the data's own bounds);
    a cap is a count, so 50,7 means at most 50; an empty effort falls back to the rulebook's."""
    if objective not in OBJECTIVES:
        raise DataError(f"Tiêu chí «{objective}» không hợp lệ.")
    locks, caps, weights = [], [], []
    for lv in rb.levers:
        if lv.key not in table.index:
            continue
        row = table.loc[lv.key]
        if bool(row.get(LOCK, False)) is True:
            locks.append(lv.key)
        cap = _number(row.get(CAP), lv.name_vi, "Tăng thêm tối đa")
        if cap is not None:
            if cap < 0:
                raise DataError(f"Tăng thêm tối đa của «{lv.name_vi}» phải là số không âm, đang là {fmt_number(cap)}.")
            caps.append((lv.key, int(math.floor(cap + 1e-9))))
        w = _number(row.get(WEIGHT), lv.name_vi, "Công sức")
        if w is not None:
            problem = effort_problem(w)
            if problem:
                raise DataError(f"Công sức của «{lv.name_vi}» {problem}.")
            if w != lv.effort:
                weights.append((lv.key, w))
    return PlanOptions(objective, tuple(locks), tuple(caps), tuple(weights))


def _number(value: object, name: str, column: str) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{column} của «{name}» không phải là số: «{value}».") from None
    if math.isnan(v):
        return None
    if math.isinf(v):
        raise DataError(f"{column} của «{name}» không phải là số hữu hạn.")
    return v


def parse_target(text: str) -> float:
    """A typed target, written the Vietnamese way ("70", "72,5") or with a dot ("72.5")."""
    try:
        value = parse_vn_number(text)
    except ValueError:
        raise DataError(f"Điểm mục tiêu «{text}» không phải là số (ví dụ: 70 hoặc 72,5).") from None
    if math.isnan(value) or not 0 <= value <= 100:
        raise DataError(f"Điểm mục tiêu phải từ 0 đến 100, đang là «{text}».")
    return round(value, 2)


# ---------------------------------------------------------------- many units: scope and targets

NUMBER = "number"
BATCH_MODES = (NUMBER, NEXT_BAND, MEDIAN, P75)
BATCH_MODES_VI = {
    NUMBER: "Mọi đơn vị đạt ít nhất một số điểm",
    NEXT_BAND: "Mỗi đơn vị lên xếp loại kế tiếp",
    MEDIAN: "Trung vị của nhóm",
    P75: "Phân vị 75 của nhóm",
}


def parents_of(frame: pd.DataFrame, level: str) -> list[tuple[str, str]]:
    """(code, name) of the units that units of ``level`` belong to (``parent_code``), in file order;
    the name is the parent's own row when the file has it, else its code."""
    if "parent_code" not in frame:
        return []
    names = dict(zip(frame["unit_code"].astype(str), frame["unit_name"].astype(str)))
    codes = frame.loc[frame["level"] == level, "parent_code"].fillna("").astype(str)
    return [(c, names.get(c, c)) for c in dict.fromkeys(codes) if c]


def scope_rows(frame: pd.DataFrame, level: str, parent: str | None = None) -> np.ndarray:
    """Positions of the units of ``level`` (optionally only those under ``parent``)."""
    mask = (frame["level"] == level).to_numpy()
    if parent:
        mask = mask & (frame["parent_code"].fillna("").astype(str) == parent).to_numpy()
    return np.flatnonzero(mask)


def batch_targets(base: Scores, rows: np.ndarray, mode: str, value: float | None = None) -> np.ndarray:
    """One target per unit in ``rows``. The cohort of median/P75 is every unit of the same level in the
    data (as for ranks); a unit already in the top band keeps its own score as next-band target."""
    rows = np.asarray(rows, dtype=int)
    totals = base.total[rows].astype(float)
    if mode == NUMBER:
        if value is None:
            raise DataError("Chưa nhập điểm mục tiêu.")
        return np.full(len(rows), float(value))
    if mode == NEXT_BAND:
        found = [next_band_target(t, base.rulebook) for t in totals]
        return np.array([p.value if p else t for p, t in zip(found, totals)], dtype=float)
    if mode in (MEDIAN, P75):
        q = 0.5 if mode == MEDIAN else 0.75
        out = np.empty(len(rows))
        for lv in np.unique(base.level[rows]):
            cohort = base.total[base.level == lv]
            out[base.level[rows] == lv] = cohort_target(0.0, cohort, q).value
        return out
    raise DataError(f"Loại mục tiêu «{mode}» không hợp lệ.")


# ---------------------------------------------------------------- many units: summary


def status_vi(p: Plan) -> str:
    if p.already_reached:
        return "Đã đạt sẵn"
    return "Đạt mục tiêu" if p.feasible else "Không thể đạt"


def lever_totals(plans: list[Plan], rb: Rulebook) -> pd.DataFrame:
    """Per lever: units that must change it, the total count to add and its effort (rulebook order)."""
    rows = []
    for lv in rb.levers:
        steps = [s for p in plans for s in p.steps if s.lever == lv.key]
        if steps:
            rows.append({"lever": lv.key, "name_vi": lv.name_vi, "unit_vi": lv.unit_vi, "units": len(steps),
                         "total": sum(s.delta for s in steps), "effort": sum(s.effort for s in steps)})
    return pd.DataFrame(rows, columns=["lever", "name_vi", "unit_vi", "units", "total", "effort"])


def counts(plans: list[Plan]) -> dict[str, int]:
    """How many plans reach the target with changes, were there already, or cannot reach it."""
    return {
        "units": len(plans),
        "reached": sum(p.feasible and not p.already_reached for p in plans),
        "already": sum(p.already_reached for p in plans),
        "infeasible": sum(not p.feasible for p in plans),
    }


SUMMARY_HEADERS_VI = {
    "unit_code": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "level": "Cấp",
    "baseline": "Điểm hiện tại",
    "target": "Mục tiêu",
    "status": "Kết quả",
    "final_score": "Điểm sau kế hoạch",
    "best_reachable": "Điểm cao nhất có thể đạt",
    "levers_changed": "Số yếu tố cải thiện",
    "effort": "Công sức",
    "rank_before": "Xếp hạng trong nhóm (trước)",
    "rank_after": "Xếp hạng trong nhóm (sau)",
    "plan_vi": "Kế hoạch cải thiện",
    "blocked_vi": "Nguyên nhân không thể đạt",
}


_SCREEN_HEADERS_VI = {**SUMMARY_HEADERS_VI, "rank": "Xếp hạng trong nhóm"}
_SCREEN_ORDER = ("unit_code", "unit_name", "baseline", "target", "status", "final_score", "levers_changed", "effort",
                 "rank", "best_reachable", "plan_vi", "blocked_vi")  # what a meeting reads first, long texts last


def plan_record(p: Plan, name: str = "") -> dict[str, object]:
    """The summary row of one plan, raw values under the keys of ``SUMMARY_HEADERS_VI``: the screen's table
    (``summary_vi``) and the Excel export's «Đơn vị» sheet both read it; ``Plan.summary`` in words."""
    r = p.summary()
    return {**r, "unit_name": name, "level": LEVEL_NAMES_VI.get(p.level, p.level), "status": status_vi(p)}


def summary_vi(plans: list[Plan], names: Mapping[str, str]) -> pd.DataFrame:
    """The many-units summary for the screen: Vietnamese headers, numbers formatted the Vietnamese way."""
    rows = []
    for p in plans:
        r = plan_record(p, names.get(p.unit_code, p.unit_code))
        shown = {
            **r,
            **{k: fmt_points(r[k]) for k in ("baseline", "target", "final_score", "best_reachable")},
            "levers_changed": fmt_int(r["levers_changed"]),
            "effort": fmt_number(r["effort"], 2),
            "rank": f"{r['rank_before']} → {r['rank_after']}" if r["rank_before"] is not None else "",
        }
        rows.append({_SCREEN_HEADERS_VI[k]: shown[k] for k in _SCREEN_ORDER})
    return pd.DataFrame(rows, columns=list(_SCREEN_HEADERS_VI[k] for k in _SCREEN_ORDER))


def step_records(p: Plan) -> list[dict[str, object]]:
    """Each step of a plan as raw values, counted as users count (overdue dossiers left, see ``Step.counted``):
    the screen's steps table (``steps_vi``) and the export's «Từng bước» sheet both read it."""
    rows = []
    for n, s in enumerate(p.steps, start=1):
        unit, before, change, after = s.counted()
        main = s.main
        rows.append({
            "step": n, "lever_vi": s.name_vi, "unit_vi": unit, "before": before, "change": change, "after": after,
            "indicator_vi": main.name_vi if main else "", "rate_from": main.rate_from if main else None,
            "rate_to": main.rate_to if main else None, "points": s.points, "effort": s.effort,
            "instruction_vi": s.instruction_vi,
        })
    return rows


def steps_vi(p: Plan) -> pd.DataFrame:
    """The steps of one plan for the screen, one row per step (index «Bước»)."""
    rows = step_records(p)
    return pd.DataFrame(
        {
            "Việc cần làm": [r["instruction_vi"] for r in rows],
            # whole dossiers, as the simulator's slider shows them (a count derived from a rate reads «≈10»)
            "Số lượng": [f"{fmt_count(r['before'])} → {fmt_count(r['after'])} {r['unit_vi']}" for r in rows],
            "Điểm tăng": [fmt_delta(r["points"]) for r in rows],
            "Công sức": [fmt_number(r["effort"], 2) for r in rows],
        },
        index=pd.RangeIndex(1, len(rows) + 1, name="Bước"),
    )


def describe_batch_vi(level: str, parent_name: str | None, mode: str, value: float | None, n: int) -> str:
    """"Cấp xã thuộc Tỉnh X — 148 đơn vị — mọi đơn vị đạt ít nhất 70 điểm" (for titles and exports)."""
    scope = LEVEL_NAMES_VI.get(level, level) + (f" thuộc {parent_name}" if parent_name else "")
    goal = (f"mọi đơn vị đạt ít nhất {fmt_number(value, 2)} điểm" if mode == NUMBER and value is not None
            else BATCH_MODES_VI[mode].lower())
    return f"{scope} — {fmt_int(n)} đơn vị — {goal}"


__all__ = [
    "BATCH_MODES",
    "BATCH_MODES_VI",
    "CAP",
    "LOCK",
    "NUMBER",
    "OBJECTIVE_VI",
    "PlanOptions",
    "SUMMARY_HEADERS_VI",
    "WEIGHT",
    "batch_targets",
    "counts",
    "describe_batch_vi",
    "lever_table",
    "lever_totals",
    "options_from_table",
    "parents_of",
    "parse_target",
    "plan_record",
    "scope_rows",
    "status_vi",
    "step_records",
    "steps_vi",
    "summary_vi",
]
