"""Exports for meetings: Excel workbooks and a one-page printable summary (no Streamlit here).

- Numbers stay numeric in Excel (number formats do the Vietnamese display in a vi-VN Excel);
  an empty count stays an empty cell, never 0.
- Every text cell that can carry user data (unit names, scenario names, file names) goes through
  ``safe_text``: a leading = + - @ tab or CR would make Excel run it as a formula.
- The rulebook version is named on every sheet and in the printable page.
- The printable page is self-contained HTML with print CSS; every text is escaped.
"""
from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chiso.engine import STATUS_VI, Scores
from chiso.explain import (FIXED_AT_LEVEL_VI, HELD_NOTE_VI, HELD_VI, NO_DATA_NOTE_VI, NO_DATA_VI, GroupValue,
                           group_notes_vi, group_values)
from chiso.fmt import fmt_delta, fmt_int, fmt_percent, fmt_points
from chiso.lever_text import as_counted, change_label_vi
from chiso.notes import REFERENCE_VI, SYNTHETIC_VI
from chiso.plan.setup import SUMMARY_HEADERS_VI, counts, lever_totals, plan_record, step_records
from chiso.plan.solver import OBJECTIVE_VI, Plan
from chiso.policy import PolicyResult
from chiso.rulebook import LEVEL_NAMES_VI, Rulebook
from chiso.scenario import LeverRoom, count_after, rate_after

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
POINTS, RATE, COUNT, RANK = "0.00", "0.00%", "#,##0", "0"
# a count derived from a published rate × total (290,6508) is not a whole number: shown with its decimals
# and labelled, instead of an integer format that would print a count that is not in the data
DERIVED_COUNT = '#,##0.0000" (suy ra)"'

_HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")


def safe_text(value: object) -> str:
    """Text for a spreadsheet cell: a leading formula character is neutralised with an apostrophe."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _num(x: object) -> float | None:
    """A numeric cell value; NaN and None become an empty cell (missing is not zero)."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


@dataclass(frozen=True)
class ExportMeta:
    """What every export names: rulebook version, data source, period, whether data is synthetic."""

    rb: Rulebook
    source_label: str
    period: str = ""
    synthetic: bool = False
    created: date = field(default_factory=date.today)

    @property
    def rulebook_vi(self) -> str:
        return f"{self.rb.id} — {self.rb.name_vi}"

    @property
    def notes(self) -> list[str]:
        return ([SYNTHETIC_VI] if self.synthetic else []) + [REFERENCE_VI]


@dataclass(frozen=True)
class UnitScenario:
    """One scenario of one unit, scored: what the single-unit exports print."""

    name: str
    levers: dict[str, int]
    scores: Scores  # one row
    rank: int


@dataclass(frozen=True)
class UnitReport:
    """Baseline and scenario(s) of one unit, ready to export."""

    meta: ExportMeta
    unit_code: str
    unit_name: str
    level: str
    official_total: float  # NaN when the file has none
    base: Scores  # one row: the read-only baseline
    base_rank: int
    cohort_size: int
    rooms: list[LeverRoom]  # lever bounds at the baseline
    current: UnitScenario
    saved: list[UnitScenario] = field(default_factory=list)  # other scenarios to compare
    official_groups: np.ndarray | None = None  # (G,) official group scores (NaN unknown): held groups show them


# ---------------------------------------------------------------- Excel helpers


class _Sheet:
    """Append rows with per-column number formats; header rows are bold and filled."""

    def __init__(self, wb: Workbook, title: str, meta: ExportMeta, first: bool = False):
        self.ws = wb.active if first else wb.create_sheet()
        self.ws.title = title
        self.widths: dict[int, int] = {}
        self.r = 0
        self.row([f"Bộ quy tắc tính điểm (phiên bản): {meta.rulebook_vi}"], bold=True)
        for note in meta.notes:
            self.row([note])

    def row(self, values: list, formats: list[str | None] | None = None, bold: bool = False, head: bool = False):
        self.r += 1
        r = self.r
        for c, v in enumerate(values, start=1):
            cell = self.ws.cell(row=r, column=c)
            if isinstance(v, str):
                cell.value = safe_text(v)
                self.widths[c] = max(self.widths.get(c, 8), min(len(v) + 2, 60))
            else:
                cell.value = _num(v) if v is not None else None
                fmt = formats[c - 1] if formats and c - 1 < len(formats) else None
                if fmt and cell.value is not None:
                    cell.number_format = DERIVED_COUNT if fmt == COUNT and not float(cell.value).is_integer() else fmt
            if bold or head:
                cell.font = Font(bold=True)
            if head:
                cell.fill = _HEAD_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        return r

    def blank(self):
        self.r += 1

    def table(self, headers: list[str], rows: list[list], formats: list[str | None],
              by_row: list[str] | None = None):
        """``formats`` per column; or ``by_row``: one number format per row, for its cells after the label."""
        top = self.row(headers, head=True)
        for n, values in enumerate(rows):
            self.row(values, formats if by_row is None else [None] + [by_row[n]] * (len(values) - 1))
        self.ws.freeze_panes = self.ws.cell(row=top + 1, column=1)

    def finish(self):
        for c, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = max(10, min(w, 60))


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- one unit


