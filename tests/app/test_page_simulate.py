"""Mô phỏng: levers move the score by what the engine says; reset; save/compare; JSON; links; exports."""
from __future__ import annotations

import io
import json

import numpy as np
import openpyxl

from chiso.cohort import rank_among
from chiso.fmt import fmt_delta, fmt_int, fmt_points
from chiso.scenario import Scenario, lever_rooms, simulate
from ui.scenario_panel import TABS_KEY

from conftest import APP, AppTest, metric, open_page, open_tab

SIM = "pages/simulate.py"


def expected_total(sample, code: str, levers: dict[str, int]) -> float:
    i = sample.index(code)
    d = np.array([[levers.get(lv.key, 0) for lv in sample.rb.levers]], dtype=float)
    s = simulate(sample.x[i][None], sample.level_idx[i:i + 1], sample.rb, d, sample.base.held[i:i + 1])
    return float(s.total[0])


def open_sim(sample, code: str, **kw):
    return open_page(SIM, state={"unit_code": code}, **kw)


def test_moving_a_lever_changes_score_and_rank(sample):
    code = sample.first("commune")
    i = sample.index(code)
    at = open_sim(sample, code)
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(sample.base.total[i])
    room = next(r for r in lever_rooms(sample.x[i], "commune", sample.rb) if r.lever.key == "overdue_avoided")
    target = int(room.current + room.room)  # no overdue dossier left
    overdue = int(room.denominator - room.current)
    assert f"còn {fmt_int(overdue)} hồ sơ quá hạn" in at.slider(key="lv_n_overdue_avoided").label
    at.slider(key="lv_n_overdue_avoided").set_value(target).run()
    assert "còn 0 hồ sơ quá hạn" in at.slider(key="lv_n_overdue_avoided").label
    want = expected_total(sample, code, {"overdue_avoided": int(room.room)})
    assert want > sample.base.total[i]
    m = metric(at, "Tổng điểm (kịch bản)")
    assert m.value == fmt_points(want)
    assert m.delta == fmt_delta(want - sample.base.total[i])
    others = np.delete(sample.base.total, i)[np.delete(sample.level_idx, i) == sample.level_idx[i]]
    assert metric(at, "Xếp hạng trong nhóm").value == f"{rank_among(want, others)} / {len(others) + 1}"
    assert metric(at, "Kịch bản gốc").value == fmt_points(sample.base.total[i])  # baseline is read-only


def test_rate_input_sets_count_and_resets(sample):
    code = sample.first("commune")
    i = sample.index(code)
    at = open_sim(sample, code)
    room = next(r for r in lever_rooms(sample.x[i], "commune", sample.rb) if r.lever.key == "e_results")
    at.number_input(key="lv_r_e_results").set_value(95).run()
    delta = at.session_state["sim"].levers["e_results"]
    assert (room.current + delta) / room.denominator >= 0.95 > (room.current + delta - 1) / room.denominator
    assert at.slider(key="lv_n_e_results").value == room.current + delta
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(expected_total(sample, code, {"e_results": delta}))
    at.number_input(key="lv_c_digitised").set_value(int(at.slider(key="lv_n_digitised").value) + 50).run()
    at.button(key="lv_x_e_results").click().run()
    assert at.session_state["sim"].levers == {"digitised": 50}
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(expected_total(sample, code, {"digitised": 50}))
    at.button(key="reset_all").click().run()
    assert not any(at.session_state["sim"].levers.values())
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(sample.base.total[i])


def test_levers_that_cannot_move_are_listed_with_reason(sample):
    at = open_sim(sample, sample.first("commune"))
    text = " ".join(m.value for m in at.markdown)
    assert "Chứng thực điện tử thêm bản sao" in text and "không làm đổi điểm" in text
    assert not [s for s in at.slider if s.key == "lv_n_e_certified_copies"]



