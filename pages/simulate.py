"""Mô phỏng: move the levers of one unit and see its score, groups and rank change at once.

The baseline is read-only; a scenario is a set of integer lever deltas (``st.session_state["sim"]``).
Widgets only write deltas through callbacks; everything shown is recomputed by chiso on every run.
"""
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from chiso.cohort import rank_among
from chiso.errors import ChisoError
from chiso.explain import missing_groups
from chiso.export import ExportMeta, UnitReport, UnitScenario, unit_summary_html, unit_workbook
from chiso.fmt import fmt_delta, fmt_int, fmt_number, fmt_percent, fmt_points, fmt_small
from chiso.rulebook import LEVEL_NAMES_VI
from chiso.scenario import (
    Scenario,
    apply_deltas,
    count_bounds,
    delta_for_count,
    delta_for_rate,
    fit_levers,
    fixed_reason_vi,
    lever_rooms,
    marginal,
    rate_after,
    scenario_from_json,
    scenario_to_query,
    score_scenarios,
)
from ui.safe_md import md
from ui.charts import waterfall
from ui.state import PENDING_SCENARIO, UNIT_KEY, rulebook_caption, saved_scenarios, sidebar, unit_picker

ss = st.session_state
data = sidebar()
rb = data.rb
st.title("Mô phỏng")
rulebook_caption(data)

# ---- a scenario handed over by the planner, an uploaded file or a shared link
pending = ss.pop(PENDING_SCENARIO, None)
if isinstance(pending, Scenario):
    if pending.rulebook != rb.id:
        st.error(f"Kịch bản «{md(pending.name)}» dùng bộ quy tắc «{md(pending.rulebook)}», đang chọn «{rb.id}».")
    elif pending.unit_code not in set(data.codes):
        st.error(f"Không có đơn vị mã «{md(pending.unit_code)}» trong dữ liệu đang mở.")
    else:
        j = data.index_of(pending.unit_code)
        rooms_j = lever_rooms(data.x[j], data.level(j), rb)
        asked = {k: int(v) for k, v in pending.levers.items() if v}
        kept = fit_levers(asked, rooms_j)
        ss[UNIT_KEY] = pending.unit_code
        ss["_sim_seq"] = ss.get("_sim_seq", 0) + 1
        ss["sim"] = {"unit": pending.unit_code, "rb": rb.id, "levers": kept, "name": pending.name,
                     "seq": ss["_sim_seq"]}
        if kept != asked:
            st.warning("Một số giá trị vượt quá giới hạn có thể của đơn vị hoặc không làm đổi điểm: đã điều chỉnh.")
        st.success(f"Đã áp dụng kịch bản «{md(pending.name)}» vào mô phỏng.")

i = unit_picker(data, key="unit_pick_sim")
code = str(data.codes[i])
level = data.level(i)
held = float(data.base.held[i])
x_row = data.x[i]
sim = ss.get("sim")
if not sim or sim.get("unit") != code or sim.get("rb") != rb.id:  # a scenario belongs to one unit and rulebook
    ss["_sim_seq"] = ss.get("_sim_seq", 0) + 1
    sim = {"unit": code, "rb": rb.id, "levers": {}, "name": "Kịch bản 1", "seq": ss["_sim_seq"]}
    ss["sim"] = sim


rooms = lever_rooms(x_row, level, rb)  # bounds at the read-only baseline
keys = [lv.key for lv in rb.levers]
others = data.cohort_totals(i, exclude_self=True)
rank_now = int(data.rank[i])
cohort_n = len(others) + 1


def current_scenario() -> Scenario:
    """The scenario as the levers stand now (read when a button is pressed, never stale)."""
    return Scenario(name=sim["name"], rulebook=rb.id, unit_code=code, period=data.period,
                    levers={k: int(v) for k, v in sim["levers"].items() if v})


def link_params(sc: Scenario) -> dict[str, str]:
    params = scenario_to_query(sc)
    if data.source_key:
        params["src"] = data.source_key
    return params


def unit_scenario(sc: Scenario) -> UnitScenario:
    scores = score_scenarios(x_row, level, rb, held, sc.deltas(rb), code)
    return UnitScenario(sc.name, sc.levers, scores, rank_among(float(scores.total[0]), others))


def build_report() -> UnitReport:
    """Everything the exports print, from the levers as they are when the download is clicked."""
    sc = current_scenario()
    meta = ExportMeta(rb=rb, source_label=data.source_label, period=data.period, synthetic=data.table.synthetic)
    same = [s for s in saved_scenarios_now if s.unit_code == code and s.rulebook == rb.id and s.name != sc.name]
    return UnitReport(
        meta=meta, unit_code=code, unit_name=str(data.names[i]), level=level, official_total=float(data.official[i]),
        base=score_scenarios(x_row, level, rb, held, np.zeros(len(keys)), code), base_rank=rank_now,
        cohort_size=cohort_n, rooms=rooms, current=unit_scenario(sc), saved=[unit_scenario(s) for s in same],
    )


