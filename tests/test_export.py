"""Exports: numeric Excel cells with Vietnamese headers and the rulebook named; injection and HTML escaping."""
from __future__ import annotations

import html
import io

import numpy as np
import openpyxl
import pytest

from chiso.calibration import baseline
from chiso.engine import input_matrix, level_index
from chiso.explain import PARTIAL_NOTE_VI
from chiso.fmt import fmt_int
from chiso.policy import apply_policy, presets_vi
from chiso.reports.meta import ExportMeta
from chiso.reports.policy_workbook import policy_workbook
from chiso.reports.summary import unit_summary_html
from chiso.reports.unit_report import UnitReport, UnitScenario
from chiso.reports.unit_workbook import unit_workbook
from chiso.reports.workbook import COUNT, POINTS, RANK, safe_text
from chiso.rulebook import load_rulebook
from chiso.samples import available_samples, load_sample
from chiso.scenario import lever_rooms, score_scenarios

RB = load_rulebook("portal-2026")
EVIL = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>'


@pytest.fixture(scope="module")
def report():
    table = load_sample(available_samples()[0], RB)
    base = baseline(table, RB)
    x = input_matrix(table.frame, RB)
    i = int(np.flatnonzero(table.frame["level"] == "commune")[0])
    held, code = float(base.held[i]), str(table.frame["unit_code"][i])
    levers = {"e_results": 100, "overdue_avoided": 20}
    keys = [lv.key for lv in RB.levers]
    d = np.array([levers.get(k, 0) for k in keys], dtype=float)
    meta = ExportMeta(rb=RB, source_label=EVIL, period="Quý 3/2026", synthetic=True)
    return UnitReport(
        meta=meta, unit_code=code, unit_name=EVIL, level="commune", official_total=float(table.frame["published_total"][i]),
        base=score_scenarios(x[i], "commune", RB, held, np.zeros(len(keys)), code), base_rank=40, cohort_size=148,
        rooms=lever_rooms(x[i], "commune", RB),
        current=UnitScenario("+Kịch bản", levers, score_scenarios(x[i], "commune", RB, held, d, code), 30),
        saved=[UnitScenario("Khác", {"digitised": 5}, score_scenarios(x[i], "commune", RB, held, d * 0, code), 40)],
    )


def test_safe_text_neutralises_formulas():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_text(bad).startswith("'")
    assert safe_text("UBND xã A") == "UBND xã A"


