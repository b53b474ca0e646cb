"""Mô phỏng: move the levers of one unit and see its score, groups and rank change at once.

The baseline is read-only; a scenario is a set of integer lever deltas (``ui.session.SimState``).
Widgets only write deltas through callbacks; everything shown is recomputed by chiso on every run.
"""
from urllib.parse import urlencode

import streamlit as st

from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_points, fmt_small
from chiso.lever_text import steps_vi
from chiso.live import live_payload
from chiso.what_if import Outcome
from ui import address
from ui.charts import waterfall
from ui.entry import lever_entry, lever_needs_data, show_notice
from ui.levers import lever_panel
from ui.long_links import link_too_long
from ui.scenario_panel import scenario_tabs
from ui.score_bar import score_bar, score_bar_slot
from ui.sim_unit import UnitView, apply_pending
from ui.state import rulebook_caption, sidebar, unit_picker

data = sidebar()
show_notice()
rb = data.rb
st.title("Mô phỏng")
rulebook_caption(data)
apply_pending(data)  # a scenario handed over by the planner, an uploaded file or a shared link

view = UnitView(data, unit_picker(data, key="unit_pick_sim"))
i = view.i
sim = view.sim


def results(out: Outcome) -> None:
    """Total, rank and band, then one metric per group (a group without data reads «giữ nguyên / 18»)."""
    m = st.columns([1.2, 1.2, 1, 1])
    m[0].metric("Tổng điểm (kịch bản)", fmt_points(out.total),
                fmt_delta(out.total - out.base_total) if out.total != out.base_total else None)
    m[1].metric("Kịch bản gốc (Điểm tính lại)", fmt_points(out.base_total),
                help=f"Điểm hiện tại (chính thức): {fmt_points(data.official[i])}. "
                     f"Điểm không có trong tệp (giữ nguyên): {fmt_points(view.held)}.")
    m[2].metric("Xếp hạng trong nhóm", f"{out.rank} / {fmt_int(out.cohort_size)}",
                f"{out.base_rank - out.rank:+d} bậc (gốc: {out.base_rank})" if out.rank != out.base_rank else None,
                help="Đồng điểm thì đồng hạng (1-2-2-4). Các đơn vị khác giữ điểm gốc.")
    m[3].metric("Xếp loại", out.band, out.base_band if out.band != out.base_band else None, delta_color="off")
    g = st.columns(len(rb.groups))
    for n, grp in enumerate(rb.groups):
        g[n].metric(grp.name_vi, out.groups[n].of(fmt_number(grp.max)), out.groups[n].delta_vi(out.base_groups[n]))
    notes = list(out.group_notes)
    if view.held:
        notes.insert(0, f"Điểm không có trong tệp (giữ nguyên): {fmt_points(view.held)} — đã tính trong tổng, "
                        "không đổi khi mô phỏng.")
    if notes:
        st.caption(" ".join(notes))


def best_next_steps(marg) -> None:
    """Points per extra unit of each lever, best first (from the current scenario)."""
    st.markdown("**Điểm thêm cho mỗi đơn vị tăng thêm** (tính từ kịch bản hiện tại)")
    lines = []
    for k in marg.paying():
        lv = rb.levers[k]
        star = ":material/star: " if k == marg.best else ""
        lines.append(
            f"{star}**{lv.name_vi}**: {fmt_small(marg.per_unit[k])} điểm / {lv.unit_vi} "
            f"({steps_vi(lv, marg.step[k])}: {fmt_delta(marg.gain[k])})"
        )
    st.markdown("\n".join(f"{n + 1}. {t}" for n, t in enumerate(lines[:8])) or
                "Không còn yếu tố nào làm tăng điểm: các chỉ tiêu đã đạt tối đa hoặc không có số liệu.")
    st.caption("Bước thử ≈ 1% mẫu số của mỗi yếu tố (ít nhất 1). :material/star: = được nhiều điểm nhất lúc này.")


def share_link() -> None:
    """The address bar and this link always reopen exactly this state."""
    params = view.link_params(view.current_scenario())
    link = f"{st.context.url or ''}?{urlencode(params)}"
    too_long = link_too_long(link)
    if too_long is None:
        address.replace_scenario(params)  # a longer address bar would not reopen either
    # in a popover: the code box's highlighter (1,5 MB of script) is loaded only when the link is wanted
    with st.popover("Liên kết chia sẻ", icon=":material/link:"):
        if too_long:
            st.warning(too_long)
        else:
            st.markdown("Mở lại đúng đơn vị, bộ quy tắc và các yếu tố đã đặt:")
            st.code(link, language=None, wrap_lines=True)
    if not data.source_key:
        st.caption("Dữ liệu đang mở là tệp tải lên: người nhận liên kết cần tải lên cùng tệp đó.")


@st.fragment
def simulator() -> None:
    """Everything a lever moves: reruns alone on a lever change (the unit list and sidebar stay put)."""
    out = view.outcome(view.deltas())  # the one call into chiso for this change
    results(out)
    marg = out.next_steps
    best_next_steps(marg)
    # drawn only while open: plotly's 4,7 MB script (about 1,5 s of the browser's time on a 2-core machine)
    # stays off the page's first render, and a lever move does not build the figure for nothing (the group
    # metrics above say the same in numbers)
    chart = st.expander("Biểu đồ thác nước: điểm thay đổi theo từng nhóm", icon=":material/waterfall_chart:",
                        key="sim_waterfall_open", on_change="rerun")
    if chart.open:
        with chart:
            st.plotly_chart(waterfall(rb, data.base, out.scores, i), width="stretch", key="sim_waterfall",
                            config={"staticPlot": True})  # redrawn on every lever change: keep it light
    lever_panel(rb, view.rooms, view.level, marg, synced=(view.code, rb.id, sim.seq),
                entry=lambda key: lever_entry(data, i, key), needs_data=lambda key: lever_needs_data(data, i, key))
    share_link()


# the score bar sits outside the fragment: sent once per unit, it follows the sliders in the browser
bar = score_bar_slot()
simulator()
score_bar(bar, live_payload(rb, view.x_row, view.level, view.held, view.rooms, view.others,
                            float(data.base.total[i]), view.deltas()))
scenario_tabs(view)  # outside the fragment: runs on a full rerun; downloads read the levers on click
