"""Two people on one workspace (a training room, a city office with its wards): nobody's saved number is
lost or overwritten without a word. Each AppTest is one browser session; both share this test's database."""
from __future__ import annotations

import json
import os

from chiso.workspace import open_workspace

from ui.data_view import DATA_TAB_KEY

from conftest import open_page, open_tab
from test_page_data import STATE, TOTAL_KEY, WARD, grid_key, type_in_unit_editor, unit_editor_key, unit_rows

WARD2 = "000.21.30.H53"  # UBND Phường 2


def db():
    return open_workspace(os.environ["CHISO_DATABASE_URL"])


def stored_values() -> dict[tuple[str, str], float | None]:
    return {(r.unit_code, r.key): r.new for r in db().revisions("sample:tay-ninh", "qd766-2022")}


def grid(at):
    return open_tab(at, DATA_TAB_KEY, "Cả bảng")


def type_in_grid(at, cells: dict[tuple[str, str], str]):
    key = grid_key(at)
    codes = list(at.dataframe(key=key).value["unit_code"])
    rows: dict[int, dict[str, str]] = {}
    for (code, col), value in cells.items():
        rows.setdefault(codes.index(code), {})[col] = value
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def test_a_grid_save_stores_only_the_cells_this_user_typed_never_reverting_anothers():
    b = type_in_grid(grid(open_page("pages/data.py", state=STATE)), {(WARD2, TOTAL_KEY): "2000"})  # typed, not saved
    a = grid(open_page("pages/data.py", state=STATE))
    a = type_in_grid(a, {(WARD, TOTAL_KEY): "5000"})
    a.button(key="grid_save").click().run()
    assert stored_values() == {(WARD, TOTAL_KEY): 5000.0}
    b = b.button(key="grid_save").click().run()
    assert any("Đã lưu 1 giá trị nhập tay" in s.value for s in b.toast), [s.value for s in b.toast]
    assert stored_values() == {(WARD, TOTAL_KEY): 5000.0, (WARD2, TOTAL_KEY): 2000.0}, "A's value is kept"


def test_a_stale_save_of_the_same_cell_is_refused_with_the_value_now_stored_and_who_stored_it():
    b = open_page("pages/data.py", state=STATE)  # B sees Phường 1's total empty
    a = open_page("pages/data.py", state=STATE)
    a.text_input(key="_w_edit_author").input("Chị An").run()
    type_in_unit_editor(a, {TOTAL_KEY: "5.000"})
    b = type_in_unit_editor(b, {TOTAL_KEY: "6.000"})
    assert stored_values() == {(WARD, TOTAL_KEY): 5000.0}, "B's stale save changed nothing"
    message = b.error[0].value.replace("\\", "")  # the markdown escapes
    assert "Chưa lưu ô nào" in message and "UBND Phường 1" in message and "bạn thấy trống, nay là 5.000" in message
    assert "Chị An lưu lúc" in message
    b = b.button(key=next(x.key for x in b.button if x.key and x.key.startswith("reload_"))).click().run()
    rows = unit_rows(b)
    shown = b.dataframe(key=unit_editor_key(b)).value
    assert shown["Giá trị hiện có"].iloc[rows.index(TOTAL_KEY)] == "5.000", "after «Tải lại số liệu» B sees A's value"
    type_in_unit_editor(b, {TOTAL_KEY: "6.000"})
    assert stored_values() == {(WARD, TOTAL_KEY): 6000.0}


def test_the_grid_refuses_a_stale_cell_too():
    b = type_in_grid(grid(open_page("pages/data.py", state=STATE)), {(WARD, TOTAL_KEY): "7000"})
    type_in_unit_editor(open_page("pages/data.py", state=STATE), {TOTAL_KEY: "5.000"})
    b = b.button(key="grid_save").click().run()
    assert "nay là 5.000" in b.error[0].value.replace("\\", "")
    assert stored_values() == {(WARD, TOTAL_KEY): 5000.0}


def test_undo_takes_back_only_ones_own_save():
    a = open_page("pages/data.py", state=STATE)
    type_in_unit_editor(a, {TOTAL_KEY: "5.000"})
    b = type_in_grid(grid(open_page("pages/data.py", state=STATE)), {(WARD2, TOTAL_KEY): "2000"})
    b.button(key="grid_save").click().run()
    a = open_tab(a, DATA_TAB_KEY, "Các lần sửa")
    a.button(key="edit_undo").click().run()
    listed = a.dataframe[0].value
    assert list(listed["Thay cho"]) == ["5.000"], "A is asked about A's own save, not B's newer one"
    a.button(key="edit_undo_yes").click().run()
    assert stored_values() == {(WARD2, TOTAL_KEY): 2000.0}


def test_the_units_code_and_name_stay_in_view_while_the_counts_scroll():
    """A paste must land on units the user can see (issue 22 item 3): Mã and Tên are pinned columns."""
    at = grid(open_page("pages/data.py", state=STATE))
    columns = json.loads(at.dataframe(key=grid_key(at)).proto.columns)
    assert columns["unit_code"]["pinned"] is True and columns["unit_name"]["pinned"] is True
