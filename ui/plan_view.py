"""Widgets of the planner page: the options (objective, locks, caps, effort), one plan as people act
on it, and the summary of many plans. The plans themselves come from ``chiso.plan``."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from chiso.errors import ChisoError
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_points
from chiso.plan.setup import (
    CAP,
    LOCK,
    WEIGHT,
    PlanOptions,
    counts,
    lever_table,
    lever_totals,
    options_from_table,
    status_vi,
    steps_vi,
    summary_vi,
)
from chiso.plan.solver import OBJECTIVE_VI, OBJECTIVES, Plan
from chiso.rulebook import MAX_EFFORT, Rulebook
from ui.kept_editor import kept_editor, kept_table
from ui.safe_md import md
from ui.state import send_to_simulator
from ui.tables import grid_height

LEVERS_FOLD = "plan_levers_open"
SHOW = {"all": "Tất cả", "changes": "Cần thay đổi", "infeasible": "Không thể đạt", "already": "Đã đạt sẵn"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_options(rb: Rulebook) -> PlanOptions:
    """The objective, then locks / caps / effort per lever (shared by both tabs); stops on a bad cell."""
    objective = st.radio(
        "Tiêu chí", OBJECTIVES, format_func=OBJECTIVE_VI.get, horizontal=True, key="plan_objective",
        help="Ít yếu tố cải thiện nhất: thay đổi ít việc nhất, rồi ít công sức nhất trong các cách đó. "
             "Ít công sức nhất: tổng công sức nhỏ nhất, có thể phải làm nhiều việc hơn.",
    )
    edited = _lever_editor(rb)
    try:
        return options_from_table(edited, rb, objective)
    except ChisoError as exc:
        st.error(md(exc))
        st.stop()


def _lever_editor(rb: Rulebook) -> pd.DataFrame:
    """The locks, caps and effort per lever, in a fold built only while open: the grid would cost a new
    session's first render ~0,3 s (A/B). A closed fold (or another page) loses no edit (ui.kept_editor)."""
    key = f"plan_levers_{rb.id}"
    fold = st.expander("Khóa (không thay đổi), giới hạn tăng thêm và công sức của từng yếu tố cải thiện",
                       key=LEVERS_FOLD, on_change="rerun")
    if not fold.open:
        return kept_table("plan_levers", key, lever_table(rb))
    with fold:
        edited = kept_editor(
            "plan_levers",
            key,
            lever_table(rb),
            hide_index=True,
            width="stretch",
            height=grid_height(len(rb.levers)),  # every lever visible, no inner scrolling
            placeholder="Không giới hạn",
            column_order=["name_vi", "unit_vi", LOCK, CAP, WEIGHT],
            disabled=["name_vi", "unit_vi"],
            column_config={
                "name_vi": st.column_config.TextColumn("Yếu tố cải thiện", width="large"),
                "unit_vi": st.column_config.TextColumn("Đơn vị tính", width="small"),
                LOCK: st.column_config.CheckboxColumn("Khóa (không thay đổi)",
                                                      help="Kế hoạch không dùng yếu tố này."),
                CAP: st.column_config.NumberColumn(
                    "Tăng thêm tối đa", min_value=0, step=1, format="localized",
                    help="Ví dụ: tháng này cấp thêm tối đa 50 kết quả điện tử. Để trống: chỉ giới hạn theo số liệu."),
                WEIGHT: st.column_config.NumberColumn(
                    "Công sức mỗi đơn vị", min_value=0.01, max_value=MAX_EFFORT, step=0.01, format="localized",
                    help="Công sức của kế hoạch = tổng (số lượng tăng thêm × công sức mỗi đơn vị)."),
            },
        )
        st.caption("Mặc định theo bộ quy tắc: mỗi đơn vị tính có công sức 1"
                   + "".join(f"; «{lv.name_vi}»: {fmt_number(lv.effort, 2)}" for lv in rb.levers if lv.effort != 1)
                   + ". Các giới hạn áp dụng cho từng đơn vị, cả khi lập kế hoạch cho nhiều đơn vị.")
    return edited


