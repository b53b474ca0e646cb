"""Học chỉ số: the index explained from the rulebook, live curves, worked examples, exercises, cheat sheet."""
import pandas as pd
import streamlit as st

from chiso.cheatsheet import cheatsheet_html
from chiso.engine import STATUS_VI
from chiso.fmt import fmt_int, fmt_percent, fmt_points
from chiso.guide import (
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
from chiso.guide_calc import Units
from chiso.guide_examples import E_RESULT_LEVER, lever_indicator, loss_example, overdue_example, petition_example
from chiso.guide_exercises import make_exercises, parse_answer
from chiso.rulebook import LEVEL_NAMES_VI, available_rulebooks, load_rulebook
from ui.guide_charts import count_figure, rate_figure
from ui.safe_md import md
from ui.state import rulebook_caption, sidebar, unit_picker
from ui.vn_metric import delta_args

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

tab_book, tab_curve, tab_examples, tab_ex, tab_sheet = st.tabs(
    [
        ":material/menu_book: Bộ chỉ số",
        ":material/show_chart: Đường cong điểm",
        ":material/lightbulb: Ví dụ minh họa",
        ":material/edit_note: Bài tập",
        ":material/print: Sổ tay in",
    ]
)

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
    st.dataframe(summary, hide_index=True, width="stretch")

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
with tab_curve:
    st.markdown(
        "Chọn một chỉ tiêu và một đơn vị: biểu đồ bên trái cho thấy điểm theo tỷ lệ, biểu đồ bên phải cho thấy "
        "điểm thay đổi thế nào khi đơn vị có thêm hoặc bớt hồ sơ (mẫu số giữ nguyên). Đường nét đứt là ngưỡng đủ điểm."
    )
    if st.session_state.get("guide_curve_ind") not in rb.indicator_codes:
        first = lever_indicator(rb, E_RESULT_LEVER)  # the indicator of the first worked example
        st.session_state["guide_curve_ind"] = first.code if first else rb.indicator_codes[0]
    a, b = st.columns(2)
    with a:
        code = st.selectbox(
            "Chỉ tiêu",
            rb.indicator_codes,
            format_func=lambda c: f"{numbers[c]}. {rb.indicator(c).name_vi}",
            key="guide_curve_ind",
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
                        width="stretch", key="guide_rate_chart")
    with right:
        fig = count_figure(units, i, code)
        if fig is None:
            st.info("Đơn vị không có mẫu số cho chỉ tiêu này trong kỳ (bằng 0 hoặc không có trong tệp): "
                    "không vẽ được điểm theo số lượng.")
        else:
            st.plotly_chart(fig, width="stretch", key="guide_count_chart")
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

# ================================================================ worked examples
with tab_examples:
    st.markdown("Ba ví dụ tính trực tiếp từ dữ liệu đang mở; đơn vị được chọn bằng tính toán, không gõ tay.")

    ind_e = lever_indicator(rb, E_RESULT_LEVER)
    loss = loss_example(units, ind_e.code) if ind_e is not None else None
    st.subheader("1. Vì sao mất điểm ở kết quả điện tử?")
    if loss is None:
        st.info("Dữ liệu đang mở không có đơn vị nào mất điểm ở chỉ tiêu này.")
    else:
        who = "trong các đơn vị đã có kết quả điện tử, đây là đơn vị mất nhiều điểm nhất" if loss.numerator > 0 \
            else "đơn vị mất nhiều điểm nhất ở chỉ tiêu này"
        st.markdown(f"**{md(loss.unit_name)}** mất **{md(fmt_points(loss.lost))} điểm** ở «{md(loss.indicator.name_vi)}» — "
                    f"{who}.")
        c = st.columns(3)
        c[0].metric("Tỷ lệ", fmt_percent(loss.rate))
        c[1].metric("Điểm", f"{fmt_points(loss.points)} / {fmt_max(loss.indicator.max)}")
        c[2].metric("Điểm bị mất", fmt_points(loss.lost))
        st.markdown("\n".join(f"{n}. {md(s)}" for n, s in enumerate(loss.steps_vi, 1)))

    over = overdue_example(units)
    st.subheader("2. Cái giá kép của một hồ sơ quá hạn")
    if over is None:
        st.info("Dữ liệu đang mở không đủ số liệu tiến độ và mức độ hài lòng để tính ví dụ này.")
    else:
        st.markdown(f"**{md(over.unit_name)}**: một hồ sơ quá hạn bị trừ điểm ở tiến độ, và khi tỷ lệ hài lòng "
                    "dưới ngưỡng thì bị trừ thêm ở mức độ hài lòng.")
        c = st.columns(len(over.parts) + 1)
        for col, p in zip(c, over.parts):
            col.metric(p.indicator.name_vi, fmt_points(p.after), **delta_args(-p.drop))
        c[-1].metric("Tổng điểm", fmt_points(over.total_after), **delta_args(-over.cost))
        st.markdown("\n".join(f"{n}. {md(s)}" for n, s in enumerate(over.steps_vi, 1)))

    pet = petition_example(units)
    st.subheader("3. Nghịch lý PAKN")
    if pet is None:
        st.info("Không có đơn vị nào chưa phát sinh PAKN trong dữ liệu đang mở (hoặc bộ quy tắc không cho đủ điểm khi mẫu số bằng 0).")
    else:
        st.markdown(f"**{md(pet.unit_name)}**: không có PAKN nào thì được đủ {md(fmt_max(pet.full_points))} điểm; "
                    "PAKN đầu tiên xử lý quá hạn lấy đi toàn bộ.")
        c = st.columns(3)
        c[0].metric("Không có PAKN", fmt_points(pet.total_before))
        c[1].metric("PAKN đầu tiên quá hạn", fmt_points(pet.total_late), **delta_args(-pet.lost))
        c[2].metric("PAKN đầu tiên đúng hạn, hài lòng", fmt_points(pet.total_good), **delta_args(pet.total_good - pet.total_before))
        st.markdown("\n".join(f"{n}. {md(s)}" for n, s in enumerate(pet.steps_vi, 1)))

# ================================================================ exercises
with tab_ex:
    seed = st.session_state.setdefault("guide_seed", 0)
    top = st.columns([3, 1], vertical_alignment="center")
    trainer = top[0].toggle("Chế độ giảng viên: hiện đáp án và lời giải", key="guide_trainer")
    if top[1].button("Bộ câu hỏi khác", key="guide_new_set", icon=":material/shuffle:"):
        seed = st.session_state["guide_seed"] = seed + 1
    st.caption("Nhập câu trả lời (dùng dấu phẩy cho phần thập phân, ví dụ 1,25) rồi bấm «Kiểm tra». "
               "Đáp án được tính bằng công cụ tính điểm trên dữ liệu đang mở.")
    for n, ex in enumerate(make_exercises(units, seed), 1):
        key = f"{rb.id}_{seed}_{n}"
        with st.container(border=True):
            st.markdown(f"**Câu {n}.** {md(ex.question_vi)}")
            c_in, c_btn = st.columns([3, 1], vertical_alignment="bottom")
            text = c_in.text_input(f"Câu trả lời ({ex.unit_vi})", key=f"guide_ans_{key}",
                                 placeholder="ví dụ: 120" if ex.decimals == 0 else "ví dụ: 1,25")
            if c_btn.button("Kiểm tra", key=f"guide_check_{key}"):
                st.session_state[f"guide_checked_{key}"] = text
            checked = st.session_state.get(f"guide_checked_{key}")
            if checked is not None and checked == text:
                value = parse_answer(checked)
                if value is None:
                    st.warning("Hãy nhập một số, ví dụ 12 hoặc 1,25.")
                elif ex.check(value):
                    st.success(f"Đúng! Đáp án: {md(ex.answer_vi)}. {md(ex.explanation_vi)}")
                else:
                    st.error("Chưa đúng, hãy thử lại.")
                    with st.expander("Xem lời giải"):
                        st.markdown(f"Đáp án: **{md(ex.answer_vi)}**. {md(ex.explanation_vi)}")
            if trainer:
                st.info(f"Đáp án: **{md(ex.answer_vi)}**. {md(ex.explanation_vi)}", icon=":material/school:")

# ================================================================ cheat sheet
with tab_sheet:
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
