"""Lập kế hoạch: the fewest improvements (or the least effort) that bring one unit — or every unit of a
group — to a target score. chiso.planner solves and re-checks every plan with the engine; a plan reaches
the simulator only through the explicit "Áp dụng vào mô phỏng" button.
"""
import time

import numpy as np
import pandas as pd
import streamlit as st

from chiso.errors import ChisoError
from chiso.export import ExportMeta, plans_workbook
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_points
from chiso.plan_setup import (
    BATCH_MODES,
    BATCH_MODES_VI,
    CAP,
    LOCK,
    NUMBER,
    WEIGHT,
    batch_targets,
    counts,
    describe_batch_vi,
    lever_table,
    lever_totals,
    options_from_table,
    parents_of,
    parse_target,
    scope_rows,
    status_vi,
    summary_vi,
)
from chiso.planner import OBJECTIVE_VI, OBJECTIVES, Plan, plan_table, plan_unit
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS
from chiso.targets import NEXT_BAND, target_presets
from ui.safe_md import md
from ui.state import rulebook_caption, send_to_simulator, sidebar, unit_picker

CUSTOM = "custom"
ALL = "__all__"
SHOW = {"all": "Tất cả", "changes": "Cần thay đổi", "infeasible": "Không thể đạt", "already": "Đã đạt sẵn"}

ss = st.session_state
data = sidebar()
rb = data.rb
names = dict(zip(data.codes, data.names))
st.title("Lập kế hoạch")
rulebook_caption(data)
st.caption("Tìm cách ít thay đổi nhất để đạt điểm mục tiêu. Mỗi kế hoạch được tính lại bằng bộ quy tắc tính điểm; "
           "bấm «Áp dụng vào mô phỏng» để xem và chỉnh tiếp ở trang Mô phỏng.")

# ---- how to plan: objective, then locks / caps / effort per lever (shared by both tabs)
objective = st.radio(
    "Tiêu chí", OBJECTIVES, format_func=OBJECTIVE_VI.get, horizontal=True, key="plan_objective",
    help="Ít yếu tố cải thiện nhất: thay đổi ít việc nhất, rồi ít công sức nhất trong các cách đó. "
         "Ít công sức nhất: tổng công sức nhỏ nhất, có thể phải làm nhiều việc hơn.",
)
with st.expander("Khóa (không thay đổi), giới hạn tăng thêm và công sức của từng yếu tố cải thiện"):
    edited = st.data_editor(
        lever_table(rb),
        key=f"plan_levers_{rb.id}",
        hide_index=True,
        width="stretch",
        height=(len(rb.levers) + 1) * 35 + 3,  # every lever visible, no inner scrolling
        placeholder="Không giới hạn",
        column_order=["name_vi", "unit_vi", LOCK, CAP, WEIGHT],
        disabled=["name_vi", "unit_vi"],
        column_config={
            "name_vi": st.column_config.TextColumn("Yếu tố cải thiện", width="large"),
            "unit_vi": st.column_config.TextColumn("Đơn vị tính", width="small"),
            LOCK: st.column_config.CheckboxColumn("Khóa (không thay đổi)", help="Kế hoạch không dùng yếu tố này."),
            CAP: st.column_config.NumberColumn(
                "Tăng thêm tối đa", min_value=0, step=1, format="localized",
                help="Ví dụ: tháng này cấp thêm tối đa 50 kết quả điện tử. Để trống: chỉ giới hạn theo số liệu."),
            WEIGHT: st.column_config.NumberColumn(
                "Công sức mỗi đơn vị", min_value=0.01, step=0.01, format="localized",
                help="Công sức của kế hoạch = tổng (số lượng tăng thêm × công sức mỗi đơn vị)."),
        },
    )
    st.caption("Mặc định theo bộ quy tắc: mỗi đơn vị tính có công sức 1"
               + "".join(f"; «{lv.name_vi}»: {fmt_number(lv.effort, 2)}" for lv in rb.levers if lv.effort != 1)
               + ". Các giới hạn áp dụng cho từng đơn vị, cả khi lập kế hoạch cho nhiều đơn vị.")
try:
    options = options_from_table(edited, rb, objective)
except ChisoError as exc:
    st.error(str(exc))
    st.stop()
constraints_vi = options.describe_vi(rb)
st.caption(" ".join(constraints_vi) or "Không khóa, không giới hạn thêm; công sức theo bộ quy tắc.")
meta = ExportMeta(rb=rb, source_label=data.source_label, period=data.period, synthetic=data.table.synthetic)


