"""A data editor whose unsaved edits outlive it.

Streamlit forgets a widget's state after a run that does not draw it (a closed lazy tab or fold, another
page), and refuses a value written to a data editor's key. So the edited table is kept in the session, one
slot per editor; when the editor is drawn again it starts from that table. Lazy tabs and folds keep the grid
out of a page's first render (Số liệu, Lập kế hoạch) without losing what the user typed.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st


def _slot(slot: str) -> str:
    return f"_editor_{slot}"


def kept_table(slot: str, key: str, data: pd.DataFrame) -> pd.DataFrame:
    """The last edited table of editor ``key`` in ``slot`` (``data`` if it has none): for a closed fold."""
    held = st.session_state.get(_slot(slot))
    return held[3] if held is not None and held[0] == key else data


def shown_table(slot: str, key: str, data: pd.DataFrame) -> pd.DataFrame:
    """The table editor ``key`` started from, as the user saw it (``data`` when nothing was typed). A save
    compares the edits with this, never with data reloaded since: another user's save in between must
    not look like this user's edit, nor be overwritten without a word."""
    held = st.session_state.get(_slot(slot))
    return held[1] if held is not None and held[0] == key else data


def kept_editor(slot: str, key: str, data: pd.DataFrame, **kw) -> pd.DataFrame:
    """``st.data_editor(data, key=key, **kw)`` that starts from its last edits when drawn again.

    One slot holds one editor: a different ``key`` (another unit, rulebook, or a save that renews the
    key) starts afresh from ``data``. While the editor stays drawn its starting table does not change,
    so Streamlit's own edit state and the table it is applied to stay in step."""
    ss = st.session_state
    held = ss.get(_slot(slot))
    if held is None or held[0] != key:
        held = (key, data, data, data)
    _, shown, start, edited = held  # shown: the table as first drawn, before any typing (what the user saw)
    if key not in ss:  # first drawn since Streamlit forgot it: the kept edits become the starting table
        start = edited
    edited = st.data_editor(start, key=key, **kw)
    state = ss[key] if key in ss else {}
    typed = any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
    if start is data and not typed:
        ss.pop(_slot(slot), None)  # nothing typed, nothing to keep (Số liệu's whole table is ~2 MB a copy)
    else:
        ss[_slot(slot)] = (key, shown, start, edited)
    return edited
