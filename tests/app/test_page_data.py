"""Số liệu and inline entry: type missing counts, see them flow into the simulator, undo, download.

Tây Ninh 02/2023 under qd766-2022, UBND Phường 1: the report has no total of certified copies, so the
certified-copy lever is dead until that total is typed.
"""
from __future__ import annotations

import io
import os
from datetime import timedelta

import numpy as np
import openpyxl

from chiso.calibration import baseline
from chiso.edits import Edit, apply_revisions, make_revisions
from chiso.engine import input_matrix
from chiso.fmt import fmt_points
from chiso.rulebook import load_rulebook
from chiso.samples import load_sample, sample as sample_of
from chiso.scenario import lever_rooms, simulate
from chiso.workspace import open_workspace

from ui.data_view import DATA_TAB_KEY

from conftest import metric, open_page, open_tab

WARD = "000.20.30.H53"
STATE = {"data_source": "tay-ninh", "unit_code": WARD}
RB = load_rulebook("qd766-2022")
LEVER = "e_certified_copies"
TOTAL_KEY = "certified_copies_total"


def grid_key(at) -> str:
    return next(d.key for d in at.dataframe if d.key and d.key.startswith("grid_editor_"))


def unit_editor_key(at) -> str:
    return next(d.key for d in at.dataframe if d.key and d.key.startswith("unit_editor_"))


def unit_rows(at) -> list[str]:
    return list(at.dataframe(key=unit_editor_key(at)).value["key"])


def type_in_unit_editor(at, values: dict[str, str]):
    rows = unit_rows(at)
    at.session_state[unit_editor_key(at)] = {
        "edited_rows": {rows.index(k): {"Giá trị mới": v} for k, v in values.items()},
        "added_rows": [], "deleted_rows": [],
    }
    return at.button(key="unit_editor_save").click().run()


def stored(at) -> list:
    """Every revision held for the sample: a bundled sample's revisions live in the workspace database
    (this test's own, see conftest.own_workspace); the session holds only uploads' revisions."""
    store = at.session_state["_edit_batches"] if "_edit_batches" in at.session_state else {}
    return [r for batches in store.values() for batch in batches for r in batch] + db_revisions()


def db_revisions() -> list:
    return open_workspace(os.environ["CHISO_DATABASE_URL"]).revisions("sample:tay-ninh", "qd766-2022")


def ward_after(total: int):
    table = load_sample(sample_of("tay-ninh"), RB)
    edited = apply_revisions(table, RB, make_revisions(table, RB, [Edit(WARD, TOTAL_KEY, total)]))
    i = int(np.flatnonzero(edited.frame["unit_code"] == WARD)[0])
    return edited, baseline(edited, RB), input_matrix(edited.frame, RB)[i], i


def test_the_page_lists_every_count_missing_first_with_provenance():
    at = open_page("pages/data.py", state=STATE)
    table = at.dataframe(key=unit_editor_key(at)).value
    assert len(table) == len(RB.inputs) + 1  # every raw count and the official total
    assert set(table["key"]) >= set(RB.input_keys)
    missing = table["Nguồn"].str.startswith("⚠")
    assert missing.any() and not missing[missing.idxmin():].any()  # missing first, then the rest
    prov = dict(zip(table["key"], table["Nguồn"]))
    assert prov["dossiers_received"] == "có trong tệp"
    assert prov["dossiers_e_result"] == "suy ra từ tỷ lệ × tổng số"
    assert prov[TOTAL_KEY] == "⚠ thiếu — cần nhập (giả định, cần xác nhận)"
    names = dict(zip(table["key"], table["Số liệu"]))
    assert names[TOTAL_KEY] == RB.input(TOTAL_KEY).name_vi


