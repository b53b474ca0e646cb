"""Lập kế hoạch: the fewest improvements (or the least effort) that bring one unit — or every unit of a
group — to a target score. chiso.plan.solver solves and re-checks every plan with the engine; a plan reaches
the simulator only through the explicit "Áp dụng vào mô phỏng" button.
"""
import numpy as np
import streamlit as st

from chiso.errors import ChisoError
from chiso.fmt import fmt_int, fmt_number, fmt_points
from chiso.reports.meta import ExportMeta
from chiso.reports.plans_workbook import plans_workbook
from chiso.plan.batch import batch_work
from chiso.plan.setup import (
    BATCH_MODES,
    BATCH_MODES_VI,
    NUMBER,
    batch_targets,
    describe_batch_vi,
    parents_of,
    parse_target,
    scope_rows,
)
from chiso.plan.solver import OBJECTIVE_VI, plan_unit
from chiso.plan.targets import NEXT_BAND, target_presets
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS
from ui import address, batch_job
from ui.entry import indicators_entry, show_notice
from ui.plan_view import batch_summary, plan_options, show_alternative, show_plan
from ui.safe_md import md
from ui.saved_plans import save_plan_form, saved_plans
from ui.state import rulebook_caption, sidebar, unit_picker

CUSTOM = "custom"
ALL = "__all__"


def restore_target(kinds: list[str]) -> None:
    """The address names the target: a preset's key, or a number typed as «Tự nhập số điểm»."""
    wanted = address.opened("target")
    if wanted in kinds:
        ss["plan_target_kind"] = wanted
    elif wanted:
        ss["plan_target_kind"], ss["plan_target_text"] = CUSTOM, wanted


ss = st.session_state
data = sidebar()
show_notice()
rb = data.rb
names = dict(zip(data.codes, data.names))
st.title("Lập kế hoạch")
rulebook_caption(data)
st.caption("Tìm cách ít thay đổi nhất để đạt điểm mục tiêu. Mỗi kế hoạch được tính lại bằng bộ quy tắc tính điểm; "
           "bấm «Áp dụng vào mô phỏng» để xem và chỉnh tiếp ở trang Mô phỏng.")

options = plan_options(rb)  # objective, locks / caps / effort per lever (shared by both tabs)
constraints_vi = options.describe_vi(rb)
st.caption(" ".join(constraints_vi) or "Không khóa, không giới hạn thêm; công sức theo bộ quy tắc.")
meta = ExportMeta(rb=rb, source_label=data.source_label, period=data.period, synthetic=data.table.synthetic)

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
    restore_target(kinds)
    a, b, go = st.columns([4, 2, 1.5], vertical_alignment="bottom")  # the button in view at 1366×768
    default_kind = NEXT_BAND if NEXT_BAND in kinds else CUSTOM
    kind = a.selectbox("Mục tiêu", kinds, format_func=target_label, key="plan_target_kind",
                       index=kinds.index(default_kind))
    target = None
    if kind == CUSTOM:
        text = b.text_input("Điểm mục tiêu", key="plan_target_text", placeholder="Ví dụ: 70 hoặc 72,5")
        try:
            target = parse_target(text)
        except ChisoError as exc:
            st.error(md(exc))
    else:
        target = presets[kind].value
        b.markdown(f"Mục tiêu: **{fmt_points(target)} điểm**")

    address.put_choice("target", kind if kind != CUSTOM else ss["plan_target_text"], default_kind)
    sig = (data.source_label, data.period, rb.id, code, score, target, options)
    last = ss.get("plan_last")
    if go.button("Lập kế hoạch", type="primary", key="plan_solve", disabled=target is None, width="stretch"):
        try:
            found = plan_unit(data.table, data.base, code, target, **options.kw())
        except ChisoError as exc:
            st.error(md(exc))
        else:
            last = ss["plan_last"] = {"sig": sig, "plan": found}
    if last and last["sig"] == sig:
        p = last["plan"]
        st.subheader(f"Kế hoạch cải thiện: {OBJECTIVE_VI[p.objective].lower()}")
        show_plan(p, "plan", data.period, entry=lambda codes, where: indicators_entry(data, i, codes, where))
        if p.alternative:
            show_alternative(p, data.period)
        if p.steps:
            st.download_button(
                "Tải kế hoạch (Excel)", key="plan_dl", on_click="ignore",
                data=lambda p=p: plans_workbook(
                    [p], meta, names, f"{names[code]} — mục tiêu {fmt_points(p.target)} điểm", constraints_vi),
                file_name=f"ke-hoach-{code}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            save_plan_form(data, p)
    elif last:
        st.info("Các lựa chọn đã thay đổi: bấm «Lập kế hoạch» để lập lại kế hoạch.")
    saved_plans(data, code)  # plans kept in the workspace, held against the period open now

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
            st.error(md(exc))
    targets = batch_targets(data.base, rows, mode, value) if mode != NUMBER or value is not None else None
    title = describe_batch_vi(level, names.get(parent, parent) if parent else None, mode, value, len(rows))
    if targets is not None and mode != NUMBER and len(targets):
        lo, hi = float(np.min(targets)), float(np.max(targets))
        st.caption(f"Mục tiêu: {fmt_points(lo)} điểm" if lo == hi else
                   f"Mục tiêu theo từng đơn vị: từ {fmt_points(lo)} đến {fmt_points(hi)} điểm")

    bsig = (data.source_label, data.period, rb.id, level, parent, mode, value, options)
    if st.button(f"Lập kế hoạch cho {fmt_int(len(rows))} đơn vị", type="primary", key="batch_solve",
                 disabled=targets is None or not len(rows)):
        # through the server's heavy-job queue: a big batch never starves the other sessions' reruns
        batch_job.submit(batch_work(data.table, data.base, targets, data.codes[rows], **options.kw()),
                         len(rows), bsig, title)
    batch_job.show()
    blast = ss.get(batch_job.LAST)
    if blast and blast["sig"] == bsig:
        plans = blast["plans"]
        st.caption(f"{md(blast['title'])}. Lập {fmt_int(len(plans))} kế hoạch trong "
                   f"{fmt_number(blast['seconds'], 1)} giây.")
        batch_summary(plans, rb, names, data.period, file_name=f"ke-hoach-{level}.xlsx",
                      workbook=lambda plans=plans, title=blast["title"]: plans_workbook(
                          plans, meta, names, title, constraints_vi))
    elif blast:
        st.info("Các lựa chọn đã thay đổi: bấm «Lập kế hoạch» để lập lại.")
