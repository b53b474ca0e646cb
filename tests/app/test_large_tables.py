"""Issue 11: an upload of more than about 15,400 units crashed Tổng quan (and Chính sách) because
Streamlit refuses a pandas Styler past ``styler.render.max_elements`` cells. ``ui.tables.formatted``
keeps the Styler for small tables and formats the columns as text past the limit."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page(n_units: int) -> AppTest:
    def script(n: int) -> None:
        import numpy as np
        import pandas as pd
        import streamlit as st

        from chiso.fmt import fmt_int, fmt_points
        from ui.tables import formatted

        frame = pd.DataFrame({f"Điểm {k}": np.linspace(0, 100, n) for k in range(17)})
        frame["Xếp hạng trong nhóm"] = np.arange(1, n + 1)
        st.dataframe(formatted(frame, [([f"Điểm {k}" for k in range(17)], fmt_points),
                                       (["Xếp hạng trong nhóm"], fmt_int)]))

    return AppTest.from_function(script, default_timeout=60, args=(n_units,)).run()


def test_twenty_thousand_units_render_formatted() -> None:
    at = _page(20_000)  # 360,000 cells: past the Styler limit
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert len(table) == 20_000
    assert table["Điểm 0"].iloc[-1] == "100,00" and table["Xếp hạng trong nhóm"].iloc[-1] == "20.000"


def test_small_tables_keep_numbers_sortable() -> None:
    at = _page(100)
    assert not at.exception
    assert at.dataframe[0].value["Xếp hạng trong nhóm"].dtype.kind in "iu"