def test_typing_a_count_stores_a_revision_and_every_page_recomputes():
    at = open_page("pages/data.py", state=STATE)
    at.text_input(key="_w_edit_author").input("Chị Lan").run()
    at = type_in_unit_editor(at, {TOTAL_KEY: "4.000"})
    assert not at.exception
    assert "Đã lưu 1 giá trị nhập tay" in at.toast[0].value
    prov = dict(zip(at.dataframe(key=unit_editor_key(at)).value["key"],
                    at.dataframe(key=unit_editor_key(at)).value["Nguồn"]))
    assert prov[TOTAL_KEY] == "nhập tay"
    saves, history = [d.value for d in open_tab(at, DATA_TAB_KEY, "Các lần sửa").dataframe if not d.key]
    assert list(history["Cũ → mới"]) == ["trống → 4.000"]
    assert list(history["Người nhập"]) == ["Chị Lan"]
    assert list(saves["Số ô"]) == ["1"] and list(saves["Người nhập"]) == ["Chị Lan"]
    stored_at = db_revisions()[0].at  # UTC in the database, Vietnam time (UTC+7) on screen
    assert list(history["Thời điểm"]) == [(stored_at + timedelta(hours=7)).strftime("%H:%M %d/%m/%Y")]
    # the unit page now computes the certified-copy indicator instead of holding it
    _, base, _, i = ward_after(4000)
    at.switch_page("pages/unit.py").run()
    assert metric(at, "Điểm không có trong tệp (giữ nguyên)").value == fmt_points(base.held[i])
    assert metric(at, "Điểm tính lại").value == fmt_points(base.total[i])


def test_a_bad_cell_is_refused_with_a_message_and_nothing_is_stored():
    at = open_page("pages/data.py", state=STATE)
    at = type_in_unit_editor(at, {TOTAL_KEY: "4.000", "petitions_received": "-2"})
    assert "không được âm" in at.error[0].value and "UBND Phường 1" in at.error[0].value
    assert stored(at) == []
    at = type_in_unit_editor(at, {TOTAL_KEY: "1.000"})  # fewer copies than the 1.546 electronic ones
    assert "tử số không được lớn hơn mẫu số" in at.error[0].value
    assert stored(at) == []


def test_the_grid_saves_many_units_at_once_and_undo_takes_back_that_whole_save_after_asking():
    at = open_tab(open_page("pages/data.py", state=STATE), DATA_TAB_KEY, "Cả bảng")
    key = grid_key(at)
    codes = list(at.dataframe(key=key).value["unit_code"])
    at.session_state[key] = {
        "edited_rows": {codes.index(WARD): {TOTAL_KEY: "4000"}, codes.index("000.21.30.H53"): {TOTAL_KEY: "2.500"}},
        "added_rows": [], "deleted_rows": [],
    }
    at.button(key="grid_save").click().run()
    assert "Đã lưu 2 giá trị nhập tay" in at.toast[0].value
    revs = db_revisions()
    assert [(r.unit_code, r.new) for r in revs] == [(WARD, 4000.0), ("000.21.30.H53", 2500.0)]
    open_tab(at, DATA_TAB_KEY, "Các lần sửa").button(key="edit_undo").click().run()
    assert db_revisions() == revs, "the first click only asks"
    listed = at.dataframe[0].value  # what undo will take back
    assert list(listed["Trở lại"]) == ["trống", "trống"] and list(listed["Thay cho"]) == ["4.000", "2.500"]
    at.button(key="edit_undo_yes").click().run()
    assert "Đã hoàn tác" in at.toast[0].value
    assert db_revisions() == [], "one click undoes the whole save"