def test_unit_workbook_cells(report):
    wb = openpyxl.load_workbook(io.BytesIO(unit_workbook(report)))
    assert wb.sheetnames == ["Tóm tắt", "Chỉ tiêu", "Yếu tố cải thiện", "So sánh kịch bản"]
    for ws in wb.worksheets:
        assert "portal-2026" in ws["A1"].value
    summary = {r[0]: r[1:] for r in wb["Tóm tắt"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Đơn vị"][0] == "'" + EVIL  # formula neutralised, text kept
    assert isinstance(summary["Dịch vụ công trực tuyến *"][0], (int, float))  # data missing in part: starred, a number
    assert PARTIAL_NOTE_VI in summary  # the star said once, under the table
    total = summary["Tổng điểm (Điểm tính lại)"]
    assert total[0] == pytest.approx(float(report.base.total[0]))
    assert total[1] == pytest.approx(float(report.current.scores.total[0]))
    assert isinstance(total[2], float) and total[2] == pytest.approx(total[1] - total[0], abs=1e-9)
    rows = list(wb["Chỉ tiêu"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "Nhóm")
    assert rows[head][:4] == ("Nhóm", "Mã chỉ tiêu", "Chỉ tiêu", "Điểm tối đa")
    by_code = {r[1]: r for r in rows[head + 1:]}
    e = by_code["ORIGINAL_RESULT_AVAILABLE"]
    k = RB.indicator_codes.index("ORIGINAL_RESULT_AVAILABLE")
    assert e[9] == report.base.numerator[0, k] + 100  # scenario numerator is numeric
    assert e[12] == pytest.approx(float(report.current.scores.points[0, k]))
    assert isinstance(e[6], float) and 0 <= e[6] <= 1  # rate stays a fraction with a % format
    online = by_code["ONLINE_SUBMISSION"]
    assert online[7] is None  # missing data stays empty, not 0
    levers = {r[0]: r for r in wb["Yếu tố cải thiện"].iter_rows(values_only=True) if r and r[0]}
    assert levers["Cấp thêm kết quả điện tử"][3] == 100
    room = next(r for r in report.rooms if r.lever.key == "overdue_avoided")
    left = room.denominator - room.current  # overdue dossiers are counted by what is left: 20 fewer
    assert levers["Giảm hồ sơ quá hạn"][1:5] == ("hồ sơ quá hạn", left, -20, left - 20)
    cmp = {r[0]: r for r in wb["So sánh kịch bản"].iter_rows(values_only=True) if r and r[0]}
    assert cmp["Chỉ số"][2] == "'+Kịch bản"


def test_summary_html_escapes_and_names_rulebook(report):
    page = unit_summary_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "portal-2026" in page and "Dữ liệu mô phỏng" in page and "@page" in page
    assert "Cấp thêm kết quả điện tử" in page
    room = next(r for r in report.rooms if r.lever.key == "overdue_avoided")  # 20 fewer overdue dossiers left
    assert (f"<td>Giảm hồ sơ quá hạn</td><td class='n'>{fmt_int(room.denominator - room.current)}</td>"
            "<td class='n'>−20</td>") in page


def test_policy_workbook(report):
    table = load_sample(available_samples()[0], RB)
    base = baseline(table, RB)
    x = input_matrix(table.frame, RB)
    res = apply_policy(presets_vi(RB)["Không còn hồ sơ quá hạn ở cấp xã"], x, level_index(table.frame["level"]),
                       table.frame["unit_name"].to_numpy(object), table.frame["unit_code"].to_numpy(object), base, RB)
    wb = openpyxl.load_workbook(io.BytesIO(policy_workbook(res, ExportMeta(RB, "Mẫu"))))
    assert wb.sheetnames == ["Tóm tắt", "Đơn vị", "Nhóm chỉ số", "Yếu tố cải thiện"]
    rows = list(wb["Đơn vị"].iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "Mã đơn vị")
    data = {r[0]: r for r in rows[head + 1:]}
    units = res.units().set_index("unit_code")
    code = units["change"].idxmax()
    assert data[code][4] == pytest.approx(units.loc[code, "total_after"])
    assert data[code][8] == units.loc[code, "rank_change"]
    assert len(data) == len(units)


def test_counts_are_whole_or_labelled_derived():
    """Tây Ninh's counts are derived from published rates (290,6508): Excel must not print them as a
    whole count (before: "#,##0" showed 10.147 as 10)."""
    s = next(s for s in available_samples() if s.key == "tay-ninh")
    rb = load_rulebook(s.rulebook)
    table = load_sample(s, rb)
    base = baseline(table, rb)
    x = input_matrix(table.frame, rb)
    i = int(np.flatnonzero(table.frame["level"] == "commune")[0])
    code, held = str(table.frame["unit_code"][i]), float(base.held[i])
    keys = [lv.key for lv in rb.levers]
    zero = np.zeros(len(keys))
    rep = UnitReport(
        meta=ExportMeta(rb=rb, source_label="Tây Ninh"), unit_code=code, unit_name="x", level="commune",
        official_total=float(table.frame["published_total"][i]),
        base=score_scenarios(x[i], "commune", rb, held, zero, code), base_rank=1, cohort_size=8,
        rooms=lever_rooms(x[i], "commune", rb),
        current=UnitScenario("k", {}, score_scenarios(x[i], "commune", rb, held, zero, code), 1), saved=[],
    )
    wb = openpyxl.load_workbook(io.BytesIO(unit_workbook(rep)))
    derived = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, float) and "#,##0" in c.number_format:
                    if "suy ra" in c.number_format:
                        derived += 1
                        assert not c.value.is_integer()
                    else:
                        assert c.value.is_integer(), (ws.title, c.coordinate, c.value)
    assert derived > 0


def test_comparison_sheet_formats_ranks_and_counts_as_integers(report):
    """Issue 22.26: ranks and lever counts in «So sánh kịch bản» were shown as «143.00»."""
    wb = openpyxl.load_workbook(io.BytesIO(unit_workbook(report)))
    rows = {r[0].value: r for r in wb["So sánh kịch bản"].iter_rows() if r and r[0].value}
    assert [c.number_format for c in rows["Xếp hạng trong nhóm"][1:4]] == [RANK] * 3
    assert [c.value for c in rows["Xếp hạng trong nhóm"][1:4]] == [40, 30, 40]
    lever = next(k for k in rows if str(k).startswith("Cấp thêm kết quả điện tử"))
    assert [c.number_format for c in rows[lever][1:4]] == [COUNT] * 3
    assert [c.number_format for c in rows["Tổng điểm (Điểm tính lại)"][1:4]] == [POINTS] * 3


def test_comparison_sheet_says_overdue_dossiers_fewer(report):
    """Issue 22.28: «Yếu tố cải thiện» counts what is left (−20), «So sánh kịch bản» how many fewer (20): the
    row says so instead of reusing the lever's unit."""
    wb = openpyxl.load_workbook(io.BytesIO(unit_workbook(report)))
    rows = {r[0]: r for r in wb["So sánh kịch bản"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Giảm hồ sơ quá hạn (số hồ sơ quá hạn bớt đi)"][1:4] == (0, 20, 0)


def test_summary_marks_losses_the_unit_cannot_change(report):
    """Issue 22.29: the printed top losses listed province-level indicators as if the ward could act on them."""
    page = unit_summary_html(report)
    lost = report.base.explain(0).sort_values("lost", ascending=False).head(5)
    fixed = lost[~lost["movable"] & (lost["lost"] > 0)]
    assert len(fixed), "the sample commune loses points on a province-level indicator"
    section = page.split("Chỉ tiêu mất nhiều điểm nhất")[1]
    for row in lost.itertuples():
        if row.lost > 0:
            marked = f"{html.escape(row.name_vi)} · không thay đổi được ở cấp này" in section
            assert marked == (not row.movable), row.name_vi
