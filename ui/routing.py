"""Make the first request of a fresh server go through ``app.py`` like every other request.

Streamlit 1.67 decides once per process, when the first session starts, whether the app is a legacy
"pages/ folder" app (``PagesManager.uses_pages_directory``), and only ``st.navigation`` resets that.
Our page files live in ``pages/``, so a shared link opened as the very first visit (``/unit?…``) runs
``pages/unit.py`` directly: ``app.py`` — page config (wide layout) and the Vietnamese menu — never runs,
and the flag stays set, so that session keeps a menu of raw file names and a narrow layout.
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


_ENTERED = "_entered_app"


def entered_through_legacy_pages() -> bool:
    """True when this run executes a page file directly instead of through ``app.py``'s navigation."""
    return bool(PagesManager.uses_pages_directory)


def enter_through_app() -> None:
    """Called first by every page: if Streamlit ran this page file directly on the session's first run,
    switch the process to ``st.navigation`` routing and rerun the same url (page and query string kept)
    through ``app.py``. Later runs are left alone: a rerun would drop a button click of that run, and
    Streamlit's AppTest re-arms the legacy flag on every run of a session that did start in app.py."""
    ss = st.session_state
    first_run = not ss.get(_ENTERED)
    ss[_ENTERED] = True
    if first_run and entered_through_legacy_pages():
        PagesManager.uses_pages_directory = False
        st.rerun()
