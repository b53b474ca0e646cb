"""Excel for one unit: summary, baseline vs scenario per indicator, levers, saved scenarios side by side."""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment

from chiso.engine import STATUS_VI
from chiso.explain import HELD_NOTE_VI, NO_DATA_NOTE_VI, NO_DATA_VI, GroupValue, group_notes_vi, group_values
from chiso.lever_text import as_counted, change_label_vi
from chiso.reports.unit_report import GroupRow, UnitReport, group_change, group_rows
from chiso.reports.workbook import COUNT, POINTS, RANK, RATE, Sheet, num, workbook_bytes
from chiso.rulebook import LEVEL_NAMES_VI
from chiso.scenario import count_after, rate_after


def _cell(v: GroupValue) -> float | str:
    """A number stays numeric in Excel; a group without a number is the text «giữ nguyên», never 0."""
    return v.text if v.points is None else v.points


def _starred(label: str, v: GroupValue) -> str:
    """The star of a group missing some data goes on its label: the cell itself stays a number."""
    return f"{label} *" if v.partial else label


def _held_comments(sh: Sheet, first_row: int, rows: list[GroupRow], columns: int) -> None:
    """A note on each held cell: what «giữ nguyên» means there."""
    for k, (_, b, _s, _mx) in enumerate(rows):
        if b.held:
            for c in range(2, 2 + columns):
                sh.ws.cell(row=first_row + k, column=c).comment = Comment(_held_note(b), "chiso")


def _held_note(v: GroupValue) -> str:
    return NO_DATA_NOTE_VI if v.text == NO_DATA_VI else HELD_NOTE_VI


def unit_workbook(r: UnitReport) -> bytes:
    """Excel: summary, baseline vs scenario per indicator, levers, and saved scenarios side by side."""
    wb = Workbook()
    _summary_sheet(wb, r)
    _indicator_sheet(wb, r)
    _lever_sheet(wb, r)
    if r.saved:
        _compare_sheet(wb, r)
    return workbook_bytes(wb)


def _summary_sheet(wb: Workbook, r: UnitReport) -> None:
    meta = r.meta
    sh = Sheet(wb, "Tóm tắt", meta, first=True)
    sh.blank()
    for label, value in (
        ("Đơn vị", r.unit_name),
        ("Mã đơn vị", r.unit_code),
        ("Cấp", LEVEL_NAMES_VI.get(r.level, r.level)),
        ("Kỳ đánh giá", meta.period),
        ("Nguồn dữ liệu", meta.source_label),
        ("Kịch bản", r.current.name),
        ("Ngày xuất", meta.created_vi),
    ):
        sh.row([label, value])
    sh.row(["Điểm hiện tại (chính thức)", r.official_total], [None, POINTS])
    sh.blank()
    groups = group_rows(r)
    sh.table(
        ["Chỉ số", "Kịch bản gốc", "Kịch bản", "Chênh lệch", "Điểm tối đa"],
        [[_starred(lab, b), _cell(b), _cell(s), group_change(b, s), mx] for lab, b, s, mx in groups],
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


def _indicator_sheet(wb: Workbook, r: UnitReport) -> None:
    rb = r.meta.rb
    sh = Sheet(wb, "Chỉ tiêu", r.meta)
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
            num(round(s.points[k] - b.points[k], 2)),
            STATUS_VI[int(s.status[k])],
        ])
    fmts = [None, None, None, POINTS, COUNT, COUNT, RATE, POINTS, POINTS, COUNT, COUNT, RATE, POINTS, POINTS, None]
    sh.table(headers, rows, fmts)
    sh.finish()


def _lever_sheet(wb: Workbook, r: UnitReport) -> None:
    sh = Sheet(wb, "Yếu tố cải thiện", r.meta)
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
    sh = Sheet(wb, "So sánh kịch bản", r.meta)
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
