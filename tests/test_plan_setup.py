"""Planner page plumbing: the constraints table → planner options, typed targets, many-units scope and
targets, the summary, and the plan workbook (numeric cells, Vietnamese headers, rulebook named, no formulas).

Expected values come from chiso.plan.solver / chiso.plan.targets / the engine, never typed in.
"""
from __future__ import annotations

import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from chiso.calibration import baseline
from chiso.errors import DataError
from chiso.fmt import fmt_int, fmt_points
from chiso.plan.setup import (
    CAP,
    LOCK,
    NUMBER,
    SUMMARY_HEADERS_VI,
    WEIGHT,
    PlanOptions,
    batch_targets,
    counts,
    describe_batch_vi,
    lever_table,
    lever_totals,
    options_from_table,
    parents_of,
    parse_target,
    plan_record,
    scope_rows,
    status_vi,
    step_records,
    steps_vi,
    summary_vi,
)
from chiso.plan.solver import plan_table, plan_unit
from chiso.reports.meta import ExportMeta
from chiso.reports.plans_workbook import plans_workbook
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample
from chiso.scenario import simulate
from chiso.engine import input_matrix
from chiso.plan.targets import MEDIAN, NEXT_BAND, P75, cohort_target, next_band_target

RB = load_rulebook("portal-2026")
EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def phu_tho():
    table = load_sample(sample("phu-tho"), RB)
    return table, baseline(table, RB)


def _edit(table: pd.DataFrame, key: str, column: str, value) -> pd.DataFrame:
    out = table.copy()
    out.loc[key, column] = value
    return out


def test_untouched_table_means_no_constraints():
    opts = options_from_table(lever_table(RB), RB)
    assert opts == PlanOptions("levers")
    assert opts.kw() == {"objective": "levers", "locks": (), "caps": {}, "weights": {}}
    assert opts.describe_vi(RB) == []
    table = lever_table(RB)
    assert list(table.index) == [lv.key for lv in RB.levers]
    assert list(table[WEIGHT]) == [lv.effort for lv in RB.levers]


def test_locks_caps_and_weights_are_read():
    t = lever_table(RB)
    t = _edit(t, "e_results", LOCK, True)
    t = _edit(t, "digitised", CAP, 50.7)  # a count: at most 50
    t = _edit(t, "reused", WEIGHT, 2.5)
    t = _edit(t, "overdue_avoided", WEIGHT, float("nan"))  # emptied: back to the rulebook's effort
    opts = options_from_table(t, RB, "effort")
    assert opts.kw() == {"objective": "effort", "locks": ("e_results",), "caps": {"digitised": 50},
                         "weights": {"reused": 2.5}}
    text = " ".join(opts.describe_vi(RB))
    assert "«Cấp thêm kết quả điện tử»" in text and "tối đa +50 hồ sơ" in text and "2,5" in text
    assert hash(opts) == hash(options_from_table(t, RB, "effort"))  # usable as a cache key


@pytest.mark.parametrize("column,value,message", [
    (CAP, -1, "không âm"),
    (WEIGHT, 0, "phải là số từ 0,000001 đến 1.000.000, đang là «0»"),
    (WEIGHT, 1e308, "phải là số từ 0,000001 đến 1.000.000, đang là «1e\\+308»"),
    (WEIGHT, "abc", "không phải là số"),
    (CAP, float("inf"), "hữu hạn"),
])
def test_bad_constraints_are_vietnamese_errors(column, value, message):
    t = lever_table(RB).astype({CAP: object, WEIGHT: object})
    t.loc["digitised", column] = value
    with pytest.raises(DataError, match=message):
        options_from_table(t, RB)


def test_parse_target():
    assert parse_target("70") == 70.0
    assert parse_target("72,5") == 72.5
    assert parse_target(" 72.25 ") == 72.25
    for bad in ("abc", "", "101", "-1"):
        with pytest.raises(DataError):
            parse_target(bad)


