"""Below the simulator: save and reopen scenarios, compare them side by side, move them as JSON files,
and export the unit's report. Downloads read the levers when clicked, never a stale copy."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from chiso.calibration import published_group_points
from chiso.cohort import rank_among
from chiso.errors import ChisoError
from chiso.explain import group_notes_vi, group_values
from chiso.fmt import fmt_delta, fmt_int, fmt_points
from chiso.lever_text import change_label_vi
from chiso.reports.summary import unit_summary_html
from chiso.reports.unit_workbook import unit_workbook
from chiso.io.scenario_file import scenario_from_json
from chiso.scenario import Scenario
from chiso.workspace import NameTakenError
from ui.confirm import ask, asked
from ui.safe_md import md
from ui.sim_unit import UnitView
from ui.session import PENDING_SCENARIO, SIM, remembered, saved_scenarios
from ui.workspace import delete_scenario, rename_scenario, store_scenario, sync_saved

_CONFIRM = "_overwrite_pending"  # (name, version) of a save waiting for "Ghi đè"
_FLASH = "_save_message"  # shown after the rerun that puts the next name in the field

TABS = ["Lưu kịch bản", "So sánh kịch bản", "Tải lên / tải về", "Xuất báo cáo"]
TABS_KEY = "sim_tabs"  # the open tab's label, in session state
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scenario_tabs(view: UnitView) -> None:
    saved = saved_scenarios()
    stored = sync_saved(view.data, saved)
    st.divider()
    # only the open tab is built and sent: the others' uploader, download buttons and comparison table cost
    # the browser ~0,3 s on Mô phỏng's first render (2-core machine), for tabs most visits never open
    tab_save, tab_cmp, tab_share, tab_export = st.tabs(TABS, key=TABS_KEY, on_change="rerun")
    if tab_save.open:
        with tab_save:
            _save_tab(view, saved, stored)
    if tab_cmp.open:
        with tab_cmp:
            _compare_tab(view, [s for s in saved.values() if s.unit_code == view.code and s.rulebook == view.rb.id])
    if tab_share.open:
        with tab_share:
            _share_tab(view, saved)
    if tab_export.open:
        with tab_export:
            _export_tab(view, saved)


def _save_tab(view: UnitView, saved: dict[str, Scenario], stored: dict | None) -> None:
    ss = st.session_state
    data = view.data
    if flash := ss.pop(_FLASH, None):
        st.success(flash)

    def _rename() -> None:
        ss[SIM].name = (ss["sim_name"] or "").strip()[:200] or "Kịch bản"

    ss["sim_name"] = view.sim.name
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    a.text_input("Tên kịch bản", key="sim_name", on_change=_rename, max_chars=200)
    if b.button("Lưu kịch bản", type="primary", key="save_scenario", width="stretch"):
        _save(view, saved, stored, None)
    _confirm_overwrite(view, saved, stored)
    mine = {k: s for k, s in saved.items() if s.rulebook == view.rb.id}
    if not mine:
        st.caption("Chưa lưu kịch bản nào." if stored is not None else "Chưa lưu kịch bản nào trong phiên làm việc này.")
        return
    keep = remembered("saved_pick", list(mine))  # survives a switch to another scenario tab
    pick = st.selectbox("Kịch bản đã lưu", list(mine), key="saved_pick", on_change=keep,
                        format_func=lambda k: f"{k} — {data.names[data.index_of(mine[k].unit_code)]}"
                        if mine[k].unit_code in set(data.codes) else k)
    o, dlt = st.columns(2)
    if o.button("Mở kịch bản này", key="open_saved", width="stretch"):
        ss[PENDING_SCENARIO] = mine[pick]
        st.rerun()
    if dlt.button("Xóa kịch bản này", key="delete_saved", width="stretch"):
        ask("delete_scenario")
    where = "; vẫn khôi phục được ở trang Nhật ký (quản trị)" if stored and pick in stored else ""
    if asked("delete_scenario", f"Xóa kịch bản «{pick}»{where}?", "Xóa kịch bản"):
        try:
            if stored and pick in stored:
                delete_scenario(data, stored[pick])
        except ChisoError as exc:
            st.error(md(exc))
            return
        saved.pop(pick, None)
        st.rerun()
    _rename_form(saved, stored, pick)


def _rename_form(saved: dict[str, Scenario], stored: dict | None, pick: str) -> None:
    """«Đổi tên»: in the workspace when the scenario is stored there (a taken name or a stale version is
    refused with a message), else in the session."""
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    new = (a.text_input("Tên mới cho kịch bản đã chọn", key="saved_new_name", max_chars=200) or "").strip()
    if not b.button("Đổi tên", key="rename_saved", width="stretch", disabled=not new or new == pick):
        return
    if new in saved:
        st.error(md(f"Đã có kịch bản tên «{new}»: hãy chọn tên khác."))
        return
    try:
        if stored and pick in stored:
            rename_scenario(stored[pick], new)
    except ChisoError as exc:
        st.error(md(exc))
        return
    saved[new] = replace(saved.pop(pick), name=new)
    st.session_state[_FLASH] = f"Đã đổi tên kịch bản «{md(pick)}» thành «{md(new)}»."
    st.rerun()


def _save(view: UnitView, saved: dict[str, Scenario], stored: dict | None, version: int | None) -> None:
    """Store the current scenario; an existing name asks first, a stale version is refused."""
    ss = st.session_state
    current = view.current_scenario()
    ss.pop(_CONFIRM, None)
    try:
        item = store_scenario(view.data, current, version=version, overwrite=version is not None)
    except NameTakenError as exc:
        ss[_CONFIRM] = (current.name, exc.version)
        return
    except ChisoError as exc:
        st.error(md(exc))
        return
    existed = version is not None or (item is None and current.name in saved)
    saved[current.name] = current
    where = " vào cơ sở dữ liệu làm việc" if item is not None else " trong phiên này"
    ss[_FLASH] = f"{'Đã ghi đè' if existed else 'Đã lưu'} kịch bản «{md(current.name)}»{where}."
    # the next save must not silently reuse this name: the field shows a new one
    ss[SIM].name = _next_name(current.name, saved)
    st.rerun()


def _confirm_overwrite(view: UnitView, saved: dict[str, Scenario], stored: dict | None) -> None:
    pending = st.session_state.get(_CONFIRM)
    if not pending or pending[0] != view.current_scenario().name:
        return
    st.warning(md(f"Đã có kịch bản tên «{pending[0]}». Ghi đè lên kịch bản cũ?"))
    yes, no = st.columns(2)
    if yes.button("Ghi đè", key="overwrite_yes", width="stretch"):
        _save(view, saved, stored, pending[1])
    if no.button("Không ghi đè", key="overwrite_no", width="stretch"):
        st.session_state.pop(_CONFIRM, None)
        st.rerun()


def _next_name(name: str, saved: dict[str, Scenario]) -> str:
    base = name.rstrip("0123456789 ").rstrip() or "Kịch bản"
    n = 2
    while f"{base} {n}" in saved:
        n += 1
    return f"{base} {n}"


def _compare_tab(view: UnitView, same_unit: list[Scenario]) -> None:
    if not same_unit:
        st.caption("Lưu ít nhất một kịch bản của đơn vị này để so sánh.")
        return
    rb = view.rb
    names = ["Kịch bản gốc"] + [s.name for s in same_unit]
    rows = np.vstack([np.zeros(len(view.keys))] + [s.deltas(rb) for s in same_unit])
    cmp = view.score(rows)
    table = {"Chỉ số": ["Tổng điểm", "Xếp hạng trong nhóm", "Xếp loại"] + [grp.name_vi for grp in rb.groups]}
    official = published_group_points(view.data.frame, rb, view.i)
    for n, name in enumerate(names):
        t = float(cmp.total[n])
        table[name] = [fmt_points(t), str(rank_among(t, view.others)), rb.band(t)] + [
            v.text for v in group_values(cmp, n, official)]  # a group without data: «giữ nguyên», never 0,00
    for k, lv in enumerate(rb.levers):
        if rows[:, k].any():
            table["Chỉ số"].append(change_label_vi(lv))
            for n, name in enumerate(names):
                d = rows[n, k]  # overdue dossiers: how many fewer, as the row says
                table[name].append("0" if not d else fmt_int(d) if lv.remaining_vi else fmt_delta(d, 0))
    st.dataframe(table, hide_index=True, width="stretch", key="compare_table")
    st.caption(" ".join(["Các kịch bản đã lưu, cạnh nhau; lưu kịch bản đang mô phỏng để đưa vào so sánh.",
                         *group_notes_vi(group_values(cmp, 0, official))]))


def _share_tab(view: UnitView, saved: dict[str, Scenario]) -> None:
    ss = st.session_state
    st.download_button(
        "Tải kịch bản đang mô phỏng (JSON)", data=lambda: view.current_scenario().to_json().encode("utf-8"),
        file_name=f"kich-ban-{view.code}.json", mime="application/json", key="dl_json", on_click="ignore",
    )
    up = st.file_uploader("Tải lên kịch bản (JSON)", type=["json"], key="sim_upload")
    if up is None or ss.get("_sim_upload_done") == up.file_id:
        return
    ss["_sim_upload_done"] = up.file_id
    try:
        loaded = scenario_from_json(up.getvalue(), view.rb, up.name)
    except ChisoError as exc:
        st.error(md(exc))
    else:
        saved[loaded.name] = loaded
        ss[PENDING_SCENARIO] = loaded
        st.rerun()


def _export_tab(view: UnitView, saved: dict[str, Scenario]) -> None:
    st.caption(f"Ghi rõ bộ quy tắc tính điểm {view.rb.id}; số giữ dạng số trong Excel; "
               "lấy các yếu tố đang đặt lúc bấm tải.")
    a, b = st.columns(2)
    a.download_button(
        "Tải Excel (gốc và kịch bản theo từng chỉ tiêu)", data=lambda: unit_workbook(view.report(list(saved.values()))),
        file_name=f"mo-phong-{view.code}.xlsx", key="dl_xlsx", on_click="ignore", width="stretch", mime=XLSX_MIME,
    )
    b.download_button(
        "Tải bản tóm tắt một trang để in (HTML)",
        data=lambda: unit_summary_html(view.report(list(saved.values()))).encode("utf-8"),
        file_name=f"tom-tat-{view.code}.html", mime="text/html", key="dl_html", on_click="ignore", width="stretch",
    )
