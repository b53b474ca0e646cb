"""Issue 22.7: a group without data (Tây Ninh 02/2023 has no publicity counts) read «0,00* / 18» in Mô phỏng's
metrics, the comparison, the Excel and the print, and «0,00 / 18,00 điểm» in Đơn vị's fold title, while its
points are held («giữ nguyên»). Held is written as held everywhere, never as 0."""
from __future__ import annotations

import io
import json

import openpyxl

from chiso.explain import HELD_NOTE_VI
from chiso.rulebook import load_rulebook
from chiso.samples import sample as sample_def
from ui.scenario_panel import TABS_KEY

from conftest import _Cells, metric, open_page, open_tab

WARD = "000.20.30.H53"  # UBND Phường 1
STATE = {"data_source": "tay-ninh", "unit_code": WARD}
RB = load_rulebook(sample_def("tay-ninh").rulebook)
HELD_GROUP = RB.group("TRANSPARENCY").name_vi  # «Công khai, minh bạch»: no counts in the report
OTHER_GROUPS = [g.name_vi for g in RB.groups if g.code != "TRANSPARENCY"]


def _sim_with_saved_scenario():
    at = open_page("pages/simulate.py", state=STATE)
    slider = at.slider(key="lv_n_overdue_avoided")
    slider.set_value(int(slider.value) + 1).run()
    at.text_input(key="sim_name").input("Bớt quá hạn").run()
    at.button(key="save_scenario").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_simulator_metrics_say_held_not_zero():
    at = open_page("pages/simulate.py", state=STATE)
    m = metric(at, HELD_GROUP)
    assert m.value == "giữ nguyên / 18" and not m.delta, (m.value, m.delta)
    assert all(not metric(at, name).value.startswith("0,00") for name in OTHER_GROUPS)
    captions = [c.value for c in at.caption if HELD_NOTE_VI in c.value]
    assert len(captions) == 1, [c.value for c in at.caption]  # explained once


def test_waterfall_draws_held_points_as_held():
    at = open_page("pages/simulate.py", state=STATE)
    at.session_state["sim_waterfall_open"] = True
    at.run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = [y for trace in fig["data"] for y in (trace.get("y") or [])]
    names = [trace.get("name") for trace in fig["data"]]
    water = fig["data"][0]
    row = water["y"].index(HELD_GROUP)
    assert water["text"][row] == "giữ nguyên", water["text"]
    held = next(t for t in fig["data"] if str(t.get("name", "")).startswith("Giữ nguyên"))  # a segment, labelled
    assert held["type"] == "bar" and held["name"].endswith("19,90 điểm"), names
    assert held["x"] == [19.9, 19.9] and held["y"] == ["Kịch bản gốc", "Kịch bản"], held
    assert fig["layout"]["showlegend"] is True
    assert water["text"][0] == "56,07 (gồm 19,90 giữ nguyên)", water["text"]
    assert HELD_GROUP in labels


def test_unit_fold_titles_say_held_not_zero():
    at = open_page("pages/unit.py", state=STATE)
    titles = [e.label for e in at.expander if e.label.split(":")[0] in {g.name_vi for g in RB.groups}]
    assert len(titles) == len(RB.groups), titles
    assert f"{HELD_GROUP}: giữ nguyên / 18,00 điểm" in titles, titles
    assert not [t for t in titles if ": 0,00 " in t], titles


def test_comparison_says_held_not_zero():
    at = _sim_with_saved_scenario()
    open_tab(at, TABS_KEY, "So sánh kịch bản")
    table = at.dataframe[0].value.set_index("Chỉ số")
    assert list(table.loc[HELD_GROUP]) == ["giữ nguyên", "giữ nguyên"], table.loc[HELD_GROUP]
    assert any(HELD_NOTE_VI in c.value for c in at.caption), [c.value for c in at.caption]