def steps_table(p: Plan) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Việc cần làm": [s.instruction_vi for s in p.steps],
            "Số lượng": [f"{fmt_int(s.count_from)} → {fmt_int(s.count_to)} {s.unit_vi}" for s in p.steps],
            "Điểm tăng": [fmt_delta(s.points) for s in p.steps],
            "Công sức": [fmt_number(s.effort, 2) for s in p.steps],
        },
        index=pd.RangeIndex(1, len(p.steps) + 1, name="Bước"),
    )


def show_plan(p: Plan, prefix: str, blockers: bool = True, apply_label: str = "Áp dụng vào mô phỏng") -> None:
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
        st.table(steps_table(p))
    if blockers and p.blocked_by:
        st.markdown("**Nguyên nhân không thể đạt**")
        st.markdown("\n".join(f"- {md(b.message_vi)}" for b in p.blocked_by))
    if p.steps and st.button(apply_label, type="primary", key=f"{prefix}_apply",
                             help="Mở trang Mô phỏng với các yếu tố cải thiện của kế hoạch này."):
        send_to_simulator(p.to_scenario(period=data.period))


one, many = st.tabs(["Một đơn vị", "Nhiều đơn vị cùng lúc"])

# ---------------------------------------------------------------- one unit
with one:
    i = unit_picker(data, key="unit_pick_plan")
    code = str(data.codes[i])
    score = float(data.base.total[i])
    c = st.columns(3)
    c[0].metric("Điểm hiện tại (Điểm tính lại)", fmt_points(score),
                help=f"Điểm hiện tại (chính thức): {fmt_points(data.official[i])}. "
                     f"Điểm không có trong tệp (giữ nguyên): {fmt_points(data.base.held[i])}.")
    c[1].metric("Xếp hạng trong nhóm", f"{data.rank[i]} / {fmt_int(len(data.cohort_totals(i)))}")
    c[2].metric("Xếp loại", rb.band(score))

    presets = {p.key: p for p in target_presets(data.base, code)}

    def target_label(key: str) -> str:
        if key == CUSTOM:
            return "Tự nhập số điểm"
        p = presets[key]
        other = f" — {names.get(p.unit_code, '')}" if p.unit_code else ""
        return p.label_vi + other + (" — đã đạt" if p.reached else "")

    kinds = list(presets) + [CUSTOM]
    if "plan_target_text" not in ss:
        ss["plan_target_text"] = fmt_number(presets[NEXT_BAND].value if NEXT_BAND in presets else min(100.0, score))
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    kind = a.selectbox("Mục tiêu", kinds, format_func=target_label, key="plan_target_kind",
                       index=kinds.index(NEXT_BAND) if NEXT_BAND in kinds else len(kinds) - 1)
    target = None
    if kind == CUSTOM:
        text = b.text_input("Điểm mục tiêu", key="plan_target_text", placeholder="Ví dụ: 70 hoặc 72,5")
        try:
            target = parse_target(text)
        except ChisoError as exc:
            st.error(str(exc))
    else:
        target = presets[kind].value
        b.markdown(f"Mục tiêu: **{fmt_points(target)} điểm**")

    sig = (data.source_label, data.period, rb.id, code, score, target, options)
    last = ss.get("plan_last")
    if st.button("Lập kế hoạch", type="primary", key="plan_solve", disabled=target is None):
        try:
            found = plan_unit(data.table, data.base, code, target, **options.kw())
        except ChisoError as exc:
            st.error(str(exc))
        else:
            last = ss["plan_last"] = {"sig": sig, "plan": found}
    if last and last["sig"] == sig:
        p = last["plan"]
        st.subheader(f"Kế hoạch cải thiện: {OBJECTIVE_VI[p.objective].lower()}")
        show_plan(p, "plan")
        if p.alternative:
            alt = p.alternative
            with st.container(border=True):
                st.markdown(
                    f"**Phương án khác — {OBJECTIVE_VI[alt.objective].lower()}**: "
                    f"{fmt_int(alt.levers_changed)} yếu tố cải thiện, công sức {fmt_number(alt.effort, 2)} "
                    f"(phương án trên: {fmt_int(p.levers_changed)} yếu tố, công sức {fmt_number(p.effort, 2)}).")
                show_plan(alt, "plan_alt", blockers=False, apply_label="Áp dụng phương án này vào mô phỏng")
        if p.steps:
            st.download_button(
                "Tải kế hoạch (Excel)", key="plan_dl", on_click="ignore",
                data=lambda p=p: plans_workbook(
                    [p], meta, names, f"{names[code]} — mục tiêu {fmt_points(p.target)} điểm", constraints_vi),
                file_name=f"ke-hoach-{code}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
    elif last:
        st.info("Các lựa chọn đã thay đổi: bấm «Lập kế hoạch» để lập lại kế hoạch.")

# ---------------------------------------------------------------- many units
with many:
    st.caption("Lập kế hoạch cho mọi đơn vị của một nhóm tới cùng một mục tiêu; đơn vị đã đạt thì không cần thay đổi.")
    present = [lv for lv in LEVELS if (data.level_idx == LEVELS.index(lv)).any()]
    a, b = st.columns(2)
    level = a.selectbox("Nhóm đơn vị", present, format_func=LEVEL_NAMES_VI.get, key="batch_level",
                        index=present.index("commune") if "commune" in present else 0)
    parents = parents_of(data.frame, level)
    parent = None
    if len(parents) > 1:
        parent_names = dict(parents)
        pick = b.selectbox("Thuộc", [ALL] + list(parent_names), key="batch_parent",
                           format_func=lambda k: "Tất cả" if k == ALL else parent_names[k])
        parent = None if pick == ALL else pick
    rows = scope_rows(data.frame, level, parent)
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    mode = a.selectbox("Mục tiêu chung", BATCH_MODES, format_func=BATCH_MODES_VI.get, key="batch_mode")
    value = None
    if mode == NUMBER:
        ss.setdefault("batch_target_text", "70")
        try:
            value = parse_target(b.text_input("Đạt ít nhất (điểm)", key="batch_target_text"))
        except ChisoError as exc:
            st.error(str(exc))
    targets = batch_targets(data.base, rows, mode, value) if mode != NUMBER or value is not None else None
    title = describe_batch_vi(level, names.get(parent, parent) if parent else None, mode, value, len(rows))
    if targets is not None and mode != NUMBER and len(targets):
        lo, hi = float(np.min(targets)), float(np.max(targets))
        st.caption(f"Mục tiêu: {fmt_points(lo)} điểm" if lo == hi else
                   f"Mục tiêu theo từng đơn vị: từ {fmt_points(lo)} đến {fmt_points(hi)} điểm")

    bsig = (data.source_label, data.period, rb.id, level, parent, mode, value, options)
    blast = ss.get("batch_last")
    if st.button(f"Lập kế hoạch cho {fmt_int(len(rows))} đơn vị", type="primary", key="batch_solve",
                 disabled=targets is None or not len(rows)):
        bar = st.progress(0.0, text="Đang lập kế hoạch…")
        every = max(1, len(rows) // 100)

        def progress(done: int, total: int) -> None:
            if done == total or done % every == 0:
                bar.progress(done / total, text=f"Đã lập kế hoạch {fmt_int(done)} / {fmt_int(total)} đơn vị")

        started = time.perf_counter()
        try:
            plans = plan_table(data.table, data.base, targets, codes=data.codes[rows], progress=progress,
                               **options.kw())
        except ChisoError as exc:
            st.error(str(exc))
        else:
            seconds = time.perf_counter() - started
            blast = ss["batch_last"] = {"sig": bsig, "plans": plans, "seconds": seconds, "title": title}
    if blast and blast["sig"] == bsig:
        plans = blast["plans"]
        n = counts(plans)
        st.caption(f"{md(blast['title'])}. Lập {fmt_int(n['units'])} kế hoạch trong "
                   f"{fmt_number(blast['seconds'], 1)} giây.")
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
        st.download_button(
            "Tải Excel (tóm tắt, từng đơn vị, từng bước)", key="batch_dl", on_click="ignore",
            data=lambda plans=plans, title=blast["title"]: plans_workbook(plans, meta, names, title, constraints_vi),
            file_name=f"ke-hoach-{level}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        with_steps = [p for p in plans if p.steps]
        if with_steps:
            by_code = {p.unit_code: p for p in with_steps}
            st.subheader("Kế hoạch của từng đơn vị")
            pick = st.selectbox("Đơn vị", list(by_code), key="batch_unit",
                                format_func=lambda k: f"{names.get(k, k)} ({k}) — {status_vi(by_code[k]).lower()}, "
                                                      f"{by_code[k].levers_changed} yếu tố cải thiện")
            show_plan(by_code[pick], "batch")
    elif blast:
        st.info("Các lựa chọn đã thay đổi: bấm «Lập kế hoạch» để lập lại.")