def show_plan(p: Plan, prefix: str, period: str, blockers: bool = True,
              apply_label: str = "Áp dụng vào mô phỏng", entry=None) -> None:
    """A plan as people act on it: the verdict, score and rank after it, each step, and what blocks it."""
    if p.already_reached:
        st.success(p.message_vi)
        return
    if p.feasible:
        st.success(p.message_vi)
    else:
        st.error(f"Không thể đạt {fmt_points(p.target)} điểm. "
                 f"Điểm cao nhất có thể đạt: {fmt_points(p.best_reachable)}"
                 + (" — kế hoạch dưới đây đưa đơn vị tới mức này." if p.steps else "."))
    m = st.columns(4)
    m[0].metric("Điểm sau kế hoạch", fmt_points(p.final_score), fmt_delta(p.final_score - p.baseline))
    if p.rank_after is not None:
        moved = p.rank_before - p.rank_after
        m[1].metric(f"Xếp hạng trong nhóm ({fmt_int(p.cohort_size)} đơn vị)", str(p.rank_after),
                    f"{moved:+d} bậc (gốc: {p.rank_before})" if moved else None)
    m[2].metric("Số yếu tố cải thiện", fmt_int(p.levers_changed))
    m[3].metric("Công sức", fmt_number(p.effort, 2))
    if p.steps:
        st.table(steps_vi(p))
    if blockers and p.blocked_by:
        st.markdown("**Nguyên nhân không thể đạt**")
        for n, b in enumerate(p.blocked_by):
            st.markdown(f"- {md(b.message_vi)}")
            if entry is not None and b.kind == "missing_data":  # type the missing counts right here
                entry(b.indicators, f"{prefix}_blk{n}")
    if not p.feasible:  # the button applies the best reachable plan, not the target: say so
        apply_label = f"{apply_label} (kế hoạch tối đa {fmt_points(p.final_score)} điểm)"
    if p.steps and st.button(apply_label, type="primary", key=f"{prefix}_apply",
                             help="Mở trang Mô phỏng với các yếu tố cải thiện của kế hoạch này."):
        send_to_simulator(p.to_scenario(period=period))


def show_alternative(p: Plan, period: str) -> None:
    alt = p.alternative
    with st.container(border=True):
        st.markdown(
            f"**Phương án khác — {OBJECTIVE_VI[alt.objective].lower()}**: "
            f"{fmt_int(alt.levers_changed)} yếu tố cải thiện, công sức {fmt_number(alt.effort, 2)} "
            f"(phương án trên: {fmt_int(p.levers_changed)} yếu tố, công sức {fmt_number(p.effort, 2)}).")
        show_plan(alt, "plan_alt", period, blockers=False, apply_label="Áp dụng phương án này vào mô phỏng")


def batch_summary(plans: list[Plan], rb: Rulebook, names: dict, period: str,
                  workbook: Callable[[], bytes], file_name: str) -> None:
    """Counts, the total work per lever, a filterable table, the Excel download and each unit's plan."""
    n = counts(plans)
    m = st.columns(5)
    m[0].metric("Số đơn vị", fmt_int(n["units"]))
    m[1].metric("Đạt mục tiêu", fmt_int(n["reached"]), help="Đạt mục tiêu sau kế hoạch (cần thay đổi).")
    m[2].metric("Đã đạt sẵn", fmt_int(n["already"]))
    m[3].metric("Không thể đạt", fmt_int(n["infeasible"]))
    m[4].metric("Tổng công sức", fmt_number(sum(p.effort for p in plans), 2))
    tot = lever_totals(plans, rb)
    if len(tot):
        st.markdown("**Cần làm thêm** (cộng mọi đơn vị)")
        st.table(pd.DataFrame({
            "Yếu tố cải thiện": tot["name_vi"],
            "Số đơn vị phải thay đổi": [fmt_int(v) for v in tot["units"]],
            "Tổng số lượng cần thêm": [f"{fmt_int(v)} {u}" for v, u in zip(tot["total"], tot["unit_vi"])],
            "Tổng công sức": [fmt_number(v, 2) for v in tot["effort"]],
        }).set_index("Yếu tố cải thiện"))
    show = st.segmented_control("Hiện", list(SHOW), format_func=SHOW.get, default="all", key="batch_show")
    keep = {
        "changes": lambda p: bool(p.steps) and p.feasible,
        "infeasible": lambda p: not p.feasible,
        "already": lambda p: p.already_reached,
    }.get(show or "all", lambda p: True)
    shown = [p for p in plans if keep(p)]
    if not shown:
        st.caption("Không có đơn vị nào trong mục này.")
    st.dataframe(summary_vi(shown, names), hide_index=True, width="stretch", key="batch_table",
                 column_config={"Mã đơn vị": st.column_config.TextColumn(width="small"),
                                "Tên đơn vị": st.column_config.TextColumn(width=260),
                                "Kế hoạch cải thiện": st.column_config.TextColumn(width="large"),
                                "Nguyên nhân không thể đạt": st.column_config.TextColumn(width="large")})
    st.download_button("Tải Excel (tóm tắt, từng đơn vị, từng bước)", key="batch_dl", on_click="ignore",
                       data=workbook, file_name=file_name, mime=XLSX_MIME)
    by_code = {p.unit_code: p for p in plans if p.steps}
    if by_code:
        st.subheader("Kế hoạch của từng đơn vị")
        pick = st.selectbox("Đơn vị", list(by_code), key="batch_unit",
                            format_func=lambda k: f"{names.get(k, k)} ({k}) — {status_vi(by_code[k]).lower()}, "
                                                  f"{by_code[k].levers_changed} yếu tố cải thiện")
        show_plan(by_code[pick], "batch", period)

