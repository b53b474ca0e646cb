"""Projector view for trainers: larger type, no sidebar notes. On with ``?view=projector`` in the
link or the sidebar toggle; kept for the session across page switches."""
from __future__ import annotations

import streamlit as st

PROJECTOR = "projector_view"
QUERY_KEY, QUERY_VALUE = "view", "projector"

# rem-based sizes of the main column only: the sidebar keeps its size so the page list still fits.
# Metric values are markdown paragraphs: without their own rule the paragraphs' 1,3rem shrank them below their
# labels (30 → 21 px at 1366). They keep ui/fit.py's size, which scales with the window and was checked on every
# page at every size: larger still would split "61,39" in a cohort card's third of a column.
PROJECTOR_CSS = """<style>
[data-testid='stMainBlockContainer'] {font-size: 1.3rem;}
[data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'] p,
[data-testid='stMainBlockContainer'] [data-testid='stMarkdownContainer'] li,
[data-testid='stMainBlockContainer'] [data-testid='stCaptionContainer'],
[data-testid='stMainBlockContainer'] label p {font-size: 1.3rem; line-height: 1.5;}
[data-testid='stMainBlockContainer'] [data-testid='stMetricValue'] [data-testid='stMarkdownContainer'] p {
  font-size: inherit; line-height: inherit;}
[data-testid='stMainBlockContainer'] [data-testid='stMetricLabel'] p {font-size: 1.2rem;}
[data-testid='stMainBlockContainer'] h1 {font-size: 3.2rem;}
[data-testid='stMainBlockContainer'] h2, [data-testid='stMainBlockContainer'] h3 {font-size: 2.2rem;}
[data-testid='stMainBlockContainer'] button p {font-size: 1.2rem;}
</style>"""


def projector_view() -> bool:
    ss = st.session_state
    if PROJECTOR not in ss:
        ss[PROJECTOR] = st.query_params.get(QUERY_KEY) == QUERY_VALUE
    return bool(ss[PROJECTOR])


def projector_toggle() -> bool:
    """The sidebar switch; applies the larger type when on. Returns whether the view is on."""
    on = projector_view()
    st.session_state["_w_projector"] = on

    def _changed() -> None:
        st.session_state[PROJECTOR] = st.session_state["_w_projector"]
        if st.session_state[PROJECTOR]:
            st.query_params[QUERY_KEY] = QUERY_VALUE
        elif QUERY_KEY in st.query_params:
            del st.query_params[QUERY_KEY]

    st.sidebar.toggle("Chế độ trình chiếu", key="_w_projector", on_change=_changed,
                      help="Chữ lớn cho máy chiếu, ẩn các ghi chú ở thanh bên. Mở thẳng bằng liên kết có ?view=projector.")
    if on:
        st.html(PROJECTOR_CSS)
    return on
