"""Kịch bản chính sách: apply a lever rule to a group of units and see every unit's new score and rank."""
import numpy as np
import streamlit as st

from chiso.errors import ChisoError
from chiso.explain import HELD_NOTE_VI, HELD_VI
from chiso.reports.meta import ExportMeta
from chiso.reports.policy_workbook import policy_workbook
from chiso.fmt import fmt_delta, fmt_int, fmt_points
from chiso.policy import PolicyRule, apply_policy, presets_vi
from chiso.rulebook import LEVEL_NAMES_VI, LEVELS
from ui import address
from ui.safe_md import md
from ui.state import rulebook_caption, sidebar
from ui.tables import formatted, grid_height

CUSTOM = "Tự đặt quy tắc…"

data = sidebar()
rb = data.rb
st.title("Kịch bản chính sách")
rulebook_caption(data)
st.caption("Áp dụng một quy tắc cho cả nhóm đơn vị — mỗi đơn vị chỉ tăng trong giới hạn số liệu của mình — "
           "rồi xem điểm mới, ai lên hạng, ai xuống hạng, và mức chung của từng nhóm.")

levers = {lv.key: lv for lv in rb.levers}
presets = presets_vi(rb)  # the rulebook's own, over its own levers
address.restore_choice("rule", "pol_preset", {address.slug(k): k for k in [*presets, CUSTOM]})
choice = st.selectbox("Quy tắc", list(presets) + [CUSTOM], key="pol_preset")
address.put_choice("rule", address.slug(choice), address.slug(next(iter([*presets, CUSTOM]))))
present = [lv for lv in LEVELS if lv in set(data.frame["level"])]
if choice == CUSTOM:
    a, b = st.columns([3, 1])
    lever = a.selectbox("Yếu tố cải thiện", list(levers), format_func=lambda k: levers[k].name_vi, key="pol_lever")
    rate = b.number_input("Đạt ít nhất (%)", min_value=0, max_value=100, value=80, step=1, key="pol_rate")
    c, d = st.columns([2, 2])
    levels = c.multiselect("Áp dụng cho cấp", present, default=[lv for lv in present if lv == "commune"] or present,
                           format_func=LEVEL_NAMES_VI.get, key="pol_levels")
    name = d.text_input("Chỉ đơn vị có tên chứa (để trống: tất cả)", key="pol_name", placeholder="Ví dụ: phường")
    rules = (PolicyRule(lever, rate / 100.0, tuple(levels), name),)
else:
    rules = presets[choice]

try:
    res = apply_policy(rules, data.x, data.level_idx, data.names, data.codes, data.base, rb)
except ChisoError as exc:
    st.error(md(exc))
    st.stop()

for r in rules:
    st.info(md(r.describe_vi(rb)))
units = res.units()
moved = units[units["change"] != 0]
m = st.columns(4)
m[0].metric("Số đơn vị được nâng điểm", fmt_int(len(moved)))
m[1].metric("Tăng hạng", fmt_int(int((units["rank_change"] > 0).sum())))
m[2].metric("Giảm hạng", fmt_int(int((units["rank_change"] < 0).sum())),
            help="Đơn vị không thay đổi nhưng bị đơn vị khác vượt qua.")
m[3].metric("Điểm tăng nhiều nhất", fmt_delta(units["change"].max()) if len(moved) else "0,00")

st.subheader("Mức chung của từng nhóm")
coh = res.cohorts()
cohort_names = {**LEVEL_NAMES_VI, "all": "Tất cả đơn vị"}
st.dataframe(
    {
        "Nhóm đơn vị": [cohort_names[c] for c in coh["level"]],
        "Số đơn vị": [fmt_int(v) for v in coh["size"]],
        "Số đơn vị phải thay đổi": [fmt_int(v) for v in coh["moved"]],
        "Trung bình": [f"{fmt_points(a)} → {fmt_points(b)}" for a, b in zip(coh["mean_before"], coh["mean_after"])],
        "Trung vị": [f"{fmt_points(a)} → {fmt_points(b)}" for a, b in zip(coh["median_before"], coh["median_after"])],
        "P75": [f"{fmt_points(a)} → {fmt_points(b)}" for a, b in zip(coh["p75_before"], coh["p75_after"])],
    },
    hide_index=True,
    width="stretch",
    key="pol_cohorts",
)

lev = res.levers()
if len(lev):
    st.markdown("**Cần làm thêm:** " + "; ".join(
        f"{r.name_vi.lower()}: {fmt_int(r.total)} {r.unit_vi} ở {fmt_int(r.units)} đơn vị" for r in lev.itertuples()))
else:
    st.markdown("Không đơn vị nào cần thay đổi: mọi đơn vị trong phạm vi đã đạt quy tắc, hoặc không có số liệu.")

