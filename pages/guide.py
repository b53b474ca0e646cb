"""Học chỉ số: the index explained from the rulebook, live curves, worked examples, exercises, cheat sheet."""
import pandas as pd
import streamlit as st

from chiso.engine import STATUS_VI
from chiso.fmt import fmt_int, fmt_percent, fmt_points
from chiso.guide.text import (
    CONFIDENCE_SHORT_VI,
    POLICY_SHORT_VI,
    ROUNDING_VI,
    ZERO_RULE_VI,
    changes_by_kind,
    commune_reachable_max,
    diff_rulebooks,
    fmt_max,
    indicator_numbers,
    rulebook_guide,
)
from chiso.guide.calc import Units
from chiso.guide.cheatsheet import cheatsheet_html
from chiso.guide.examples import example_indicator
from chiso.rulebook import LEVEL_NAMES_VI, available_rulebooks, load_rulebook
from ui import address
from ui.charts import PLOTLY_CONFIG
from ui.guide_charts import count_figure, rate_figure
from ui.guide_view import GUIDE_TAB_KEY, GUIDE_TABS, exercises, worked_examples
from ui.html_table import html_table
from ui.safe_md import md
from ui.state import remembered, rulebook_caption, sidebar, unit_picker

data = sidebar()
rb = data.rb
units = Units(data.base, data.x, tuple(str(n) for n in data.names))
st.title("Học chỉ số")
rulebook_caption(data)
st.caption(
    "Mọi con số trên trang này được đọc từ bộ quy tắc tính điểm đang chọn và tính bằng cùng công cụ tính điểm "
    "của phần Mô phỏng, nên luôn khớp với phiên bản đang dùng."
)

# ---- rulebook switch: remember the version shown last, to say what changed
_prev = st.session_state.get("guide_last_rb")
switched = _prev is not None and _prev != rb.id
st.session_state["guide_last_rb"] = rb.id

# only the open tab is built: the curves' two plotly charts (4,7 MB of script) kept the page busy for ~3 s
# after its text showed, and the examples, exercises and cheat sheet cost a returning visitor ~0,2 s more.
# A trainee's typed answers and the chosen indicator survive a closed tab (ui.state.remembered).
address.restore_tab("guide_tab", GUIDE_TAB_KEY, GUIDE_TABS)
tab_book, tab_curve, tab_examples, tab_ex, tab_sheet = st.tabs(GUIDE_TABS, key=GUIDE_TAB_KEY, on_change="rerun")
address.put_tab("guide_tab", GUIDE_TAB_KEY, GUIDE_TABS)

# ================================================================ the rulebook, indicator by indicator
with tab_book:
    if switched:
        st.info(f"Vừa chuyển bộ quy tắc từ «{_prev}» sang «{rb.id}». Xem các thay đổi ngay bên dưới.",
                icon=":material/sync_alt:")
    others = [r for r in available_rulebooks() if r != rb.id]
    if others:
        if switched and _prev in others:
            st.session_state["guide_compare"] = _prev
        elif st.session_state.get("guide_compare") not in others:
            st.session_state.pop("guide_compare", None)
        with st.expander("Thay đổi so với phiên bản khác", expanded=switched):
            other_id = st.selectbox(
                "So sánh với bộ quy tắc",
                others,
                format_func=lambda r: f"{r} — {load_rulebook(r).name_vi}",
                key="guide_compare",
            )
            changes = diff_rulebooks(load_rulebook(other_id), rb)
            if not changes:
                st.write("Hai phiên bản giống nhau về nhóm, điểm tối đa, ngưỡng, quy tắc và cách áp dụng theo cấp.")
            st.caption(f"Từ «{other_id}» sang «{rb.id}»: {fmt_int(len(changes))} thay đổi.")
            for heading, items in changes_by_kind(changes):
                st.markdown(f"**{heading}**")
                st.markdown("\n".join(f"- {md(c.text_vi)}" for c in items))

    if rb.description_vi:
        st.markdown(md(rb.description_vi))
    guide = rulebook_guide(rb)
    total = sum(g.max for g in rb.groups)
    c = st.columns(4)
    c[0].metric("Số nhóm", fmt_int(len(rb.groups)))
    c[1].metric("Số chỉ tiêu", fmt_int(len(rb.indicators)))
    c[2].metric("Tổng điểm tối đa", fmt_max(total))
    c[3].metric("Cấp xã có thể đạt tối đa", fmt_max(commune_reachable_max(rb)),
                help="Tổng điểm trừ các chỉ tiêu cấp xã không được tính điểm.")
    st.caption(ROUNDING_VI)

    summary = pd.DataFrame(
        [
            {
                "Số": ig.number,
                "Chỉ tiêu": ig.indicator.name_vi,
                "Nhóm": gg.group.name_vi,
                "Tối đa": fmt_max(ig.indicator.max),
                "Cách tính": ig.formula_vi,
                "Mẫu số = 0": ZERO_RULE_VI[ig.indicator.zero_rule],
                "Cấp xã": POLICY_SHORT_VI[ig.indicator.policy["commune"]],
                "Độ tin cậy": CONFIDENCE_SHORT_VI[ig.indicator.confidence],
            }
            for gg in guide
            for ig in gg.indicators
        ]
    )
    # an HTML table, not st.dataframe: the formulas wrap instead of being cut, and the tab does not load the grid
    st.html(html_table(summary, numeric=("Số", "Tối đa"), wide=True))

    for gg in guide:
        st.subheader(gg.title_vi)
        for ig in gg.indicators:
            ind = ig.indicator
            with st.expander(ig.title_vi):
                lines = [
                    f"- **Tử số:** {md(ig.numerator_vi)}",
                    f"- **Mẫu số:** {md(ig.denominator_vi)}",
                    f"- **Điểm tối đa:** {md(fmt_max(ind.max))}",
                    f"- **Cách tính:** {md(ig.curve_vi)}",
                    f"- **Mẫu số bằng 0 (không phát sinh):** {md(ZERO_RULE_VI[ind.zero_rule])}",
                    "- **Áp dụng theo cấp:**",
                    *(f"    - {md(name)}: {md(text.lower())}" for name, _, text in ig.levels),
                    f"- **Xã, phường có tự cải thiện được không?** {md(ig.commune_vi)}",
                    f"- **Nguồn:** {md(ind.source or '—')}",
                    f"- **Độ tin cậy:** {md(ig.confidence_vi)}",
                ]
                if ind.note_vi:
                    lines.append(f"- **Ghi chú:** {md(ind.note_vi)}")
                st.markdown("\n".join(lines))