def _group_rows(r: UnitReport) -> list[tuple[str, GroupValue, GroupValue, float]]:
    """(label, baseline, scenario, max) for total, every group and held points; a group is written by
    ``chiso.explain.group_value`` (a group without data is «giữ nguyên», never 0)."""
    rb, b, s = r.meta.rb, r.base, r.current.scores
    rows = [("Tổng điểm (Điểm tính lại)", _plain(b.total[0]), _plain(s.total[0]), 100.0)]
    before, after = group_values(b, 0, r.official_groups), group_values(s, 0, r.official_groups)
    rows += [(grp.name_vi, bv, sv, grp.max) for grp, bv, sv in zip(rb.groups, before, after)]
    rows.append(("Điểm không có trong tệp (giữ nguyên)", _plain(b.held[0]), _plain(s.held[0]), float("nan")))
    return rows


def _plain(x: float) -> GroupValue:
    """A total as a row of the group table (always a number)."""
    return GroupValue(fmt_points(x), float(x))


def _cell(v: GroupValue) -> float | str:
    """A number stays numeric in Excel; a group without a number is the text «giữ nguyên», never 0."""
    return v.text if v.points is None else v.points


def _starred(label: str, v: GroupValue) -> str:
    """The star of a group missing some data goes on its label: the cell itself stays a number."""
    return f"{label} *" if v.partial else label


def _change(b: GroupValue, s: GroupValue) -> float | None:
    """Held points do not change: no number is written for them (an empty cell, not 0)."""
    return None if b.held or b.points is None or s.points is None else round(s.points - b.points, 2)


def _held_comments(sh: _Sheet, first_row: int, rows: list[tuple[str, GroupValue, GroupValue, float]],
                   columns: int) -> None:
    """A note on each held cell: what «giữ nguyên» means there."""
    for k, (_, b, _s, _mx) in enumerate(rows):
        if b.held:
            for c in range(2, 2 + columns):
                sh.ws.cell(row=first_row + k, column=c).comment = Comment(_held_note(b), "chiso")


def _held_note(v: GroupValue) -> str:
    return NO_DATA_NOTE_VI if v.text == NO_DATA_VI else HELD_NOTE_VI


def unit_workbook(r: UnitReport) -> bytes:
    """Excel: summary, baseline vs scenario per indicator, levers, and saved scenarios side by side."""
    meta = r.meta
    wb = Workbook()
    sh = _Sheet(wb, "Tóm tắt", meta, first=True)
    sh.blank()
    for label, value in (
        ("Đơn vị", r.unit_name),
        ("Mã đơn vị", r.unit_code),
        ("Cấp", LEVEL_NAMES_VI.get(r.level, r.level)),
        ("Kỳ đánh giá", meta.period),
        ("Nguồn dữ liệu", meta.source_label),
        ("Kịch bản", r.current.name),
        ("Ngày xuất", meta.created.strftime("%d/%m/%Y")),
    ):
        sh.row([label, value])
    sh.row(["Điểm hiện tại (chính thức)", r.official_total], [None, POINTS])
    sh.blank()
    groups = _group_rows(r)
    sh.table(
        ["Chỉ số", "Kịch bản gốc", "Kịch bản", "Chênh lệch", "Điểm tối đa"],
        [[_starred(lab, b), _cell(b), _cell(s), _change(b, s), mx] for lab, b, s, mx in groups],
        [None, POINTS, POINTS, POINTS, POINTS],
    )
    _held_comments(sh, sh.r - len(groups) + 1, groups, 2)
    sh.row(
        [f"Xếp hạng trong nhóm ({r.cohort_size} đơn vị)", r.base_rank, r.current.rank, r.base_rank - r.current.rank],
        [None, RANK, RANK, RANK],
    )
    for note in group_notes_vi([b for _, b, _, _ in groups]):  # said once, under the table
        sh.row([note])
    sh.finish()
    _indicator_sheet(wb, r)
    _lever_sheet(wb, r)
    if r.saved:
        _compare_sheet(wb, r)
    return _bytes(wb)


