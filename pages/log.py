"""Nhật ký: every change to the shared workspace (who, when, what, before → after), and restores. For
quản trị only: the menu shows it to them, and ``chiso.workspace`` refuses anyone else."""
import streamlit as st

from chiso.errors import ChisoError
from ui.db import workspace
from ui.log_view import accounts_panel, audit_panel, deleted_panel, show_notice, versions_panel
from ui.safe_md import md
from ui.signin import require

require()  # with accounts on: signed in first (chiso then checks that the account is quản trị)
st.title("Nhật ký")
st.caption("Mọi thay đổi trong cơ sở dữ liệu làm việc dùng chung: lưu và hoàn tác số liệu nhập tay, lưu, đổi tên, "
           "xóa và khôi phục kịch bản, kế hoạch, bộ số liệu, tài khoản. Xóa là xóa mềm: khôi phục được ở đây.")
show_notice()
ws = workspace()
if ws is None:
    st.stop()
try:
    log, deleted, versions, people = st.tabs(["Thay đổi", "Đã xóa", "Phiên bản bộ số liệu", "Tài khoản"])
    with log:
        audit_panel(ws)
    with deleted:
        deleted_panel(ws)
    with versions:
        versions_panel(ws)
    with people:
        accounts_panel(ws)
except ChisoError as exc:  # no right (not quản trị), or the database refused
    st.error(md(exc))
