"""Excel for target plans (Lập kế hoạch): summary and lever totals, one row per unit, every step.

The one report that reads the planner: ``chiso.plan`` sits below it, never the other way round.
"""
from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook

from chiso.plan.setup import SUMMARY_HEADERS_VI, counts, lever_totals, plan_record, step_records
from chiso.plan.solver import OBJECTIVE_VI, Plan
from chiso.reports.meta import ExportMeta
from chiso.reports.workbook import COUNT, POINTS, RANK, RATE, Sheet, workbook_bytes

_PLAN_UNIT_COLUMNS = [  # (summary key, format); headers from plan_setup.SUMMARY_HEADERS_VI
    ("unit_code", None), ("unit_name", None), ("level", None), ("baseline", POINTS), ("target", POINTS),
    ("status", None), ("final_score", POINTS), ("best_reachable", POINTS), ("levers_changed", RANK),
    ("effort", None), ("rank_before", RANK), ("rank_after", RANK), ("plan_vi", None), ("blocked_vi", None),
]
_STEP_KEYS = ("step", "lever_vi", "unit_vi", "before", "change", "after", "indicator_vi", "rate_from", "rate_to",
              "points", "effort", "instruction_vi")  # overdue dossiers: what is left, change negative


def plans_workbook(
    plans: list[Plan],
    meta: ExportMeta,
    names: dict[str, str] | None = None,
    title: str = "",
    options_vi: Sequence[str] = (),
) -> bytes:
    """Excel for one or many ``planner.Plan``: summary and lever totals, one row per unit (with the
    count each lever must rise by), and every step. Numbers numeric; Vietnamese headers."""
    names = names or {}
    wb = Workbook()
    used = _summary_sheet(wb, plans, meta, title, options_vi)
    _unit_sheet(wb, plans, meta, names, used)
    _step_sheet(wb, plans, meta, names)
    return workbook_bytes(wb)


def _summary_sheet(wb: Workbook, plans: list[Plan], meta: ExportMeta, title: str,
                   options_vi: Sequence[str]) -> list[str]:
    """The summary sheet; returns the keys of the levers some plan changes (the unit sheet's columns)."""
    sh = Sheet(wb, "Tóm tắt", meta, first=True)
    sh.blank()
    sh.row(["Kế hoạch cải thiện", title], bold=True)
    if plans:
        sh.row(["Tiêu chí tối ưu", OBJECTIVE_VI[plans[0].objective]])
    for line in options_vi or ["Không khóa, không giới hạn thêm; công sức theo bộ quy tắc."]:
        sh.row(["Ràng buộc", line])
    sh.row(["Nguồn dữ liệu", meta.source_label])
    sh.row(["Kỳ đánh giá", meta.period])
    sh.row(["Ngày xuất", meta.created_vi])
    sh.blank()
    n = counts(plans)
    sh.table(
        ["Số đơn vị", "Đạt mục tiêu (cần thay đổi)", "Đã đạt sẵn", "Không thể đạt", "Tổng công sức"],
        [[n["units"], n["reached"], n["already"], n["infeasible"], sum(p.effort for p in plans)]],
        [COUNT, COUNT, COUNT, COUNT, None],
    )
    sh.blank()
    tot = lever_totals(plans, meta.rb)
    sh.table(
        ["Yếu tố cải thiện", "Đơn vị tính", "Số đơn vị phải thay đổi", "Tổng số lượng cần thêm", "Tổng công sức"],
        [[r.name_vi, r.unit_vi, r.units, r.total, r.effort] for r in tot.itertuples()],
        [None, None, COUNT, COUNT, None],
    )
    sh.finish()
    return list(tot["lever"])


def _unit_sheet(wb: Workbook, plans: list[Plan], meta: ExportMeta, names: dict[str, str], used: list[str]) -> None:
    rb = meta.rb
    sh = Sheet(wb, "Đơn vị", meta)
    headers = [SUMMARY_HEADERS_VI[k] for k, _ in _PLAN_UNIT_COLUMNS] + [
        f"{rb.lever(k).name_vi} (+{rb.lever(k).unit_vi})" for k in used]
    rows = []
    for p in plans:
        rec = plan_record(p, names.get(p.unit_code, ""))
        rows.append([rec[k] for k, _ in _PLAN_UNIT_COLUMNS] + [p.deltas.get(k) for k in used])
    sh.table(headers, rows, [f for _, f in _PLAN_UNIT_COLUMNS] + [COUNT] * len(used))
    sh.finish()


def _step_sheet(wb: Workbook, plans: list[Plan], meta: ExportMeta, names: dict[str, str]) -> None:
    sh = Sheet(wb, "Từng bước", meta)
    rows = [[p.unit_code, names.get(p.unit_code, ""), *(r[k] for k in _STEP_KEYS)]
            for p in plans for r in step_records(p)]
    sh.table(
        ["Mã đơn vị", "Tên đơn vị", "Bước", "Yếu tố cải thiện", "Đơn vị tính", "Hiện tại", "Thay đổi", "Sau kế hoạch",
         "Chỉ tiêu chính", "Tỷ lệ (trước)", "Tỷ lệ (sau)", "Điểm tăng", "Công sức", "Việc cần làm"],
        rows,
        [None, None, RANK, None, None, COUNT, COUNT, COUNT, None, RATE, RATE, POINTS, None, None],
    )
    sh.finish()