def _indicator_sheet(wb: Workbook, r: UnitReport) -> None:
    rb = r.meta.rb
    sh = _Sheet(wb, "Chỉ tiêu", r.meta)
    b, s = r.base.explain(0), r.current.scores.explain(0)
    headers = [
        "Nhóm", "Mã chỉ tiêu", "Chỉ tiêu", "Điểm tối đa",
        "Tử số (gốc)", "Mẫu số (gốc)", "Tỷ lệ (gốc)", "Điểm (gốc)", "Điểm bị mất (gốc)",
        "Tử số (kịch bản)", "Mẫu số (kịch bản)", "Tỷ lệ (kịch bản)", "Điểm (kịch bản)",
        "Chênh lệch điểm", "Quy tắc áp dụng (kịch bản)",
    ]
    rows = []
    for k in range(len(b)):
        rows.append([
            rb.group(b.group[k]).name_vi, b.indicator[k], b.name_vi[k], b.max_points[k],
            b.numerator[k], b.denominator[k], b.rate[k], b.points[k], b.lost[k],
            s.numerator[k], s.denominator[k], s.rate[k], s.points[k],
            _num(round(s.points[k] - b.points[k], 2)),
            STATUS_VI[int(s.status[k])],
        ])
    fmts = [None, None, None, POINTS, COUNT, COUNT, RATE, POINTS, POINTS, COUNT, COUNT, RATE, POINTS, POINTS, None]
    sh.table(headers, rows, fmts)
    sh.finish()


def _lever_sheet(wb: Workbook, r: UnitReport) -> None:
    sh = _Sheet(wb, "Yếu tố cải thiện", r.meta)
    rows = []
    for room in r.rooms:
        d = r.current.levers.get(room.lever.key, 0)
        lv = room.lever  # overdue dossiers: what is left, the change negative
        counted = as_counted(lv.unit_vi, lv.remaining_vi, room.denominator, room.current, count_after(room, d))
        rows.append([lv.name_vi, *counted, rate_after(room, 0), rate_after(room, d), room.reason_vi or ""])
    sh.table(
        ["Yếu tố cải thiện", "Đơn vị tính", "Hiện tại", "Thay đổi", "Sau mô phỏng", "Tỷ lệ hiện tại",
         "Tỷ lệ sau mô phỏng", "Ghi chú"],
        rows,
        [None, None, COUNT, COUNT, COUNT, RATE, RATE, None],
    )
    sh.finish()


def _compare_sheet(wb: Workbook, r: UnitReport) -> None:
    rb = r.meta.rb
    sh = _Sheet(wb, "So sánh kịch bản", r.meta)
    scen = [r.current] + [s for s in r.saved if s.name != r.current.name]
    headers = ["Chỉ số", "Kịch bản gốc"] + [s.name for s in scen]
    rows = [["Tổng điểm (Điểm tính lại)", float(r.base.total[0])] + [float(s.scores.total[0]) for s in scen]]
    before = group_values(r.base, 0, r.official_groups)
    columns = [before] + [group_values(s.scores, 0, r.official_groups) for s in scen]
    for g, grp in enumerate(rb.groups):
        rows.append([_starred(grp.name_vi, before[g])] + [_cell(col[g]) for col in columns])
    rows.append(["Xếp hạng trong nhóm", r.base_rank] + [s.rank for s in scen])
    points_rows = len(rows) - 1
    for lv in rb.levers:
        if any(s.levers.get(lv.key) for s in scen):
            rows.append([change_label_vi(lv), 0] + [s.levers.get(lv.key, 0) for s in scen])
    # points with 2 decimals; a rank and the lever counts are whole numbers
    sh.table(headers, rows, [], by_row=[POINTS] * points_rows + [RANK] + [COUNT] * (len(rows) - points_rows - 1))
    first = sh.r - len(rows) + 2  # the first group row
    _held_comments(sh, first, [(grp.name_vi, b, b, grp.max) for grp, b in zip(rb.groups, before)], len(columns))
    for note in group_notes_vi(before):
        sh.row([note])
    sh.finish()


