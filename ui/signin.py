"""The sign-in gate, drawn before any page when accounts are on (``CHISO_AUTH``), and the account box.

Fails closed: with accounts on, a database that cannot be opened, an unknown ``CHISO_AUTH`` or an identity
the workspace does not know shows a Vietnamese message and no data.
"""
from __future__ import annotations

import streamlit as st

from chiso.errors import ChisoError
from chiso.workspace.access import ROLE_VI, Actor, Role, scope_label
from chiso.workspace.accounts import LoginError
from ui import auth
from ui.db import shared_workspace
from ui.safe_md import md


def ready() -> bool:
    """No accounts, or a signed-in account still valid (expired or disabled ones are signed out here)."""
    try:
        if not auth.mode():
            return True
        if auth.signed_in():
            auth.refresh(shared_workspace())
        return auth.signed_in()
    except ChisoError:
        return False


def require() -> None:
    """Called by every page as well (through the sidebar): a page file Streamlit runs directly, bypassing
    ``app.py`` (a fresh server's first request, see ui.routing), must not show data to a visitor either."""
    if not ready():
        gate()
        st.stop()


def admin_pages() -> list:
    """Pages only a quản trị sees in the menu (the page and chiso check the right again). Called by app.py only
    once ``ready()`` said yes, so it does not ask the database about the account a second time in a run."""
    if auth.actor().role is not Role.ADMIN:
        return []
    return [st.Page("pages/log.py", title="Nhật ký", icon=":material/history:", url_path="log")]


def sign_in_pages(pages: list) -> list:
    """The app's pages, each replaced by the sign-in form at the same address (title and path kept)."""
    return [st.Page(gate, title=p.title, url_path=p.url_path or "home", default=p.url_path == pages[0].url_path)
            for p in pages]


def gate() -> Actor:
    """Return the session's actor, or draw the sign-in form (and nothing else) and stop the run."""
    try:
        mode = auth.mode()
        if not mode:
            return auth.actor()
        if not auth.signed_in():
            ws = shared_workspace()
            (_oidc_form if mode == "oidc" else _password_form)(ws)
            st.stop()
    except ChisoError as exc:  # fail closed
        st.title("chiso — Bộ chỉ số 766")
        st.error(md(f"Chưa đăng nhập được. {exc}"))
        st.stop()
    return auth.actor()


def _heading() -> None:
    st.title("chiso — Bộ chỉ số 766")
    note = st.session_state.pop(auth.EXPIRED, None)
    if note:
        st.warning(md(note))


def _password_form(ws) -> None:
    _heading()
    with st.form("signin", border=True, enter_to_submit=False):
        st.subheader("Đăng nhập")
        login = st.text_input("Tên đăng nhập", key="signin_login", max_chars=200)
        password = st.text_input("Mật khẩu", type="password", key="signin_password", max_chars=1024)
        go = st.form_submit_button("Đăng nhập", type="primary", key="signin_submit")
    st.caption("Máy chủ dùng chung: mỗi người có tài khoản riêng do quản trị viên cấp "
               "(python -m chiso users add). Quên mật khẩu: nhờ quản trị viên đặt lại.")
    if go:
        try:
            account = ws.sign_in(login, password)
        except LoginError as exc:
            st.error(md(exc))
            return
        auth.start(account.actor())
        st.rerun()


def _oidc_form(ws) -> None:
    _heading()
    user = st.user
    if not user.is_logged_in:
        if not _provider_configured():
            st.error("Chưa cấu hình nhà cung cấp định danh: thêm mục [auth] (redirect_uri, cookie_secret, client_id, "
                     "client_secret, server_metadata_url) vào .streamlit/secrets.toml, hoặc dùng CHISO_AUTH=password.")
            return
        st.button("Đăng nhập bằng tài khoản cơ quan", type="primary", on_click=st.login, key="signin_oidc")
        return
    email = str(user.get("email") or "")
    account = ws.account(email) if email else None
    if account is None:
        st.error(md(f"Tài khoản «{email or 'không có e-mail'}» chưa được cấp quyền trong chiso. Hãy nhờ quản trị "
                    "viên tạo: python -m chiso users add <e-mail> --role … --sso"))
        st.button("Đăng xuất", on_click=st.logout, key="signin_oidc_out")
        return
    auth.start(account.actor())
    st.rerun()


def _provider_configured() -> bool:
    """st.login raises Streamlit's English error without an [auth] section: say it in Vietnamese first."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all (Streamlit raises its own error types here)
        return False


def account_box() -> None:
    """In the sidebar: who is signed in, with which role and units, and «Đăng xuất»."""
    if not auth.signed_in():
        return
    a = auth.actor()
    st.sidebar.caption(md(f"Đăng nhập: {a.label} — {ROLE_VI[a.role]}"
                          + (f" ({scope_label(a)})" if a.scope else "")))
    if st.sidebar.button("Đăng xuất", key="signout"):
        auth.sign_out()
        if auth.mode() == "oidc":
            st.logout()
        st.rerun()
