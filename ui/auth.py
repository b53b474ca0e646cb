"""Who is using the app: nobody signs in on one's own machine; ``CHISO_AUTH=password`` or ``oidc`` turns on
accounts for a shared server. ``gate()`` runs before any page: a visitor who is not signed in sees only the
sign-in form, no data. The signed-in account becomes the actor every workspace call is checked against.

Sessions expire after ``CHISO_SESSION_IDLE_MINUTES`` without activity (default 120) and after
``CHISO_SESSION_HOURS`` in all (default 12); a disabled account is signed out at its next click.
"""
from __future__ import annotations

import os
import time
import uuid

import streamlit as st

from chiso.workspace import Workspace
from chiso.workspace.access import AUTH_ENV, LOCAL, Actor, Role, auth_mode

ACCOUNT = "_auth_account"  # session: the signed-in account's Actor
SIGNED_AT, SEEN_AT = "_auth_signed_at", "_auth_seen_at"
SESSION_ID = "_session_id"
AUTHOR = "edit_author"  # session: the name typed in «Người nhập» when nobody signs in
EXPIRED = "_auth_expired"


def mode() -> str:
    return auth_mode(os.environ.get(AUTH_ENV))


def _setting(env: str, default: float) -> float:
    try:
        return max(1.0, float(os.environ.get(env, default)))
    except ValueError:
        return default


def session_id() -> str:
    return st.session_state.setdefault(SESSION_ID, uuid.uuid4().hex)


def actor() -> Actor:
    """The actor of this browser session (``LOCAL`` with the typed name when nobody signs in)."""
    signed = st.session_state.get(ACCOUNT)
    if signed is not None:
        return signed.in_session(session_id())
    if mode():  # accounts are on but nobody signed in: may read nothing (gate() stops before this)
        return Actor("", Role.GUEST, name="khách").in_session(session_id())
    return LOCAL.named(str(st.session_state.get(AUTHOR, ""))).in_session(session_id())


def keeps_nothing() -> bool:
    """Khách / học viên: simulates and keeps scenarios in the browser session only (chiso refuses the rest)."""
    return actor().role is Role.GUEST


def signed_in() -> bool:
    return st.session_state.get(ACCOUNT) is not None


def _expired() -> bool:
    now = time.time()
    idle = now - st.session_state.get(SEEN_AT, now) > 60 * _setting("CHISO_SESSION_IDLE_MINUTES", 120)
    old = now - st.session_state.get(SIGNED_AT, now) > 3600 * _setting("CHISO_SESSION_HOURS", 12)
    return idle or old


def sign_out(note: str = "") -> None:
    """Forget everything of this browser session (typed values, scenarios, picks): the next person at the
    same screen starts clean, and an expired session keeps nothing of the account."""
    st.session_state.clear()
    if note:
        st.session_state[EXPIRED] = note


def start(account: Actor) -> None:
    st.session_state[ACCOUNT] = account
    st.session_state[SIGNED_AT] = st.session_state[SEEN_AT] = time.time()
    st.session_state.pop(EXPIRED, None)


def refresh(ws: Workspace) -> None:
    """Expired, disabled or changed since sign-in: the account as the database says now."""
    current = st.session_state[ACCOUNT]
    if _expired():
        sign_out("Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.")
        return
    info = ws.account(current.login)
    if info is None:
        sign_out("Tài khoản đã bị khóa hoặc xóa.")
        return
    st.session_state[ACCOUNT] = info.actor()
    st.session_state[SEEN_AT] = time.time()