def test_options_drive_the_planner(phu_tho):
    table, base = phu_tho
    code = str(table.frame.loc[table.frame["level"] == "commune", "unit_code"].iloc[0])
    free = plan_unit(table, base, code, 70)
    first, second = free.steps[0], free.steps[1]
    t = _edit(lever_table(RB), first.lever, LOCK, True)
    t = _edit(t, second.lever, CAP, max(0, second.delta // 2))
    p = plan_unit(table, base, code, 70, **options_from_table(t, RB).kw())
    assert first.lever not in p.deltas
    assert p.deltas.get(second.lever, 0) <= second.delta // 2
    i = base.position(code)
    x = input_matrix(table.frame.iloc[[i]], RB)
    d = np.array([[p.deltas.get(lv.key, 0) for lv in RB.levers]], dtype=float)
    total = simulate(x, base.level[i:i + 1], RB, d, base.held[i:i + 1]).total[0]
    assert total == pytest.approx(p.final_score)
    assert (total >= 70 - 1e-9) == p.feasible


def test_scope_and_parents():
    frame = pd.DataFrame({
        "unit_code": ["P1", "P2", "A", "B", "C", "D"],
        "unit_name": ["Tỉnh Một", "Tỉnh Hai", "Xã A", "Xã B", "Xã C", "Sở D"],
        "level": ["province", "province", "commune", "commune", "commune", "department"],
        "parent_code": ["", "", "P1", "P2", "P1", "P1"],
    })
    assert parents_of(frame, "commune") == [("P1", "Tỉnh Một"), ("P2", "Tỉnh Hai")]
    assert parents_of(frame.assign(parent_code=["", "", "X9", "X9", "X9", ""]), "commune") == [("X9", "X9")]
    assert list(scope_rows(frame, "commune")) == [2, 3, 4]
    assert list(scope_rows(frame, "commune", "P1")) == [2, 4]
    assert parents_of(frame.drop(columns="parent_code"), "commune") == []


def test_batch_targets(phu_tho):
    table, base = phu_tho
    rows = scope_rows(table.frame, "commune")
    totals = base.total[rows]
    assert np.all(batch_targets(base, rows, NUMBER, 71.5) == 71.5)
    nb = batch_targets(base, rows, NEXT_BAND)
    for t, got in zip(totals, nb):
        preset = next_band_target(float(t), RB)
        assert got == (preset.value if preset else t)
    cohort = base.total[base.level == base.level[rows[0]]]
    assert np.all(batch_targets(base, rows, MEDIAN) == cohort_target(0, cohort, 0.5).value)
    assert np.all(batch_targets(base, rows, P75) == cohort_target(0, cohort, 0.75).value)
    with pytest.raises(DataError):
        batch_targets(base, rows, NUMBER)
    with pytest.raises(DataError):
        batch_targets(base, rows, "bogus")


@pytest.fixture(scope="module")
def many(phu_tho):
    table, base = phu_tho
    rows = scope_rows(table.frame, "commune")
    cohort = base.total[rows]
    target = cohort_target(0, cohort, 0.5).value  # half the communes are there already
    plans = plan_table(table, base, target, codes=base.codes[rows])
    names = dict(zip(base.codes, table.frame["unit_name"].astype(str)))
    names[plans[0].unit_code] = EVIL  # a hostile unit name
    return plans, names, target


def test_summary_counts_and_lever_totals(many):
    plans, names, _ = many
    n = counts(plans)
    assert n["units"] == len(plans) == n["reached"] + n["already"] + n["infeasible"]
    assert n["already"] > 0 and n["reached"] > 0
    view = summary_vi(plans, names)
    assert len(view) == len(plans)
    assert list(view["Kết quả"]) == [status_vi(p) for p in plans]
    assert list(view["Điểm sau kế hoạch"]) == [fmt_points(p.final_score) for p in plans]
    tot = lever_totals(plans, RB)
    for r in tot.itertuples():
        assert r.total == sum(p.deltas.get(r.lever, 0) for p in plans)
        assert r.units == sum(r.lever in p.deltas for p in plans)
    assert tot["effort"].sum() == pytest.approx(sum(p.effort for p in plans))
    assert "Cấp xã — 148 đơn vị — mọi đơn vị đạt ít nhất 66,12 điểm" == describe_batch_vi(
        "commune", None, NUMBER, 66.12, 148)


def test_plans_workbook(many):
    plans, names, target = many
    meta = ExportMeta(rb=RB, source_label=EVIL, period="2026-Q3")
    wb = openpyxl.load_workbook(io.BytesIO(plans_workbook(plans, meta, names, "Cấp xã", ["Khóa (không thay đổi): x"])))
    assert wb.sheetnames == ["Tóm tắt", "Đơn vị", "Từng bước"]
    for ws in wb.worksheets:
        assert ws["A1"].value.startswith("Bộ quy tắc tính điểm (phiên bản): portal-2026")
    summary = {r[0]: r[1:] for r in wb["Tóm tắt"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Nguồn dữ liệu"][0] == "'" + EVIL
    assert summary["Ràng buộc"][0] == "Khóa (không thay đổi): x"
    n = counts(plans)
    head = list(wb["Tóm tắt"].iter_rows(values_only=True))
    at = next(k for k, r in enumerate(head) if r[0] == "Số đơn vị")
    assert head[at + 1][:4] == (n["units"], n["reached"], n["already"], n["infeasible"])

    rows = list(wb["Đơn vị"].iter_rows(values_only=True))
    at = next(k for k, r in enumerate(rows) if r[0] == SUMMARY_HEADERS_VI["unit_code"])
    header, body = rows[at], rows[at + 1:]
    assert len(body) == len(plans)
    col = {h: k for k, h in enumerate(header)}
    for p, r in zip(plans, body):
        assert r[col["Mã đơn vị"]] == p.unit_code
        assert r[col["Điểm hiện tại"]] == pytest.approx(p.baseline)  # numbers stay numeric
        assert r[col["Mục tiêu"]] == pytest.approx(target)
        assert r[col["Điểm sau kế hoạch"]] == pytest.approx(p.final_score)
        assert r[col["Số yếu tố cải thiện"]] == p.levers_changed
        assert r[col["Kết quả"]] == status_vi(p)
        for key, d in p.deltas.items():
            lv = RB.lever(key)
            assert r[col[f"{lv.name_vi} (+{lv.unit_vi})"]] == d
    assert body[0][col["Tên đơn vị"]] == "'" + EVIL  # formula neutralised
    ws = wb["Đơn vị"]
    assert ws.cell(row=at + 2, column=col["Điểm hiện tại"] + 1).number_format == "0.00"

    steps = list(wb["Từng bước"].iter_rows(values_only=True))
    steps = steps[next(k for k, r in enumerate(steps) if r[0] == "Mã đơn vị") + 1:]
    assert len(steps) == sum(len(p.steps) for p in plans)
    first = next(p for p in plans if p.steps)
    s0 = steps[0]
    assert s0[0] == first.unit_code and s0[6] == first.steps[0].delta and s0[-1] == first.steps[0].instruction_vi
    assert isinstance(s0[11], (int, float)) and s0[11] == pytest.approx(first.steps[0].points)  # numeric, not text
    assert not math.isnan(s0[9])


def test_overdue_steps_are_counted_by_what_is_left(phu_tho):
    """A plan's «Giảm 537 hồ sơ quá hạn» showed «3.734 → 4.271 hồ sơ» (the on-time count the lever moves) on
    screen and in Excel: users count overdue dossiers left, so it is 538 → 1 hồ sơ quá hạn, change −537."""
    table, base = phu_tho
    plan = plan_unit(table, base, "H44.102", float(base.total[list(table.frame["unit_code"]).index("H44.102")]) + 5)
    step = next(s for s in plan.steps if s.lever == "overdue_avoided")
    unit, before, change, after = step.counted()
    assert unit == "hồ sơ quá hạn" and change == -step.delta < 0
    assert (before, after) == (step.denominator - step.count_from, step.denominator - step.count_to)
    assert step.instruction_vi.startswith(f"Giảm {fmt_int(step.delta)} hồ sơ quá hạn")
    other = next(s for s in plan.steps if s.lever != "overdue_avoided")  # a lever counted as it moves
    assert other.counted() == (other.unit_vi, other.count_from, other.count_to - other.count_from, other.count_to)
    meta = ExportMeta(rb=RB, source_label="Phú Thọ", period="2026-Q3")
    wb = openpyxl.load_workbook(io.BytesIO(plans_workbook([plan], meta, {}, "H44.102", [])))
    rows = list(wb["Từng bước"].iter_rows(values_only=True))
    head = next(r for r in rows if r[0] == "Mã đơn vị")
    row = next(r for r in rows if r[3] == step.name_vi)
    col = {h: k for k, h in enumerate(head)}
    assert (row[col["Đơn vị tính"]], row[col["Hiện tại"]], row[col["Thay đổi"]], row[col["Sau kế hoạch"]]) == (
        unit, before, change, after)


def test_one_plan_summary_for_the_screen_and_the_workbook(many):
    """The screen's table, its steps table and the Excel sheets read the same rows (plan_record, step_records)."""
    plans, names, _ = many
    meta = ExportMeta(rb=RB, source_label="x", period="2026-Q3")
    wb = openpyxl.load_workbook(io.BytesIO(plans_workbook(plans, meta, names)))
    rows = list(wb["Đơn vị"].iter_rows(values_only=True))
    at = next(k for k, r in enumerate(rows) if r[0] == SUMMARY_HEADERS_VI["unit_code"])
    view = summary_vi(plans, names)
    for p, r, (_, shown) in zip(plans, rows[at + 1:], view.iterrows()):
        rec = plan_record(p, names.get(p.unit_code, ""))
        for key, header in SUMMARY_HEADERS_VI.items():
            cell = r[rows[at].index(header)]
            want = rec[key]
            assert cell == want or cell == "'" + str(want) or (cell is None and want in (None, "")), (key, cell, want)
        assert shown["Điểm hiện tại"] == fmt_points(rec["baseline"]) and shown["Kết quả"] == rec["status"]
        assert shown["Kế hoạch cải thiện"] == rec["plan_vi"]
    steps = list(wb["Từng bước"].iter_rows(values_only=True))
    steps = steps[next(k for k, r in enumerate(steps) if r[0] == "Mã đơn vị") + 1:]
    recs = [r for p in plans for r in step_records(p)]
    assert [s[2] for s in steps] == [r["step"] for r in recs]
    assert [s[-1] for s in steps] == [r["instruction_vi"] for r in recs]
    for p in plans[:20]:
        table = steps_vi(p)
        assert list(table["Việc cần làm"]) == [r["instruction_vi"] for r in step_records(p)]
        assert list(table.index) == [r["step"] for r in step_records(p)]
