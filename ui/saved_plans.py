"""Saved plans on the planner page: keep a plan in the workspace database, and hold every plan saved for
this unit (in this or another period) against the data open now ("kế hoạch …: đạt 2/3 bước").

Plans belong to a bundled sample's or a stored dataset's source key, like saved scenarios; an upload
is not in the workspace until the user stores it, so its plans are not kept before that.
"""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.fmt import fmt_points
from chiso.history import plan_progress
from chiso.plan.solver import Plan
from chiso.workspace import NameTakenError, SavedItem
from ui.auth import keeps_nothing
from ui.confirm import ask, asked
from ui.db import workspace
from ui.safe_md import md
from ui.state import AppData
from ui.workspace import source_key

_CONFIRM = "_plan_overwrite"  # (name, version) of a plan save waiting for "Ghi đè"
_FLASH = "_plan_flash"


def save_plan_form(data: AppData, p: Plan) -> None:
    """Name field + «Lưu kế hoạch»; an existing name asks before overwriting, a stale version is refused."""
    key = source_key(data)
    if keeps_nothing():
        st.caption("Tài khoản khách / học viên: kế hoạch không được lưu vào cơ sở dữ liệu chung; hãy tải kế hoạch "
                   "về (Excel) để giữ lại.")
        return
    if key is None:
        st.caption("Kế hoạch trên tệp tải lên chỉ được lưu lâu dài khi tệp đã có trong cơ sở dữ liệu làm việc "
                   "(nút «Lưu tệp vào cơ sở dữ liệu làm việc» ở thanh bên).")
        return
    ss = st.session_state
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    name = a.text_input("Tên kế hoạch", key=f"plan_name_{p.unit_code}", max_chars=200,
                        value=f"Kế hoạch {data.period} — mục tiêu {fmt_points(p.target)}")
    if b.button("Lưu kế hoạch", key="plan_save", width="stretch"):
        _store(data, p, name.strip() or "Kế hoạch", None)
    pending = ss.get(_CONFIRM)
    if pending and pending[0] == name.strip():
        st.warning(md(f"Đã có kế hoạch tên «{pending[0]}». Ghi đè lên kế hoạch cũ?"))
        yes, no = st.columns(2)
        if yes.button("Ghi đè", key="plan_overwrite_yes", width="stretch"):
            _store(data, p, pending[0], pending[1])
        if no.button("Không ghi đè", key="plan_overwrite_no", width="stretch"):
            ss.pop(_CONFIRM, None)
            st.rerun()
    if flash := ss.pop(_FLASH, None):
        st.success(md(flash))


def _store(data: AppData, p: Plan, name: str, version: int | None) -> None:
    ss = st.session_state
    ss.pop(_CONFIRM, None)
    ws = workspace()
    if ws is None:
        return
    try:
        ws.save_plan(name, p.to_dict(), source_key(data), period=data.period, version=version,
                     overwrite=version is not None)
    except NameTakenError as exc:
        ss[_CONFIRM] = (name, exc.version)
        st.rerun()
    except ChisoError as exc:
        st.error(md(exc))
        return
    ss[_FLASH] = f"Đã {'ghi đè' if version is not None else 'lưu'} kế hoạch «{name}» vào cơ sở dữ liệu làm việc."
    st.rerun()


def saved_plans(data: AppData, code: str) -> None:
    """Every plan saved for this unit under this rulebook, each held against the data open now."""
    ws = workspace(quiet=True)
    if ws is None:
        return
    try:
        items = ws.saved("plan", None, data.rb.id, code)
    except ChisoError as exc:
        st.error(md(exc))
        return
    if not items:
        return
    st.subheader("Kế hoạch đã lưu của đơn vị này")
    for item in items:
        _saved_plan(data, ws, item)


def _saved_plan(data: AppData, ws, item: SavedItem) -> None:
    with st.container(border=True):
        period = f"lập trên kỳ {item.period}" if item.period else "đã lưu"
        st.markdown(md(f"«{item.name}» — {period}, mục tiêu {fmt_points(float(item.body['target']))} điểm"))
        if item.period and item.period != data.period:
            try:
                progress = plan_progress(item.name, item.body, data.table, data.rb)
            except ChisoError as exc:
                st.warning(md(f"Không đối chiếu được với số liệu đang mở: {exc}"))
                return
            st.markdown(md(progress.summary_vi))
            st.markdown("\n".join(f"- {md(s.text_vi)}" for s in progress.steps))
        else:
            st.caption("Cùng kỳ với số liệu đang mở: mở kỳ sau để xem kế hoạch đã thực hiện được đến đâu.")
        a, b, c = st.columns([3, 1, 1], vertical_alignment="bottom")
        new = (a.text_input("Tên mới", key=f"plan_new_name_{item.id}", max_chars=200) or "").strip()
        try:
            if b.button("Đổi tên", key=f"plan_rename_{item.id}", disabled=not new or new == item.name,
                        width="stretch"):
                ws.rename_saved("plan", item.id, item.version, new)  # a taken name or stale version: refused
                st.rerun()
            if c.button("Xóa kế hoạch này", key=f"plan_delete_{item.id}", width="stretch"):
                ask(f"plan_delete_{item.id}")
            if asked(f"plan_delete_{item.id}", f"Xóa kế hoạch «{item.name}»? Vẫn khôi phục được ở trang Nhật ký "
                     "(quản trị).", "Xóa kế hoạch"):
                ws.delete_saved("plan", item.id, item.version)
                st.rerun()
        except ChisoError as exc:
            st.error(md(exc))