def test_save_compare_and_json_round_trip(sample, downloads):
    code = sample.first("commune")
    at = open_sim(sample, code)
    at.text_input(key="sim_name").input("Giảm quá hạn").run()
    at.slider(key="lv_n_overdue_avoided").set_value(int(at.slider(key="lv_n_overdue_avoided").value) + 30).run()
    at.button(key="save_scenario").click().run()
    at.slider(key="lv_n_digitised").set_value(int(at.slider(key="lv_n_digitised").value) + 200).run()
    at.text_input(key="sim_name").input("Thêm số hóa").run()
    at.button(key="save_scenario").click().run()
    saved = at.session_state["scenarios"]
    assert set(saved) == {"Giảm quá hạn", "Thêm số hóa"}
    # only the open tab is built: no comparison table, uploader or JSON file until their tab is opened
    assert not at.dataframe and not at.get("file_uploader") and f"kich-ban-{code}.json" not in downloads
    open_tab(at, TABS_KEY, "So sánh kịch bản")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Chỉ số", "Kịch bản gốc", "Giảm quá hạn", "Thêm số hóa"]
    totals = dict(zip(table.columns[1:], table.iloc[0, 1:]))
    assert totals["Giảm quá hạn"] == fmt_points(expected_total(sample, code, {"overdue_avoided": 30}))
    assert totals["Thêm số hóa"] == fmt_points(expected_total(sample, code, {"overdue_avoided": 30, "digitised": 200}))
    open_tab(at, TABS_KEY, "Tải lên / tải về")
    doc = json.loads(downloads[f"kich-ban-{code}.json"])
    assert doc["levers"] == {"digitised": 200, "overdue_avoided": 30} and doc["rulebook"] == "portal-2026"

    # upload it into a fresh session: the simulator reopens the same state
    doc["name"] = "Từ tệp"
    fresh = open_sim(sample, sample.first("department"))
    open_tab(fresh, TABS_KEY, "Tải lên / tải về")
    fresh.file_uploader(key="sim_upload").upload("kb.json", json.dumps(doc).encode(), "application/json").run()
    assert fresh.session_state["unit_code"] == code
    assert fresh.session_state["sim"].levers == {"digitised": 200, "overdue_avoided": 30}
    assert "Từ tệp" in fresh.session_state["scenarios"]
    assert metric(fresh, "Tổng điểm (kịch bản)").value == fmt_points(
        expected_total(sample, code, {"overdue_avoided": 30, "digitised": 200}))


def test_bad_upload_is_a_vietnamese_error(sample):
    at = open_sim(sample, sample.first("commune"))
    open_tab(at, TABS_KEY, "Tải lên / tải về")
    at.file_uploader(key="sim_upload").upload("x.json", b"{not json", "application/json").run()
    assert any("không phải JSON hợp lệ" in e.value for e in at.error)


def test_shared_link_reopens_state(sample):
    code = sample.first("commune")
    query = {"src": "phu-tho", "rb": "portal-2026", "unit": code, "lv": "e_results:40,overdue_avoided:10", "name": "Họp"}
    # the link is the simulator URL with its query: the query is there on the session's first run
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(SIM).run()
    assert at.session_state["unit_code"] == code
    sim = at.session_state["sim"]
    assert (sim.unit, sim.rb, sim.name) == (code, "portal-2026", "Họp")
    assert sim.levers == {"e_results": 40, "overdue_avoided": 10}
    assert at.slider(key="lv_n_e_results").value == at.number_input(key="lv_c_e_results").value
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(
        expected_total(sample, code, {"e_results": 40, "overdue_avoided": 10}))
    link = next(c.value for c in at.code)
    assert "unit=" + code in link and "lv=e_results%3A40%2Coverdue_avoided%3A10" in link and "src=phu-tho" in link


def test_pending_scenario_contract_clamps_to_room(sample):
    code = sample.first("commune")
    i = sample.index(code)
    room = next(r for r in lever_rooms(sample.x[i], "commune", sample.rb) if r.lever.key == "e_results")
    plan = Scenario("Kế hoạch", "portal-2026", code, "", {"e_results": int(room.room) + 999, "e_certified_copies": 5})
    at = open_page(SIM, state={"pending_scenario": plan})
    assert "pending_scenario" not in at.session_state
    assert at.session_state["sim"].levers == {"e_results": int(room.room)}
    assert any("đã điều chỉnh" in w.value for w in at.warning)
    assert any("Kế hoạch" in s.value for s in at.success)


def test_excel_and_printable_exports(sample, downloads):
    code = sample.first("commune")
    at = open_sim(sample, code)
    at.slider(key="lv_n_e_results").set_value(int(at.slider(key="lv_n_e_results").value) + 25).run()
    open_tab(at, TABS_KEY, "Xuất báo cáo")
    wb = openpyxl.load_workbook(io.BytesIO(downloads[f"mo-phong-{code}.xlsx"]))
    assert "portal-2026" in wb["Tóm tắt"]["A1"].value
    rows = {r[0]: r for r in wb["Tóm tắt"].iter_rows(values_only=True) if r and r[0]}
    want = expected_total(sample, code, {"e_results": 25})
    assert rows["Tổng điểm (Điểm tính lại)"][2] == want
    assert rows["Tổng điểm (Điểm tính lại)"][1] == sample.base.total[sample.index(code)]
    ind = {r[1]: r for r in wb["Chỉ tiêu"].iter_rows(values_only=True) if r and r[1]}
    k = sample.rb.indicator_codes.index("ORIGINAL_RESULT_AVAILABLE")
    assert ind["ORIGINAL_RESULT_AVAILABLE"][9] == sample.base.numerator[sample.index(code), k] + 25
    page = downloads[f"tom-tat-{code}.html"].decode()
    assert "portal-2026" in page and fmt_points(want) in page


