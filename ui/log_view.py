"""Nhật ký (quản trị): the audit trail, deleted scenarios and plans to restore, stored dataset versions to
restore, and the accounts. Every call goes through the session's workspace, which checks the right again."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from chiso.errors import ChisoError
from chiso.fmt import fmt_time
from chiso.workspace import Workspace
from chiso.workspace.access import ROLE_VI
from chiso.workspace.audit import ACTION_VI
from chiso.workspace.saved import KIND_VI
from ui.safe_md import md

NOTICE = "_log_notice"
DETAIL_CHARS = 300


def _detail(detail: dict) -> str:
    text = json.dumps(detail, ensure_ascii=False)
    return text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + "…"


def audit_table(ws: Workspace, action: str | None) -> pd.DataFrame:
    return pd.DataFrame([{
        "Thời điểm": fmt_time(e.at),
        "Người thực hiện": e.actor,
        "Việc": e.action_vi,
        "Đối tượng": e.target,
        "Chi tiết (trước → sau)": _detail(e.detail),
    } for e in ws.audit_entries(limit=1_000, action=action)])


def audit_panel(ws: Workspace) -> None:
    choices = {"": "Mọi việc", **ACTION_VI}
    action = st.selectbox("Loại việc", list(choices), format_func=choices.get, key="log_action")
    table = audit_table(ws, action or None)
    if table.empty:
        st.caption("Chưa có thay đổi nào.")
        return
    st.caption("1.000 thay đổi gần nhất, mới nhất trước; giờ Việt Nam.")
    st.dataframe(table, hide_index=True, width="stretch")


def _act(change, done_vi: str, failed_vi: str) -> None:
    """Run a restore (a button's callback) and leave what happened for the next run to say."""
    try:
        change()
    except ChisoError as exc:
        st.session_state[NOTICE] = ("error", f"{failed_vi} {exc}")
        return
    st.session_state[NOTICE] = ("success", done_vi)


def _restore(ws: Workspace, kind: str, item_id: int, name: str) -> None:
    _act(lambda: ws.restore_saved(kind, item_id), f"Đã khôi phục {KIND_VI[kind]} «{name}».",
         f"Chưa khôi phục được {KIND_VI[kind]} «{name}».")


def deleted_panel(ws: Workspace) -> None:
    """Deleted scenarios and plans, each with «Khôi phục»."""
    items = [*ws.deleted_saved("scenario"), *ws.deleted_saved("plan")]
    if not items:
        st.caption("Không có kịch bản hay kế hoạch nào đã xóa.")
        return
    for item in sorted(items, key=lambda x: x.deleted_at, reverse=True)[:100]:
        c = st.columns([5, 1], vertical_alignment="center")
        c[0].markdown(md(f"{KIND_VI[item.kind].capitalize()} «{item.name}» — đơn vị {item.unit_code}, nguồn "
                         f"{item.source_key}; xóa lúc {fmt_time(item.deleted_at)}"))
        c[1].button("Khôi phục", key=f"restore_{item.kind}_{item.id}", on_click=_restore,
                    args=(ws, item.kind, item.id, item.name))


def _use_version(ws: Workspace, dataset_id: int, version: int) -> None:
    _act(lambda: ws.restore_dataset_version(dataset_id, version),
         f"Bộ số liệu số {dataset_id} đang dùng lại phiên bản {version}.", "Chưa khôi phục được.")


def versions_panel(ws: Workspace) -> None:
    """Stored datasets with more than one version: which is in use, and «Dùng lại phiên bản này»."""
    shown = 0
    for d in ws.datasets():
        versions = ws.dataset_versions(d.id)
        if len(versions) < 2:
            continue
        shown += 1
        st.markdown(md(f"{d.source_label or d.source} — kỳ {d.period} ({d.rulebook})"))
        for v in versions:
            c = st.columns([5, 2], vertical_alignment="center")
            who = f", {v.imported_by}" if v.imported_by else ""
            c[0].caption(md(f"Phiên bản {v.version}: lưu lúc {fmt_time(v.imported_at)}{who}"
                            + (" — đang dùng" if v.in_use else "")))
            if not v.in_use:
                c[1].button("Dùng lại phiên bản này", key=f"use_{d.id}_{v.version}", on_click=_use_version,
                            args=(ws, d.id, v.version))
    if not shown:
        st.caption("Chưa có bộ số liệu nào được lưu đè bằng phiên bản mới.")


def accounts_panel(ws: Workspace) -> None:
    rows = [{
        "Tên đăng nhập": a.login,
        "Tên hiển thị": a.display_name,
        "Vai trò": ROLE_VI[a.role],
        "Đơn vị": ", ".join(a.scope) or "—",
        "Trạng thái": "đã khóa" if a.disabled else "đang dùng",
        "Tạo lúc": fmt_time(a.created_at),
    } for a in ws.accounts()]
    if not rows:
        st.caption("Chưa có tài khoản nào (máy chạy không đăng nhập, hoặc chưa tạo).")
    else:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption("Quản lý tài khoản trên máy chủ: python -m chiso users add|list|disable|passwd.")


def show_notice() -> None:
    note = st.session_state.pop(NOTICE, None)
    if note:
        (st.error if note[0] == "error" else st.success)(md(note[1]))