# ---------------------------------------------------------------- many units (policy scenario)

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
    rb = res.rb
    wb = Workbook()
    sh = _Sheet(wb, "Tóm tắt", meta, first=True)
    sh.blank()
    sh.row(["Kịch bản chính sách", title or "; ".join(r.describe_vi(rb) for r in res.rules)], bold=True)
    for rule in res.rules:
        sh.row(["Quy tắc", rule.describe_vi(rb)])
    sh.row(["Nguồn dữ liệu", meta.source_label])
    sh.row(["Kỳ đánh giá", meta.period])
    sh.row(["Ngày xuất", meta.created.strftime("%d/%m/%Y")])
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

    units = res.units()
    sh = _Sheet(wb, "Đơn vị", meta)
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

    sh = _Sheet(wb, "Nhóm chỉ số", meta)
    grp = res.groups()
    sh.table(
        ["Nhóm đơn vị", "Nhóm chỉ số", "Điểm tối đa", "Trung bình (trước)", "Trung bình (sau)", "Chênh lệch"],
        [[_level_vi(g.level), rb.group(g.group).name_vi, g.max, _held_or(g.mean_before), _held_or(g.mean_after),
          g.change] for g in grp.itertuples()],
        [None, None, POINTS, POINTS, POINTS, POINTS],
    )
    sh.finish()

    sh = _Sheet(wb, "Yếu tố cải thiện", meta)
    lev = res.levers()
    sh.table(
        ["Yếu tố cải thiện", "Đơn vị tính", "Số đơn vị phải thay đổi", "Tổng số lượng cần thêm"],
        [[lv.name_vi, lv.unit_vi, lv.units, lv.total] for lv in lev.itertuples()],
        [None, None, RANK, COUNT],
    )
    sh.finish()
    return _bytes(wb)


def _held_or(mean: float) -> float | str:
    """No unit of the cohort has data for the group: its points are held, written so (never 0)."""
    return HELD_VI if np.isnan(mean) else mean


def _level_vi(level: str) -> str:
    return "Tất cả đơn vị" if level == "all" else LEVEL_NAMES_VI.get(level, level)



# ---------------------------------------------------------------- target plans (Lập kế hoạch)

_PLAN_UNIT_COLUMNS = [  # (summary key, format); headers from plan_setup.SUMMARY_HEADERS_VI
    ("unit_code", None), ("unit_name", None), ("level", None), ("baseline", POINTS), ("target", POINTS),
    ("status", None), ("final_score", POINTS), ("best_reachable", POINTS), ("levers_changed", RANK),
    ("effort", None), ("rank_before", RANK), ("rank_after", RANK), ("plan_vi", None), ("blocked_vi", None),
]