def test_hostile_scenario_name_is_shown_as_text(sample):
    code = sample.first("commune")
    evil = "![x](http://evil.example/t.png) [bấm](http://evil.example) <b>đậm</b>"
    plan = Scenario(evil, "portal-2026", code, "", {"e_results": 1})
    at = open_page(SIM, state={"pending_scenario": plan})
    shown = next(s.value for s in at.success if "Đã áp dụng" in s.value)
    assert "](http" not in shown and "\\[" in shown and "\\<b\\>" in shown


def test_bad_link_is_refused_in_vietnamese(sample):
    at = AppTest.from_file(str(APP), default_timeout=60)
    for k, v in {"src": "phu-tho", "rb": "portal-2026", "unit": sample.first("commune"), "lv": "khong_co:3"}.items():
        at.query_params[k] = v
    at.run()
    assert any("Không mở được liên kết chia sẻ" in e.value and "khong" in e.value for e in at.error)
    at.switch_page(SIM).run()
    assert not at.exception and not any(at.session_state["sim"].levers.values())


def test_overdue_lever_is_typed_as_overdue_left(sample):
    """Issue 10: to leave 200 overdue dossiers one typed 6.484 (the on-time count); now one types 200."""
    code = sample.first("commune")
    i = sample.index(code)
    room = next(r for r in lever_rooms(sample.x[i], "commune", sample.rb) if r.lever.key == "overdue_avoided")
    overdue = int(room.denominator - room.current)
    assert overdue >= 2
    at = open_sim(sample, code)
    box = at.number_input(key="lv_c_overdue_avoided")
    assert box.label == "Còn hồ sơ quá hạn" and box.value == overdue
    left = overdue // 2
    box.set_value(left).run()
    assert at.session_state["sim"].levers == {"overdue_avoided": overdue - left}
    assert f"còn {fmt_int(left)} hồ sơ quá hạn" in at.slider(key="lv_n_overdue_avoided").label
    assert at.number_input(key="lv_c_overdue_avoided").value == left
    want = expected_total(sample, code, {"overdue_avoided": overdue - left})
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(want)


def test_lever_hints_are_true_and_say_each_thing_once(sample):
    """Issue 10: "thêm 1 hồ sơ: 0,00 điểm" beside "thêm 67: +0,06", and "Thêm 1 PAKN … · thêm 1 PAKN …"."""
    at = open_sim(sample, sample.first("commune"))
    hints = [c.value for c in at.caption if " · " in c.value and "điểm" in c.value]
    assert hints
    for h in hints:
        assert "0,00 điểm" not in h, h
        first = h.split(" · ")[0].lower()
        assert first.count("thêm 1 ") + first.count("bớt 1 ") <= 1, h


def _charts(at) -> list:
    return [e for e in at.main if "plotly" in type(getattr(e, "proto", None)).__name__.lower()]


def test_waterfall_is_built_only_while_its_fold_is_open(sample):
    """Closed (the default), a lever move builds no plotly figure and the page loads no plotly script."""
    at = open_sim(sample, sample.first("commune"))
    assert not at.exception and not _charts(at)
    at.session_state["sim_waterfall_open"] = True  # what opening the fold sends
    at.run()
    assert not at.exception
    assert len(_charts(at)) == 1


def test_the_picked_saved_scenario_survives_a_switch_of_tab(sample):
    """Only the open scenario tab is drawn, and Streamlit forgets an undrawn widget's state: the pick is kept."""
    at = open_sim(sample, sample.first("commune"))
    for name in ("Một", "Hai"):
        at.text_input(key="sim_name").input(name).run()
        at.button(key="save_scenario").click().run()
    at.selectbox(key="saved_pick").set_value("Hai").run()
    open_tab(at, TABS_KEY, "So sánh kịch bản")
    assert not [s for s in at.selectbox if s.key == "saved_pick"]
    open_tab(at, TABS_KEY, "Lưu kịch bản")
    assert at.selectbox(key="saved_pick").value == "Hai"