# ================================================================ curves
numbers = indicator_numbers(rb)


def curves() -> None:
    """Points against the rate and against the count, for the chosen indicator and unit."""
    st.markdown(
        "Chọn một chỉ tiêu và một đơn vị: biểu đồ bên trái cho thấy điểm theo tỷ lệ, biểu đồ bên phải cho thấy "
        "điểm thay đổi thế nào khi đơn vị có thêm hoặc bớt hồ sơ (mẫu số giữ nguyên). Đường nét đứt là ngưỡng đủ điểm."
    )
    first = example_indicator(rb)  # by default, the indicator of the first worked example
    keep = remembered("guide_curve_ind", rb.indicator_codes, first.code if first else None)
    a, b = st.columns(2)
    with a:
        code = st.selectbox(
            "Chỉ tiêu",
            rb.indicator_codes,
            format_func=lambda c: f"{numbers[c]}. {rb.indicator(c).name_vi}",
            key="guide_curve_ind",
            on_change=keep,  # the choice survives a closed curves tab
        )
    with b:
        i = unit_picker(data, key="guide_unit")
    k = rb.indicator_codes.index(code)
    ind = rb.indicators[k]
    level = units.level(i)
    status = int(units.status[i, k])
    rate = float(data.base.rate[i, k])
    left, right = st.columns(2)
    with left:
        st.plotly_chart(rate_figure(rb, code, level, rate if units.decided(k)[i] else None),
                        width="stretch", key="guide_rate_chart", config=PLOTLY_CONFIG)
    with right:
        fig = count_figure(units, i, code)
        if fig is None:
            st.info("Đơn vị không có mẫu số cho chỉ tiêu này trong kỳ (bằng 0 hoặc không có trong tệp): "
                    "không vẽ được điểm theo số lượng.")
        else:
            st.plotly_chart(fig, width="stretch", key="guide_count_chart", config=PLOTLY_CONFIG)
    m = st.columns(4)
    m[0].metric("Tỷ lệ hiện tại", fmt_percent(rate))
    m[1].metric("Điểm", f"{fmt_points(data.base.points[i, k])} / {fmt_max(ind.max)}")
    m[2].metric("Điểm bị mất", fmt_points(data.base.lost[i, k]))
    m[3].metric("Cấp", LEVEL_NAMES_VI[level])
    st.caption(f"Vì sao: {STATUS_VI[status]}.")
    if not ind.movable_at(level):
        st.warning(
            f"Ở {LEVEL_NAMES_VI[level].lower()}, chỉ tiêu này {POLICY_SHORT_VI[ind.policy[level]].lower()}: "
            "đơn vị không tự thay đổi được điểm bằng số liệu của mình."
        )


if tab_curve.open:
    with tab_curve:
        curves()

# ================================================================ worked examples, exercises
if tab_examples.open:
    with tab_examples:
        worked_examples(rb, units)
if tab_ex.open:
    with tab_ex:
        exercises(rb, units, data.source_label)


# ================================================================ cheat sheet
def cheat_sheet() -> None:
    sheet = cheatsheet_html(rb)
    st.markdown("Một trang A4 khổ ngang tóm tắt bộ quy tắc đang dùng, để phát cho học viên. "
                "Tải về, mở bằng trình duyệt và chọn In.")
    st.download_button(
        "Tải sổ tay (HTML, in một trang)",
        data=sheet,
        file_name=f"so-tay-chi-so-766-{rb.id}.html",
        mime="text/html",
        icon=":material/download:",
        key="guide_sheet_download",
        on_click="ignore",
    )
    st.iframe(sheet, height=720)


if tab_sheet.open:
    with tab_sheet:
        cheat_sheet()
