"""Ask before a change that others will feel (a delete, a new version of a shared dataset): the first click
only asks, in a box right where the user clicked, with «Xác nhận» and «Thôi»."""
from __future__ import annotations

import streamlit as st

from ui.safe_md import md


def _flag(key: str) -> str:
    return f"_ask_{key}"


def ask(key: str) -> None:
    st.session_state[_flag(key)] = True


def asked(key: str, question: str, yes: str = "Xác nhận", where=None) -> bool:
    """True on the click of «yes» after ``ask(key)``; draws the question while it is open. ``question`` is
    escaped: it may hold names users typed."""
    if not st.session_state.get(_flag(key)):
        return False
    box = (where or st).container(border=True)
    box.warning(md(question))
    a, b = box.columns(2)
    if b.button("Thôi", key=f"{key}_no", width="stretch"):
        st.session_state.pop(_flag(key), None)
        st.rerun()
    if a.button(yes, key=f"{key}_yes", type="primary", width="stretch"):
        st.session_state.pop(_flag(key), None)
        return True
    return False