def test_only_the_open_tab_is_built_and_unsaved_edits_survive_a_switch_of_tab():
    """The whole table's grid (2,1 MB on the national sample) is built only in its open tab; values typed
    but not saved, in the grid or in one unit's editor, are still there after a visit to another tab."""
    at = open_page("pages/data.py", state=STATE)
    assert [d.key.split("_")[0] for d in at.dataframe] == ["unit"]  # the first tab only: no whole-table grid
    rows = unit_rows(at)
    at.session_state[unit_editor_key(at)] = {"edited_rows": {rows.index(TOTAL_KEY): {"Giá trị mới": "4000"}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()
    open_tab(at, DATA_TAB_KEY, "Cả bảng")
    assert not [d for d in at.dataframe if d.key.startswith("unit_editor_")]
    # nothing typed there yet: the slot holds the drawn table itself (no copy), so that a first typed cell
    # lands in the row the user saw even if another user's save changes the data in between
    assert at.session_state["_editor_data_grid"][1] is at.session_state["_editor_data_grid"][2]
    codes = list(at.dataframe(key=grid_key(at)).value["unit_code"])
    at.session_state[grid_key(at)] = {"edited_rows": {codes.index("000.21.30.H53"): {TOTAL_KEY: "2.500"}},
                                      "added_rows": [], "deleted_rows": []}
    at.run()
    open_tab(at, DATA_TAB_KEY, "Các lần sửa")
    assert not at.dataframe  # no revision yet, and neither editor is built
    open_tab(at, DATA_TAB_KEY, "Cả bảng")
    shown = at.dataframe(key=grid_key(at)).value.set_index("unit_code")
    assert shown.loc["000.21.30.H53", TOTAL_KEY] == "2.500"  # the grid starts from the unsaved edit
    at.button(key="grid_save").click().run()
    assert "Đã lưu 1 giá trị nhập tay" in at.toast[0].value
    assert [(r.unit_code, r.new) for r in db_revisions()] == [("000.21.30.H53", 2500.0)]
    open_tab(at, DATA_TAB_KEY, "Một đơn vị")
    unit = at.dataframe(key=unit_editor_key(at)).value.set_index("key")
    assert unit.loc[TOTAL_KEY, "Giá trị mới"] == ""  # the save renewed the editors: a fresh start


def test_the_completed_table_downloads_in_the_canonical_format(downloads):
    at = open_page("pages/data.py", state=STATE)
    type_in_unit_editor(at, {TOTAL_KEY: "4000"})
    assert {"so-lieu-qd766-2022.xlsx", "so-lieu-qd766-2022.csv"} <= set(downloads)
    ws = openpyxl.load_workbook(io.BytesIO(downloads["so-lieu-qd766-2022.xlsx"])).active
    header = [c.value for c in ws[1]]
    col = header.index(RB.input(TOTAL_KEY).name_vi)
    codes = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert ws.cell(row=codes.index(WARD) + 2, column=col + 1).value == 4000


def test_typing_beside_the_dead_lever_brings_it_to_life_in_the_simulator():
    at = open_page("pages/simulate.py", state=STATE)
    assert not any(s.key == f"lv_n_{LEVER}" for s in at.slider)  # dead: listed with the reason
    box = at.number_input(key=f"entry_lv_{LEVER}_{WARD}_{TOTAL_KEY}")
    assert box.label == f"Nhập: {RB.input(TOTAL_KEY).name_vi}"
    assert f"ít nhất 1.546 («{RB.input('e_certified_copies').name_vi}»)" in box.help  # the smallest valid total
    headings = [m.value for m in at.markdown]
    lacking = headings.index("**Yếu tố cần nhập thêm số liệu để mô phỏng**")  # not «không làm đổi điểm»
    listed = next(n for n, h in enumerate(headings) if h.startswith(f"- {RB.lever(LEVER).name_vi}:"))
    fixed = [n for n, h in enumerate(headings) if h.startswith("**Yếu tố không làm đổi điểm")]
    assert lacking < listed and all(listed < n for n in fixed)
    box.set_value(4000)
    at.button(key=f"entry_save_lv_{LEVER}_{WARD}").click().run()
    assert not at.exception
    assert "Đã lưu 1 giá trị nhập tay" in at.toast[0].value  # in view wherever the box was
    slider = at.slider(key=f"lv_n_{LEVER}")  # alive: 1.546 of 4.000, below the 50 % threshold
    _, base, x, i = ward_after(4000)
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(base.total[i])
    slider.set_value(2000).run()
    room = next(r for r in lever_rooms(x, "commune", RB) if r.lever.key == LEVER)
    d = np.zeros((1, len(RB.levers)))
    d[0, [lv.key for lv in RB.levers].index(LEVER)] = 2000 - room.current
    want = float(simulate(x[None], base.level[i:i + 1], RB, d, base.held[i:i + 1]).total[0])
    assert want > base.total[i]
    assert metric(at, "Tổng điểm (kịch bản)").value == fmt_points(want)


def test_the_planner_offers_the_missing_counts_in_its_blockers():
    at = open_page("pages/plan.py", state={**STATE, "plan_target_kind": "custom"})
    at.text_input(key="plan_target_text").input("100").run()
    at.button(key="plan_solve").click().run()
    assert "Không thể đạt" in at.error[0].value
    boxes = [n for n in at.number_input if n.key and n.key.startswith("entry_plan_blk")]
    assert any(n.key.endswith(TOTAL_KEY) for n in boxes)


def test_the_upload_screen_offers_the_template_and_the_format_help(downloads):
    at = open_page(state={"data_source": "__upload__"})
    assert "Hãy chọn tệp số liệu ở thanh bên để bắt đầu." in at.info[0].value
    at.selectbox(key="upload_help_rb").set_value("qd766-2022").run()
    assert {"mau-so-lieu-qd766-2022.xlsx", "mau-so-lieu-qd766-2022.csv",
            "huong-dan-dinh-dang-qd766-2022.md"} <= set(downloads)
    ws = openpyxl.load_workbook(io.BytesIO(downloads["mau-so-lieu-qd766-2022.xlsx"])).active
    assert RB.input(TOTAL_KEY).name_vi in [c.value for c in ws[1]]
    help_text = downloads["huong-dan-dinh-dang-qd766-2022.md"].decode("utf-8")
    assert RB.input(TOTAL_KEY).name_vi in help_text and "trang «Số liệu»" in help_text


def test_an_entered_count_is_still_there_in_a_new_session():
    """A refresh or a server restart starts a new session: the revision comes back from the workspace."""
    at = open_page("pages/data.py", state=STATE)
    type_in_unit_editor(at, {TOTAL_KEY: "4.000"})
    again = open_page("pages/simulate.py", state=STATE)  # a new AppTest: new session, same database
    assert "_edit_revisions" not in again.session_state
    assert any(s.key == f"lv_n_{LEVER}" for s in again.slider)  # the certified-copy lever is alive
    _, base, _, i = ward_after(4000)
    assert metric(again, "Tổng điểm (kịch bản)").value == fmt_points(base.total[i])


def test_ward_chairs_see_rulebook_names_and_no_command_lines():
    """Issue 22.24: the template picker showed «portal-2026»; captions told ward chairs to run
    «python -m chiso score» (now a help tooltip for the server's administrator at most)."""
    from chiso.rulebook import available_rulebooks, load_rulebook

    at = open_page(state={"data_source": "__upload__"})
    picker = at.selectbox(key="upload_help_rb")
    assert picker.options == [load_rulebook(r).name_vi for r in available_rulebooks()]
    assert not any(r in o for o in picker.options for r in available_rulebooks())
    shown = [e.value for e in (*at.caption, *at.markdown, *at.info)]
    at = open_page("pages/data.py")
    shown += [e.value for e in (*at.caption, *at.markdown)]
    at = open_page("pages/unit.py", state={"data_source": "tay-ninh"})
    shown += [e.value for e in (*at.caption, *at.markdown)]
    assert any("Mới có một kỳ" in s for s in shown)
    assert not any("python -m chiso" in s for s in shown), [s for s in shown if "python -m" in s]
