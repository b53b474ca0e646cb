"""Đơn vị: group bars against their maxima and every indicator with the rule that produced its points."""
import math

import streamlit as st

from chiso.calibration import NOT_RATED_VI, published_group_points
from chiso.explain import FIXED_AT_LEVEL_VI, group_notes_vi, group_values, indicator_rows, no_official_total_vi
from chiso.fmt import fmt_delta, fmt_int, fmt_percent, fmt_points
from chiso.reasons import IndicatorWarning
from chiso.rulebook import LEVEL_NAMES_VI
from ui.group_bars import group_bars
from ui.history_view import history_section, snapshots_section
from ui.html_table import html_table
from ui.state import SIMULATE_PAGE, rulebook_caption, sidebar, unit_picker

data = sidebar()
rb = data.rb
st.title("Đơn vị")
rulebook_caption(data)
i = unit_picker(data, key="unit_pick_unit")
base = data.base
level = data.level(i)

c = st.columns([0.9, 0.8, 1.7, 0.9, 1.1])
c[0].metric("Điểm hiện tại (chính thức)", fmt_points(data.official[i]))
c[1].metric("Điểm tính lại", fmt_points(base.total[i]))
c[2].metric("Điểm không có trong tệp (giữ nguyên)", fmt_points(base.held[i]),
            help="Điểm của các chỉ tiêu tệp không có số liệu, giữ nguyên theo điểm chính thức.")
c[3].metric("Xếp hạng trong nhóm", f"{data.rank[i]} / {fmt_int(len(data.cohort_totals(i)))}",
            help=f"Xếp hạng trong nhóm {LEVEL_NAMES_VI[level].lower()} (đồng hạng: 1-2-2-4).")
no_total = no_official_total_vi(base, data.official[i], i)
c[4].metric("Xếp loại", NOT_RATED_VI if no_total else rb.band(base.total[i]),
            help="Thiếu số liệu và không có tổng điểm chính thức: xem cảnh báo bên dưới." if no_total else None)
if no_total:
    st.warning(no_total, icon=":material/warning:")
elif base.held[i]:
    st.info(
        f"Tệp không có đủ số liệu cho mọi chỉ tiêu: {fmt_points(base.held[i])} điểm được giữ nguyên theo điểm "
        "chính thức (Điểm không có trong tệp) và không đổi khi mô phỏng."
    )
elif not math.isnan(data.gap[i]) and data.gap[i] != 0:
    st.warning(f"Điểm tính lại khác điểm chính thức {fmt_delta(data.gap[i])} điểm: kiểm tra số liệu hoặc bộ quy tắc.")

left, right = st.columns([3, 2])
with left:
    groups = group_values(base, i, published_group_points(data.frame, rb, i))  # held groups: «giữ nguyên»
    group_bars(rb, groups)
    if notes := group_notes_vi(groups):
        st.caption(" ".join(notes))
with right:
    st.markdown("**Điểm bị mất nhiều nhất**")
    rows = indicator_rows(base, i, data.table.provenance)
    top = rows[rows["lost"] > 0].sort_values("lost", ascending=False).head(5)
    for r in top.itertuples():
        mark = "" if r.movable else f" · {FIXED_AT_LEVEL_VI}"
        st.markdown(f"- {r.name_vi}: **−{fmt_points(r.lost)}** điểm{mark}")
    if top.empty:
        st.markdown("Không mất điểm ở chỉ tiêu nào có số liệu.")
    # a link, not a button: the browser goes straight to Mô phỏng (same unit, kept in the session) as the menu
    # does, instead of first rerunning this page to reach a switch_page (1,70 s → the menu's 1,23 s)
    with st.container(key="cta_unit_to_sim"):  # styled as the primary button (ui/fit.py)
        st.page_link(SIMULATE_PAGE, label="Mô phỏng cải thiện cho đơn vị này", icon=":material/tune:")

small = rows[rows["warning"] == IndicatorWarning.SMALL_DENOMINATOR]
if len(small):
    st.warning("Mẫu số nhỏ — một hồ sơ làm điểm thay đổi nhiều:\n\n" + "\n".join(
        f"- {r.name_vi}: {r.warning_vi}" for r in small.itertuples()))

NUMERIC = ("Tỷ lệ", "Điểm", "Điểm tối đa", "Điểm bị mất", "Tử số", "Mẫu số", "Ngưỡng đủ điểm")
st.subheader("Từng chỉ tiêu")
st.caption("Tỷ lệ = tử số / mẫu số. Điểm = điểm tối đa × min(1, tỷ lệ / ngưỡng), làm tròn 2 chữ số như Cổng DVCQG.")
for g, shown in zip(rb.groups, groups):
    part = rows[rows["group"] == g.code]
    full = shown.points is not None and shown.points >= g.max
    with st.expander(f"{g.name_vi}: {shown.of(fmt_points(g.max))} điểm", expanded=not full):
        table = part.assign(
            numerator=part["numerator"].map(fmt_int),
            denominator=part["denominator"].map(fmt_int),
            rate=part["rate"].map(fmt_percent),
            threshold=part["threshold"].map(fmt_percent),
            points=part["points"].map(fmt_points),
            max_points=part["max_points"].map(fmt_points),
            lost=part["lost"].map(fmt_points),
        )[["name_vi", "rate", "points", "max_points", "lost", "rule_text", "numerator", "denominator", "threshold",
           "provenance_vi", "warning_vi"]].rename(
            columns={
                "name_vi": "Chỉ tiêu",
                "rate": "Tỷ lệ",
                "points": "Điểm",
                "max_points": "Điểm tối đa",
                "lost": "Điểm bị mất",
                "rule_text": "Quy tắc áp dụng",
                "numerator": "Tử số",
                "denominator": "Mẫu số",
                "threshold": "Ngưỡng đủ điểm",
                "provenance_vi": "Nguồn số liệu",
                "warning_vi": "Lưu ý",
            }
        )
        if not (table["Lưu ý"] != "").any():
            table = table.drop(columns="Lưu ý")
        st.html(html_table(table, numeric=NUMERIC, wide=True))  # not st.table: see ui/html_table.py
        for ind in rb.indicators_of(g.code):
            if ind.note_vi:
                st.caption(f"{ind.name_vi}: {ind.note_vi}")

st.subheader("Lịch sử qua các kỳ")
history_section(data, i)
snapshots_section(data, i)

if data.table.rejected:
    with st.expander(f"Dòng dữ liệu bị loại khi đọc tệp ({len(data.table.rejected)})"):
        for err in data.table.rejected[:200]:
            st.text(str(err))