def plans_workbook(
    plans: list[Plan],
    meta: ExportMeta,
    names: dict[str, str] | None = None,
    title: str = "",
    options_vi: list[str] | tuple[str, ...] = (),
) -> bytes:
    """Excel for one or many ``planner.Plan``: summary and lever totals, one row per unit (with the
    count each lever must rise by), and every step. Numbers numeric; Vietnamese headers."""
    rb, names = meta.rb, names or {}
    wb = Workbook()
    sh = _Sheet(wb, "Tóm tắt", meta, first=True)
    sh.blank()
    sh.row(["Kế hoạch cải thiện", title], bold=True)
    if plans:
        sh.row(["Tiêu chí tối ưu", OBJECTIVE_VI[plans[0].objective]])
    for line in options_vi or ["Không khóa, không giới hạn thêm; công sức theo bộ quy tắc."]:
        sh.row(["Ràng buộc", line])
    sh.row(["Nguồn dữ liệu", meta.source_label])
    sh.row(["Kỳ đánh giá", meta.period])
    sh.row(["Ngày xuất", meta.created.strftime("%d/%m/%Y")])
    sh.blank()
    n = counts(plans)
    sh.table(
        ["Số đơn vị", "Đạt mục tiêu (cần thay đổi)", "Đã đạt sẵn", "Không thể đạt", "Tổng công sức"],
        [[n["units"], n["reached"], n["already"], n["infeasible"], sum(p.effort for p in plans)]],
        [COUNT, COUNT, COUNT, COUNT, None],
    )
    sh.blank()
    tot = lever_totals(plans, rb)
    sh.table(
        ["Yếu tố cải thiện", "Đơn vị tính", "Số đơn vị phải thay đổi", "Tổng số lượng cần thêm", "Tổng công sức"],
        [[r.name_vi, r.unit_vi, r.units, r.total, r.effort] for r in tot.itertuples()],
        [None, None, COUNT, COUNT, None],
    )
    sh.finish()

    sh = _Sheet(wb, "Đơn vị", meta)
    used = list(tot["lever"])
    headers = [SUMMARY_HEADERS_VI[k] for k, _ in _PLAN_UNIT_COLUMNS] + [
        f"{rb.lever(k).name_vi} (+{rb.lever(k).unit_vi})" for k in used]
    rows = []
    for p in plans:
        rec = plan_record(p, names.get(p.unit_code, ""))
        rows.append([rec[k] for k, _ in _PLAN_UNIT_COLUMNS] + [p.deltas.get(k) for k in used])
    sh.table(headers, rows, [f for _, f in _PLAN_UNIT_COLUMNS] + [COUNT] * len(used))
    sh.finish()

    sh = _Sheet(wb, "Từng bước", meta)
    keys = ("step", "lever_vi", "unit_vi", "before", "change", "after", "indicator_vi", "rate_from", "rate_to",
            "points", "effort", "instruction_vi")  # overdue dossiers: what is left, change negative
    rows = [[p.unit_code, names.get(p.unit_code, ""), *(r[k] for k in keys)] for p in plans for r in step_records(p)]
    sh.table(
        ["Mã đơn vị", "Tên đơn vị", "Bước", "Yếu tố cải thiện", "Đơn vị tính", "Hiện tại", "Thay đổi", "Sau kế hoạch",
         "Chỉ tiêu chính", "Tỷ lệ (trước)", "Tỷ lệ (sau)", "Điểm tăng", "Công sức", "Việc cần làm"],
        rows,
        [None, None, RANK, None, None, COUNT, COUNT, COUNT, None, RATE, RATE, POINTS, None, None],
    )
    sh.finish()
    return _bytes(wb)