@st.fragment
def simulator() -> None:
    """Everything a lever moves: reruns alone on a lever change (the unit list and sidebar stay put)."""
    deltas = np.array([float(sim["levers"].get(k, 0)) for k in keys])

    scen = score_scenarios(x_row, level, rb, held, deltas, code)
    base = data.base
    b_total, s_total = float(base.total[i]), float(scen.total[0])
    rank_new = rank_among(s_total, others)

    # ---- results
    m = st.columns([1.2, 1.2, 1, 1])
    m[0].metric("Tổng điểm (kịch bản)", fmt_points(s_total), fmt_delta(s_total - b_total) if s_total != b_total else None)
    m[1].metric("Kịch bản gốc (Điểm tính lại)", fmt_points(b_total),
                help=f"Điểm hiện tại (chính thức): {fmt_points(data.official[i])}. "
                     f"Điểm không có trong tệp (giữ nguyên): {fmt_points(held)}.")
    m[2].metric("Xếp hạng trong nhóm", f"{rank_new} / {fmt_int(cohort_n)}",
                f"{rank_now - rank_new:+d} bậc (gốc: {rank_now})" if rank_new != rank_now else None,
                help="Đồng điểm thì đồng hạng (1-2-2-4). Các đơn vị khác giữ điểm gốc.")
    m[3].metric("Xếp loại", rb.band(s_total), rb.band(b_total) if rb.band(s_total) != rb.band(b_total) else None,
                delta_color="off")
    g = st.columns(len(rb.groups))
    miss = missing_groups(base, i)
    for n, grp in enumerate(rb.groups):
        d = float(scen.group_points[0, n] - base.group_points[i, n])
        star = "*" if miss[n] else ""
        g[n].metric(grp.name_vi, f"{fmt_points(scen.group_points[0, n])}{star} / {fmt_number(grp.max)}",
                    fmt_delta(d) if d else None)
    if held:
        st.caption(f"Điểm không có trong tệp (giữ nguyên): {fmt_points(held)} — đã tính trong tổng, không đổi khi mô phỏng."
                   + (" * Nhóm thiếu số liệu: phần thiếu nằm trong điểm giữ nguyên." if miss.any() else ""))

    x_now = apply_deltas(x_row[None, :], deltas[None, :], rb)[0]
    marg = marginal(x_now, level, rb, held)

    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(waterfall(rb, base, scen, i), width="stretch", key="sim_waterfall",
                        config={"staticPlot": True})  # redrawn on every lever change: keep it light
    with right:
        st.markdown("**Điểm thêm cho mỗi đơn vị tăng thêm** (tính từ kịch bản hiện tại)")
        order = np.argsort(-marg.per_unit)
        lines = []
        for k in order:
            if marg.step[k] <= 0 or marg.gain[k] <= 0:
                continue
            lv = rb.levers[k]
            star = ":material/star: " if k == marg.best else ""
            lines.append(
                f"{star}**{lv.name_vi}**: {fmt_small(marg.per_unit[k])} điểm / {lv.unit_vi} "
                f"(thêm {fmt_int(marg.step[k])} {lv.unit_vi}: {fmt_delta(marg.gain[k])})"
            )
        st.markdown("\n".join(f"{n + 1}. {t}" for n, t in enumerate(lines[:8])) or
                    "Không còn yếu tố nào làm tăng điểm: các chỉ tiêu đã đạt tối đa hoặc không có số liệu.")
        st.caption("Bước thử ≈ 1% mẫu số của mỗi yếu tố (ít nhất 1). :material/star: = được nhiều điểm nhất lúc này.")


    # ---- levers: widgets are written only by callbacks (never on every run: a rerun still in flight
    # must not pull a slider back while the user is pressing the arrow keys)
    live = [n for n, r in enumerate(rooms) if not fixed_reason_vi(r)]  # levers that get widgets

    def _sync(key: str, n: int, which: tuple[str, ...] = ("n", "c", "r")) -> None:
        d = ss["sim"]["levers"].get(key, 0)
        rate = rate_after(rooms[n], d)
        values = {"n": int(rooms[n].current + d), "c": int(rooms[n].current + d),
                  "r": int(np.floor(rate * 100 + 1e-9)) if not np.isnan(rate) else 0}
        for w in which:
            ss[f"lv_{w}_{key}"] = values[w]

    def _on_count(key: str, n: int) -> None:
        ss["sim"]["levers"][key] = delta_for_count(rooms[n], ss[f"lv_n_{key}"])
        _sync(key, n, ("c", "r"))

    def _on_typed(key: str, n: int) -> None:
        ss["sim"]["levers"][key] = delta_for_count(rooms[n], ss[f"lv_c_{key}"] or 0)
        _sync(key, n)

    def _on_rate(key: str, n: int) -> None:
        ss["sim"]["levers"][key] = delta_for_rate(rooms[n], (ss[f"lv_r_{key}"] or 0) / 100.0)
        _sync(key, n)

    def _reset(key: str, n: int) -> None:
        ss["sim"]["levers"].pop(key, None)
        _sync(key, n)

    def _reset_all() -> None:
        ss["sim"]["levers"] = {}
        for n in live:
            _sync(rooms[n].lever.key, n)

    synced = (code, rb.id, sim["seq"])  # a new unit, rulebook or applied scenario: widgets start from it
    if ss.get("_lv_synced") != synced:
        ss["_lv_synced"] = synced
        for n in live:
            _sync(rooms[n].lever.key, n)

    # the slider's own numbers cannot be formatted the Vietnamese way: the label carries them instead
    st.html("<style>.stSlider [data-testid='stSliderThumbValue'], .stSlider [data-testid='stSliderTickBar']"
            "{visibility: hidden; height: 0.2rem;}</style>")
    head, btn = st.columns([4, 1])
    head.subheader("Yếu tố cải thiện")
    btn.button("Đặt lại tất cả", on_click=_reset_all, key="reset_all", width="stretch",
               disabled=not any(sim["levers"].values()))
    st.caption("Kéo thanh trượt (hoặc dùng phím mũi tên), gõ số lượng, hoặc nhập tỷ lệ mục tiêu (%). "
               "Giới hạn theo số liệu: không vượt quá mẫu số, không nhỏ hơn 0.")
    fixed = []
    for n, room in enumerate(rooms):
        lv = room.lever
        reason = fixed_reason_vi(room, rb)
        if reason:
            fixed.append((lv, reason))
            continue
        d = int(sim["levers"].get(lv.key, 0))
        lo, hi = count_bounds(room)
        new = int(room.current + d)
        rate = rate_after(room, d)
        if any(f"lv_{w}_{lv.key}" not in ss for w in "ncr"):  # state dropped (page switch): restore it
            _sync(lv.key, n)
        change = f" · thay đổi {'+' if d > 0 else '−'}{fmt_int(abs(d))}" if d else ""
        if lv.remaining_vi:  # e.g. overdue dossiers: users count what is left, not the on-time ones
            change = f" · còn {fmt_int(room.denominator - new)} {lv.remaining_vi}{change}"
        c1, c0, c2, c3 = st.columns([6, 1.5, 1.3, 1], vertical_alignment="bottom")
        c1.slider(
            f"{lv.name_vi}: {fmt_int(new)} / {fmt_int(room.denominator)} {lv.unit_vi} ({fmt_percent(rate)}){change}",
            min_value=lo, max_value=hi, step=1, key=f"lv_n_{lv.key}",
            on_change=_on_count, args=(lv.key, n),
            help=(lv.note_vi or None),
        )
        c0.number_input(f"Số {lv.unit_vi}", min_value=lo, max_value=hi, step=1, key=f"lv_c_{lv.key}",
                        on_change=_on_typed, args=(lv.key, n))
        c2.number_input("Tỷ lệ (%)", min_value=0, max_value=100, step=1, key=f"lv_r_{lv.key}",
                        on_change=_on_rate, args=(lv.key, n), disabled=np.isnan(rate))
        c3.button("Đặt lại", key=f"lv_x_{lv.key}", on_click=_reset, args=(lv.key, n), disabled=not d,
                  width="stretch")
        if marg.step[n] > 0:
            c1.caption(f"Thêm {fmt_int(marg.step[n])} {lv.unit_vi}: {fmt_delta(marg.gain[n])} điểm · "
                       f"thêm 1 {lv.unit_vi}: {fmt_delta(marg.gain_one[n])} điểm · tối đa {fmt_int(hi)}")
        elif d >= 0 and room.room == d:
            c1.caption("Đã đạt giới hạn: không thể tăng thêm.")
    if fixed:
        with st.container(border=True):
            st.markdown(f"**Yếu tố không làm đổi điểm của đơn vị này** ({LEVEL_NAMES_VI[level].lower()})")
            for lv, reason in fixed:
                st.markdown(f"- {lv.name_vi}: {reason}")

    # ---- the address bar and this link always reopen exactly this state
    params = link_params(current_scenario())
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.markdown("**Liên kết chia sẻ** (mở lại đúng đơn vị, bộ quy tắc và các yếu tố đã đặt):")
    st.code(f"{st.context.url or ''}?{urlencode(params)}", language=None, wrap_lines=True)
    if not data.source_key:
        st.caption("Dữ liệu đang mở là tệp tải lên: người nhận liên kết cần tải lên cùng tệp đó.")