up_ = units.nlargest(5, "rank_change")
left, right = st.columns(2)
with left:
    st.markdown("**Lên hạng nhiều nhất**")
    lines = [f"- {md(r.unit_name)}: hạng {r.rank_before} → {r.rank_after} ({fmt_delta(r.change)} điểm)"
             for r in up_.itertuples() if r.rank_change > 0]
    st.markdown("\n".join(lines) or "Không đơn vị nào lên hạng.")
with right:
    st.markdown("**Xuống hạng nhiều nhất**")
    lines = [f"- {md(r.unit_name)}: hạng {r.rank_before} → {r.rank_after} ({r.why_vi})"
             for r in res.fell_behind(5).itertuples()]
    st.markdown("\n".join(lines) or "Không đơn vị nào xuống hạng.")

st.subheader("Từng đơn vị")
only = st.toggle("Chỉ hiện đơn vị có thay đổi điểm hoặc hạng", value=True, key="pol_only")
view = units[(units["change"] != 0) | (units["rank_change"] != 0)] if only else units
view = view.sort_values(["level", "rank_after", "unit_name"])
lever_cols = {c: f"{levers[c.removeprefix('lever__')].name_vi} ({levers[c.removeprefix('lever__')].unit_vi})"
              for c in view.columns if c.startswith("lever__")}
shown = view.assign(level=view["level"].map(LEVEL_NAMES_VI)).rename(
    columns={
        "unit_code": "Mã",
        "unit_name": "Tên đơn vị",
        "level": "Cấp",
        "total_before": "Điểm trước",
        "total_after": "Điểm sau",
        "change": "Chênh lệch",
        "rank_before": "Hạng trước",
        "rank_after": "Hạng sau",
        "rank_change": "Đổi hạng",
        "band_before": "Xếp loại trước",
        "band_after": "Xếp loại sau",
        **lever_cols,
    }
)
styled = formatted(shown, [
    (["Điểm trước", "Điểm sau"], fmt_points),
    (["Chênh lệch"], fmt_delta),
    (["Đổi hạng"], lambda v: fmt_delta(v, 0)),
    (["Hạng trước", "Hạng sau", *lever_cols.values()], fmt_int),
])
st.dataframe(styled, hide_index=True, width="stretch", height=grid_height(len(view), 420), key="pol_units",
             column_order=["Tên đơn vị", "Mã", *[c for c in shown.columns if c not in ("Tên đơn vị", "Mã")]],
             # not pinned: Streamlit greys a pinned column's text; explicit widths so the code is never cut
             column_config={"Tên đơn vị": st.column_config.TextColumn(width=260),
                            "Mã": st.column_config.TextColumn(width=110),
                            "Đổi hạng": st.column_config.NumberColumn(help="Số bậc lên (+) hoặc xuống (−) trong nhóm.")})
st.caption(f"{fmt_int(len(view))} / {fmt_int(len(units))} đơn vị. Xếp hạng trong nhóm: sở, ban, ngành và cấp xã "
           "được xếp riêng; đồng điểm thì đồng hạng (1-2-2-4).")



def _mean(v: float) -> str:
    """A cohort where no unit has data for the group holds its points: no mean to show, never 0."""
    return HELD_VI if np.isnan(v) else fmt_points(v)


with st.expander("Theo nhóm chỉ số (điểm trung bình trước → sau)"):
    grp = res.groups()
    grp = grp[grp["change"] != 0] if (grp["change"] != 0).any() else grp
    st.dataframe(
        {
            "Nhóm đơn vị": [cohort_names[c] for c in grp["level"]],
            "Nhóm chỉ số": [rb.group(c).name_vi for c in grp["group"]],
            "Điểm tối đa": [fmt_points(v) for v in grp["max"]],
            "Trung bình trước": [_mean(v) for v in grp["mean_before"]],
            "Trung bình sau": [_mean(v) for v in grp["mean_after"]],
            "Chênh lệch": [fmt_delta(v, 4) for v in grp["change"]],
        },
        hide_index=True,
        width="stretch",
        key="pol_groups",
    )
    if grp["held"].any():
        st.caption(f"Trung bình chỉ tính các đơn vị có số liệu của nhóm; {HELD_NOTE_VI}")

meta = ExportMeta(rb=rb, source_label=data.source_label, period=data.period, synthetic=data.table.synthetic)
title = choice if choice != CUSTOM else rules[0].describe_vi(rb)
st.download_button(
    "Tải Excel kịch bản chính sách", data=lambda: policy_workbook(res, meta, title),
    file_name="kich-ban-chinh-sach.xlsx", key="pol_xlsx", on_click="ignore",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
