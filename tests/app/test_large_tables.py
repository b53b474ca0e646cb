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


def _display_values(at: AppTest):
    """The display values Streamlit sends beside the numbers (what the grid shows in each cell)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    return convert_arrow_bytes_to_pandas_df(at.dataframe[0].proto.arrow_data.styler.display_values)


def test_small_tables_show_vietnamese_numbers() -> None:
    """The fast display values (ui.tables._Shown) are exactly what the formatters give, cell by cell."""
    at = _page(5)
    shown = _display_values(at)
    assert list(shown["Điểm 0"]) == ["0,00", "25,00", "50,00", "75,00", "100,00"]
    assert list(shown["Xếp hạng trong nhóm"]) == ["1", "2", "3", "4", "5"]


def test_missing_values_show_a_dash() -> None:
    def script() -> None:
        import pandas as pd
        import streamlit as st

        from chiso.fmt import fmt_points
        from ui.tables import formatted

        st.dataframe(formatted(pd.DataFrame({"Điểm": [1234.5, None, 1234.5]}), [(["Điểm"], fmt_points)]))

    at = AppTest.from_function(script, default_timeout=60).run()
    assert list(_display_values(at)["Điểm"]) == ["1.234,50", "—", "1.234,50"]
