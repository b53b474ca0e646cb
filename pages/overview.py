"""Tổng quan: every unit with total and group scores, band and rank inside its cohort; click to open."""
import pandas as pd
import streamlit as st

from chiso.cohort import filter_units, ranking_table
from chiso.explain import group_notes_vi, group_value
from chiso.fmt import DASH, fmt_delta, fmt_int, fmt_points
from chiso.history import total_changes
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS
from ui.safe_md import md
from ui.history_view import period_picker, previous_period
from ui.html_table import html_table
from ui.state import UNIT_KEY, UNIT_PAGE, rulebook_caption, sidebar
from ui.tables import formatted, grid_height

data = sidebar()
rb = data.rb
st.title("Tổng quan")
rulebook_caption(data)
period_picker(data)
prev = previous_period(data)

# ---- cohort context: departments and communes are ranked separately
stats = data.cohort_stats()
with st.container(key="wide_only_ov_cohorts"):  # one card per cohort, side by side
    cols = st.columns(len(stats))
    for col, (c, s) in zip(cols, stats.items()):
        with col.container(border=True):
            st.markdown(f"**{LEVEL_NAMES_VI[LEVELS[c]]}** · {fmt_int(s.size)} đơn vị")
            a, b, d = st.columns(3)
            a.metric("Trung vị", fmt_points(s.median))
            b.metric("P75", fmt_points(s.p75))
            d.metric("Cao nhất", fmt_points(s.best))
with st.container(key="narrow_only_ov_cohorts"):  # a phone: the stacked cards took two screens before the table
    st.html(html_table(pd.DataFrame({
        "Nhóm": [LEVEL_NAMES_VI[LEVELS[c]] for c in stats],
        "Số đơn vị": [fmt_int(s.size) for s in stats.values()],
        "Trung vị": [fmt_points(s.median) for s in stats.values()],
        "P75": [fmt_points(s.p75) for s in stats.values()],
        "Cao nhất": [fmt_points(s.best) for s in stats.values()],
    }), numeric=("Số đơn vị", "Trung vị", "P75", "Cao nhất")))

table = ranking_table(data.base, data.frame, data.level_idx, data.official)
change_col = None
if prev is not None:  # rows of ranking_table follow the data's order
    change_col = f"Thay đổi so với kỳ {prev.frame['period'].iloc[0]}"
    table[change_col] = total_changes(prev, data.base, rb)

f1, f2, f3 = st.columns([2, 3, 2])
present = [lv for lv in LEVELS if lv in set(table["level"])]
levels = f1.multiselect("Cấp", present, format_func=LEVEL_NAMES_VI.get, key="ov_levels", placeholder="Tất cả các cấp")
text = f2.text_input("Tìm theo tên hoặc mã", key="ov_search", placeholder="Ví dụ: phường, Thanh Miếu, H44.102")
bands = f3.multiselect("Xếp loại", [b.name_vi for b in rb.bands], key="ov_bands", placeholder="Tất cả")
view = filter_units(table, levels, text, bands)
view = view.assign(_order=view["level"].map(LEVELS.index)).sort_values(["_order", "rank", "unit_name"])
view = view.drop(columns="_order").reset_index(drop=True)

# ---- the table: numbers stay numeric (sortable), shown the Vietnamese way
groups = {g.code: f"{g.name_vi} ({fmt_int(g.max)})" for g in rb.groups}
# rank beside the name: at 1366 px the columns after the fifth scroll off the right edge
order = ["unit_name", "rank", "total", *([change_col] if change_col else []), "band", "unit_code", "level",
         "official", "held", "computed", "gap", *groups, "cohort_size"]
shown = view[order].assign(level=view["level"].map(LEVEL_NAMES_VI)).rename(
    columns={
        "unit_code": "Mã",
        "unit_name": "Tên đơn vị",
        "level": "Cấp",
        "rank": "Xếp hạng trong nhóm",
        "cohort_size": "Số đơn vị cùng nhóm",
        "official": "Điểm hiện tại (chính thức)",
        "total": "Điểm tính lại",
        "computed": "Điểm tính từ tệp",
        "held": "Điểm không có trong tệp (giữ nguyên)",
        "gap": "Chênh lệch so với chính thức",
        "band": "Xếp loại",
        **groups,
    }
)
point_cols = ["Điểm hiện tại (chính thức)", "Điểm tính lại", "Điểm tính từ tệp",
              "Điểm không có trong tệp (giữ nguyên)", "Chênh lệch so với chính thức"]
# a group without data is NaN in ranking_table: written as chiso writes it («giữ nguyên»), never 0,00
holding = bool((table["held"] != 0).any())
as_group = lambda v: group_value(v, empty=pd.isna(v), holding=holding).text  # noqa: E731
held_notes = group_notes_vi([group_value(None, empty=True, holding=holding)]) if table[list(groups)].isna().any().any() else []
styled = formatted(shown, [(point_cols, fmt_points), (list(groups.values()), as_group),
                           (["Xếp hạng trong nhóm", "Số đơn vị cùng nhóm"], fmt_int),
                           ([change_col] if change_col else [], fmt_delta)])
st.caption(
    f"{fmt_int(len(view))} / {fmt_int(len(table))} đơn vị. Bấm vào một dòng để mở đơn vị đó. "
    "Điểm tính lại = điểm tính từ số liệu trong tệp + điểm không có trong tệp (giữ nguyên theo điểm chính thức)."
    + "".join(f" {n}" for n in held_notes)
    + (f" Kỳ {md(prev.frame['period'].iloc[0])} là dữ liệu giả lập, không phải số liệu chính thức: cột «{md(change_col)}» "
       "chỉ để minh họa." if prev is not None and prev.synthetic else "")
)
event = st.dataframe(
    styled,
    hide_index=True,
    on_select="rerun",
    # a click on any cell selects that cell (a row is selected only by its checkbox): either opens the unit
    selection_mode=["single-row", "single-cell"],
    key="ov_table",
    height=grid_height(len(view), 560),
    placeholder=DASH,  # a unit without an official total: «—», not Streamlit's «None»
    # not pinned (Streamlit greys a pinned column's text); widths fitted to the longest header word
    column_config={"Tên đơn vị": st.column_config.TextColumn(width=300),
                   "Xếp hạng trong nhóm": st.column_config.NumberColumn(width=160),
                   "Mã": st.column_config.TextColumn(width=110)},
)
picked = event.selection if event is not None else None
rows = (picked.rows or [r for r, _ in picked.cells]) if picked is not None else []
if rows:
    st.session_state[UNIT_KEY] = str(view["unit_code"].iloc[rows[0]])
    st.switch_page(UNIT_PAGE)

# built only while open: a list of every unit (3.857 on the national sample) costs the browser ~0,3 s to draw
fold = st.expander("Mở một đơn vị bằng danh sách (không cần bấm vào bảng)", key="ov_pick_open", on_change="rerun")
if fold.open:
    with fold:
        codes = list(view["unit_code"])
        if codes:
            names = dict(zip(view["unit_code"], view["unit_name"]))
            pick = st.selectbox("Đơn vị", codes, format_func=lambda c: f"{names[c]} ({c})", key="ov_pick")
            a, b = st.columns(2)
            if a.button("Xem chi tiết đơn vị", key="ov_open"):
                st.session_state[UNIT_KEY] = pick
                st.switch_page(UNIT_PAGE)
            if b.button("Mô phỏng đơn vị này", key="ov_sim"):
                st.session_state[UNIT_KEY] = pick
                st.switch_page("pages/simulate.py")
        else:
            st.caption("Không có đơn vị nào khớp bộ lọc.")
