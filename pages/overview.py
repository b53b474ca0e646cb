"""Tổng quan: every unit with its total and group scores (placeholder until the overview issue lands)."""
import streamlit as st

from chiso.fmt import fmt_points
from ui.state import rulebook_caption, sidebar

data = sidebar()
st.title("Tổng quan")
rulebook_caption(data)
frame = data.base.group_frame()
frame.insert(1, "Tên đơn vị", data.frame["unit_name"].to_numpy())
st.dataframe(frame, hide_index=True)
st.metric("Số đơn vị", len(frame))
st.caption(f"Điểm trung bình: {fmt_points(frame['total'].mean())}")
