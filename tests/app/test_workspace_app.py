"""Saved scenarios live in the workspace database: they survive a new session (a refresh or a restart),
an existing name asks before overwriting, a stale overwrite is refused, deletion is shared."""
from __future__ import annotations

from pathlib import Path

from chiso.rulebook import load_rulebook
from chiso.scenario import Scenario
from chiso.workspace import open_workspace, sample_key

from conftest import open_page, unescape

SIM = "pages/simulate.py"


def open_sim(code: str):
    return open_page(SIM, state={"unit_code": code})


def save_as(at, name: str, lever: str = "lv_n_digitised", more: int = 100):
    at.text_input(key="sim_name").input(name).run()
    at.slider(key=lever).set_value(int(at.slider(key=lever).value) + more).run()
    at.button(key="save_scenario").click().run()
    return at


def test_a_saved_scenario_is_in_the_database_and_in_a_new_session(sample, own_workspace):
    code = sample.first("commune")
    at = save_as(open_sim(code), "Họp tháng 12")
    assert any("Đã lưu kịch bản «Họp tháng 12» vào cơ sở dữ liệu làm việc" in s.value for s in at.success)
    assert at.text_input(key="sim_name").value != "Họp tháng 12", "the next save gets a new name"
    ws = open_workspace(own_workspace)
    (item,) = ws.saved("scenario", sample_key("phu-tho"), "portal-2026")
    assert (item.name, item.unit_code, item.body["levers"]) == ("Họp tháng 12", code, {"digitised": 100})
    fresh = open_sim(code)  # a refresh or a restarted server: a new session on the same database
    assert "Họp tháng 12" in fresh.session_state["scenarios"]
    assert "Họp tháng 12" in fresh.selectbox(key="saved_pick").options[0]


def test_an_existing_name_asks_before_overwriting(sample, own_workspace):
    code = sample.first("commune")
    at = save_as(open_sim(code), "Phương án A", more=100)
    at = save_as(at, "Phương án A", more=50)
    assert any("Ghi đè lên kịch bản cũ?" in w.value for w in at.warning)
    ws = open_workspace(own_workspace)
    key = sample_key("phu-tho")
    assert ws.saved("scenario", key, "portal-2026")[0].body["levers"] == {"digitised": 100}, "not yet"
    at.button(key="overwrite_yes").click().run()
    assert any("Đã ghi đè kịch bản «Phương án A»" in s.value for s in at.success)
    (item,) = ws.saved("scenario", key, "portal-2026")
    assert item.body["levers"] == {"digitised": 150} and item.version == 2


def test_a_stale_overwrite_from_another_session_is_refused(sample, own_workspace):
    code = sample.first("commune")
    rb = load_rulebook("portal-2026")
    ws = open_workspace(own_workspace)
    key = sample_key("phu-tho")
    ws.save_scenario(Scenario("Chung", rb.id, code, "2026-Q3", {"digitised": 1}), key)
    at = save_as(open_sim(code), "Chung", more=10)  # asks; meanwhile another session saves "Chung"
    item = ws.saved("scenario", key, rb.id)[0]
    ws.save_scenario(Scenario("Chung", rb.id, code, "2026-Q3", {"digitised": 2}), key, version=item.version, overwrite=True)
    at.button(key="overwrite_yes").click().run()
    assert any("vừa được phiên khác lưu" in e.value for e in at.error)
    assert ws.saved("scenario", key, rb.id)[0].body["levers"] == {"digitised": 2}, "the other save is not lost"


def test_delete_asks_first_then_hides_it_and_keeps_it_restorable(sample, own_workspace):
    code = sample.first("commune")
    at = save_as(open_sim(code), "Tạm")
    at.selectbox(key="saved_pick").set_value("Tạm").run()
    at.button(key="delete_saved").click().run()
    ws = open_workspace(own_workspace)
    assert [i.name for i in ws.saved("scenario", sample_key("phu-tho"), "portal-2026")] == ["Tạm"], "only asked"
    assert any("Xóa kịch bản «Tạm»" in w.value for w in at.warning)
    at.button(key="delete_scenario_yes").click().run()
    assert ws.saved("scenario", sample_key("phu-tho"), "portal-2026") == []
    assert "Tạm" not in at.session_state["scenarios"]
    assert [i.name for i in ws.deleted_saved("scenario")] == ["Tạm"]
    assert ws.audit_entries()[0].action == "delete_scenario"


def test_a_saved_scenario_can_be_renamed_and_a_taken_name_is_refused(sample, own_workspace):
    code = sample.first("commune")
    at = save_as(open_sim(code), "Phương án A")
    at = save_as(at, "Phương án B", more=20)
    at.selectbox(key="saved_pick").set_value("Phương án A").run()
    at.text_input(key="saved_new_name").input("Phương án B").run()
    at = at.button(key="rename_saved").click().run()
    assert any("Đã có kịch bản tên «Phương án B»" in e.value for e in at.error)
    at.text_input(key="saved_new_name").input("Họp quý").run()
    at = at.button(key="rename_saved").click().run()
    assert any("Đã đổi tên kịch bản «Phương án A» thành «Họp quý»" in s.value for s in at.success)
    names = {i.name for i in open_workspace(own_workspace).saved("scenario", sample_key("phu-tho"), "portal-2026")}
    assert names == {"Họp quý", "Phương án B"}
    assert set(open_sim(code).session_state["scenarios"]) == {"Họp quý", "Phương án B"}  # a new session too


def test_a_workspace_file_deleted_while_the_app_runs_is_said_and_nothing_is_claimed_saved(sample, own_workspace):
    at = save_as(open_sim(sample.first("commune")), "Trước khi xóa")
    assert any("Đã lưu kịch bản «Trước khi xóa»" in s.value for s in at.success)
    Path(own_workspace.removeprefix("sqlite:///")).unlink()  # deleted (or moved away) under the running app
    at = save_as(at, "Sau khi xóa")
    said = " ".join(unescape(e.value) for e in at.error)
    assert "đã bị xóa hoặc thay thế trong khi ứng dụng đang chạy; chưa lưu gì" in said, said
    assert not any("Sau khi xóa" in s.value for s in at.success), "a save into a deleted file was reported saved"
    assert not at.exception
