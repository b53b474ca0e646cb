"""Kịch bản chính sách: presets and custom rules rescore every unit; ranks move; Excel export."""
from __future__ import annotations

import io

import openpyxl

from chiso.fmt import fmt_int
from chiso.policy import PolicyRule, apply_policy, presets_vi

from conftest import metric, open_page

PAGE = "pages/policy.py"


def run_policy(sample, rules):
    names = sample.frame["unit_name"].to_numpy(object)
    return apply_policy(rules, sample.x, sample.level_idx, names, sample.codes, sample.base, sample.rb)


def test_preset_rescoring_every_unit(sample, downloads):
    at = open_page(PAGE)
    preset = "Không còn hồ sơ quá hạn ở cấp xã"
    at.selectbox(key="pol_preset").set_value(preset).run()
    res = run_policy(sample, presets_vi(sample.rb)[preset])
    units = res.units()
    assert metric(at, "Số đơn vị được nâng điểm").value == fmt_int(int((units["change"] != 0).sum()))
    assert metric(at, "Tăng hạng").value == fmt_int(int((units["rank_change"] > 0).sum()))
    shown = at.dataframe[1].value.set_index("Mã")
    top = units.loc[units["change"].idxmax()]
    assert shown.loc[top["unit_code"], "Điểm sau"] == top["total_after"]
    assert shown.loc[top["unit_code"], "Hạng sau"] == top["rank_after"]
    cohorts = at.dataframe[0].value
    assert "Cấp xã" in list(cohorts["Nhóm đơn vị"]) and "Tất cả đơn vị" in list(cohorts["Nhóm đơn vị"])
    wb = openpyxl.load_workbook(io.BytesIO(downloads["kich-ban-chinh-sach.xlsx"]))
    assert "portal-2026" in wb["Đơn vị"]["A1"].value
    rows = {r[0]: r for r in wb["Đơn vị"].iter_rows(values_only=True) if r and r[0]}
    assert rows[top["unit_code"]][4] == top["total_after"]


def test_custom_rule(sample):
    at = open_page(PAGE)
    at.selectbox(key="pol_preset").set_value("Tự đặt quy tắc…").run()
    at.selectbox(key="pol_lever").set_value("digitised").run()
    at.number_input(key="pol_rate").set_value(60).run()
    at.multiselect(key="pol_levels").set_value(["department"]).run()
    res = run_policy(sample, (PolicyRule("digitised", 0.6, ("department",)),))
    moved = int(res.moved.sum())
    assert moved > 0
    assert metric(at, "Số đơn vị được nâng điểm").value == fmt_int(int((res.units()["change"] != 0).sum()))
    assert any("60%" in i.value and "sở, ban, ngành" in i.value for i in at.info)
