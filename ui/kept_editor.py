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
    """The table editor ``key`` showed when the user started typing (``data`` when nothing was kept). A save
    compares the edits with this, never with data reloaded since: another user's save in between must
    not look like this user's edit, nor be overwritten without a word."""
    held = st.session_state.get(_slot(slot))
    return held[1] if held is not None and held[0] == key else data


def _typed(state: object) -> bool:
    return isinstance(state, dict) and any(state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


def kept_editor(slot: str, key: str, data: pd.DataFrame, **kw) -> pd.DataFrame:
    """``st.data_editor(data, key=key, **kw)`` that starts from its last edits when drawn again.

    One slot holds one editor: a different ``key`` (another unit, rulebook, or a save that renews the
    key) starts afresh from ``data``. While nothing is typed the editor shows ``data`` as it is now (another
    user's save appears); from the first typed cell on, its starting table stays the one the user typed
    into, so that Streamlit's row/column edits land in the cells the user saw (rows may be reordered in
    fresh data: missing counts first) and the save can compare with what was shown. Keeping the last drawn
    table costs one table per session (~2 MB for the national grid): the price of never misplacing a value."""
    ss = st.session_state
    held = ss.get(_slot(slot))
    if held is None or held[0] != key:
        held = (key, data, data, data, False)
    _, shown, start, edited, dirty = held  # shown: the table drawn before the first typed cell (what the user saw)
    dirty = dirty or (key in ss and _typed(ss[key]))  # typed now, or kept from before a closed tab
    if not dirty:  # nothing typed yet: show the data as it is now
        shown = start = edited = data
    elif key not in ss:  # first drawn since Streamlit forgot it: the kept edits become the starting table
        start = edited
    edited = st.data_editor(start, key=key, **kw)
    ss[_slot(slot)] = (key, shown, start, edited, dirty or _typed(ss.get(key)))
    return edited