simulator()

# ---- scenarios and exports: outside the fragment (they run on a full rerun; downloads read the levers on click)
saved = saved_scenarios()
saved_scenarios_now = list(saved.values())
st.divider()
tab_save, tab_cmp, tab_share, tab_export = st.tabs(["Lưu kịch bản", "So sánh kịch bản", "Tải lên / tải về",
                                                    "Xuất báo cáo"])

with tab_save:
    def _rename() -> None:
        ss["sim"]["name"] = (ss["sim_name"] or "").strip()[:200] or "Kịch bản"

    ss["sim_name"] = sim["name"]
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    a.text_input("Tên kịch bản", key="sim_name", on_change=_rename, max_chars=200)
    if b.button("Lưu kịch bản", type="primary", key="save_scenario", width="stretch"):
        current = current_scenario()
        existed = current.name in saved
        saved[current.name] = current
        saved_scenarios_now = list(saved.values())
        st.success(f"{'Đã cập nhật' if existed else 'Đã lưu'} kịch bản «{md(current.name)}».")
    mine = {k: s for k, s in saved.items() if s.rulebook == rb.id}
    if mine:
        pick = st.selectbox("Kịch bản đã lưu", list(mine), key="saved_pick",
                            format_func=lambda k: f"{k} — {data.names[data.index_of(mine[k].unit_code)]}"
                            if mine[k].unit_code in set(data.codes) else k)
        o, dlt = st.columns(2)
        if o.button("Mở kịch bản này", key="open_saved", width="stretch"):
            ss[PENDING_SCENARIO] = mine[pick]
            st.rerun()
        if dlt.button("Xóa kịch bản này", key="delete_saved", width="stretch"):
            saved.pop(pick, None)
            st.rerun()
    else:
        st.caption("Chưa lưu kịch bản nào trong phiên làm việc này.")

