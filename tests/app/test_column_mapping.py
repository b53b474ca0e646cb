"""An uploaded table with a header the importer does not know: the user maps it in the sidebar."""
from __future__ import annotations

from chiso import load_rulebook, score
from chiso.io.tabular import load_tabular

from conftest import APP, AppTest

CSV = (
    "Mã đơn vị;Tên đơn vị;Cấp;Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ;Hồ sơ xong đúng hẹn (tự đặt tên);Ghi chú riêng\n"
    "X1;UBND xã A;Cấp xã;200;150;a\n"
    "X2;UBND xã B;Cấp xã;100;99;b\n"
).encode("utf-8")




def test_unknown_header_is_mapped_in_the_app_and_scores_move():
    rb = load_rulebook("portal-2026")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["data_source"] = "__upload__"
    at.run()
    at.sidebar.file_uploader(key="uploader").upload("xa.csv", CSV, "text/csv").run()
    assert not at.exception
    form_boxes = [b for b in at.sidebar.selectbox if b.key and b.key.startswith("map_")]
    # labels are the headers as written (markdown-escaped: file text is never markup)
    assert [b.label.replace("\\", "") for b in form_boxes] == ["Hồ sơ xong đúng hẹn (tự đặt tên)", "Ghi chú riêng"]
    form_boxes[0].set_value("dossiers_on_time")
    form_boxes[1].set_value("ignore")
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert at.session_state["column_map"] == {
        "Hồ sơ xong đúng hẹn (tự đặt tên)": "dossiers_on_time", "Ghi chú riêng": "ignore",
    }
    # nothing left to map, but the panel can be reopened: it keeps the choices, and a choice can be changed
    assert not [e for e in at.sidebar.expander if "chưa nhận ra" in e.label]
    assert any(e.label == "Cách gán cột đã chọn (2)" for e in at.sidebar.expander)
    kept = {b.label.replace("\\", ""): b.value for b in at.sidebar.selectbox if b.key and b.key.startswith("map_")}
    assert kept == {"Hồ sơ xong đúng hẹn (tự đặt tên)": "dossiers_on_time", "Ghi chú riêng": "ignore"}
    # the app now scores progress from the mapped column, as the importer does with the same map
    table = load_tabular("xa.csv", CSV, rb, column_map=at.session_state["column_map"])
    expected = score(table.frame, rb)
    k = rb.indicator_codes.index("PROGRESS_ON_TIME")
    assert list(expected.points[:, k]) == [15.0, 19.8]
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    shown = " ".join(str(v) for df in at.dataframe for v in df.value.astype(str).to_numpy().ravel())
    assert "UBND xã A" in shown
