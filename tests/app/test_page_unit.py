"""Đơn vị: metrics from the engine, every indicator with its rule, group bars with Vietnamese labels."""
from __future__ import annotations

import base64
import json

import numpy as np

from chiso.fmt import fmt_points

from conftest import metric, open_page


def test_unit_breakdown_matches_engine(sample):
    code = sample.first("commune")
    at = open_page("pages/unit.py", state={"unit_code": code})
    i = sample.index(code)
    assert at.selectbox(key="unit_pick_unit").value == code
    assert metric(at, "Điểm tính lại").value == fmt_points(sample.base.total[i])
    assert metric(at, "Điểm không có trong tệp").value == fmt_points(sample.base.held[i])
    tables = [t.value for t in at.table]
    assert sum(len(t) for t in tables) == len(sample.rb.indicators)
    rules = " ".join(" ".join(t["Quy tắc áp dụng"]) for t in tables)
    assert "Cấp này luôn được đủ điểm" in rules and "cấp tỉnh" in rules
    chart = [e for e in at.main if getattr(e, "proto", None) is not None and "plotly" in type(e.proto).__name__.lower()]
    assert chart, "group bar chart missing"
    spec = json.loads(chart[0].proto.spec)
    assert spec["layout"]["separators"] == ",."
    assert spec["data"][1]["name"] == "Điểm đạt"
    x = spec["data"][1]["x"]
    pts = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]) if isinstance(x, dict) else np.array(x)
    np.testing.assert_allclose(pts[::-1], sample.base.group_points[i])


def test_switching_unit(sample):
    at = open_page("pages/unit.py")
    code = sample.first("department")
    at.selectbox(key="unit_pick_unit").set_value(code).run()
    assert at.session_state["unit_code"] == code
    assert metric(at, "Điểm tính lại").value == fmt_points(sample.base.total[sample.index(code)])
