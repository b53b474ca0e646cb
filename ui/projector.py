"""Projector view for trainers: larger type, no sidebar notes, the sidebar folded away. On with
``?view=projector`` in the link or the sidebar toggle; kept for the session across page switches."""
from __future__ import annotations

import streamlit as st

PROJECTOR = "projector_view"
QUERY_KEY, QUERY_VALUE = "view", "projector"
# plotly draws a chart's text itself (SVG, sized in the figure), out of the page CSS's reach
CHART_SCALE = 1.4
# st.dataframe and st.data_editor draw on a canvas with the theme's fixed 14 px: the grid is zoomed instead
# (glide-data-grid maps clicks through the zoom), and narrowed by as much so that it keeps the column's width
GRID_ZOOM = 1.3

# rem-based sizes of the main column only: the sidebar keeps its size so the page list still fits.
# Metric values are markdown paragraphs: without their own rule the paragraphs' 1,3rem shrank them below their
# labels (30 → 21 px at 1366). They keep ui/fit.py's size, which scales with the window and was checked on every
# page at every size: larger still would split "61,39" in a cohort card's third of a column.
_TYPE_CSS = """
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
"""
# tables, inputs (number and text boxes, selectboxes, multiselects, sliders) and their option lists
_TABLES_INPUTS_CSS = f"""
[data-testid='stMainBlockContainer'] .chiso-table table {{font-size: 1.2rem;}}
[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']:has([data-testid='stDataFrame']) {{
  zoom: {GRID_ZOOM}; width: calc(100% / {GRID_ZOOM}) !important;}}
[data-testid='stMainBlockContainer'] input, [data-testid='stMainBlockContainer'] textarea,
[data-testid='stMainBlockContainer'] [data-baseweb='tag'] span {{font-size: 1.3rem;}}
[data-testid='stMainBlockContainer'] [data-testid='stNumberInputContainer'],
[data-testid='stMainBlockContainer'] [data-testid='stSelectbox'] [role='group'],
[data-testid='stMainBlockContainer'] [data-testid='stMultiSelect'] [role='group'],
[data-testid='stMainBlockContainer'] [data-testid='stTextInputRootElement'] {{min-height: 3.2rem;}}
[data-baseweb='popover'] li, [role='listbox'] [role='option'] {{font-size: 1.2rem;}}
[data-testid='stMainBlockContainer'] [data-testid='stSliderThumbValue'],
[data-testid='stMainBlockContainer'] [data-testid='stSliderTickBar'] {{font-size: 1.2rem;}}
[data-testid='stMainBlockContainer'] [data-testid='stSlider'] [style*='translate'] {{width: 1.4rem; height: 1.4rem;}}
[data-testid='stMainBlockContainer'] [data-testid='stSlider'] [style*='relative'] > div:first-child {{height: 0.4rem;}}
"""
# the sidebar folds into a rail at the left edge; the pointer or the keyboard (Tab) opens it over the page, so
# the page list and this toggle stay one move away. CSS, not set_page_config(initial_sidebar_state=…): the
# browser keeps the user's last open/close by hand and lets it win over the page config. Phones and narrow
# windows (Streamlit's own overlay, folded by default) are left alone.
_SIDEBAR_CSS = """
@media (min-width: 769px) {
[data-testid='stSidebar'][data-collapsed='false'] {position: fixed !important; top: 0; bottom: 0; left: 0;
  z-index: 999990; transform: translateX(calc(1.5rem - 100%)); box-shadow: 2px 0 6px rgba(49, 51, 63, 0.2);}
[data-testid='stSidebar'][data-collapsed='false']:hover,
[data-testid='stSidebar'][data-collapsed='false']:focus-within {transform: none;}
[data-testid='stSidebar'][data-collapsed='false']:not(:hover):not(:focus-within) > * {opacity: 0;}
[data-testid='stSidebar'][data-collapsed='false']::after {content: '»'; position: absolute; top: 0.75rem;
  right: 0.3rem; font-size: 1.3rem; color: rgba(49, 51, 63, 0.6); pointer-events: none;}
[data-testid='stSidebar'][data-collapsed='false']:hover::after,
[data-testid='stSidebar'][data-collapsed='false']:focus-within::after {content: none;}
}
"""
PROJECTOR_CSS = f"<style>{_TYPE_CSS}{_TABLES_INPUTS_CSS}{_SIDEBAR_CSS}</style>"


def projector_view() -> bool:
    ss = st.session_state
    if PROJECTOR not in ss:
        ss[PROJECTOR] = st.query_params.get(QUERY_KEY) == QUERY_VALUE
    return bool(ss[PROJECTOR])


def chart_scale() -> float:
    """How much larger a chart's text is drawn: ``CHART_SCALE`` in the projector view, else 1."""
    return CHART_SCALE if projector_view() else 1.0


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
                      help="Chữ, bảng, biểu đồ và ô nhập lớn cho máy chiếu; thanh bên thu vào mép trái (rê chuột "
                           "vào mép để mở lại), ẩn các ghi chú ở thanh bên. Mở thẳng bằng liên kết có ?view=projector.")
    if on:
        st.html(PROJECTOR_CSS)
    return on
