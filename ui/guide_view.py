"""The Học chỉ số tabs that compute on the loaded data: the worked examples and the exercises.

Units and answers are picked by ``chiso.guide`` through the engine; this module only draws them.
"""
from __future__ import annotations

import streamlit as st

from chiso.fmt import fmt_percent, fmt_points
from chiso.guide.calc import Units
from chiso.guide.examples import (
    example_indicator, loss_example, overdue_example, overdue_skip_reason_vi, petition_example,
    petition_skip_reason_vi,
)
from chiso.guide.exercise_sheet import exercise_sheet_html
from chiso.guide.exercises import make_exercises, parse_answer
from chiso.guide.text import fmt_max
from chiso.rulebook import Rulebook
from ui.safe_md import md
from ui.state import remembered
from ui.vn_metric import delta_args


GUIDE_TABS = [":material/menu_book: Bộ chỉ số", ":material/show_chart: Đường cong điểm",
              ":material/lightbulb: Ví dụ minh họa", ":material/edit_note: Bài tập", ":material/print: Sổ tay in"]
GUIDE_TAB_KEY = "guide_tab"  # the open tab's label, in session state


def worked_examples(rb: Rulebook, units: Units) -> None:
    st.markdown("Ba ví dụ tính trực tiếp từ dữ liệu đang mở; đơn vị được chọn bằng tính toán, không gõ tay.")

    ind_e = example_indicator(rb)
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
        st.info(md(overdue_skip_reason_vi(units)))
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
        st.info(md(petition_skip_reason_vi(units)))
    else:
        st.markdown(f"**{md(pet.unit_name)}**: không có PAKN nào thì được đủ {md(fmt_max(pet.full_points))} điểm; "
                    "PAKN đầu tiên xử lý quá hạn lấy đi toàn bộ.")
        c = st.columns(3)
        c[0].metric("Không có PAKN", fmt_points(pet.total_before))
        c[1].metric("PAKN đầu tiên quá hạn", fmt_points(pet.total_late), **delta_args(-pet.lost))
        c[2].metric("PAKN đầu tiên đúng hạn, hài lòng", fmt_points(pet.total_good), **delta_args(pet.total_good - pet.total_before))
        st.markdown("\n".join(f"{n}. {md(s)}" for n, s in enumerate(pet.steps_vi, 1)))


def exercises(rb: Rulebook, units: Units, source_label: str = "") -> None:
    seed = st.session_state.setdefault("guide_seed", 0)
    top = st.columns([3, 1], vertical_alignment="center")
    trainer = top[0].toggle("Chế độ giảng viên: hiện đáp án và lời giải", key="guide_trainer",
                            on_change=remembered("guide_trainer", [False, True], False))
    if top[1].button("Bộ câu hỏi khác", key="guide_new_set", icon=":material/shuffle:"):
        seed = st.session_state["guide_seed"] = seed + 1
    items = make_exercises(units, seed)
    st.download_button(
        "Tải phiếu bài tập để in (HTML, kèm trang đáp án)",
        data=exercise_sheet_html(rb, items, source_label, seed).encode("utf-8"),
        file_name=f"phieu-bai-tap-766-{rb.id}-bo-{seed + 1}.html", mime="text/html",
        icon=":material/print:", key="guide_exercise_sheet", on_click="ignore",
    )
    st.caption("Nhập câu trả lời (dùng dấu phẩy cho phần thập phân, ví dụ 1,25) rồi bấm «Kiểm tra». "
               "Đáp án được tính bằng công cụ tính điểm trên dữ liệu đang mở.")
    for n, ex in enumerate(items, 1):
        key = f"{rb.id}_{seed}_{n}"
        with st.container(border=True):
            st.markdown(f"**Câu {n}.** {md(ex.question_vi)}")
            c_in, c_btn = st.columns([3, 1], vertical_alignment="bottom")
            text = c_in.text_input(f"Câu trả lời ({ex.unit_vi})", key=f"guide_ans_{key}",
                                   placeholder="ví dụ: 120" if ex.decimals == 0 else "ví dụ: 1,25",
                                   on_change=remembered(f"guide_ans_{key}"))  # survives a closed tab
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