def test_excel_and_print_say_held_not_zero(downloads):
    at = _sim_with_saved_scenario()
    slider = at.slider(key="lv_n_overdue_avoided")
    slider.set_value(int(slider.value) + 1).run()  # another scenario than the saved one: a comparison sheet
    open_tab(at, TABS_KEY, "Xuất báo cáo")
    wb = openpyxl.load_workbook(io.BytesIO(downloads[f"mo-phong-{WARD}.xlsx"]))
    summary = {r[0].value: r for r in wb["Tóm tắt"].iter_rows() if r[0].value}
    row = next(r for label, r in summary.items() if label.startswith(HELD_GROUP))
    assert [c.value for c in row[1:3]] == ["giữ nguyên", "giữ nguyên"], [c.value for c in row]
    assert row[3].value is None and row[4].value == 18  # no change to write; the maximum stays
    assert row[1].comment is not None and "giữ nguyên" in row[1].comment.text
    assert any(HELD_NOTE_VI == r[0].value for r in summary.values()), list(summary)  # said under the table
    compare = {r[0]: r for r in wb["So sánh kịch bản"].iter_rows(values_only=True) if r and r[0]}
    assert set(compare[HELD_GROUP][1:]) == {"giữ nguyên"}, compare[HELD_GROUP]
    page = downloads[f"tom-tat-{WARD}.html"].decode()
    groups = next(t for t in _tables(page) if "Nhóm" in t)
    n = groups["Nhóm"].index(HELD_GROUP)
    assert groups["Gốc"][n] == groups["Kịch bản"][n] == "giữ nguyên", {k: v[n] for k, v in groups.items()}
    assert "0,00" not in groups["Chênh lệch"][n] and "giữ nguyên" in groups["Mức đạt"][n]
    assert HELD_NOTE_VI in page


def _tables(page: str) -> list[dict[str, list[str]]]:
    """The print page's tables as {column: cells}."""
    out = []
    for part in page.split("<table")[1:]:
        parser = _Cells()
        parser.feed("<table" + part.split("</table>")[0] + "</table>")
        head, *rows = parser.rows
        out.append({c: [r[n] for r in rows] for n, c in enumerate(head)})
    return out


def test_history_says_held_not_zero(own_workspace):
    """Đơn vị → Lịch sử: the group table read «0,00» for the publicity group in every period; the chart stacked
    a 0 for it (the grey «giữ nguyên» bar carries those points)."""
    from dataclasses import replace

    from chiso.samples import load_sample
    from chiso.workspace import open_workspace

    march = load_sample(sample_def("tay-ninh"), RB)
    open_workspace(own_workspace).import_table(replace(march, frame=march.frame.assign(period="2023-03")),
                                               "thang-3", "h", RB.id)
    at = open_page("pages/unit.py", state=STATE)
    table = next(d.value for d in at.dataframe if "Kỳ" in d.value.columns)
    assert len(table) == 2 and list(table[HELD_GROUP]) == ["giữ nguyên", "giữ nguyên"], table
    assert any(HELD_NOTE_VI in c.value for c in at.caption), [c.value for c in at.caption]
    at.session_state["unit_history_open"] = True
    at.run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = next(t for t in fig["data"] if t.get("name") == HELD_GROUP)
    assert bar["y"] == [None, None], bar["y"]  # no bar of 0: the held segment holds these points


def test_overview_says_held_not_zero():
    """Tổng quan's group columns read 0,00 for the publicity group of every Tây Ninh unit."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    at = open_page("pages/overview.py", state={"data_source": "tay-ninh"})
    table = at.dataframe(key="ov_table")
    shown = convert_arrow_bytes_to_pandas_df(table.proto.arrow_data.styler.display_values)
    column = next(c for c in table.value.columns if c.startswith(HELD_GROUP))
    cells = shown.iloc[:, list(table.value.columns).index(column)]
    assert set(cells) == {"giữ nguyên"}, set(cells)
    assert any(HELD_NOTE_VI in c.value for c in at.caption), [c.value for c in at.caption]



def test_policy_workbook_writes_a_held_group_mean_as_held(downloads):
    """Chính sách's Excel: a cohort where no unit has data for a group says «giữ nguyên», never 0."""
    from chiso.explain import HELD_VI

    open_page("pages/policy.py", state={"data_source": "tay-ninh"})
    book = openpyxl.load_workbook(io.BytesIO(downloads["kich-ban-chinh-sach.xlsx"]))
    values = [c.value for row in book["Nhóm chỉ số"].iter_rows() for c in row]
    assert HELD_VI in values, values[:40]
