"""Excel for a policy scenario (many units): rules and aggregates, every unit before/after, group breakdown."""
from __future__ import annotations

import numpy as np
from openpyxl import Workbook

from chiso.explain import HELD_VI
from chiso.policy import PolicyResult
from chiso.reports.meta import ExportMeta
from chiso.reports.workbook import COUNT, POINTS, RANK, Sheet, workbook_bytes
from chiso.rulebook import LEVEL_NAMES_VI

_UNIT_COLUMNS = [
    ("unit_code", "Mã đơn vị", None),
    ("unit_name", "Tên đơn vị", None),
    ("level", "Cấp", None),
    ("total_before", "Điểm trước", POINTS),
    ("total_after", "Điểm sau", POINTS),
    ("change", "Chênh lệch", POINTS),
    ("rank_before", "Xếp hạng trong nhóm (trước)", RANK),
    ("rank_after", "Xếp hạng trong nhóm (sau)", RANK),
    ("rank_change", "Thay đổi xếp hạng (+ là tăng hạng)", RANK),
    ("band_before", "Xếp loại (trước)", None),
    ("band_after", "Xếp loại (sau)", None),
]


def policy_workbook(res: PolicyResult, meta: ExportMeta, title: str = "") -> bytes:
    """Excel for a policy scenario: rules and aggregates, every unit before/after, group breakdown."""
    wb = Workbook()
    _summary_sheet(wb, res, meta, title)
    _unit_sheet(wb, res, meta)
    _group_sheet(wb, res, meta)
    _lever_sheet(wb, res, meta)
    return workbook_bytes(wb)


def _summary_sheet(wb: Workbook, res: PolicyResult, meta: ExportMeta, title: str) -> None:
    rb = res.rb
    sh = Sheet(wb, "Tóm tắt", meta, first=True)
    sh.blank()
    sh.row(["Kịch bản chính sách", title or "; ".join(r.describe_vi(rb) for r in res.rules)], bold=True)
    for rule in res.rules:
        sh.row(["Quy tắc", rule.describe_vi(rb)])
    sh.row(["Nguồn dữ liệu", meta.source_label])
    sh.row(["Kỳ đánh giá", meta.period])
    sh.row(["Ngày xuất", meta.created_vi])
    sh.blank()
    coh = res.cohorts()
    sh.table(
        ["Nhóm đơn vị", "Số đơn vị", "Số đơn vị phải thay đổi", "Trung bình (trước)", "Trung bình (sau)",
         "Trung vị (trước)", "Trung vị (sau)", "P75 (trước)", "P75 (sau)"],
        [[_level_vi(r.level), r.size, r.moved, r.mean_before, r.mean_after, r.median_before, r.median_after,
          r.p75_before, r.p75_after] for r in coh.itertuples()],
        [None, RANK, RANK] + [POINTS] * 6,
    )
    sh.finish()


def _unit_sheet(wb: Workbook, res: PolicyResult, meta: ExportMeta) -> None:
    rb, units = res.rb, res.units()
    sh = Sheet(wb, "Đơn vị", meta)
    lever_cols = [c for c in units.columns if c.startswith("lever__")]
    headers = [h for _, h, _ in _UNIT_COLUMNS] + [
        f"{rb.lever(c.removeprefix('lever__')).name_vi} ({rb.lever(c.removeprefix('lever__')).unit_vi})"
        for c in lever_cols
    ]
    fmts = [f for _, _, f in _UNIT_COLUMNS] + [COUNT] * len(lever_cols)
    rows = []
    for rec in units.to_dict("records"):
        row = [rec[c] for c, _, _ in _UNIT_COLUMNS] + [rec[c] for c in lever_cols]
        row[2] = LEVEL_NAMES_VI.get(row[2], row[2])
        rows.append(row)
    sh.table(headers, rows, fmts)
    sh.finish()


def _group_sheet(wb: Workbook, res: PolicyResult, meta: ExportMeta) -> None:
    sh = Sheet(wb, "Nhóm chỉ số", meta)
    sh.table(
        ["Nhóm đơn vị", "Nhóm chỉ số", "Điểm tối đa", "Trung bình (trước)", "Trung bình (sau)", "Chênh lệch"],
        [[_level_vi(g.level), res.rb.group(g.group).name_vi, g.max, _held_or(g.mean_before), _held_or(g.mean_after),
          g.change] for g in res.groups().itertuples()],
        [None, None, POINTS, POINTS, POINTS, POINTS],
    )
    sh.finish()


def _lever_sheet(wb: Workbook, res: PolicyResult, meta: ExportMeta) -> None:
    sh = Sheet(wb, "Yếu tố cải thiện", meta)
    sh.table(
        ["Yếu tố cải thiện", "Đơn vị tính", "Số đơn vị phải thay đổi", "Tổng số lượng cần thêm"],
        [[lv.name_vi, lv.unit_vi, lv.units, lv.total] for lv in res.levers().itertuples()],
        [None, None, RANK, COUNT],
    )
    sh.finish()


def _held_or(mean: float) -> float | str:
    """No unit of the cohort has data for the group: its points are held, written so (never 0)."""
    return HELD_VI if np.isnan(mean) else mean


def _level_vi(level: str) -> str:
    return "Tất cả đơn vị" if level == "all" else LEVEL_NAMES_VI.get(level, level)
