"""Đơn vị: metrics from the engine, every indicator with its rule, group bars with Vietnamese labels."""
from __future__ import annotations

from chiso.fmt import fmt_points

from conftest import html_tables, metric, open_page


def test_unit_breakdown_matches_engine(sample):
    code = sample.first("commune")
    at = open_page("pages/unit.py", state={"unit_code": code})
    i = sample.index(code)
    assert at.selectbox(key="unit_pick_unit").value == code
    assert metric(at, "Điểm tính lại").value == fmt_points(sample.base.total[i])
    assert metric(at, "Điểm không có trong tệp").value == fmt_points(sample.base.held[i])
    tables = [t for t in html_tables(at) if "Quy tắc áp dụng" in t]  # the indicator tables, not the history's
    assert sum(len(t["Chỉ tiêu"]) for t in tables) == len(sample.rb.indicators)
    rules = " ".join(" ".join(t["Quy tắc áp dụng"]) for t in tables)
    assert "Cấp này luôn được đủ điểm" in rules and "cấp tỉnh" in rules
    bars = {p.proto.text.split(":")[0]: p for p in at.get("progress")}
    for n, g in enumerate(sample.rb.groups):  # each group's points against its maximum, formatted the VN way
        got = float(sample.base.group_points[i, n])
        assert fmt_points(got) in bars[g.name_vi].proto.text
        assert abs(bars[g.name_vi].proto.value - 100 * min(1.0, got / g.max)) < 1  # Streamlit keeps whole %


def test_switching_unit(sample):
    at = open_page("pages/unit.py")
    code = sample.first("department")
    at.selectbox(key="unit_pick_unit").set_value(code).run()
    assert at.session_state["unit_code"] == code
    assert metric(at, "Điểm tính lại").value == fmt_points(sample.base.total[sample.index(code)])