same_unit = [s for s in saved.values() if s.unit_code == code and s.rulebook == rb.id]
with tab_cmp:
    if not same_unit:
        st.caption("Lưu ít nhất một kịch bản của đơn vị này để so sánh.")
    else:
        names = ["Kịch bản gốc"] + [s.name for s in same_unit]
        rows = np.vstack([np.zeros(len(keys))] + [s.deltas(rb) for s in same_unit])
        cmp = score_scenarios(x_row, level, rb, held, rows, code)
        table = {"Chỉ số": ["Tổng điểm", "Xếp hạng trong nhóm", "Xếp loại"] + [grp.name_vi for grp in rb.groups]}
        for n, name in enumerate(names):
            t = float(cmp.total[n])
            table[name] = [fmt_points(t), str(rank_among(t, others)), rb.band(t)] + [
                fmt_points(p) for p in cmp.group_points[n]]
        for k, lv in enumerate(rb.levers):
            if rows[:, k].any():
                table["Chỉ số"].append(f"{lv.name_vi} ({lv.unit_vi})")
                for n, name in enumerate(names):
                    table[name].append(fmt_delta(rows[n, k], 0) if rows[n, k] else "0")
        st.dataframe(table, hide_index=True, width="stretch", key="compare_table")
        st.caption("Các kịch bản đã lưu, cạnh nhau; lưu kịch bản đang mô phỏng để đưa vào so sánh.")

with tab_share:
    st.download_button(
        "Tải kịch bản đang mô phỏng (JSON)", data=lambda: current_scenario().to_json().encode("utf-8"),
        file_name=f"kich-ban-{code}.json", mime="application/json", key="dl_json", on_click="ignore",
    )
    up = st.file_uploader("Tải lên kịch bản (JSON)", type=["json"], key="sim_upload")
    if up is not None and ss.get("_sim_upload_done") != up.file_id:
        ss["_sim_upload_done"] = up.file_id
        try:
            loaded = scenario_from_json(up.getvalue(), rb, up.name)
        except ChisoError as exc:
            st.error(md(exc))
        else:
            saved[loaded.name] = loaded
            ss[PENDING_SCENARIO] = loaded
            st.rerun()

with tab_export:
    st.caption(f"Ghi rõ bộ quy tắc tính điểm {rb.id}; số giữ dạng số trong Excel; lấy các yếu tố đang đặt lúc bấm tải.")
    a, b = st.columns(2)
    a.download_button(
        "Tải Excel (gốc và kịch bản theo từng chỉ tiêu)", data=lambda: unit_workbook(build_report()),
        file_name=f"mo-phong-{code}.xlsx", key="dl_xlsx", on_click="ignore", width="stretch",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    b.download_button(
        "Tải bản tóm tắt một trang để in (HTML)", data=lambda: unit_summary_html(build_report()).encode("utf-8"),
        file_name=f"tom-tat-{code}.html", mime="text/html", key="dl_html", on_click="ignore", width="stretch",
    )