def test_best_next_steps_say_fewer_overdue_dossiers(sample):
    """The list of points per extra unit said «Giảm hồ sơ quá hạn: … (thêm 4.645 hồ sơ: +0,27)»: fewer overdue
    dossiers is «bớt … hồ sơ quá hạn», as under the lever itself."""
    code = sample.first("commune")
    at = open_sim(sample, code)
    lines = next(m.value for m in at.markdown if m.value.startswith("1. ")).splitlines()
    overdue = [t for t in lines if "Giảm hồ sơ quá hạn" in t]
    assert overdue, lines  # this commune's overdue lever brings points
    assert "(bớt " in overdue[0] and "hồ sơ quá hạn:" in overdue[0].split("(bớt ")[1], overdue[0]
    assert all("(thêm " in t for t in lines if t not in overdue), lines


def test_a_typed_count_out_of_range_is_brought_to_its_limit_and_said_in_vietnamese(sample):
    """Streamlit's own min/max refused 99999 with only an English tooltip and applied nothing."""
    code = sample.first("commune")
    i = sample.index(code)
    at = open_sim(sample, code)
    room = next(r for r in lever_rooms(sample.x[i], "commune", sample.rb) if r.lever.key == "e_results")
    at.number_input(key="lv_c_e_results").set_value(99_999_999).run()
    assert at.slider(key="lv_n_e_results").value == room.denominator  # every dossier with an e-result
    note = next(w.value for w in at.warning if "99.999.999" in w.value)
    assert f"chỉ từ 0 đến {fmt_int(room.denominator)}, nên lấy {fmt_int(room.denominator)}" in note
    at.number_input(key="lv_r_e_results").set_value(250).run()
    assert any("tỷ lệ (%) chỉ từ 0 đến 100, nên lấy 100" in w.value for w in at.warning)


def test_exports_name_the_scenario_just_saved(sample, downloads):
    """Issue 22.5: after «Lưu kịch bản» the box offers «… PAKN 2»; the exports named that instead of the
    saved scenario the levers are, and the comparison sheet had it twice."""
    code = sample.first("commune")
    name = "B: kết quả điện tử + PAKN"
    at = open_sim(sample, code)
    at.text_input(key="sim_name").input("A: giảm quá hạn").run()
    at.slider(key="lv_n_overdue_avoided").set_value(int(at.slider(key="lv_n_overdue_avoided").value) + 30).run()
    at.button(key="save_scenario").click().run()
    at.text_input(key="sim_name").input(name).run()
    at.slider(key="lv_n_e_results").set_value(int(at.slider(key="lv_n_e_results").value) + 25).run()
    at.button(key="save_scenario").click().run()
    assert at.session_state["sim"].name == f"{name} 2"
    open_tab(at, TABS_KEY, "Xuất báo cáo")
    wb = openpyxl.load_workbook(io.BytesIO(downloads[f"mo-phong-{code}.xlsx"]))
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert name in cells and f"{name} 2" not in cells
    head = next(r for r in wb["So sánh kịch bản"].iter_rows(values_only=True) if r and r[0] == "Chỉ số")
    assert [h for h in head if h] == ["Chỉ số", "Kịch bản gốc", name, "A: giảm quá hạn"]
    page = downloads[f"tom-tat-{code}.html"].decode()
    assert "PAKN 2" not in page and "Kịch bản: <b>B: kết quả điện tử + PAKN</b>" in page


def test_fewer_overdue_dossiers_read_as_fewer_everywhere(sample, downloads):
    """Issue 22.28: «còn 794 hồ sơ quá hạn · thay đổi +30» (a reduction as +30); the Excel used one number
    for «left» on one sheet and «reduced by» on another without saying which."""
    code = sample.first("commune")
    at = open_sim(sample, code)
    slider = at.slider(key="lv_n_overdue_avoided")
    left = int(at.number_input(key="lv_c_overdue_avoided").value)
    slider.set_value(int(slider.value) + 30).run()
    label = at.slider(key="lv_n_overdue_avoided").label
    assert label.endswith(f"còn {fmt_int(left - 30)} hồ sơ quá hạn · bớt 30"), label
    at.button(key="save_scenario").click().run()
    open_tab(at, TABS_KEY, "So sánh kịch bản")
    shown = at.dataframe[0].value.set_index("Chỉ số")
    assert shown.loc["Giảm hồ sơ quá hạn (số hồ sơ quá hạn bớt đi)"].iloc[-1] == "30"
    open_tab(at, TABS_KEY, "Xuất báo cáo")
    wb = openpyxl.load_workbook(io.BytesIO(downloads[f"mo-phong-{code}.xlsx"]))
    levers = {r[0]: r for r in wb["Yếu tố cải thiện"].iter_rows(values_only=True) if r and r[0]}
    assert levers["Giảm hồ sơ quá hạn"][1:5] == ("hồ sơ quá hạn", left, -30, left - 30)