# ---------------------------------------------------------------- one-page printable summary

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 5mm 0 2mm; }
.meta, .note { color: #444; font-size: 9pt; } .note { border-top: 1px solid #aaa; margin-top: 5mm; padding-top: 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #bbb; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; } th { background: #e8eef6; }
.bar { background: #e6e6e6; height: 3mm; width: 40mm; } .bar span { display: block; height: 3mm; background: #2f6db5; }
.held { color: #555; font-style: italic; }
.big { font-size: 20pt; font-weight: bold; } .up { color: #0a7d2c; } .down { color: #b3261e; }
@media print { .noprint { display: none; } body { max-width: none; } }
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def unit_summary_html(r: UnitReport) -> str:
    """A self-contained, escaped, one-page A4 summary of a unit's scenario for a meeting."""
    meta, rb = r.meta, r.meta.rb
    b, s = r.base, r.current.scores
    diff = float(s.total[0] - b.total[0])
    cls = "up" if diff > 0 else ("down" if diff < 0 else "")
    groups = _group_rows(r)[1:-1]
    group_rows = "".join(_print_group_row(lab, bv, sv, mx) for lab, bv, sv, mx in groups)
    group_notes = "".join(f"<p class='meta'>{_e(n)}</p>" for n in group_notes_vi([bv for _, bv, _, _ in groups]))
    lever_rows = "".join(_lever_row(room, r.current.levers[room.lever.key]) for room in r.rooms
                         if r.current.levers.get(room.lever.key, 0)
                         ) or "<tr><td colspan='4'>Chưa thay đổi yếu tố nào (kịch bản gốc).</td></tr>"
    lost = r.base.explain(0).sort_values("lost", ascending=False).head(5)
    lost_rows = "".join(
        f"<tr><td>{_e(row.name_vi + ('' if row.movable else f' · {FIXED_AT_LEVEL_VI}'))}</td>"
        f"<td class='n'>{_e(fmt_points(row.lost))}</td><td>{_e(row.rule_vi)}</td></tr>"
        for row in lost.itertuples()
        if row.lost and not math.isnan(row.lost)
    )
    notes = " ".join(_e(n) for n in meta.notes)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{_e("Tóm tắt mô phỏng — " + r.unit_name)}</title><style>{_CSS}</style></head>
<body>
<h1>{_e(r.unit_name)}</h1>
<div class="meta">Mã: {_e(r.unit_code)} · {_e(LEVEL_NAMES_VI.get(r.level, r.level))} · Kỳ đánh giá: {_e(meta.period or "—")}
 · Nguồn dữ liệu: {_e(meta.source_label)}<br>
Bộ quy tắc tính điểm (phiên bản): <b>{_e(meta.rulebook_vi)}</b> · Kịch bản: <b>{_e(r.current.name)}</b>
 · Ngày xuất: {_e(meta.created.strftime("%d/%m/%Y"))}</div>
<h2>Tổng điểm</h2>
<table><tr><th>Điểm hiện tại (chính thức)</th><th>Kịch bản gốc (Điểm tính lại)</th><th>Kịch bản</th><th>Chênh lệch</th>
<th>Xếp hạng trong nhóm</th></tr>
<tr><td class="n">{_e(fmt_points(r.official_total))}</td><td class="n">{_e(fmt_points(b.total[0]))}</td>
<td class="n big">{_e(fmt_points(s.total[0]))}</td><td class="n {cls}">{_e(fmt_delta(diff))}</td>
<td class="n">{r.base_rank} → {r.current.rank} / {r.cohort_size}</td></tr></table>
<p class="meta">Điểm không có trong tệp (giữ nguyên): {_e(fmt_points(b.held[0]))}. Xếp loại: {_e(rb.band(b.total[0]))}
 → {_e(rb.band(s.total[0]))}.</p>
<h2>Theo nhóm chỉ số</h2>
<table><tr><th>Nhóm</th><th>Gốc</th><th>Kịch bản</th><th>Chênh lệch</th><th>Tối đa</th><th>Mức đạt</th></tr>{group_rows}</table>
{group_notes}
<h2>Yếu tố cải thiện đã thay đổi</h2>
<table><tr><th>Yếu tố cải thiện</th><th>Hiện tại</th><th>Thay đổi</th><th>Tỷ lệ</th></tr>{lever_rows}</table>
<h2>Chỉ tiêu mất nhiều điểm nhất (kịch bản gốc)</h2>
<table><tr><th>Chỉ tiêu</th><th>Điểm bị mất</th><th>Quy tắc</th></tr>{lost_rows}</table>
<p class="note">{notes}</p>
<p class="noprint meta">Mở tệp này bằng trình duyệt và chọn In (Ctrl+P) để in hoặc lưu PDF.</p>
</body></html>
"""


def _print_group_row(label: str, b: GroupValue, s: GroupValue, mx: float) -> str:
    """One group of the printed summary; a held group says «giữ nguyên» where a number or a bar would be."""
    change = _change(b, s)
    bar = (f"<span class='held'>{_e(s.text)}</span>" if s.points is None else
           f"<div class='bar'><span style='width:{_pct(s.points, mx)}%'></span></div>")
    return (f"<tr><td>{_e(label)}</td><td class='n'>{_e(b.text)}</td><td class='n'>{_e(s.text)}</td>"
            f"<td class='n'>{_e('' if change is None else fmt_delta(change))}</td><td class='n'>{_e(fmt_points(mx))}</td>"
            f"<td>{bar}</td></tr>")


def _pct(v: float, mx: float) -> str:
    if not mx or math.isnan(v):
        return "0"
    return f"{max(0.0, min(100.0, 100.0 * v / mx)):.1f}"


def _lever_row(room: LeverRoom, d: float) -> str:
    """A changed lever in the printable summary, counted as users count (overdue dossiers: what is left)."""
    lv = room.lever
    _, before, change, _ = as_counted(lv.unit_vi, lv.remaining_vi, room.denominator, room.current, count_after(room, d))
    return (f"<tr><td>{_e(lv.name_vi)}</td><td class='n'>{_e(fmt_int(before))}</td><td class='n'>{_e(_signed(change))}"
            f"</td><td class='n'>{_e(fmt_percent(rate_after(room, 0)))} → {_e(fmt_percent(rate_after(room, d)))}</td></tr>")


def _signed(d: float) -> str:
    return ("+" if d > 0 else ("−" if d < 0 else "")) + fmt_int(abs(d))


__all__ = [
    "ExportMeta",
    "UnitReport",
    "UnitScenario",
    "plans_workbook",
    "policy_workbook",
    "safe_text",
    "unit_summary_html",
    "unit_workbook",
]
