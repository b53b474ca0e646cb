"""Tổng quan: all units with ranks and held points; filters; clicking a row opens the unit."""
from __future__ import annotations

import numpy as np

from chiso.cohort import competition_rank

from conftest import open_page


def test_loads_every_unit_with_rank_and_held_points(sample):
    at = open_page()
    assert [t.value for t in at.title] == ["Tổng quan"]
    assert any("portal-2026" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert len(table) == len(sample.frame)
    for col in ("Điểm hiện tại (chính thức)", "Điểm tính lại", "Điểm không có trong tệp (giữ nguyên)",
                "Xếp hạng trong nhóm", "Xếp loại"):
        assert col in table.columns
    ranks = competition_rank(sample.base.total, sample.level_idx)
    got = table.set_index("Mã")
    for code in (sample.first("commune"), sample.first("department")):
        i = sample.index(code)
        assert got.loc[code, "Xếp hạng trong nhóm"] == ranks[i]
        assert got.loc[code, "Điểm tính lại"] == sample.base.total[i]
        assert got.loc[code, "Điểm không có trong tệp (giữ nguyên)"] == sample.base.held[i]
    communes = sample.base.total[sample.level_idx == 3]
    assert any(m.label == "Trung vị" and m.value == f"{np.median(communes):.2f}".replace(".", ",") for m in at.metric)


def test_filters_level_search_band():
    at = open_page()
    at.multiselect(key="ov_levels").set_value(["department"]).run()
    assert set(at.dataframe[0].value["Cấp"]) == {"Sở, ban, ngành"}
    at.multiselect(key="ov_levels").set_value([]).run()
    at.text_input(key="ov_search").input("phường").run()
    names = at.dataframe[0].value["Tên đơn vị"]
    assert len(names) > 0 and names.str.casefold().str.contains("phường").all()


def test_clicking_a_row_opens_the_unit():
    at = open_page()
    code = at.dataframe[0].value["Mã"].iloc[5]
    at.session_state["ov_table"] = {"selection": {"rows": [5], "columns": [], "cells": []}}
    at.run()
    assert [t.value for t in at.title] == ["Đơn vị"]
    assert at.session_state["unit_code"] == code
    assert at.selectbox(key="unit_pick_unit").value == code


def test_unit_list_fold_is_built_only_when_open_and_opens_the_simulator():
    """The list of every unit (a selectbox of thousands on the national sample) is sent only once the fold
    is opened; its buttons open the chosen unit."""
    at = open_page()
    assert not [s for s in at.selectbox if s.key == "ov_pick"]
    at.session_state["ov_pick_open"] = True  # what opening the fold sends
    at.run()
    pick = at.selectbox(key="ov_pick")
    assert len(pick.options) == len(at.dataframe[0].value)
    code = pick.options[3].rsplit("(", 1)[1].rstrip(")")
    pick.set_value(code).run()
    at.button(key="ov_sim").click().run()
    assert [t.value for t in at.title] == ["Mô phỏng"]
    assert at.session_state["unit_code"] == code


def test_a_few_rows_get_a_table_of_their_size(monkeypatch):
    """Issue 22.21: one unit found sat in a fixed 560 px box of empty rows; the grid now fits its rows."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    asked: dict[str, object] = {}
    draw = DeltaGenerator.dataframe

    def dataframe(self, data=None, *args, **kw):
        asked[kw.get("key")] = kw.get("height")
        return draw(self, data, *args, **kw)

    monkeypatch.setattr(DeltaGenerator, "dataframe", dataframe)
    monkeypatch.setattr(st, "dataframe", lambda *a, **kw: dataframe(st._main, *a, **kw))
    at = open_page()
    assert asked["ov_table"] == 560  # all units: a box that scrolls
    at.text_input(key="ov_search").input("Việt Trì").run()
    rows = len(at.dataframe(key="ov_table").value)
    assert 1 <= rows <= 3
    assert asked["ov_table"] == 35 * (rows + 1) + 3  # header and rows, no empty ones


def test_clicking_any_cell_of_a_row_opens_the_unit():
    """Issue 22.13: a click on a row's name (a cell) did nothing; only the small checkbox opened the unit."""
    at = open_page()
    code = at.dataframe[0].value["Mã"].iloc[7]
    at.session_state["ov_table"] = {"selection": {"rows": [], "columns": [], "cells": [[7, "Tên đơn vị"]]}}
    at.run()
    assert [t.value for t in at.title] == ["Đơn vị"]
    assert at.session_state["unit_code"] == code
